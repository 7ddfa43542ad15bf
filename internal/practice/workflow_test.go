package practice_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// An editor writes a draft for their city and submits it; the secretariat
// returns it with a comment, then publishes the corrected version; a
// revision is reviewed while the published version stays up; archiving
// takes it out of the library.
func TestWorkflow(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s := testutil.NewServer(t, d)
		editor, pw := s.User(auth.RoleEditor, w.dus)
		admin, apw := s.User(auth.RoleAdmin, 0)
		other, opw := s.User(auth.RoleEditor, w.ouaga)
		ed, ad, ot, pub := s.Client(), s.Client(), s.Client(), s.Client()
		ed.Login(editor.Email, pw)
		ad.Login(admin.Email, apw)
		ot.Login(other.Email, opw)

		// A draft may be incomplete, but not malformed.
		ed.Post("/en/practices/new", url.Values{"language": {"de"}, "title": {"Gesunde Schule"}, "start": {"next spring"}}).
			Expect(t, 422, "Write the date as 2019, 2019-05 or 2019-05-14.", `value="Gesunde Schule"`)
		id := createByForm(t, ed, url.Values{"language": {"de"}, "title": {"Gesunde Schule im Quartier"},
			"summary": {"Kinder lernen gesund."}, "theme": {"education", "health"}})
		work := fmt.Sprintf("/en/practices/%d/work", id)
		page := fmt.Sprintf("/en/practices/%d", id)
		ed.Get(work).Expect(t, 200, "Gesunde Schule im Quartier", "draft", "Before it can be submitted")

		// Nobody else sees it.
		pub.Get(page).Expect(t, 404)
		ot.Get(page).Expect(t, 404)
		ot.Get(work).Expect(t, 403)
		ot.Post(fmt.Sprintf("/en/practices/%d/edit", id), url.Values{"lang": {"de"}, "base": {"1"}, "title": {"Hijack"}}).Expect(t, 403)
		pub.Get(work).Expect(t, 303)

		// Submitting an incomplete draft says what is missing.
		ed.Post(fmt.Sprintf("/en/practices/%d/submit", id), nil).Expect(t, 422, "not complete yet", "What was done")
		ed.Post(fmt.Sprintf("/en/practices/%d/edit", id), url.Values{"lang": {"de"}, "base": {"1"},
			"title": {"Gesunde Schule im Quartier"}, "summary": {"Kinder lernen gesund."},
			"body":  {"Die Schule kocht frisch und **bewegt** sich jeden Tag. <script>alert(1)</script>"},
			"theme": {"education", "health"}, "status": {"running"}, "start": {"2017-09"}, "ongoing": {"1"}}).Expect(t, 303)
		// A stale form is refused and keeps what was typed.
		ed.Post(fmt.Sprintf("/en/practices/%d/edit", id), url.Values{"lang": {"de"}, "base": {"1"}, "title": {"Stale title"}}).
			Expect(t, 409, "Someone saved this practice", `value="Stale title"`)
		ed.Post(fmt.Sprintf("/en/practices/%d/submit", id), nil).Expect(t, 303)
		ed.Get(work).Expect(t, 200, "waiting for review")
		// Only the secretariat publishes.
		ed.Post(fmt.Sprintf("/en/practices/%d/publish", id), nil).Expect(t, 403)

		// The secretariat returns it with a comment; a comment is required.
		ad.Get("/en/practices/work").Expect(t, 200, "Waiting for review", "Gesunde Schule im Quartier")
		ad.Get("/en/admin").Expect(t, 200, "Practices to review", `href="/en/practices/work"`)
		ad.Post(fmt.Sprintf("/en/practices/%d/return", id), url.Values{"comment": {" "}}).Expect(t, 422, "Write a comment for the city")
		ad.Post(fmt.Sprintf("/en/practices/%d/return", id), url.Values{"comment": {"Please add the results."}}).Expect(t, 303)
		ed.Get(work).Expect(t, 200, "returned for changes", "Please add the results.")
		ed.Post(fmt.Sprintf("/en/practices/%d/edit", id), url.Values{"lang": {"de"}, "base": {"2"},
			"title": {"Gesunde Schule im Quartier"}, "summary": {"Kinder lernen gesund."},
			"body":    {"Die Schule kocht frisch und **bewegt** sich jeden Tag. <script>alert(1)</script>"},
			"results": {"Weniger Krankheitstage."}, "evidence": {"monitored"},
			"theme": {"education", "health"}, "status": {"running"}, "start": {"2017-09"}, "ongoing": {"1"}}).Expect(t, 303)
		ed.Post(fmt.Sprintf("/en/practices/%d/submit", id), nil).Expect(t, 303)
		ad.Post(fmt.Sprintf("/en/practices/%d/publish", id), nil).Expect(t, 303)

		// Now public, in the reader's language with a stated fallback.
		res := pub.Get(page).Expect(t, 301)
		canonical := res.Header.Get("Location")
		if !strings.HasPrefix(canonical, page+"-gesunde-schule") {
			t.Fatalf("canonical address %q", canonical)
		}
		pub.Get(canonical).Expect(t, 200, "Gesunde Schule im Quartier", "not yet available in English", "<strong>bewegt</strong>",
			"Weniger Krankheitstage.", "monitored", "Düsseldorf").Lacks(t, "<script>alert")
		pub.Get("/en/practices?q=Schule").Expect(t, 200, "Gesunde Schule im Quartier")
		pub.Get(canonical+"/print").Expect(t, 200, `class="print-page"`, "Gesunde Schule im Quartier", "Online:", canonical).
			Lacks(t, `class="main-nav"`)
		pub.Get(fmt.Sprintf("/api/v1/practices/%d", id)).Expect(t, 200, `"title":{"de":"Gesunde Schule im Quartier"}`, `"published":true`)

		// A revision is reviewed while the published version stays up.
		ed.Post(fmt.Sprintf("/en/practices/%d/edit", id), url.Values{"lang": {"de"}, "base": {"3"},
			"title": {"Gesunde Schule im Quartier"}, "summary": {"Kinder lernen gesund und bewegen sich."},
			"body": {"Geheimer neuer Text."}, "results": {"Weniger Krankheitstage."}, "evidence": {"monitored"},
			"theme": {"education", "health"}, "status": {"running"}, "start": {"2017-09"}, "ongoing": {"1"}}).Expect(t, 303)
		pub.Get(canonical).Expect(t, 200, "<strong>bewegt</strong>").Lacks(t, "Geheimer neuer Text")
		pub.Get("/en/practices?q=Geheimer").Expect(t, 200, "0 practices").Lacks(t, "Gesunde Schule")
		ed.Get(canonical).Expect(t, 200, "Changes to this practice are being prepared")
		ed.Get(work).Expect(t, 200, "Geheimer neuer Text")
		ed.Post(fmt.Sprintf("/en/practices/%d/submit", id), nil).Expect(t, 303)
		ad.Post(fmt.Sprintf("/en/practices/%d/publish", id), nil).Expect(t, 303)
		pub.Get(canonical).Expect(t, 200, "Geheimer neuer Text")

		// History: every revision, a readable diff, restore.
		ed.Get(fmt.Sprintf("/en/practices/%d/history", id)).Expect(t, 200, "Published revision 3", "Returned revision 2", "Please add the results.")
		ed.Get(fmt.Sprintf("/en/practices/%d/history/4", id)).Expect(t, 200, "<del>Die Schule kocht", "<ins>Geheimer neuer Text.</ins>")
		ed.Post(fmt.Sprintf("/en/practices/%d/restore", id), url.Values{"revision": {"3"}}).Expect(t, 303)
		ed.Get(work).Expect(t, 200, "changes in progress", "<strong>bewegt</strong>")
		pub.Get(canonical).Expect(t, 200, "Geheimer neuer Text")
		ed.Post(fmt.Sprintf("/en/practices/%d/discard", id), nil).Expect(t, 303)
		ed.Get(work).Expect(t, 200, "Geheimer neuer Text")

		// Archived: gone from the library, back when the secretariat says so.
		ed.Post(fmt.Sprintf("/en/practices/%d/archive", id), url.Values{"reason": {"Project ended."}}).Expect(t, 303)
		pub.Get(canonical).Expect(t, 404)
		pub.Get("/en/practices?q=Schule").Expect(t, 200, "0 practices")
		ed.Post(fmt.Sprintf("/en/practices/%d/unarchive", id), nil).Expect(t, 403)
		ad.Post(fmt.Sprintf("/en/practices/%d/unarchive", id), nil).Expect(t, 303)
		pub.Get(canonical).Expect(t, 200, "Geheimer neuer Text")

		// Mail went to the secretariat and back to the author.
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1`, admin.Email).Scan(&n); err != nil || n != 3 {
			t.Errorf("mails to the secretariat: %d (%v), want 3", n, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1`, editor.Email).Scan(&n); err != nil || n != 3 {
			t.Errorf("mails to the author: %d (%v), want 3 (returned, published twice)", n, err)
		}
		// Every link in those mails is absolute, under the site's address.
		bodies, err := d.R.Query(`SELECT body FROM mail_outbox`)
		if err != nil {
			t.Fatal(err)
		}
		for bodies.Next() {
			var body string
			bodies.Scan(&body)
			for _, l := range regexp.MustCompile(`\S*/(?:en|de|fr)/practices/\S*`).FindAllString(body, -1) {
				if !strings.HasPrefix(l, s.URL+"/") {
					t.Errorf("a workflow mail links to %q, want an absolute address under %s", l, s.URL)
				}
			}
		}
		bodies.Close()
		// Admin steps are in the audit log.
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'practice.%'`).Scan(&n); err != nil || n < 7 {
			t.Errorf("audit entries: %d (%v)", n, err)
		}
	})
}
