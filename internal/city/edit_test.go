package city_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

func profile(name, country, lat, lon, tz, pop string) url.Values {
	return url.Values{"name": {name}, "country": {country}, "lat": {lat}, "lon": {lon}, "timezone": {tz},
		"population": {pop}, "population_year": {"2018"}, "description_lang": {"de"}}
}

func TestEditorEditsOwnCityOnly(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		var logs logBuffer
		s.App.Auth.Log = slog.New(slog.NewTextHandler(&logs, nil))
		dus, war := cityID(t, d, "dusseldorf"), cityID(t, d, "warsaw")
		editor, pw := s.User(auth.RoleEditor, dus)
		c := s.Client()
		c.Login(editor.Email, pw)

		// Its own city: the page links the editing pages, the change is saved
		// and recorded field by field.
		c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, fmt.Sprintf(`/en/cities/%d/edit"`, dus))
		c.Get(fmt.Sprintf("/en/cities/%d/edit", dus)).Expect(t, 200, `value="Düsseldorf"`, `value="619294"`)
		form := profile("Düsseldorf", "DE", "51,2277", "6.7735", "Europe/Berlin", "620.523")
		form.Set("region", "Nordrhein-Westfalen")
		form.Set("description_en", "The capital of North Rhine-Westphalia.")
		c.Post(fmt.Sprintf("/en/cities/%d/edit", dus), form).Expect(t, 303)
		if n := testutil.Count(t, d, `SELECT population FROM cities WHERE id = $1`, dus); n != 620523 {
			t.Errorf("population is %d", n)
		}
		var detail, actor string
		d.R.QueryRow(`SELECT detail, actor_email FROM audit_log WHERE action = 'city.update' AND target = $1`, fmt.Sprintf("city:%d", dus)).Scan(&detail, &actor)
		if actor != editor.Email || !strings.Contains(detail, `{"field":"population","before":"619294","after":"620523"}`) {
			t.Errorf("audit: %s by %s", detail, actor)
		}

		// Another city: 403 on every page and action, nothing changes, and
		// each refusal is logged.
		before := snapshot(t, d, war)
		audits := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE target = $1`, fmt.Sprintf("city:%d", war))
		images := testutil.Count(t, d, `SELECT COUNT(*) FROM images`) // the demo's own
		c.Get(fmt.Sprintf("/en/cities/%d-warsaw", war)).Expect(t, 200).Lacks(t, fmt.Sprintf(`/cities/%d/edit"`, war))
		for _, p := range []string{"/edit", "/people", "/partners", "/figures"} {
			c.Get(fmt.Sprintf("/en/cities/%d%s", war, p)).Expect(t, 403, "Not allowed")
		}
		c.Post(fmt.Sprintf("/en/cities/%d/edit", war), profile("Warszawa", "PL", "52", "21", "Europe/Warsaw", "1")).Expect(t, 403)
		c.Post(fmt.Sprintf("/en/cities/%d/people", war), url.Values{"name": {"Intruder"}, "role": {"mayor"}}).Expect(t, 403)
		c.Post(fmt.Sprintf("/en/cities/%d/partners", war), url.Values{"partner_name": {"Nowhere"}, "partner_country": {"FR"}, "kind": {"twin"}}).Expect(t, 403)
		c.Post(fmt.Sprintf("/en/cities/%d/figures", war), url.Values{"foreign_residents": {"1"}}).Expect(t, 403)
		c.Post(fmt.Sprintf("/en/cities/%d/membership", war), url.Values{"membership": {"former"}, "member_until": {"2020"}}).Expect(t, 403)
		upload(t, s, c, fmt.Sprintf("/en/cities/%d/photo", war), nil, "photo", "a.png", pngImage(t, 10, 10)).Expect(t, 403)
		var pid int64
		d.R.QueryRow(`SELECT id FROM city_people WHERE city_id = $1 LIMIT 1`, war).Scan(&pid)
		c.Post(fmt.Sprintf("/en/cities/%d/people/%d/delete", war, pid), nil).Expect(t, 403)
		// Nor can the editor reach Warsaw's people through its own city.
		c.Post(fmt.Sprintf("/en/cities/%d/people/%d/delete", dus, pid), nil).Expect(t, 404)
		if after := snapshot(t, d, war); after != before {
			t.Errorf("Warsaw changed:\n%s\n%s", before, after)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE target = $1`, fmt.Sprintf("city:%d", war)); n != audits {
			t.Errorf("refused actions were recorded as changes")
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM images`) - images; n != 0 {
			t.Errorf("a refused upload stored %d images", n)
		}
		if n := strings.Count(logs.String(), "msg=forbidden"); n < 10 {
			t.Errorf("%d refusals logged, want 10:\n%s", n, logs.String())
		}
		if !strings.Contains(logs.String(), fmt.Sprintf("path=/en/cities/%d/edit", war)) || !strings.Contains(logs.String(), fmt.Sprintf("user=%d", editor.ID)) {
			t.Errorf("the log does not say who tried what:\n%s", logs.String())
		}
		// The public is sent to sign in; editors cannot admit cities.
		s.Client().Get(fmt.Sprintf("/en/cities/%d/edit", dus)).Expect(t, 303)
		c.Get("/en/cities/new").Expect(t, 403)
		c.Get(fmt.Sprintf("/en/cities/%d/history", dus)).Expect(t, 403)
	})
}

