package voice_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// A resident gives an idea with the HTML form (no JavaScript, so no proof
// of work): it is stored, waits for a moderator marked "no proof of work",
// and the receipt page tells its state; the resident can delete it.
func TestGiveIdeaWithTheForm(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.s.Client()
		c.Get("/de/ideas").Expect(t, http.StatusOK, "Was wünschen Sie sich für morgen?")
		page := c.Get("/de/ideas/morgen").Expect(t, http.StatusOK, "Ihre Idee abgeben", `name="website"`, "NRW-Forum", `class="venue-map"`)
		stamp := regexpFind(page.Body, `name="stamp" value="([^"]+)"`)
		res := c.Post("/de/ideas/morgen", url.Values{"text": {"Mehr Bänke am Rhein, bitte – mit Schatten."}, "lang": {"auto"}, "theme": {"housing"},
			"age": {"30-49"}, "stamp": {stamp}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form: %d\n%s", res.StatusCode, res.Body)
		}
		m := receiptRe.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("no receipt in %q", res.Header.Get("Location"))
		}
		receipt := m[1]
		c.Get("/de/ideas/receipt/"+receipt).Expect(t, http.StatusOK, receipt, "Wartet auf Moderation", "Mehr Bänke am Rhein")
		if n := f.count(t, `receipt = $1 AND flags LIKE '%no_pow%' AND lang = 'de' AND channel = 'online' AND prefix_hash <> '' AND state = 'waiting'`, receipt); n != 1 {
			t.Fatalf("stored idea not as expected (%d)", n)
		}
		// No address in the clear anywhere.
		if n := f.count(t, `prefix_hash LIKE '127.%'`); n != 0 {
			t.Fatal("an address was stored in the clear")
		}
		qr := c.Get("/de/ideas/qr/" + receipt)
		if qr.StatusCode != 200 || qr.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("QR: %d %s", qr.StatusCode, qr.Header.Get("Content-Type"))
		}
		var api map[string]any
		if st := f.getJSON(t, "/api/v1/ideas/receipt/"+receipt, &api); st != 200 || api["state"] != "waiting" {
			t.Fatalf("API receipt: %d %v", st, api)
		}
		c.Post("/de/ideas/receipt/"+receipt+"/delete", nil).Expect(t, http.StatusSeeOther)
		c.Get("/de/ideas/receipt/"+receipt).Expect(t, http.StatusNotFound)
		if f.count(t, `1 = 1`) != 0 {
			t.Fatal("deleted idea still stored")
		}
	})
}

// Bad input gets a 4xx in the resident's language, keeps what was typed,
// and stores nothing.
func TestBadInputStoresNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.s.Client()
		c.Post("/de/ideas/morgen", url.Values{"text": {"kurz"}}).Expect(t, http.StatusUnprocessableEntity,
			"Bitte schreiben Sie zwischen 10 und 2.000 Zeichen.", ">kurz</textarea>")
		c.Post("/fr/ideas/morgen", url.Values{"text": {strings.Repeat("long ", 401)}}).Expect(t, http.StatusUnprocessableEntity,
			"Veuillez écrire entre 10 et 2 000 caractères.")
		c.Post("/en/ideas/morgen", url.Values{"text": {"A theme that is not there"}, "theme": {"space-travel"}}).Expect(t, http.StatusUnprocessableEntity,
			"Please choose a theme of this consultation.")
		c.Post("/en/ideas/morgen", url.Values{"text": {"Buy cheap watches now, best prices"}, "website": {"http://spam.example"}}).Expect(t,
			http.StatusUnprocessableEntity, "Your idea could not be accepted.")
		c.Post("/de/ideas/morgen", url.Values{"text": {"Eine gute Idee für die Stadt"}, "altcha": {"bm90IGpzb24="}}).Expect(t,
			http.StatusUnprocessableEntity, "Die Anti-Spam-Prüfung ist fehlgeschlagen.")
		// The API without a proof of work, with a forged one, for an unknown consultation.
		for _, body := range []map[string]any{
			{"consultation": f.c.ID, "text": "Eine Idee ohne Arbeitsnachweis"},
			{"consultation": f.c.ID, "text": "Eine Idee mit gefälschtem Nachweis", "altcha": forged(f.solved(t))},
			{"consultation": 999, "text": "Eine Idee für niemanden", "altcha": f.solved(t).Encode()},
			{"consultation": f.c.ID, "text": "zu kurz", "altcha": f.solved(t).Encode()},
		} {
			a := f.postJSON(t, "/api/v1/ideas", body, "Accept-Language", "de")
			if a.Status < 400 || a.Status >= 500 {
				t.Fatalf("API %v: %d", body, a.Status)
			}
			if msg, _ := a.Body["detail"].(string); msg == "" || strings.Contains(msg, "voice.err") {
				t.Fatalf("API error not in words: %v", a.Body)
			}
		}
		if n := f.count(t, `1 = 1`); n != 0 {
			t.Fatalf("%d ideas stored from bad input", n)
		}
	})
}

