package summit_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

func ref(t *testing.T, d *db.DB, id string) string {
	var r string
	if err := d.R.QueryRow(`SELECT $1 || '-' || c.slug || '-' || substr(s.starts_on, 1, 4) FROM summits s JOIN cities c ON c.id = s.host_city_id WHERE s.id = $2`, id, id).Scan(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBidsForTheNextHost(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"bids_open": {"1"}})
		r := ref(t, d, id)
		ouaga, waw := w.cityClient(t, "ouagadougou"), w.cityClient(t, "warsaw")
		bid := "/fr/summits/" + r + "/bid"
		ouaga.Get(bid).Expect(t, 200, "Candidature pour le prochain sommet")
		// Bad dates: kept and marked, nothing stored.
		ouaga.Post(bid, url.Values{"proposed_start": {"2033-05-20"}, "proposed_end": {"2033-05-18"}, "venue": {"Palais des sports"},
			"source_lang": {"fr"}, "statement_fr": {"Ouagadougou accueille."}}).Expect(t, 422, "Le dernier jour ne peut pas précéder le premier", `value="Palais des sports"`)
		ouaga.Post(bid, url.Values{"proposed_start": {"2033-05-16"}, "proposed_end": {"2033-05-18"}, "venue": {"Palais des sports"},
			"source_lang": {"fr"}, "statement_fr": {"Ouagadougou accueille le sommet."}}).Expect(t, 303)
		waw.Post("/en/summits/"+r+"/bid", url.Values{"proposed_start": {"2033-09-01"}, "proposed_end": {"2033-09-03"}, "venue": {"Palace of Culture and Science"},
			"source_lang": {"en"}, "statement_en": {"Warsaw would be glad to host."}}).Expect(t, 303)
		w.s.Client().Get("/en/summits/"+r).Expect(t, 200, "Cities bidding to host it:", "Ouagadougou", "Warsaw")
		cmp := w.admin.Get("/en/admin/summits/"+id+"/bids").Expect(t, 200, "The bids side by side", "Palais des sports", "Palace of Culture and Science", "3 days")
		m := regexp.MustCompile(`/bids/(\d+)/choose`).FindAllStringSubmatch(cmp.Body, -1)
		if len(m) != 2 {
			t.Fatalf("choose buttons: %v", m)
		}
		waw.Post("/en/admin/summits/"+id+"/bids/"+m[0][1]+"/choose", nil).Expect(t, 403)
		res := w.admin.Post("/en/admin/summits/"+id+"/bids/"+m[0][1]+"/choose", nil).Expect(t, 303)
		w.s.Client().Get("/de/summits/"+r).Expect(t, 200, "Der nächste Gipfel findet in Ouagadougou (Burkina Faso) statt.", "16. Mai 2033 – 18. Mai 2033")
		// The next summit is created as a draft on the proposed dates, for the
		// secretariat to complete; the public does not see it yet.
		var next, number, host, status, starts, ends, title string
		if err := d.R.QueryRow(`SELECT s.id, s.number, c.slug, s.status, s.starts_on, s.ends_on, s.title FROM summits s JOIN cities c ON c.id = s.host_city_id
			WHERE s.number = (SELECT number + 1 FROM summits WHERE id = $1)`, id).Scan(&next, &number, &host, &status, &starts, &ends, &title); err != nil {
			t.Fatalf("no next summit: %v", err)
		}
		if host != "ouagadougou" || status != "draft" || starts != "2033-05-16" || ends != "2033-05-18" ||
			!strings.Contains(title, "Summit on Living Together 2033 in Ouagadougou") || !strings.Contains(title, "Sommet sur le vivre ensemble 2033 à Ouagadougou") {
			t.Errorf("next summit: %s %s %s %s–%s %s", number, host, status, starts, ends, title)
		}
		if loc := res.Header.Get("Location"); loc != "/en/admin/summits/"+next {
			t.Errorf("after choosing, taken to %q", loc)
		}
		w.admin.Get("/en/admin/summits/"+next).Expect(t, 200, "The next summit is created as a draft", `value="2033-05-16"`)
		w.s.Client().Get("/en/summits").Expect(t, 200).Lacks(t, "Summit on Living Together 2033 in Ouagadougou")
		// Choosing again does not make a second one: the secretariat is
		// taken to the existing one to check its host and dates.
		res = w.admin.Post("/en/admin/summits/"+id+"/bids/"+m[1][1]+"/choose", nil).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/en/admin/summits/"+next {
			t.Errorf("after choosing again, taken to %q", loc)
		}
		w.admin.Get("/en/admin/summits/"+next).Expect(t, 200, "The next summit exists already")
		var summits int
		d.R.QueryRow(`SELECT COUNT(*) FROM summits`).Scan(&summits)
		if summits != 2 {
			t.Errorf("%d summits after choosing twice", summits)
		}
		// The choice closes the bidding.
		waw.Post("/en/summits/"+r+"/bid", url.Values{"proposed_start": {"2033-09-01"}, "proposed_end": {"2033-09-03"}, "venue": {"x"},
			"source_lang": {"en"}, "statement_en": {"again"}}).Expect(t, 409, "not being taken")
	})
}

