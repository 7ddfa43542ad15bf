package summit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// world is a running platform with cities, a secretariat account and one
// editor per city.
type world struct {
	s      *testutil.Server
	d      *db.DB
	cities map[string]int64
	admin  *testutil.Client
}

func newWorld(t *testing.T, d *db.DB) *world {
	w := &world{s: testutil.NewServer(t, d), d: d, cities: map[string]int64{}}
	for _, c := range []struct {
		slug, name, country string
		pop                 int64
		lat, lon            float64
		tz                  string
	}{
		{"dusseldorf", "Düsseldorf", "DE", 620000, 51.23, 6.78, "Europe/Berlin"},
		{"montreal", "Montréal", "CA", 1780000, 45.5, -73.57, "America/Toronto"},
		{"warsaw", "Warsaw", "PL", 1790000, 52.23, 21.01, "Europe/Warsaw"},
		{"ouagadougou", "Ouagadougou", "BF", 2450000, 12.37, -1.53, "Africa/Ouagadougou"},
	} {
		w.cities[c.slug] = insertCity(t, d, c.slug, c.name, c.country, c.pop, c.lat, c.lon, c.tz, "member")
	}
	u, pw := w.s.User(auth.RoleAdmin, 0)
	w.admin = w.s.Client()
	w.admin.Login(u.Email, pw)
	return w
}

func (w *world) cityClient(t *testing.T, city string) *testutil.Client {
	u, pw := w.s.User(auth.RoleEditor, w.cities[city])
	c := w.s.Client()
	c.Login(u.Email, pw)
	return c
}

// createSummit makes a summit through the secretariat's form and returns its id.
func (w *world) createSummit(t *testing.T, extra url.Values) string {
	form := url.Values{"number": {"2"}, "title_en": {"Second Summit on Living Together"}, "title_de": {"Zweiter Gipfel zum Zusammenleben"},
		"theme_en": {"Live Close — Feel Free"}, "source_lang": {"en"}, "host_city_id": {itoa(w.cities["dusseldorf"])},
		"starts_on": {"2031-08-29"}, "ends_on": {"2031-08-31"}, "status": {"registration_open"}, "offer_hours": {"72"}}
	for k, v := range extra {
		form[k] = v
	}
	res := w.admin.Post("/en/admin/summits", form).Expect(t, 303)
	loc := res.Header.Get("Location")
	m := regexp.MustCompile(`/admin/summits/(\d+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after creating: %s", loc)
	}
	return m[1]
}

func TestSummitPagesInThreeLanguages(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		base := "/en/admin/summits/" + id
		w.admin.Post(base+"/venues", url.Values{"name_en": {"City Hall"}, "name_de": {"Rathaus"}, "address": {"Marktplatz 2, 40213 Düsseldorf"},
			"lat": {"51.2262"}, "lon": {"6.7719"}}).Expect(t, 303)
		w.admin.Post(base+"/venues", url.Values{"name_en": {"Tonhalle concert hall"}, "address": {"Ehrenhof 1, 40479 Düsseldorf"},
			"lat": {"51.2334"}, "lon": {"6.7735"}}).Expect(t, 303)
		w.admin.Post(base+"/speakers", url.Values{"name": {"Henriette Vamberg"}, "role_en": {"Partner, Gehl Architects"}}).Expect(t, 303)
		var venue, speaker string
		d.R.QueryRow(`SELECT MIN(id) FROM summit_venues`).Scan(&venue)
		d.R.QueryRow(`SELECT MIN(id) FROM summit_speakers`).Scan(&speaker)
		w.admin.Post(base+"/sessions", url.Values{"kind": {"reception"}, "title_en": {"Welcome at city hall"}, "title_de": {"Empfang im Rathaus"},
			"description_en": {"Signing the Golden Book; then, a city tour, by bus."}, "starts": {"2031-08-29T15:00"}, "ends": {"2031-08-29T17:30"},
			"venue_id": {venue}, "room": {"Jan-Wellem-Saal"}, "languages": {"de, en"}, "interpretation": {"fr"}, "speaker": {speaker}}).Expect(t, 303)
		w.admin.Post(base+"/partners", url.Values{"kind": {"main_sponsor"}, "name_en": {"Düsseldorf Airport"}, "url": {"https://www.dus.com"}}).Expect(t, 303)
		// Bad input: kept, marked, 422, nothing stored.
		w.admin.Post(base+"/sessions", url.Values{"kind": {"workshop"}, "title_en": {"Late"}, "starts": {"2031-08-30T11:00"}, "ends": {"2031-08-30T10:00"}}).
			Expect(t, 422, "The end must come after the start.", `value="Late"`)

		c := w.s.Client()
		pages := map[string][]string{
			"en": {"Second Summit on Living Together", "Live Close — Feel Free", "29 August 2031 – 31 August 2031", "City Hall", "Marktplatz 2, 40213 Düsseldorf", "Welcome at city hall", "Main sponsors", "Düsseldorf Airport", "Henriette Vamberg", `class="venue-map"`, "Friday, 29 August 2031"},
			"de": {"Zweiter Gipfel zum Zusammenleben", "29. August 2031 – 31. August 2031", "Rathaus", "Empfang im Rathaus", "Hauptsponsoren", "Freitag, 29. August 2031"},
			"fr": {"Second Summit on Living Together", `class="tx-fallback"`, "Sponsors principaux", "vendredi 29 août 2031"},
		}
		var ref string
		for lang, want := range pages {
			list := c.Get("/"+lang+"/summits").Expect(t, 200)
			m := regexp.MustCompile(`/` + lang + `/summits/(` + id + `-[a-z0-9-]+)"`).FindStringSubmatch(list.Body)
			if m == nil {
				t.Fatalf("%s list links no summit:\n%s", lang, list.Body)
			}
			ref = m[1]
			res := c.Get("/"+lang+"/summits/"+ref).Expect(t, 200, want...)
			if strings.Contains(res.Body, "summit.") {
				t.Errorf("%s page shows an untranslated key: %s", lang, regexp.MustCompile(`summit\.[a-z_.]+`).FindString(res.Body))
			}
			c.Get("/"+lang+"/summits/"+ref+"/programme").Expect(t, 200, want[len(want)-1])
			c.Get("/"+lang+"/summits/"+ref+"/programme?by=venue").Expect(t, 200)
			c.Get("/"+lang+"/summits/"+ref+"/participants").Expect(t, 200)
		}
		if ref != id+"-dusseldorf-2031" {
			t.Errorf("summit address %q", ref)
		}
		// The bare id redirects to the readable address.
		res := c.Get("/en/summits/" + id)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/en/summits/"+ref {
			t.Errorf("/en/summits/%s: %d → %s", id, res.StatusCode, res.Header.Get("Location"))
		}
		// The calendar: the summit's zone, escaped text, CRLF.
		ics := c.Get("/feeds/summits/"+id+".ics?lang=de").Expect(t, 200, "BEGIN:VCALENDAR\r\n", "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin",
			"DTSTART;TZID=Europe/Berlin:20310829T150000", "SUMMARY:Empfang im Rathaus", `Golden Book\; then\, a city tour\, by bus.`)
		if ct := ics.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("calendar content type %q", ct)
		}
		// The API.
		api := c.Get("/api/v1/summits/"+id).Expect(t, 200)
		var doc map[string]any
		if err := json.Unmarshal([]byte(api.Body), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["number"].(float64) != 2 || len(doc["sessions"].([]any)) != 1 || len(doc["partners"].([]any)) != 1 {
			t.Errorf("API: %s", api.Body)
		}
		c.Get("/api/v1/summits").Expect(t, 200, `"number":2`)
	})
}