func forged(s voice.Solution) string {
	s.Salt = strings.Replace(s.Salt, "maxnumber=", "maxnumber=1", 1)
	return s.Encode()
}

// A solved challenge is spent once, across the whole platform.
func TestProofOfWorkReplayRefused(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sol := f.solved(t).Encode()
		first := f.postJSON(t, "/api/v1/ideas", map[string]any{"consultation": f.c.ID, "text": "Erste Idee mit diesem Nachweis", "altcha": sol})
		if first.Status != http.StatusAccepted {
			t.Fatalf("first: %d %v", first.Status, first.Body)
		}
		again := f.postJSON(t, "/api/v1/ideas", map[string]any{"consultation": f.c.ID, "text": "Zweite Idee mit demselben Nachweis", "altcha": sol},
			"Accept-Language", "en")
		if again.Status != http.StatusConflict || !strings.Contains(again.Body["detail"].(string), "already used") {
			t.Fatalf("replay: %d %v", again.Status, again.Body)
		}
		// The same through the form.
		f.s.Client().Post("/en/ideas/morgen", url.Values{"text": {"Third idea, same old proof"}, "altcha": {sol}}).Expect(t,
			http.StatusUnprocessableEntity, "This anti-spam check was already used.")
		if n := f.count(t, `1 = 1`); n != 1 {
			t.Fatalf("%d ideas stored, want 1", n)
		}
		// A second app server on the same database refuses it too.
		s2 := testutil.NewServer(t, d)
		s2.App.Voice.PowBase = 200
		f2 := &fixture{s: s2, d: d}
		if a := f2.postJSON(t, "/api/v1/ideas", map[string]any{"consultation": f.c.ID, "text": "Auf dem anderen Server erneut", "altcha": sol}); a.Status != http.StatusConflict {
			t.Fatalf("replay on a second server: %d", a.Status)
		}
	})
}