// Withdrawing a bid asks first; the secretariat sees it until confirmed.
func TestWithdrawingABidAsksFirst(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"bids_open": {"1"}})
		r := ref(t, d, id)
		waw := w.cityClient(t, "warsaw")
		waw.Post("/en/summits/"+r+"/bid", url.Values{"proposed_start": {"2033-09-01"}, "proposed_end": {"2033-09-03"}, "venue": {"Palace of Culture and Science"},
			"source_lang": {"en"}, "statement_en": {"Warsaw would be glad to host."}}).Expect(t, 303)
		waw.Post("/en/summits/"+r+"/bid/withdraw", nil).Expect(t, 200, "Withdraw the bid of Warsaw to host the next summit?", `name="confirm" value="yes"`)
		w.admin.Get("/en/admin/summits/"+id+"/bids").Expect(t, 200, "Palace of Culture and Science")
		waw.Post("/en/summits/"+r+"/bid/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		var state string
		d.R.QueryRow(`SELECT state FROM summit_bids WHERE summit_id = $1`, id).Scan(&state)
		if state != "withdrawn" {
			t.Errorf("bid %s after confirming", state)
		}
		// Another city's editor has no bid to withdraw.
		w.cityClient(t, "montreal").Post("/en/summits/"+r+"/bid/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 404)
	})
}

