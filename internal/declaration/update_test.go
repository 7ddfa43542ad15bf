package declaration_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A signed text is changed: the change becomes version 2, unpublished and
// unseen by the public; the city's signature stays on version 1; once
// published, readers get version 2 and signers sign it.
func TestUpdateMakesANewVersionOfASignedText(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "europe", 51.22, 6.78)
		war := addCity(t, d, "warsaw", "Warsaw", "PL", "europe", 52.23, 21.01)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		id := createThroughForms(t, a, d)
		ref := "/declarations/" + strconv.FormatInt(id, 10)
		page := ref + "-declaration-on-living-together"
		edit := "/en/admin/declarations/" + strconv.FormatInt(id, 10)

		// Düsseldorf signs version 1.
		del, dpw := s.User(auth.RoleDelegate, dus)
		c := s.Client()
		c.Login(del.Email, dpw)
		hash1 := hashRe.FindStringSubmatch(c.Get("/en" + ref + "/sign").Body)[1]
		c.Post("/en"+ref+"/sign", url.Values{"version": {"1"}, "hash": {hash1}, "lang": {"en"}, "signer": {"Thomas Geisel"},
			"role": {"mayor"}, "confirm": {"1"}}).Expect(t, 303)

		form := url.Values{
			"authoritative": {"en"},
			"title_en":      {"Declaration on Living Together"}, "body_en": {"We, the mayors, **commit** to living together and to meeting every year."},
			"title_de": {"Erklärung zum Zusammenleben"}, "body_de": {"Wir, die Bürgermeister, verpflichten uns zum Zusammenleben."},
			"adopted_on": {"2019-08-31"}, "adopted_place": {"Tonhalle Düsseldorf"}, "demo": {"1"},
		}
		// Bad input changes nothing and keeps what was typed.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("body_en", "")
		a.Post(edit, bad).Expect(t, 422, "Enter the text for this language", "Tonhalle Düsseldorf")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM declaration_versions WHERE declaration_id = $1`, id); n != 1 {
			t.Fatalf("a refused change left %d versions", n)
		}

		a.Post(edit, form).Expect(t, 303)
		a.Get(edit).Expect(t, 200, "Saved as a new version, not yet published.", "All 2 versions", "not published", "meeting every year")
		// The public still reads version 1, with its signatory.
		pub := s.Client()
		pub.Get("/en"+page).Expect(t, 200, "Signatories (1)", "Thomas Geisel").Lacks(t, "meeting every year")
		// Saving again changes version 2 in place; no version 3.
		form.Set("body_en", "We, the mayors, **commit** to living together and to meeting every second year.")
		a.Post(edit, form).Expect(t, 303)
		a.Get(edit).Expect(t, 200, "Saved.", "every second year")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM declaration_versions WHERE declaration_id = $1`, id); n != 2 {
			t.Errorf("%d versions after two saves of an unpublished one, want 2", n)
		}

		a.Post(edit+"/publish", nil).Expect(t, 303)
		a.Get(edit).Expect(t, 200, "Version 2 is published.")
		pub.Get("/en"+page).Expect(t, 200, "every second year", "Signatories (1)", "Thomas Geisel")
		pub.Get("/en"+ref+"/verify?stored=1").Expect(t, 200, "The record is valid")
		// Warsaw signs what it reads now: version 2, with its own hash.
		wd, wpw := s.User(auth.RoleDelegate, war)
		wc := s.Client()
		wc.Login(wd.Email, wpw)
		signPage := wc.Get("/en"+ref+"/sign").Expect(t, 200, "every second year", `name="version" value="2"`)
		hash2 := hashRe.FindStringSubmatch(signPage.Body)[1]
		if hash2 == hash1 {
			t.Fatal("version 2 has the hash of version 1")
		}
		// Signing the old version now is refused as stale.
		wc.Post("/en"+ref+"/sign", url.Values{"version": {"1"}, "hash": {hash1}, "lang": {"en"}, "signer": {"Rafał Trzaskowski"},
			"role": {"mayor"}, "confirm": {"1"}}).Expect(t, 409, "A new version of the text was published while you were reading")
		wc.Post("/en"+ref+"/sign", url.Values{"version": {"2"}, "hash": {hash2}, "lang": {"en"}, "signer": {"Rafał Trzaskowski"},
			"role": {"mayor"}, "confirm": {"1"}}).Expect(t, 303)
		body := pub.Get("/en"+page).Expect(t, 200, "Signatories (2)", "Thomas Geisel", "Rafał Trzaskowski").Body
		if !strings.Contains(body, "every second year") {
			t.Error("the public page does not show the current text")
		}
		pub.Get("/en"+ref+"/verify?stored=1").Expect(t, 200, "The record is valid")
	})
}