// snapshot is everything stored about a city, as text.
func snapshot(t *testing.T, d *db.DB, id int64) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT name || '|' || names || '|' || population || '|' || COALESCE(photo_id, 0) || '|' || membership || '|' || COALESCE(foreign_residents, 0) || '|' || updated_at FROM cities WHERE id = $1`,
		`SELECT COUNT(*) || '|' || COALESCE(MAX(name), '') FROM city_people WHERE city_id = $1`,
		`SELECT COUNT(*) FROM city_partnerships WHERE city_id = $1 OR partner_city_id = $1`,
		`SELECT COUNT(*) FROM city_foreign_residents WHERE city_id = $1`,
	} {
		var s string
		if err := d.R.QueryRow(q, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}

func TestEditingAndHistory(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		dus, war := cityID(t, d, "dusseldorf"), cityID(t, d, "warsaw")
		editor, pw := s.User(auth.RoleEditor, dus)
		c := s.Client()
		c.Login(editor.Email, pw)
		base := fmt.Sprintf("/de/cities/%d", dus)

		// Bad input: 422, kept, marked in the reader's language, nothing changed.
		bad := profile("Düsseldorf", "XX", "95", "6.7", "Mars/Olympus", "viele")
		bad.Set("website", "javascript:alert(1)")
		bad.Set("name_fr", "Dusseldorf-sur-Rhin")
		c.Post(base+"/edit", bad).Expect(t, 422, "Wählen Sie ein Land.", "zwischen -90 und 90", "IANA-Namen", "ganze Zahl",
			"vollständige Webadresse", `value="Dusseldorf-sur-Rhin"`, `value="Mars/Olympus"`)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'city.%'`); n != 0 {
			t.Fatalf("a refused form recorded %d changes", n)
		}

		// People: add, change, remove.
		c.Post(base+"/people", url.Values{"name": {"Miriam Koch"}, "role": {"deputy_mayor"}, "title": {"Bürgermeisterin"}, "term_start": {"2020-11-01"}}).Expect(t, 303)
		c.Post(base+"/people", url.Values{"name": {""}, "role": {"king"}, "term_start": {"2020"}, "term_end": {"2019"}}).
			Expect(t, 422, "Dieses Feld ist erforderlich.", "Wählen Sie eine der Funktionen.", "Die Amtszeit kann nicht enden")
		var pid int64
		d.R.QueryRow(`SELECT id FROM city_people WHERE name = 'Miriam Koch'`).Scan(&pid)
		c.Get(fmt.Sprintf("%s/people/%d", base, pid)).Expect(t, 200, `value="Bürgermeisterin"`)
		c.Post(fmt.Sprintf("%s/people/%d", base, pid), url.Values{"name": {"Miriam Koch"}, "role": {"deputy_mayor"}, "title": {"Erste Bürgermeisterin"},
			"term_start": {"2020-11-01"}, "position": {"0"}}).Expect(t, 303)
		c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, "Miriam Koch", "Erste Bürgermeisterin", "Deputy mayor")

		// Partnerships: a new one with a city outside the directory; a
		// duplicate (Warsaw, from Warsaw's side as well) is refused.
		c.Post(base+"/partners", url.Values{"partner": {""}, "partner_name": {"Nantes"}, "partner_country": {"FR"}, "since": {"2019"}, "kind": {"friendship"}}).Expect(t, 303)
		c.Post(base+"/partners", url.Values{"partner": {fmt.Sprint(war)}, "since": {"1990"}, "kind": {"twin"}}).Expect(t, 422, "schon eingetragen")
		c.Post(base+"/partners", url.Values{"partner": {fmt.Sprint(dus)}, "kind": {"twin"}}).Expect(t, 422, "nicht ihre eigene Partnerin")
		wEditor, wpw := s.User(auth.RoleEditor, war)
		wc := s.Client()
		wc.Login(wEditor.Email, wpw)
		wc.Post(fmt.Sprintf("/en/cities/%d/partners", war), url.Values{"partner": {fmt.Sprint(dus)}, "since": {"1989"}, "kind": {"twin"}}).Expect(t, 422, "already recorded")
		// Warsaw's editor may correct the shared partnership's year; it shows on both pages and in both histories.
		var shared int64
		d.R.QueryRow(`SELECT id FROM city_partnerships WHERE city_id = $1 AND partner_city_id = $2`, dus, war).Scan(&shared)
		wc.Get(fmt.Sprintf("/en/cities/%d/partners/%d", war, shared)).Expect(t, 200, "recorded by Düsseldorf")
		wc.Post(fmt.Sprintf("/en/cities/%d/partners/%d", war, shared), url.Values{"since": {"1989"}, "kind": {"friendship"}}).Expect(t, 303)
		c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, "Nantes", "Friendship")

		// Figures.
		c.Post(base+"/figures", url.Values{"foreign_residents": {"150000"}, "foreign_nationalities": {"175"}, "foreign_as_of": {"2019-12-31"},
			"country_0": {"TR"}, "residents_0": {"12.800"}, "country_1": {"TR"}, "residents_1": {"5"}}).Expect(t, 422, "zweimal")
		c.Post(base+"/figures", url.Values{"foreign_residents": {"150000"}, "foreign_nationalities": {"175"}, "foreign_as_of": {"2019-12-31"},
			"country_0": {"TR"}, "residents_0": {"12.800"}, "country_1": {"IT"}, "residents_1": {"8000"}}).Expect(t, 303)
		c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, "150,000 residents of foreign nationality from 175 states (as of 31 December 2019).", "12,800", "Italy").
			Lacks(t, "10,300")

		// The admin sees every change, field by field, on the history page.
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		a.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, fmt.Sprintf(`/en/cities/%d/history"`, dus), fmt.Sprintf(`/en/cities/%d/membership"`, dus))
		h := a.Get(fmt.Sprintf("/en/cities/%d/history", dus)).Expect(t, 200, "Representative added", "Miriam Koch", "Representative changed",
			"<del>Bürgermeisterin</del>", "<ins>Erste Bürgermeisterin</ins>", "Partnership added", "Nantes", "Partnership changed",
			"Figures changed", "Residents from Greece", "<del>10300</del>", "<ins>12800</ins>", editor.Email, wEditor.Email)
		_ = h
		a.Get(fmt.Sprintf("/en/cities/%d/history", war)).Expect(t, 200, "Partnership changed", "Düsseldorf", "<del>twin</del>", "<ins>friendship</ins>")
		// The audit log names the city each change concerned and links its page.
		a.Get("/en/admin/audit?kind=city").Expect(t, 200, "<code>city.person.add</code>", "<code>city.figures</code>",
			fmt.Sprintf(`<a href="/en/cities/%d-dusseldorf">Düsseldorf</a>`, dus))
		a.Get("/en/admin").Expect(t, 200, `href="/en/admin/cities"`, "Member cities")
		a.Get("/en/admin/cities").Expect(t, 200, "Düsseldorf", "Casablanca", "Former member")
	})
}