// Ideas that wait, are hidden or are spam appear in no page, search, API,
// export or count; published ones do.
func TestVisibilityOfIdeas(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		words := map[string]string{"waiting": "Zebrastreifenwunsch", "hidden": "Heimlichkeitsidee", "spam": "Werbebotschaft", "published": "Brunnenplatz"}
		ids := map[string]int64{}
		for state, w := range words {
			ids[state] = f.ideaID(t, f.give(t, f.c, "Eine Idee zum "+w+" in unserer Stadt"))
		}
		f.decide(t, "publish", ids["published"])
		f.decide(t, "hide", ids["hidden"])
		f.decide(t, "spam", ids["spam"])
		hiddenWords := []string{"zum " + words["waiting"], "zum " + words["hidden"], "zum " + words["spam"]}
		c := f.s.Client()
		for _, p := range []string{"/de/ideas", "/de/ideas/morgen?x=1", "/de/ideas/morgen?q=Brunnenplatz", "/de/ideas/morgen?sort=support",
			"/de/ideas/morgen/export.csv", "/de/ideas/morgen/export.json", "/de/ideas/morgen/charter"} {
			c.Get(p).Expect(t, http.StatusOK).Lacks(t, hiddenWords...)
		}
		c.Get("/de/ideas/morgen?q=Brunnenplatz").Expect(t, http.StatusOK, words["published"], "1 Idee")
		c.Get("/de/ideas").Expect(t, http.StatusOK, "1 veröffentlichte Idee")
		for _, w := range []string{words["waiting"], words["hidden"], words["spam"]} {
			c.Get("/de/ideas/morgen?q="+w).Expect(t, http.StatusOK, "0 Ideen").Lacks(t, "zum "+w)
			c.Get("/api/v1/ideas?consultation="+strconv.FormatInt(f.c.ID, 10)+"&q="+w).Expect(t, http.StatusOK, `"total":0`)
		}
		c.Get("/api/v1/ideas?consultation="+strconv.FormatInt(f.c.ID, 10)).Expect(t, http.StatusOK, words["published"], `"total":1`).Lacks(t, hiddenWords...)
		c.Get("/api/v1/consultations").Expect(t, http.StatusOK, `"published_ideas":1`)
		// Supporting or reporting an idea that is not public finds nothing.
		c.Post("/de/ideas/morgen/ideas/"+strconv.FormatInt(ids["hidden"], 10)+"/support", nil).Expect(t, http.StatusNotFound)
		// The city's page lists the consultation with the public count only.
		city := c.Get("/de/cities/dusseldorf")
		if loc := city.Header.Get("Location"); loc != "" {
			city = c.Get(loc)
		}
		city.Expect(t, http.StatusOK, "1 veröffentlichte Idee")
	})
}

