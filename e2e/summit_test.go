package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/i18n"
	"observatory/internal/summit"
)

// A city registers its delegation, the secretariat confirms it, prints the
// badge and checks its holder in at the door — once; a second scan is flagged.
func TestCityRegistersAndIsCheckedIn(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	city := map[string]int64{}
	for _, c := range []struct {
		slug, name, country, tz string
		lat, lon                float64
	}{{"dusseldorf", "Düsseldorf", "DE", "Europe/Berlin", 51.23, 6.78}, {"montreal", "Montréal", "CA", "America/Toronto", 45.5, -73.57}} {
		var id int64
		if err := b.DB.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, population, lat, lon, timezone, membership, created_at, updated_at)
			VALUES ($1, $2, $3, '', 1000000, $4, $5, $6, 'member', $7, $7) RETURNING id`, c.slug, c.name, c.country, c.lat, c.lon, c.tz, db.Now()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		city[c.slug] = id
	}
	st := b.Server.App.Summits.Store
	// The server's summit clock: the morning of the summit's first day, so that the door is open.
	st.Now = func() time.Time { return time.Date(2031, 8, 29, 6, 30, 0, 0, time.UTC) }
	sid, err := st.Save(ctx, 0, summit.SummitInput{Number: 2, Title: i18n.Text{"en": "Second Summit on Living Together", "de": "Zweiter Gipfel zum Zusammenleben"},
		Theme: i18n.Text{"en": "Live Close — Feel Free"}, SourceLang: "en", HostCityID: city["dusseldorf"], StartsOn: "2031-08-29", EndsOn: "2031-08-31",
		Status: summit.StatusOpen, OfferHours: 72}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 51.2259, 6.7720
	vid, err := st.SaveVenue(ctx, sid, 0, summit.VenueInput{Name: i18n.Text{"en": "City Hall", "de": "Rathaus"}, Address: "Marktplatz 2, 40213 Düsseldorf", Lat: &lat, Lon: &lon}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSession(ctx, sid, 0, summit.SessionInput{Kind: "reception", Title: i18n.Text{"en": "Welcome at city hall"}, Starts: "2031-08-29T14:00",
		Ends: "2031-08-29T16:00", VenueID: vid, Languages: "de,en", Capacity: 50}, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	s, _ := st.Get(ctx, sid, true)
	page := "/en/summits/" + s.Ref()

	// The public page, then the city's editor registers the delegation.
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS("#venues")))
	if txt := b.Text("main"); !strings.Contains(txt, "Marktplatz 2, 40213 Düsseldorf") || !strings.Contains(txt, "Welcome at city hall") {
		t.Errorf("summit page: %s", txt)
	}
	b.CheckA11y()
	editor, pw := b.Server.User(auth.RoleEditor, city["montreal"])
	b.Login("en", editor.Email, pw)
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS(`a.button[href$="/delegation"]`)),
		chromedp.Click(chromedp.CSS(`a.button[href$="/delegation"]`)), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	b.CheckA11y()
	// A missing name is refused and the rest is kept.
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-email"), "mayor@montreal.example"),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById('f-name').removeAttribute('required')`),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".form-errors")))
	if v := Value(b, chromedp.Value(chromedp.CSS("#f-email"))); v != "mayor@montreal.example" {
		t.Errorf("the e-mail address was not kept: %q", v)
	}
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-name"), "Valérie Plante"),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if f := b.Text(".flash"); !strings.Contains(f, "The registration is in") {
		t.Errorf("after registering: %s", f)
	}
	if st := b.Text("#state"); !strings.Contains(st, "pending review") {
		t.Errorf("state after registering: %s", st)
	}
	b.CheckA11y()
	b.Logout()

	// The secretariat confirms it from the review queue.
	admin, apw := b.Server.User(auth.RoleAdmin, 0)
	b.Login("en", admin.Email, apw)
	queue := "/en/admin/summits/" + strconv.FormatInt(sid, 10) + "/registrations"
	b.Do(chromedp.Navigate(b.URL(queue)), chromedp.WaitVisible(chromedp.CSS(`input[name="id"]`)))
	if row := b.Text("table tbody tr"); !strings.Contains(row, "Montréal") || !strings.Contains(row, "Valérie Plante") {
		t.Errorf("review queue: %s", row)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`form[action$="/registrations/confirm"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if f := b.Text(".flash"); !strings.Contains(f, "1 delegation confirmed") {
		t.Errorf("after confirming: %s", f)
	}

	// The badges: a PDF, fetched with the secretariat's session.
	pdf := Value(b, chromedp.Evaluate[map[string]string](`fetch('/en/admin/summits/`+strconv.FormatInt(sid, 10)+`/badges.pdf').then(async r => ({
		type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))}))`, chromedp.EvalAwaitPromise))
	if pdf["type"] != "application/pdf" || pdf["head"] != "%PDF-" {
		t.Fatalf("badges: %v", pdf)
	}

	// At the door: the badge's token, typed as a scanner would.
	var token string
	if err := b.DB.R.QueryRowContext(ctx, `SELECT badge_token FROM summit_delegates WHERE name = 'Valérie Plante'`).Scan(&token); err != nil {
		t.Fatal(err)
	}
	checkin := "/en/admin/summits/" + strconv.FormatInt(sid, 10) + "/checkin"
	b.Do(chromedp.Navigate(b.URL(checkin)), chromedp.WaitVisible(chromedp.CSS("#f-token")))
	if c := b.Text(".checkin-count"); !strings.Contains(c, "0 of 1") {
		t.Errorf("before: %s", c)
	}
	b.CheckA11y()
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-token"), token+"\n"), chromedp.WaitVisible(chromedp.CSS(".checkin-result")))
	if r := b.Text(".checkin-result"); !strings.Contains(r, "Welcome") || !strings.Contains(r, "Valérie Plante") || !strings.Contains(r, "Montréal") {
		t.Errorf("first scan: %s", r)
	}
	if c := b.Text(".checkin-count"); !strings.Contains(c, "1 of 1") {
		t.Errorf("after the first scan: %s", c)
	}
	b.CheckA11y()
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-token"), token+"\n"), chromedp.WaitVisible(chromedp.CSS(".checkin-result.repeat")))
	if r := b.Text(".checkin-result"); !strings.Contains(r, "Already checked in") {
		t.Errorf("second scan: %s", r)
	}
	if c := b.Text(".checkin-count"); !strings.Contains(c, "1 of 1") {
		t.Errorf("the second scan was counted: %s", c)
	}
	// The live figures count the confirmed delegation.
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS(".figures-sentence")))
	if f := b.Text(".figures-sentence"); !strings.Contains(f, "1 guest from North America") {
		t.Errorf("figures: %s", f)
	}
}

// Every summit page, public and the secretariat's, meets WCAG 2.1 AA with
// the demo content in it.
func TestSummitPagesAreAccessible(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	id := func(q string, args ...any) string {
		var n int64
		if err := b.DB.R.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return strconv.FormatInt(n, 10)
	}
	held := id(`SELECT id FROM summits WHERE number = 2`)
	open := id(`SELECT id FROM summits WHERE number = 3`)
	visit := func(path string) {
		b.Do(chromedp.Navigate(b.URL(path)), chromedp.WaitVisible(chromedp.CSS("h1")))
		if strings.Contains(b.Text("main"), "summit.") {
			t.Errorf("%s shows an untranslated key", path)
		}
		b.CheckA11y()
	}
	for _, p := range []string{"/en/summits", "/de/summits/" + held, "/fr/summits/" + held + "/programme", "/en/summits/" + held + "/programme?by=venue",
		"/en/summits/" + held + "/participants", "/fr/summits/" + open} {
		visit(p)
	}
	sceaux := id(`SELECT id FROM cities WHERE slug = 'sceaux'`)
	n, _ := strconv.ParseInt(sceaux, 10, 64)
	ed, pw := b.Server.User(auth.RoleEditor, n)
	b.Login("en", ed.Email, pw)
	visit("/en/summits/" + open + "/delegation") // a place offered from the waiting list
	visit("/de/summits/" + open + "/bid")
	b.Logout()
	admin, apw := b.Server.User(auth.RoleAdmin, 0)
	b.Login("en", admin.Email, apw)
	del := id(`SELECT MIN(id) FROM summit_delegations WHERE summit_id = $1 AND state = 'confirmed'`, open)
	for _, p := range []string{"/en/admin/summits", "/en/admin/summits/new", "/en/admin/summits/" + open, "/en/admin/summits/" + held + "/programme",
		"/en/admin/summits/" + held + "/sessions/" + id(`SELECT MIN(id) FROM summit_sessions WHERE summit_id = $1`, held),
		"/en/admin/summits/" + held + "/speakers/" + id(`SELECT MIN(id) FROM summit_speakers WHERE summit_id = $1`, held),
		"/en/admin/summits/" + open + "/registrations", "/en/admin/summits/" + open + "/registrations/" + del,
		"/fr/admin/summits/" + held + "/participants", "/de/admin/summits/" + held + "/checkin", "/en/admin/summits/" + open + "/bids"} {
		visit(p)
	}
}