func TestSignupsAndPersonalCalendar(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		r := ref(t, d, id)
		w.admin.Post("/en/admin/summits/"+id+"/sessions", url.Values{"kind": {"tour"}, "title_en": {"Bus tour"}, "starts": {"2031-08-29T17:00"},
			"ends": {"2031-08-29T19:00"}, "capacity": {"1"}}).Expect(t, 303)
		w.admin.Post("/en/admin/summits/"+id+"/sessions", url.Values{"kind": {"plenary"}, "title_en": {"Plenary"}, "starts": {"2031-08-30T09:00"},
			"ends": {"2031-08-30T10:00"}}).Expect(t, 303)
		var tour, plenary string
		d.R.QueryRow(`SELECT id FROM summit_sessions WHERE capacity = 1`).Scan(&tour)
		d.R.QueryRow(`SELECT id FROM summit_sessions WHERE capacity IS NULL`).Scan(&plenary)
		mtl, waw := w.cityClient(t, "montreal"), w.cityClient(t, "warsaw")
		for _, c := range []*testutil.Client{mtl, waw} {
			c.Post("/en/summits/"+r+"/delegation", url.Values{"name": {"Head"}, "role": {"mayor"}}).Expect(t, 303)
		}
		var mHead, wHead string
		d.R.QueryRow(`SELECT p.id FROM summit_delegates p JOIN summit_delegations g ON g.id = p.delegation_id WHERE g.city_id = $1`, w.cities["montreal"]).Scan(&mHead)
		d.R.QueryRow(`SELECT p.id FROM summit_delegates p JOIN summit_delegations g ON g.id = p.delegation_id WHERE g.city_id = $1`, w.cities["warsaw"]).Scan(&wHead)
		mtl.Post("/en/summits/"+r+"/delegation/signups", url.Values{"signup": {tour + ":" + mHead, plenary + ":" + mHead}}).Expect(t, 303)
		// The one seat is taken: Warsaw is told which session is full, nothing changes.
		waw.Post("/en/summits/"+r+"/delegation/signups", url.Values{"signup": {tour + ":" + wHead, plenary + ":" + wHead}}).
			Expect(t, 409, "A session you chose is full", "Bus tour")
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_signups WHERE delegate_id = $1`, wHead).Scan(&n)
		if n != 0 {
			t.Errorf("%d sign-ups stored after a refused change", n)
		}
		// Warsaw cannot sign up Montréal's people.
		waw.Post("/en/summits/"+r+"/delegation/signups", url.Values{"signup": {plenary + ":" + mHead}}).Expect(t, 422)
		// The personal calendar: only the person's own sessions, by an unguessable link.
		page := mtl.Get("/en/summits/"+r+"/delegation").Expect(t, 200, "0 of 1 seats left", "personal programme (iCal)")
		feed := regexp.MustCompile(`/feeds/summit-delegates/[a-z2-7]{32}\.ics\?lang=en`).FindString(page.Body)
		if feed == "" {
			t.Fatal("no personal calendar link on the delegation page")
		}
		c := w.s.Client()
		ics := c.Get(feed).Expect(t, 200, "SUMMARY:Bus tour", "SUMMARY:Plenary")
		if ics.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("personal feed caching: %q", ics.Header.Get("Cache-Control"))
		}
		c.Get("/feeds/summit-delegates/"+strings.Repeat("a", 32)+".ics").Expect(t, 404)
		// Withdrawing ends the feed and frees the seat.
		mtl.Post("/en/summits/"+r+"/delegation/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		c.Get(feed).Expect(t, 404)
		waw.Post("/en/summits/"+r+"/delegation/signups", url.Values{"signup": {tour + ":" + wHead}}).Expect(t, 303)
	})
}

func TestSpeakerPhotoUpload(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		img := image.NewRGBA(image.Rect(0, 0, 40, 40))
		for x := range 40 {
			img.Set(x, x, color.RGBA{200, 30, 30, 255})
		}
		var pngBytes bytes.Buffer
		png.Encode(&pngBytes, img)
		post := func(file []byte) *http.Response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("name", "Dr Mazda Adli")
			mw.WriteField("role_en", "Psychiatrist")
			fw, _ := mw.CreateFormFile("image", "adli.png")
			fw.Write(file)
			mw.Close()
			req, _ := http.NewRequest("POST", w.s.URL+"/en/admin/summits/"+id+"/speakers", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Origin", w.s.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := w.admin.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return res
		}
		if res := post([]byte("not an image")); res.StatusCode != 422 {
			t.Fatalf("a text file as photo: %d", res.StatusCode)
		}
		if res := post(pngBytes.Bytes()); res.StatusCode != 303 {
			t.Fatalf("a PNG as photo: %d", res.StatusCode)
		}
		page := w.s.Client().Get("/en/summits/"+ref(t, d, id)).Expect(t, 200, "Dr Mazda Adli", `class="speaker-photo"`)
		src := regexp.MustCompile(`src="(/media/\d+-[0-9a-f]{20}\.png)" alt="" class="speaker-photo"`).FindStringSubmatch(page.Body)
		if src == nil {
			t.Fatal("no photo on the page")
		}
		w.s.Client().Get(src[1]).Expect(t, 200, "PNG")
	})
}

func TestHeldSummitIsReadOnlyForCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		r := ref(t, d, id)
		mtl := w.cityClient(t, "montreal")
		page := "/en/summits/" + r + "/delegation"
		mtl.Post(page, url.Values{"name": {"Head"}, "role": {"mayor"}}).Expect(t, 303)
		form := url.Values{"number": {"2"}, "title_en": {"Second Summit on Living Together"}, "source_lang": {"en"},
			"host_city_id": {itoa(w.cities["dusseldorf"])}, "starts_on": {"2031-08-29"}, "ends_on": {"2031-08-31"}, "status": {"held"}, "offer_hours": {"72"}}
		w.admin.Post("/en/admin/summits/"+id, form).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "Head").Lacks(t, "Add a member", "Withdraw the delegation")
		mtl.Post(page+"/members", url.Values{"name": {"Late"}, "role": {"official"}}).Expect(t, 409, "can no longer be changed")
		mtl.Post(page+"/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 409)
		var did string
		d.R.QueryRow(`SELECT id FROM summit_delegations`).Scan(&did)
		w.admin.Post("/en/admin/summits/"+id+"/registrations/"+did+"/members", url.Values{"name": {"Late"}, "role": {"official"}}).Expect(t, 303)
	})
}