func TestAdminAdmitsAndEndsMemberships(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		admin, pw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, pw)
		a.Get("/fr/cities/new").Expect(t, 200, "Admettre une ville")
		form := profile("Lausanne", "CH", "46.5197", "6.6323", "Europe/Zurich", "140202")
		form.Set("membership", "member")
		form.Set("member_until", "2020")
		a.Post("/fr/cities/new", form).Expect(t, 422, "Seul un ancien membre a une date de fin")
		form.Set("member_until", "")
		form.Set("member_since", "2020-03-01")
		form.Set("name_de", "Lausanne")
		form.Set("description_fr", "Ville olympique au bord du Léman.")
		form.Set("description_lang", "fr")
		res := a.Post("/fr/cities/new", form).Expect(t, 303)
		id := cityID(t, d, "lausanne")
		if res.Header.Get("Location") != fmt.Sprintf("/fr/cities/%d-lausanne", id) {
			t.Errorf("after admitting: %s", res.Header.Get("Location"))
		}
		a.Get(fmt.Sprintf("/fr/cities/%d-lausanne", id)).Expect(t, 200, "Lausanne a été admise.", "Suisse", "depuis 1er mars 2020", "Ville olympique")
		a.Post(fmt.Sprintf("/en/cities/%d/membership", id), url.Values{"membership": {"former"}, "member_since": {"2020-03-01"}}).Expect(t, 422, "Give the year or date")
		a.Post(fmt.Sprintf("/en/cities/%d/membership", id), url.Values{"membership": {"former"}, "member_since": {"2020-03-01"}, "member_until": {"2019"}}).Expect(t, 422, "cannot end before it began")
		a.Post(fmt.Sprintf("/en/cities/%d/membership", id), url.Values{"membership": {"former"}, "member_since": {"2020-03-01"}, "member_until": {"2024-12-31"}}).Expect(t, 303)
		a.Get("/en/cities?status=former").Expect(t, 200, ">Lausanne</a>")
		a.Get(fmt.Sprintf("/en/cities/%d/history", id)).Expect(t, 200, "City admitted", "Membership changed", "<del>member</del>", "<ins>former</ins>", "<ins>2024-12-31</ins>")

		// Renaming changes the address; the old one still leads there.
		form.Set("name", "Lausanne VD")
		a.Post(fmt.Sprintf("/en/cities/%d/edit", id), form).Expect(t, 303)
		res = a.Get("/en/cities/lausanne").Expect(t, 301)
		if res.Header.Get("Location") != fmt.Sprintf("/en/cities/%d-lausanne-vd", id) {
			t.Errorf("old slug → %s", res.Header.Get("Location"))
		}
	})
}

func TestInvitationOffersCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		dus := cityID(t, d, "dusseldorf")
		admin, pw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, pw)
		a.Get("/de/admin/users").Expect(t, 200, `<select id="f-city" name="city"`, fmt.Sprintf(`<option value="%d">Düsseldorf</option>`, dus), ">Warschau</option>")
		a.Post("/en/admin/users", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"editor"}, "city": {"99999"}}).Expect(t, 422, "There is no city with this number.")
		a.Post("/en/admin/users", url.Values{"email": {"jana@example.org"}, "name": {"Jana"}, "role": {"editor"}, "city": {fmt.Sprint(dus)}}).Expect(t, 200, "/en/invitation/")
		a.Get("/en/admin/users").Expect(t, 200, "Jana &lt;jana@example.org&gt; — City editor, Düsseldorf")
	})
}