func TestDraftsStayHidden(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"status": {"draft"}, "title_en": {"Secret plans"}})
		c := w.s.Client()
		c.Get("/en/summits").Expect(t, 200).Lacks(t, "Secret plans")
		c.Get("/en/summits/"+id).Expect(t, 404)
		c.Get("/feeds/summits/"+id+".ics").Expect(t, 404)
		c.Get("/api/v1/summits/"+id).Expect(t, 404)
		c.Get("/api/v1/summits").Expect(t, 200).Lacks(t, "Secret plans")
		w.admin.Get("/en/admin/summits").Expect(t, 200, "Secret plans")
		w.admin.Get("/en/summits/"+id).Expect(t, 301)
	})
}

func TestRegistrationThroughTheSite(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// The clock the server reads: today, until it is moved to the summit's first day.
		var today atomic.Pointer[time.Time]
		w.s.App.Summits.Store.Now = func() time.Time {
			if t := today.Load(); t != nil {
				return *t
			}
			return time.Now()
		}
		id := w.createSummit(t, url.Values{"max_delegations": {"1"}})
		var ref string
		d.R.QueryRow(`SELECT $1 || '-dusseldorf-2031'`, id).Scan(&ref)
		mtl := w.cityClient(t, "montreal")
		page := "/en/summits/" + ref + "/delegation"
		mtl.Get(page).Expect(t, 200, "Head of the delegation")
		// A head must be a mayor or deputy: refused, input kept.
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"expert"}}).Expect(t, 422, "must be a mayor or a deputy mayor", `value="Valérie Plante"`)
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}, "email": {"mayor@montreal.example"}, "consent": {"1"}}).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "pending review", "Valérie Plante")
		mtl.Post(page, url.Values{"name": {"Again"}, "role": {"mayor"}}).Expect(t, 409, "already registered")
		mtl.Post(page+"/members", url.Values{"name": {"Magda Popeanu"}, "role": {"council_member"}}).Expect(t, 303)
		// The public list shows only those who agreed.
		w.admin.Get("/en/admin/summits/"+id+"/registrations").Expect(t, 200, "Montréal", "Valérie Plante")
		var did string
		d.R.QueryRow(`SELECT id FROM summit_delegations`).Scan(&did)
		w.admin.Post("/en/admin/summits/"+id+"/registrations/confirm", url.Values{"id": {did}}).Expect(t, 303)
		w.s.Client().Get("/en/summits/"+ref+"/participants").Expect(t, 200, "Valérie Plante").Lacks(t, "Magda Popeanu")
		w.s.Client().Get("/api/v1/summits/"+id).Expect(t, 200, "Valérie Plante").Lacks(t, "Magda Popeanu", "mayor@montreal.example")
		w.s.Client().Get("/en/summits/"+ref).Expect(t, 200, "2 guests from North America")
		// A second city finds the summit full and waits; the first withdraws; the place is offered.
		waw := w.cityClient(t, "warsaw")
		waw.Post("/en/summits/"+ref+"/delegation", url.Values{"name": {"Rafał Trzaskowski"}, "role": {"mayor"}}).Expect(t, 303)
		waw.Get("/en/summits/"+ref+"/delegation").Expect(t, 200, "number 1 on the waiting list")
		// Withdrawing asks first, naming the summit and the city; nothing changes until confirmed.
		mtl.Post(page+"/withdraw", nil).Expect(t, 200, "withdraw the delegation of Montréal?", "a city on the waiting list may be offered the place")
		mtl.Get(page).Expect(t, 200, "Withdraw the delegation")
		mtl.Post(page+"/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		waw.Get("/en/summits/"+ref+"/delegation").Expect(t, 200, "place offered", "Accept the place")
		waw.Post("/en/summits/"+ref+"/delegation/accept", nil).Expect(t, 303)
		waw.Get("/en/summits/"+ref+"/delegation").Expect(t, 200, "pending review")
		// One city cannot act on another's delegation, nor on the secretariat's pages.
		waw.Get("/en/admin/summits/"+id+"/registrations").Expect(t, 403)
		waw.Post("/en/admin/summits/"+id+"/registrations/"+did+"/state", url.Values{"state": {"confirmed"}}).Expect(t, 403)
		// CSV: everyone confirmed, formula-like cells defused.
		var wdid string
		d.R.QueryRow(`SELECT id FROM summit_delegations WHERE state = 'pending'`).Scan(&wdid)
		w.admin.Post("/en/admin/summits/"+id+"/registrations/"+wdid+"/members", url.Values{"name": {"=HYPERLINK(1)"}, "role": {"official"}}).Expect(t, 303)
		w.admin.Post("/en/admin/summits/"+id+"/registrations/"+wdid+"/state", url.Values{"state": {"declined"}}).Expect(t, 422, "Give the reason")
		w.admin.Post("/en/admin/summits/"+id+"/registrations/"+wdid+"/state", url.Values{"state": {"confirmed"}}).Expect(t, 303)
		// The audit log names the registration (the city and the summit) and links its page.
		w.admin.Get("/en/admin/audit?kind=summit_delegation").Expect(t, 200, "<code>summit.delegation.confirmed</code>",
			`<a href="/en/admin/summits/`+id+`/registrations/`+wdid+`">`)
		csv := w.admin.Get("/en/admin/summits/"+id+"/participants.csv").Expect(t, 200, "Rafał Trzaskowski", "'=HYPERLINK(1)")
		if strings.Contains(csv.Body, "Valérie") {
			t.Error("the CSV lists a withdrawn delegation")
		}
		// The printable list: only those who agreed to be listed (here, nobody left).
		w.admin.Get("/en/admin/summits/"+id+"/participants").Expect(t, 200, "0 of 2 confirmed guests").Lacks(t, "Rafał", "HYPERLINK")
		pdf := w.admin.Get("/en/admin/summits/"+id+"/badges.pdf").Expect(t, 200, "%PDF-")
		if pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("badges: %s", pdf.Header.Get("Content-Type"))
		}
		// Check-in: refused two years early, then, on the summit's first
		// day, once counted and the second time flagged.
		var token string
		d.R.QueryRow(`SELECT badge_token FROM summit_delegates WHERE name = 'Rafał Trzaskowski'`).Scan(&token)
		w.admin.Post("/en/admin/summits/"+id+"/checkin", url.Values{"token": {token}}).Expect(t, 409, "Check-in is not open", "0 of 2")
		berlin, _ := time.LoadLocation("Europe/Berlin")
		day := time.Date(2031, 8, 29, 8, 30, 0, 0, berlin)
		today.Store(&day)
		w.admin.Post("/en/admin/summits/"+id+"/checkin", url.Values{"token": {strings.ToUpper(token)}}).Expect(t, 200, "Welcome", "Rafał Trzaskowski", "1 of 2")
		w.admin.Post("/en/admin/summits/"+id+"/checkin", url.Values{"token": {token}}).Expect(t, 409, "Already checked in", "1 of 2")
		w.admin.Post("/en/admin/summits/"+id+"/checkin", url.Values{"token": {"nonsense"}}).Expect(t, 404, "No badge of this summit has this code")
		w.admin.Get("/de/admin").Expect(t, 200, "Gipfel")
		var audits int
		d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'summit.checkin%'`).Scan(&audits)
		if audits != 3 { // the early refusal, the check-in, the repeat
			t.Errorf("%d check-in audit entries", audits)
		}
		_ = context.Background()
	})
}

// A read:private token sees on the API what its owner sees on the summit's
// page signed in: the secretariat a draft summit, a city's registrar their
// delegation; without the scope, or without a token, none of it, and no
// kept answer passes it to the public.
func TestReadPrivateTokenSeesWhatThePageShows(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		token := func(u *auth.User, scopes ...string) string {
			secret, _, err := w.s.App.Users.CreateToken(ctx, audit.System("test"), u, "test", scopes, nil)
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}
		get := func(path, tok string, status int, want ...string) *testutil.Response {
			t.Helper()
			c := w.s.Client()
			if tok == "" {
				return c.Get(path).Expect(t, status, want...)
			}
			res := c.Get(path, "Authorization", "Bearer "+tok).Expect(t, status, want...)
			if cc := res.Header.Get("Cache-Control"); status == 200 && !strings.Contains(cc, "private") {
				t.Errorf("%s with a token: Cache-Control %q", path, cc)
			}
			return res
		}
		admin, _ := w.s.User(auth.RoleAdmin, 0)
		adminReader := token(admin, auth.ScopeReadPrivate)
		draft := w.createSummit(t, url.Values{"status": {"draft"}, "title_en": {"Secret plans"}, "number": {"3"}})
		get("/api/v1/summits/"+draft, adminReader, 200, "Secret plans")
		get("/api/v1/summits/"+draft, "", 404)
		get("/api/v1/summits/"+draft, adminReader, 200, "Secret plans")
		get("/api/v1/summits/"+draft, "", 404)

		id := w.createSummit(t, nil)
		mtlUser, pw := w.s.User(auth.RoleEditor, w.cities["montreal"])
		mtl := w.s.Client()
		mtl.Login(mtlUser.Email, pw)
		var ref string
		d.R.QueryRow(`SELECT $1 || '-dusseldorf-2031'`, id).Scan(&ref)
		mtl.Post("/en/summits/"+ref+"/delegation", url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}}).Expect(t, 303)
		mtl.Get("/en/summits/"+ref).Expect(t, 200, "pending review")
		reader := token(mtlUser, auth.ScopeReadPrivate)
		writer := token(mtlUser, auth.ScopePracticesWrite)
		wawUser, _ := w.s.User(auth.RoleEditor, w.cities["warsaw"])
		other := token(wawUser, auth.ScopeReadPrivate)
		for range 2 { // the public's answer kept, then asked with tokens
			get("/api/v1/summits/"+id, "", 200).Lacks(t, "own_delegation")
		}
		res := get("/api/v1/summits/"+id, reader, 200, `"own_delegation"`)
		var out struct {
			Own *struct {
				City  struct{ Slug string }
				State string
			} `json:"own_delegation"`
		}
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil || out.Own == nil || out.Own.City.Slug != "montreal" || out.Own.State != "pending" {
			t.Errorf("own delegation: %+v %v", out.Own, err)
		}
		get("/api/v1/summits/"+id, writer, 200).Lacks(t, "own_delegation")
		get("/api/v1/summits/"+id, other, 200).Lacks(t, "own_delegation")
		for range 2 { // asked with the token first: the public never gets its answer
			get("/api/v1/summits/"+id+"?lang=fr", reader, 200, `"own_delegation"`)
		}
		get("/api/v1/summits/"+id+"?lang=fr", "", 200).Lacks(t, "own_delegation")
		get("/api/v1/summits/"+id+"?lang=fr", "", 200).Lacks(t, "own_delegation")
	})
}
