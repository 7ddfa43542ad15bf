package legal_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// The privacy notice and the imprint are public in three languages with
// the default text until the secretariat writes its own, linked from
// every page's footer and from the forms that collect personal data; only
// the secretariat edits them, and bad input changes nothing.
func TestPrivacyNoticeAndImprint(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		pub := s.Client()
		for lang, want := range map[string][]string{
			"en": {"Privacy notice", "Who is responsible", "erased automatically 90 days after the summit", "Art. 77 GDPR", "has not yet entered"},
			"de": {"Datenschutzerklärung", "Wer verantwortlich ist", "90 Tage nach dem letzten Gipfeltag", "Art. 77 DSGVO"},
			"fr": {"Politique de confidentialité", "Responsable du traitement", "90 jours après le dernier jour", "art. 77 du RGPD"},
		} {
			pub.Get("/"+lang+"/privacy").Expect(t, 200, want...)
			pub.Get("/"+lang+"/imprint").Expect(t, 200, `href="/`+lang+`/privacy"`)
			pub.Get("/"+lang+"/").Expect(t, 200, `href="/`+lang+`/privacy"`, `href="/`+lang+`/imprint"`)
			pub.Get("/"+lang+"/login").Expect(t, 200, `class="hint privacy-note"`, `href="/`+lang+`/privacy"`)
			pub.Get("/"+lang+"/password/forgot").Expect(t, 200, `href="/`+lang+`/privacy"`)
		}
		pub.Get("/en/admin/legal").Expect(t, 303)
		city := testutil.AddCity(t, d, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe"})
		ed, epw := s.User(auth.RoleEditor, city)
		editor := s.Client()
		editor.Login(ed.Email, epw)
		editor.Get("/en/admin/legal").Expect(t, 403)
		editor.Post("/en/admin/legal/privacy", url.Values{"body_en": {"x"}, "body_de": {"x"}, "body_fr": {"x"}}).Expect(t, 403)

		ad, apw := s.User(auth.RoleAdmin, 0)
		admin := s.Client()
		admin.Login(ad.Email, apw)
		admin.Get("/en/admin").Expect(t, 200, `href="/en/admin/legal"`)
		admin.Get("/en/admin/legal").Expect(t, 200, "No one has asked for erasure.", "the platform&#39;s default text")
		// Bad input: the form again, nothing stored.
		admin.Post("/en/admin/legal/contact", url.Values{"controller": {"Secretariat, Rathaus, Marktplatz 2, 40213 Düsseldorf"}, "email": {"not an address"}}).
			Expect(t, 422, "This is not a valid e-mail address.", "Marktplatz 2")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM legal_contact WHERE email <> ''`); n != 0 {
			t.Fatal("a refused contact was stored")
		}
		admin.Post("/en/admin/legal/contact", url.Values{"controller": {"Secretariat of the Observatory\nMarktplatz 2, 40213 Düsseldorf"},
			"email": {"privacy@observatory.example"}, "dpo_name": {"Dr. Ada Datenschutz"}, "dpo_email": {"dpo@observatory.example"}}).Expect(t, 303)
		pub.Get("/de/privacy").Expect(t, 200, "Marktplatz 2, 40213 Düsseldorf", `href="mailto:privacy@observatory.example"`, "Dr. Ada Datenschutz",
			`href="mailto:dpo@observatory.example"`)
		pub.Get("/fr/imprint").Expect(t, 200, "Marktplatz 2, 40213 Düsseldorf").Lacks(t, "Dr. Ada Datenschutz")

		// The edit form starts from the default text in each language.
		admin.Get("/en/admin/legal/privacy").Expect(t, 200, "## Who is responsible", "## Wer verantwortlich ist", "## Responsable du traitement")
		own := "## Our notice & <script>alert(1)</script>\n\nWe keep **little**."
		admin.Post("/en/admin/legal/privacy", url.Values{"body_en": {own}, "body_de": {"## Unsere Erklärung"}}).
			Expect(t, 422, "Our notice &amp; &lt;script&gt;")
		admin.Post("/en/admin/legal/privacy", url.Values{"body_en": {own}, "body_de": {"## Unsere Erklärung"}, "body_fr": {"## Notre politique"}}).
			Expect(t, 303)
		pub.Get("/en/privacy").Expect(t, 200, "Our notice &amp;", "<strong>little</strong>", "90 days after", "Last changed on").
			Lacks(t, "<script>alert(1)</script>", "Who is responsible")
		pub.Get("/de/privacy").Expect(t, 200, "Unsere Erklärung")
		if testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('legal.text', 'legal.contact') AND actor_id = $1`, ad.ID) != 2 {
			t.Error("the changes are not in the audit log")
		}
	})
}