// A moderator bound to another city sees none of the city's ideas and
// may decide none; the city's own moderator may, and it is audited.
func TestModeratorBoundToAnotherCity(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.ideaID(t, f.give(t, f.c, "Eine Idee für die Moderation in Düsseldorf"))
		lyonMod, pw := f.s.User(auth.RoleModerator, f.other)
		lm := f.s.Client()
		lm.Login(lyonMod.Email, pw)
		lm.Get("/en/admin/ideas").Expect(t, http.StatusOK).Lacks(t, "Moderation in Düsseldorf")
		lm.Post("/en/admin/ideas/decide", url.Values{"idea": {strconv.FormatInt(id, 10)}, "action": {"publish"}}).Expect(t, http.StatusForbidden)
		lm.Get("/en/admin/ideas/consultations/morgen/export.json").Expect(t, http.StatusForbidden)
		lm.Get("/en/ideas/morgen/report").Expect(t, http.StatusForbidden)
		if n := f.count(t, `id = $1 AND state = 'waiting'`, id); n != 1 {
			t.Fatal("another city's moderator changed the idea")
		}
		// An editor may not moderate at all.
		ed, epw := f.s.User(auth.RoleEditor, f.city)
		ec := f.s.Client()
		ec.Login(ed.Email, epw)
		ec.Post("/en/admin/ideas/decide", url.Values{"idea": {strconv.FormatInt(id, 10)}, "action": {"publish"}}).Expect(t, http.StatusForbidden)

		dusMod, pw2 := f.s.User(auth.RoleModerator, f.city)
		dm := f.s.Client()
		dm.Login(dusMod.Email, pw2)
		dm.Get("/en/admin/ideas").Expect(t, http.StatusOK, "Moderation in Düsseldorf", "app")
		dm.Post("/en/admin/ideas/decide?act=publish", url.Values{"one": {strconv.FormatInt(id, 10)}}).Expect(t, http.StatusSeeOther)
		f.s.Client().Get("/en/ideas/morgen").Expect(t, http.StatusOK, "Moderation in Düsseldorf")
		var n int
		if err := d.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'voice.idea.publish' AND target = $1 AND actor_id = $2`,
			"idea:"+strconv.FormatInt(id, 10), dusMod.ID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("audit entries: %d %v", n, err)
		}
		dm.Get("/en/ideas/morgen/report").Expect(t, http.StatusOK, "Ideas by channel")
		dm.Get("/en/admin/ideas/consultations/morgen/export.json").Expect(t, http.StatusOK, `"state":"published"`)
	})
}

// A device supports an idea once, even with 50 requests at the same
// moment; three residents' reports return an idea to the queue.
func TestSupportsAndReports(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.ideaID(t, f.give(t, f.c, "Eine Idee, die Unterstützung verdient"))
		f.decide(t, "publish", id)
		path := "/de/ideas/morgen/ideas/" + strconv.FormatInt(id, 10) + "/support"
		c := f.s.Client()
		c.Post(path, nil).Expect(t, http.StatusSeeOther) // the device gets its cookie
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.Post(path, nil)
			}()
		}
		wg.Wait()
		if n := f.count(t, `id = $1 AND supports = 1`, id); n != 1 {
			t.Fatal("one device's supports counted more than once")
		}
		f.s.Client().Post(path, nil).Expect(t, http.StatusSeeOther) // another device
		if n := f.count(t, `id = $1 AND supports = 2`, id); n != 1 {
			t.Fatal("a second device's support was not counted")
		}
		report := "/de/ideas/morgen/ideas/" + strconv.FormatInt(id, 10) + "/report"
		for range 3 {
			f.s.Client().Post(report, nil).Expect(t, http.StatusSeeOther)
		}
		if n := f.count(t, `id = $1 AND state = 'waiting' AND flags LIKE '%reported%'`, id); n != 1 {
			t.Fatal("three reports did not return the idea to the queue")
		}
		f.s.Client().Get("/de/ideas/morgen").Expect(t, http.StatusOK).Lacks(t, "Unterstützung verdient")
	})
}

// The API takes an idea once per idempotency key, and a kiosk's station
// token stands in for the proof of work until it is revoked.
func TestIdempotencyAndStations(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		body := map[string]any{"consultation": f.c.ID, "text": "Eine Idee vom Tablet in der Ausstellung", "language": "de", "station": f.station, "backlog": 2}
		a := f.postJSON(t, "/api/v1/ideas", body, "Idempotency-Key", "k-1")
		b := f.postJSON(t, "/api/v1/ideas", body, "Idempotency-Key", "k-1")
		if a.Status != 202 || b.Status != 202 || a.Body["receipt"] != b.Body["receipt"] || b.Body["repeated"] != true {
			t.Fatalf("idempotent resend: %v / %v", a, b)
		}
		if n := f.count(t, `channel = 'kiosk' AND station_id IS NOT NULL AND exhibition_id = $1`, f.ex); n != 1 {
			t.Fatalf("%d kiosk ideas, want 1", n)
		}
		f.s.Client().Get("/de/ideas/morgen/kiosk/"+f.station).Expect(t, http.StatusOK, `id="kiosk-data"`, "العربية")
		f.s.Client().Get("/de/ideas/morgen/kiosk/not-a-token").Expect(t, http.StatusNotFound)
		st, _, _, err := f.s.App.Voice.Store.StationByToken(context.Background(), f.station)
		if err != nil {
			t.Fatal(err)
		}
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		ac.Get("/en/admin/ideas/consultations/morgen").Expect(t, http.StatusOK, "Eingang", ">2<")
		ac.Post("/en/admin/ideas/consultations/morgen/stations/"+strconv.FormatInt(st, 10)+"/revoke", nil).Expect(t, http.StatusSeeOther)
		body["text"] = "Noch eine Idee nach dem Sperren"
		if r := f.postJSON(t, "/api/v1/ideas", body); r.Status != http.StatusForbidden {
			t.Fatalf("revoked station: %d", r.Status)
		}
		ac.Get("/en/admin/ideas/consultations/morgen/poster.pdf").Expect(t, http.StatusOK, "%PDF")
	})
}

// In a consultation moderated after publication, an idea without warning
// signs shows at once; one with a link or a listed word waits.
func TestModerationAfterPublication(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		ac.Post("/en/admin/ideas/words", url.Values{"words": {"idiot\nschnapsidee"}}).Expect(t, http.StatusSeeOther)
		f.give(t, f.after, "Des jardins partagés dans tous les quartiers")
		f.give(t, f.after, "Visit www.cheap-pills.example for great deals today")
		f.give(t, f.after, "Das ist doch eine Schnapsidee vom Rathaus")
		f.s.Client().Get("/en/ideas/lyon-demain").Expect(t, http.StatusOK, "Des jardins partagés").Lacks(t, "cheap-pills", "Schnapsidee")
		if n := f.count(t, `state = 'waiting' AND (flags LIKE '%links%' OR flags LIKE '%words%')`); n != 2 {
			t.Fatalf("%d flagged ideas waiting, want 2", n)
		}
	})
}

func regexpFind(s, pattern string) string {
	i := strings.Index(pattern, "(")
	pre := pattern[:i]
	k := strings.Index(s, strings.ReplaceAll(pre, `\`, ""))
	if k < 0 {
		return ""
	}
	rest := s[k+len(strings.ReplaceAll(pre, `\`, "")):]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return ""
}

// The secretariat invites a moderator for one city through the accounts
// page; once the invitation is accepted, the moderator decides that
// city's ideas and gets 403 for another city's.
func TestInvitedCityModerator(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mine := f.ideaID(t, f.give(t, f.c, "Eine Idee für Düsseldorf, die wartet"))
		theirs := f.ideaID(t, f.give(t, f.after, "Une idée pour Lyon avec un lien www.example.com"))
		if n := f.count(t, `id = $1 AND state = 'waiting'`, theirs); n != 1 {
			t.Fatal("Lyon's idea should wait for a moderator")
		}
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		ac.Get("/en/admin/users").Expect(t, http.StatusOK, "for a moderator, the city whose residents’ ideas they moderate")
		res := ac.Post("/en/admin/users", url.Values{"email": {"mira@example.org"}, "name": {"Mira"}, "role": {"moderator"},
			"city": {strconv.FormatInt(f.city, 10)}, "lang": {"en"}}).Expect(t, http.StatusOK)
		link := regexp.MustCompile(`http://[^<"]+/en/invitation/[A-Za-z0-9_-]+`).FindString(res.Body)
		if link == "" {
			t.Fatal("the invitation link is not shown")
		}
		ac.Get("/en/admin/users").Expect(t, http.StatusOK, "Mira &lt;mira@example.org&gt; — Moderator, Düsseldorf")
		mc := f.s.Client()
		path := strings.TrimPrefix(link, f.s.URL)
		mc.Post(path, url.Values{"name": {"Mira"}, "password": {"a long enough secret"}, "password2": {"a long enough secret"}}).Expect(t, http.StatusSeeOther)
		var city int64
		if err := d.R.QueryRowContext(context.Background(), `SELECT city_id FROM users WHERE email = 'mira@example.org' AND role = 'moderator'`).Scan(&city); err != nil || city != f.city {
			t.Fatalf("the moderator's city: %d %v", city, err)
		}
		mc.Get("/en/admin/ideas").Expect(t, http.StatusOK, "Düsseldorf, die wartet").Lacks(t, "pour Lyon")
		mc.Post("/en/admin/ideas/decide?act=publish", url.Values{"one": {strconv.FormatInt(theirs, 10)}}).Expect(t, http.StatusForbidden)
		if n := f.count(t, `id = $1 AND state = 'waiting'`, theirs); n != 1 {
			t.Fatal("the moderator of another city changed Lyon's idea")
		}
		mc.Post("/en/admin/ideas/decide?act=publish", url.Values{"one": {strconv.FormatInt(mine, 10)}}).Expect(t, http.StatusSeeOther)
		if n := f.count(t, `id = $1 AND state = 'published'`, mine); n != 1 {
			t.Fatal("the city's moderator could not publish its idea")
		}
	})
}

