package summit_test

import (
	"net/url"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// What a city and the secretariat see around a full summit: the city is
// told before it submits, the secretariat is not offered a Confirm that
// cannot work, a raised limit names the city it let in, badges print only
// for confirmed delegations, and the participants are listed in the
// reader's alphabetical order.
func TestFullSummitSaysSo(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.cities["mostar"] = insertCity(t, d, "mostar", "Mostar", "BA", 113000, 43.34, 17.81, "Europe/Sarajevo", "member")
		w.cities["malaga"] = insertCity(t, d, "malaga", "Málaga", "ES", 578000, 36.72, -4.42, "Europe/Madrid", "member")
		form := url.Values{"max_delegations": {"1"}}
		id := w.createSummit(t, form)
		page := "/en/summits/" + ref(t, d, id) + "/delegation"

		mtl := w.cityClient(t, "montreal")
		mtl.Get(page).Expect(t, 200, "Register").Lacks(t, "The summit is full")
		mtl.Post(page, url.Values{"name": {"Anne Lavoie"}, "role": {"mayor"}}).Expect(t, 303)

		// Before submitting, Warsaw reads that it will wait.
		waw := w.cityClient(t, "warsaw")
		waw.Get(page).Expect(t, 200, "The summit is full: your city will go on the waiting list, after 0 cities already waiting", "Join the waiting list")
		w.cityClient(t, "warsaw").Get(strings.Replace(page, "/en/", "/de/", 1)).Expect(t, 200, "Der Gipfel ist ausgebucht", "Auf die Warteliste setzen")
		waw.Post(page, url.Values{"name": {"Jan Nowak"}, "role": {"mayor"}, "arrival": {"2031-08-29T18:30"}, "departure": {"2031-08-31T12:00"},
			"interpretation": {"nl"}}).Expect(t, 303)

		// The secretariat sees no Confirm for the waiting delegation, and no badges.
		var wawID string
		d.R.QueryRow(`SELECT CAST(id AS TEXT) FROM summit_delegations WHERE city_id = $1`, w.cities["warsaw"]).Scan(&wawID)
		admin := "/en/admin/summits/" + id + "/registrations/" + wawID
		w.admin.Get(admin).Expect(t, 200, "No place is free").Lacks(t, `value="confirmed"><button`, "badges.pdf?delegation=")
		// Values as people read them: dates in words, languages and countries by name, times in the summit's zone.
		w.admin.Get(admin).Expect(t, 200, "arrives 29 August 2031, 6:30 pm", "Interpretation language: Dutch", "Warsaw (Poland)", "(Europe/Berlin)").
			Lacks(t, "arrives 2031-08-29T18:30", "Interpretation language: nl", " UTC<")
		w.admin.Get(strings.Replace(admin, "/en/", "/fr/", 1)).Expect(t, 200, "arrivée 29 août 2031", "néerlandais", "Pologne")
		w.admin.Get("/en/admin/summits/"+id+"/registrations").Expect(t, 200, "(Poland)").Lacks(t, "(PL)", " UTC<")
		w.admin.Get("/en/admin/summits/"+id+"/badges.pdf?delegation="+wawID).Expect(t, 409, "Badges are printed only for confirmed delegations")
		var mtlID string
		d.R.QueryRow(`SELECT CAST(id AS TEXT) FROM summit_delegations WHERE city_id = $1`, w.cities["montreal"]).Scan(&mtlID)
		w.admin.Get("/en/admin/summits/"+id+"/registrations/"+mtlID).Expect(t, 200, `value="confirmed"><button`).Lacks(t, "No place is free")

		// Raising the limit offers Warsaw the place, and says so.
		save := url.Values{"number": {"2"}, "title_en": {"Second Summit on Living Together"}, "title_de": {"Zweiter Gipfel zum Zusammenleben"},
			"theme_en": {"Live Close — Feel Free"}, "source_lang": {"en"}, "host_city_id": {itoa(w.cities["dusseldorf"])},
			"starts_on": {"2031-08-29"}, "ends_on": {"2031-08-31"}, "status": {"registration_open"}, "offer_hours": {"72"}, "max_delegations": {"4"}}
		res := w.admin.Post("/en/admin/summits/"+id, save).Expect(t, 303)
		w.admin.Get(res.Header.Get("Location")).Expect(t, 200, "offered a place from the waiting list to Warsaw")
		var state string
		d.R.QueryRow(`SELECT state FROM summit_delegations WHERE id = $1`, wawID).Scan(&state)
		if state != "offered" {
			t.Errorf("Warsaw is %s after the limit was raised", state)
		}
		// Saving again offers nobody new: a plain notice.
		res = w.admin.Post("/en/admin/summits/"+id, save).Expect(t, 303)
		w.admin.Get(res.Header.Get("Location")).Expect(t, 200, "Saved.").Lacks(t, "offered a place")

		// Participants in the reader's order: Málaga before Mostar (byte order puts it after).
		for _, c := range []string{"mostar", "malaga"} {
			cl := w.cityClient(t, c)
			cl.Post(page, url.Values{"name": {"Head of " + c}, "role": {"mayor"}, "consent": {"1"}}).Expect(t, 303)
			var did string
			d.R.QueryRow(`SELECT CAST(id AS TEXT) FROM summit_delegations WHERE city_id = $1`, w.cities[c]).Scan(&did)
			w.admin.Post("/en/admin/summits/"+id+"/registrations/"+did+"/state", url.Values{"state": {"confirmed"}}).Expect(t, 303)
		}
		list := w.s.Client().Get("/en/summits/"+ref(t, d, id)+"/participants").Expect(t, 200, "Málaga", "Mostar").Body
		if strings.Index(list, "Head of malaga") > strings.Index(list, "Head of mostar") || strings.Index(list, "Málaga") > strings.Index(list, "Mostar") {
			t.Errorf("participants not in alphabetical order")
		}
	})
}

// A summit that has been held shows no seats left in its sessions.
func TestPastSummitShowsNoSeatsLeft(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		future := w.createSummit(t, nil)
		w.admin.Post("/en/admin/summits/"+future+"/sessions", url.Values{"kind": {"workshop"}, "title_en": {"Housing lab"},
			"starts": {"2031-08-30T10:00"}, "ends": {"2031-08-30T11:00"}, "capacity": {"70"}}).Expect(t, 303)
		w.s.Client().Get("/en/summits/"+ref(t, d, future)+"/programme").Expect(t, 200, "70 of 70 seats left")
		past := w.createSummit(t, url.Values{"number": {"1"}, "starts_on": {"2019-08-29"}, "ends_on": {"2019-08-31"}, "status": {"held"}})
		w.admin.Post("/en/admin/summits/"+past+"/sessions", url.Values{"kind": {"workshop"}, "title_en": {"Housing lab"},
			"starts": {"2019-08-30T10:00"}, "ends": {"2019-08-30T11:00"}, "capacity": {"70"}}).Expect(t, 303)
		w.s.Client().Get("/en/summits/"+ref(t, d, past)+"/programme").Expect(t, 200, "Housing lab").Lacks(t, "seats left")
	})
}