// A signed-in person downloads everything stored about them and asks for
// erasure; the secretariat completes it with one action, which replaces
// their name and address everywhere by a pseudonym, signs them out and
// keeps the declaration's signed record, which still verifies.
func TestDownloadAndErasure(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := testutil.NewServer(t, d)
		dus := testutil.AddCity(t, d, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe", Timezone: "Europe/Berlin"})
		ad, apw := s.User(auth.RoleAdmin, 0)
		admin := s.Client()
		admin.Login(ad.Email, apw)
		del, dpw := s.User(auth.RoleDelegate, dus)
		c := s.Client()
		c.Login(del.Email, dpw)

		// The delegate registers for a summit, and signs a declaration.
		st := s.App.Summits.Store
		sid, err := st.Save(ctx, 0, summit.SummitInput{Number: 5, Title: i18n.Text{"en": "Fifth Summit"}, SourceLang: "en", HostCityID: dus,
			StartsOn: "2031-06-10", EndsOn: "2031-06-12", Status: summit.StatusOpen, OfferHours: 72}, audit.Actor{UserID: ad.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Register(ctx, sid, summit.Registration{CityID: dus, ContactEmail: del.Email, Head: summit.DelegateInput{
			Name: del.Name, Role: "mayor", Email: del.Email, Dietary: "vegan", Accessibility: "step-free access", Consent: true}},
			audit.Actor{UserID: del.ID, Email: del.Email}); err != nil {
			t.Fatal(err)
		}
		declID := openDeclaration(t, admin)
		ref := "/declarations/" + strconv.FormatInt(declID, 10)
		form := c.Get("/en"+ref+"/sign").Expect(t, 200)
		hash := regexp.MustCompile(`name="hash" value="([0-9a-f]{64})"`).FindStringSubmatch(form.Body)[1]
		c.Post("/en"+ref+"/sign", url.Values{"version": {"1"}, "hash": {hash}, "lang": {"en"}, "signer": {"Mayor Signing-Person"},
			"role": {"mayor"}, "place": {"Düsseldorf"}, "confirm": {"1"}}).Expect(t, 303)
		before := bundle(t, s, declID)

		// …and asks another city about one of its practices, naming
		// themself as the contact, and writes in the thread.
		mtl := testutil.AddCity(t, d, testutil.City{Slug: "montreal", Name: "Montréal", Country: "CA", Continent: "north-america"})
		ps, pa := s.App.Practices.Store, practice.Actor{Email: "secretariat@example.org"}
		pid, err := ps.Create(ctx, pa, practice.Record{Lang: "fr", CityID: mtl, Title: i18n.Text{"fr": "Ruelles vertes"},
			Summary: i18n.Text{"fr": "Des ruelles vertes."}, Body: i18n.Text{"fr": "Les voisins plantent."}, Themes: []string{"public-space"},
			Status: "running", Start: "2016-05"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.Publish(ctx, pa, pid); err != nil {
			t.Fatal(err)
		}
		res := c.Post("/en/exchanges/new?practice="+strconv.FormatInt(pid, 10), url.Values{"kind": {"visit"}, "message": {"May we visit?"},
			"languages": {"fr"}, "contact_name": {del.Name}, "contact_email": {del.Email}}).Expect(t, 303)
		thread := res.Header.Get("Location")
		c.Upload(thread+"/messages", url.Values{"body": {"We could come in May."}}).Expect(t, 303)

		// The account page leads to the data page; the download holds it all.
		c.Get("/en/account").Expect(t, 200, `href="/en/account/data"`)
		c.Get("/en/account/data").Expect(t, 200, `href="/en/account/data.json"`, `action="/en/account/erasure"`)
		delUser, err := s.App.Auth.Users.ByID(ctx, del.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.App.Auth.Users.CreateToken(ctx, audit.Actor{UserID: del.ID}, delUser, "Website import", []string{"read:private"}, nil); err != nil {
			t.Fatal(err)
		}
		res = c.Get("/en/account/data.json").Expect(t, 200, `"api_tokens": [`, `"name": "Website import"`)
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Errorf("Content-Disposition %q", cd)
		}
		var dl struct {
			Person struct{ ID int64 }
			Data   struct {
				Account struct {
					Email    string
					Name     string
					Role     string
					Sessions []struct {
						Expires string `json:"expires_at"`
					}
				} `json:"account"`
				Audit   []struct{ Action string } `json:"audit_log"`
				Summits struct {
					Registered []struct {
						ContactEmail string `json:"contact_email"`
					} `json:"delegations_registered"`
					Member []struct{ Dietary, Accessibility string } `json:"delegation_member"`
				} `json:"summits"`
				Declarations []struct{ Signer string } `json:"declarations"`
				Exchanges    struct {
					Requests []struct{ Message string }     `json:"requests_written"`
					Messages []struct{ Body string }        `json:"messages_written"`
					Contact  []struct{ ContactName string } `json:"named_as_contact"`
				} `json:"exchanges"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(res.Body), &dl); err != nil {
			t.Fatal(err)
		}
		a := dl.Data
		if dl.Person.ID != del.ID || a.Account.Email != del.Email || a.Account.Role != "delegate" || len(a.Account.Sessions) != 1 ||
			len(a.Summits.Registered) != 1 || a.Summits.Registered[0].ContactEmail != del.Email ||
			len(a.Summits.Member) != 1 || a.Summits.Member[0].Dietary != "vegan" ||
			len(a.Declarations) != 1 || a.Declarations[0].Signer != "Mayor Signing-Person" || len(a.Audit) == 0 ||
			len(a.Exchanges.Requests) != 1 || len(a.Exchanges.Contact) != 1 || len(a.Exchanges.Messages) != 1 ||
			a.Exchanges.Messages[0].Body != "We could come in May." {
			t.Fatalf("download:\n%s", res.Body)
		}
		var parts struct{ Data map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(res.Body), &parts); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"account", "audit_log", "mail", "summits", "declarations", "exchanges", "practices", "ideas", "city_people", "erasure_requests"} {
			if _, ok := parts.Data[name]; !ok {
				t.Errorf("the download lacks %q", name)
			}
		}
		// Another person's download says nothing about the delegate.
		if other := admin.Get("/en/account/data.json").Expect(t, 200).Body; strings.Contains(other, del.Email) || strings.Contains(other, "vegan") {
			t.Fatal("the secretariat's own download holds the delegate's data")
		}

		if testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 OR body LIKE '%' || $1 || '%'`, del.Email) == 0 {
			t.Fatal("no mail names the person: the check after erasure would prove nothing")
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM exchange_messages WHERE author_name = $1`, del.Name) == 0 {
			t.Fatal("no message names the person: the check after erasure would prove nothing")
		}

		// Asking for erasure: confirmed, once.
		c.Post("/en/account/erasure", url.Values{"reason": {"Leaving the city administration"}}).Expect(t, 422, "Tick the box to confirm.", "Leaving the city administration")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM erasure_requests`); n != 0 {
			t.Fatal("an unconfirmed request was stored")
		}
		c.Post("/en/account/erasure", url.Values{"reason": {"Leaving the city administration"}, "confirm": {"yes"}}).Expect(t, 303)
		c.Get("/en/account/data").Expect(t, 200, "You asked for erasure on").Lacks(t, `action="/en/account/erasure"`)
		c.Post("/en/account/erasure", url.Values{"confirm": {"yes"}}).Expect(t, 409, "You have already asked for erasure.")

		// The secretariat sees it, is asked to confirm, and completes it.
		page := admin.Get("/en/admin/legal").Expect(t, 200, del.Name, del.Email, "Leaving the city administration")
		action := regexp.MustCompile(`action="(/en/admin/legal/requests/\d+/complete)"`).FindStringSubmatch(page.Body)[1]
		admin.Post(action, nil).Expect(t, 200, "Erase the personal data of "+del.Name, "Signed declaration records stay unchanged")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM users WHERE id = $1 AND email = $2`, del.ID, del.Email); n != 1 {
			t.Fatal("erased before the secretariat confirmed")
		}
		admin.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 303)
		admin.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 409)

		var name, email string
		var disabled bool
		if err := d.R.QueryRow(`SELECT name, email, disabled FROM users WHERE id = $1`, del.ID).Scan(&name, &email, &disabled); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "erased-") || email != name+"@erased.invalid" || !disabled {
			t.Fatalf("the account is now %q <%s>, disabled %v", name, email, disabled)
		}
		admin.Get("/en/admin/legal").Expect(t, 200, name).Lacks(t, del.Email, "Leaving the city administration")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM api_tokens WHERE user_id = $1`, del.ID); n != 0 {
			t.Fatalf("%d API tokens of the erased account remain", n)
		}
		// Signed out everywhere, and the old password opens nothing.
		c.Get("/en/account").Expect(t, 303)
		res = s.Client().Post("/en/login", url.Values{"email": {del.Email}, "password": {dpw}})
		if res.StatusCode == 303 {
			t.Fatal("the erased account still signs in")
		}
		// Nothing names the person any more, except the signed record.
		for _, q := range []string{
			`SELECT COUNT(*) FROM users WHERE email = $1 OR name = $2`,
			`SELECT COUNT(*) FROM audit_log WHERE actor_email = $1 OR detail LIKE '%' || $1 || '%' OR subject_title LIKE '%' || $1 || '%' OR subject_title = $2`,
			`SELECT COUNT(*) FROM summit_delegates WHERE email = $1 OR name = $2 OR dietary <> ''`,
			`SELECT COUNT(*) FROM summit_delegations WHERE contact_email = $1 OR notes = $2`,
			`SELECT COUNT(*) FROM exchanges WHERE contact_email = $1 OR contact_name = $2`,
			`SELECT COUNT(*) FROM exchange_messages WHERE author_name = $2 OR body LIKE '%' || $1 || '%'`,
			`SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 OR body LIKE '%' || $1 || '%'`,
		} {
			args := []any{del.Email, del.Name}
			if !strings.Contains(q, "$2") {
				args = args[:1]
			}
			if n := testutil.Count(t, d, q, args...); n != 0 {
				t.Errorf("%s: %d rows still name the person", q, n)
			}
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND actor_email = $2`, del.ID, name) == 0 {
			t.Error("the person's audit entries do not name the pseudonym")
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.erasure_complete' AND actor_id = $1 AND subject_title = $2`, ad.ID, name) != 1 {
			t.Error("no audit entry for the completion")
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM declaration_signatures WHERE recorded_by = $1 AND signer_name = 'Mayor Signing-Person'`, del.ID) != 1 {
			t.Error("the signature row changed")
		}
		// The declaration's record is unchanged and still verifies.
		after := bundle(t, s, declID)
		if string(after.entries) != string(before.entries) {
			t.Error("the log's entries changed")
		}
		if r := declaration.Verify(after.b, declaration.VerifyOptions{Declaration: declID, Trusted: keys(t, s)}); !r.OK() {
			t.Fatalf("the bundle no longer verifies: %s", r.First().Message())
		}
		s.Client().Get("/en"+ref+"/verify?stored=1").Expect(t, 200, "The record is valid")
	})
}

// An administrator's own request is completed by another one (so the
// last administrator is never erased); a completed request stays done.
func TestErasureRefusals(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		ad, apw := s.User(auth.RoleAdmin, 0)
		admin := s.Client()
		admin.Login(ad.Email, apw)
		admin.Post("/en/account/erasure", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		page := admin.Get("/en/admin/legal").Expect(t, 200)
		action := regexp.MustCompile(`action="(/en/admin/legal/requests/\d+/complete)"`).FindStringSubmatch(page.Body)[1]
		admin.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 409, "Another administrator completes your own erasure request.")
		if testutil.Count(t, d, `SELECT COUNT(*) FROM users WHERE id = $1 AND email = $2 AND disabled = FALSE`, ad.ID, ad.Email) != 1 ||
			testutil.Count(t, d, `SELECT COUNT(*) FROM erasure_requests WHERE state = 'open'`) != 1 {
			t.Fatal("a refused completion changed something")
		}
		ad2, pw2 := s.User(auth.RoleAdmin, 0)
		other := s.Client()
		other.Login(ad2.Email, pw2)
		other.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 303)
		if testutil.Count(t, d, `SELECT COUNT(*) FROM users WHERE id = $1 AND disabled = TRUE AND name LIKE 'erased-%'`, ad.ID) != 1 {
			t.Fatal("the first administrator was not erased by the second")
		}
		other.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 409, "This request has already been completed.")
		other.Post("/en/admin/legal/requests/999999/complete", url.Values{"confirm": {"yes"}}).Expect(t, 404)
		other.Post("/en/admin/legal/requests/x/complete", url.Values{"confirm": {"yes"}}).Expect(t, 404)
	})
}

type savedBundle struct {
	b       *declaration.Bundle
	entries []byte
}

func bundle(t *testing.T, s *testutil.Server, id int64) savedBundle {
	t.Helper()
	res := s.Client().Get("/api/v1/declarations/"+strconv.FormatInt(id, 10)+"/bundle").Expect(t, 200)
	b, err := declaration.ReadBundle(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := json.Marshal(b.Entries)
	if err != nil {
		t.Fatal(err)
	}
	return savedBundle{b, entries}
}

func keys(t *testing.T, s *testutil.Server) map[string]declaration.PublicKey {
	t.Helper()
	var ks struct {
		Keys []declaration.PublicKey `json:"keys"`
	}
	if err := json.Unmarshal([]byte(s.Client().Get("/api/v1/keys").Expect(t, 200).Body), &ks); err != nil {
		t.Fatal(err)
	}
	if len(ks.Keys) == 0 {
		t.Fatal("no published keys")
	}
	return declaration.TrustedKeys(ks.Keys)
}

// openDeclaration creates, publishes and opens a declaration as the
// secretariat does.
func openDeclaration(t *testing.T, c *testutil.Client) int64 {
	t.Helper()
	res := c.Post("/en/admin/declarations", url.Values{"authoritative": {"en"}, "title_en": {"Declaration on Living Together"},
		"body_en": {"We, the mayors, commit to living together."}, "adopted_on": {"2019-08-31"}, "adopted_place": {"Düsseldorf"}}).Expect(t, 303)
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/en/admin/declarations/"), 10, 64)
	if err != nil {
		t.Fatal(res.Header.Get("Location"))
	}
	path := "/en/admin/declarations/" + strconv.FormatInt(id, 10)
	c.Post(path+"/publish", nil).Expect(t, 303)
	c.Post(path+"/status", url.Values{"status": {"open"}}).Expect(t, 303)
	return id
}