// Two app servers on one database: a word list saved on one holds at once
// on the other, and an idea nearly repeating one stored through the other
// server waits as a near-duplicate.
func TestWordsAndDuplicatesAcrossServers(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s2 := testutil.NewServer(t, d)
		s2.App.Voice.PowBase = 200
		f2 := &fixture{s: s2, d: d}
		// The second server has taken an idea (and read the list) before the list changes.
		f2.give(t, f.after, "Des bancs à l’ombre sur la place du marché")
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		ac.Post("/en/admin/ideas/words", url.Values{"words": {"schnapsidee"}}).Expect(t, http.StatusSeeOther)
		r := f2.give(t, f.after, "Das ist doch eine Schnapsidee vom Rathaus")
		if n := f.count(t, `receipt = $1 AND state = 'waiting' AND flags LIKE '%words%'`, r); n != 1 {
			t.Fatal("the word list saved on one server does not hold on the other")
		}
		// Near-duplicates: the first through server one, the repeat through server two.
		text := "Wir wünschen uns mehr Trinkbrunnen in allen Parks der Stadt, besonders im Sommer für Kinder und ältere Menschen"
		first := f.give(t, f.after, text)
		again := f2.give(t, f.after, text+"!")
		if n := f.count(t, `receipt = $1 AND state = 'published'`, first); n != 1 {
			t.Fatal("the first idea should be published")
		}
		if n := f.count(t, `receipt = $1 AND state = 'waiting' AND flags LIKE '%duplicate%'`, again); n != 1 {
			t.Fatal("a near-duplicate given through another server is not held")
		}
		// And the other way round, and the list emptied on the second server.
		ac2 := s2.Client()
		ac2.Login(admin.Email, pw)
		ac2.Post("/en/admin/ideas/words", url.Values{"words": {""}}).Expect(t, http.StatusSeeOther)
		r = f.give(t, f.after, "Noch eine Schnapsidee, aber erlaubt")
		if n := f.count(t, `receipt = $1 AND state = 'published'`, r); n != 1 {
			t.Fatal("the emptied word list still holds on the first server")
		}
		again2 := f.give(t, f.after, "Des bancs à l’ombre sur la place du marché !")
		if n := f.count(t, `receipt = $1 AND flags LIKE '%duplicate%'`, again2); n != 1 {
			t.Fatal("a near-duplicate of the second server's idea is not held on the first")
		}
	})
}

// Kept public pages follow what ideas change: an idea published on
// arrival shows in an answer kept before it came; ideas waiting for a
// moderator leave the data version, so kept answers stay while they come in.
func TestKeptPagesFollowPublishedIdeas(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		after := fmt.Sprintf("/api/v1/ideas?consultation=%d", f.after.ID)
		before := fmt.Sprintf("/api/v1/ideas?consultation=%d", f.c.ID)
		// A visitor without a session, as a kept answer is given to.
		get := func(path string) string {
			t.Helper()
			res, err := http.Get(f.s.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, res.StatusCode)
			}
			return res.Header.Get("X-Cache") + " " + string(b)
		}
		get(after) // an address with a query is kept from its second request
		get(after)
		if p := get(after); !strings.HasPrefix(p, "hit ") || strings.Contains(p, "Des bancs") {
			t.Fatalf("the second request is not a kept answer without the idea: %.80s", p)
		}
		f.give(t, f.after, "Des bancs à l’ombre près de la fontaine")
		if p := get(after); !strings.Contains(p, "Des bancs à l’ombre") {
			t.Error("an idea published on arrival is missing from the kept answer")
		}

		v0, err := d.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := f.give(t, f.c, "Mehr Bänke im Schatten am Marktplatz")
		if v, _ := d.DataVersion(ctx); v != v0 {
			t.Errorf("an idea waiting for a moderator moved the data version from %d to %d", v0, v)
		}
		get(before)
		get(before)
		if p := get(before); !strings.HasPrefix(p, "hit ") || strings.Contains(p, "Mehr Bänke") {
			t.Errorf("a waiting idea shows or the answer is not kept: %.80s", p)
		}
		f.decide(t, "publish", f.ideaID(t, r))
		if p := get(before); !strings.Contains(p, "Mehr Bänke") {
			t.Error("a published idea is missing from the kept answer")
		}
	})
}
