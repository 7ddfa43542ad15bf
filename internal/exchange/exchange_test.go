package exchange_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Düsseldorf asks Montréal about a practice, Montréal answers, they meet,
// report, and Düsseldorf links its adapted practice; once both agree, the
// public sees what travelled — and never the conversation.
func TestRequestToAdopted(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		dus := w.client(t, w.dusEd.Email, w.dusPw)
		mtl := w.client(t, w.mtlEd.Email, w.mtlPw)
		anon := w.srv.Client()
		page := fmt.Sprintf("/en/practices/%d", w.original)
		loc := anon.Get(page).Header.Get("Location")
		if loc == "" {
			t.Fatal("no canonical address for the practice")
		}
		page = loc

		// The entry point is there for another city's editor, not for the owner's.
		dus.Get(page).Expect(t, 200, "Ask Montreal for an exchange", fmt.Sprintf("/en/exchanges/new?practice=%d", w.original))
		mtl.Get(page).Expect(t, 200).Lacks(t, "for an exchange")
		anon.Get(page).Expect(t, 200).Lacks(t, "for an exchange", "Adopted by")

		// A request with gaps comes back with what was typed.
		dus.Post(fmt.Sprintf("/en/exchanges/new?practice=%d", w.original), url.Values{"kind": {"visit"}, "message": {"Wie organisiert ihr Hofpaten?"},
			"contact_name": {"Jana Becker"}, "contact_email": {"not-an-address"}}).
			Expect(t, 422, "Wie organisiert ihr Hofpaten?", "Choose at least one language.", "Enter an e-mail address")
		// Montréal cannot ask itself.
		mtl.Get(fmt.Sprintf("/en/exchanges/new?practice=%d", w.original)).Expect(t, 403)

		id := w.ask(t, dus, "Wir möchten lernen, wie Nachbarschaften Höfe pflegen. Geheimwort-Anfrage.")
		path := fmt.Sprintf("/en/exchanges/%d", id)

		// Montréal's editor and the practice's contact are told in their languages.
		if m := mails(t, d, w.mtlEd.Email); len(m) != 1 || !strings.Contains(m[0], "demande un échange") || !strings.Contains(m[0], fmt.Sprintf("/fr/exchanges/%d", id)) {
			t.Fatalf("mail to Montréal's editor: %q", m)
		}
		if m := mails(t, d, "claire.roy@montreal.example"); len(m) != 1 || !strings.Contains(m[0], "asks for an exchange") {
			t.Fatalf("mail to the practice's contact: %q", m)
		}
		mtl.Get("/en/exchanges").Expect(t, 200, "Asked of your city", "Düsseldorf → Montreal", "requested")
		dus.Get("/en/exchanges").Expect(t, 200, "Asked by your city", "Düsseldorf → Montreal")

		// Only Montréal answers a request.
		dus.Post(path+"/step", url.Values{"step": {"accepted"}}).Expect(t, 409)
		mtl.Post(path+"/step", url.Values{"step": {"accepted"}}).Expect(t, 303)
		mtl.Post(path+"/step", url.Values{"step": {"scheduled"}, "date": {"2026-05-12"}, "place": {""}}).Expect(t, 422, "This field is required")
		dus.Post(path+"/step", url.Values{"step": {"scheduled"}, "date": {"2026-05-12"}, "place": {"Hôtel de ville, Montréal"}}).Expect(t, 303)

		// The thread, with a PDF that only the two cities can fetch.
		res := postFile(t, mtl, path+"/messages", "Voici notre guide. Geheimwort-Faden.", "guide.pdf", pdf())
		if res.StatusCode != 303 {
			t.Fatalf("posting a PDF: %d %s", res.StatusCode, res.Body)
		}
		if r := postFile(t, mtl, path+"/messages", "Faux PDF", "guide.pdf", []byte("%PDF-1.4 truncated")); r.StatusCode != 422 {
			t.Fatalf("a broken PDF: %d", r.StatusCode)
		}
		if r := postFile(t, mtl, path+"/messages", "Pas une image", "photo.jpg", []byte("<html>not an image</html>")); r.StatusCode != 422 {
			t.Fatalf("a file that is no image: %d", r.StatusCode)
		}
		show := dus.Get(path).Expect(t, 200, "Voici notre guide. Geheimwort-Faden.", "guide.pdf")
		file := regexpFind(t, show.Body, `/en/exchanges/\d+/files/\d+`)
		got := dus.Get(file).Expect(t, 200)
		if got.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(got.Body, "%PDF-") {
			t.Fatalf("the file: %s %q", got.Header.Get("Content-Type"), got.Body[:10])
		}

		dus.Post(path+"/step", url.Values{"step": {"done"}, "learned": {"Patenschaften tragen die Pflege."}, "will_try": {"Zwei Pilothöfe."}}).Expect(t, 303)
		// Montréal cannot adopt for Düsseldorf, nor Düsseldorf link a practice not its own.
		mtl.Post(path+"/step", url.Values{"step": {"adopted"}, "adapted": {fmt.Sprint(w.adapted)}}).Expect(t, 409)
		dus.Post(path+"/step", url.Values{"step": {"adopted"}, "adapted": {fmt.Sprint(w.original)}}).Expect(t, 422)
		dus.Post(path+"/step", url.Values{"step": {"adopted"}, "adapted": {fmt.Sprint(w.adapted)}}).Expect(t, 303)
		dus.Get(path).Expect(t, 200, "adopted", "Grüne Hinterhöfe für alle", "Patenschaften tragen die Pflege.")
		if m := mails(t, d, w.mtlEd.Email); len(m) < 3 || !strings.Contains(m[len(m)-1], "a adopté votre pratique") {
			t.Fatalf("Montréal is told of the adoption: %q", m)
		}

		// Not public while only one city agrees.
		dus.Post(path+"/public", url.Values{"agree": {"yes"}}).Expect(t, 303)
		anon.Get(page).Expect(t, 200).Lacks(t, "Adopted by")
		anon.Get("/en/exchanges").Expect(t, 200, "No exchange has been made public yet.")
		if b := anon.Get("/api/v1/exchanges").Body; strings.Contains(b, "Montr") {
			t.Fatalf("the API shows an exchange only one city agreed to show: %s", b)
		}
		mtl.Post(path+"/public", url.Values{"agree": {"yes"}}).Expect(t, 303)

		// Now the public sees what travelled, on every page that shows it.
		anon.Get(page).Expect(t, 200, "Adopted by", "Grüne Hinterhöfe für alle", fmt.Sprintf("/en/practices/%d-", w.adapted))
		anon.Get("/en/exchanges").Expect(t, 200, "<svg", "Düsseldorf</a> – <a href=\"/en/cities/", "Public space")
		anon.Get("/en/exchanges/network").Expect(t, 200, "exchange-network")
		anon.Get(fmt.Sprintf("/en/cities/%d", w.montreal), "Accept", "text/html")
		anon.Get(cityPage(t, anon, w.montreal)).Expect(t, 200, "Practices others asked about", "asked by Düsseldorf")
		anon.Get(cityPage(t, anon, w.dus)).Expect(t, 200, "What the city asked others", "from Montreal")
		anon.Get("/en/figures").Expect(t, 200, "Exchanges between cities", "1 public exchanges between 2 cities")
		api := anon.Get("/api/v1/exchanges").Expect(t, 200, `"state":"adopted"`, `"slug":"dusseldorf"`, `"adapted"`)

		// Nothing of the conversation or the request's text is public anywhere.
		secret := []string{"Geheimwort", "guide.pdf", "jana.becker", "Patenschaften"}
		api.Lacks(t, secret...)
		for _, p := range []string{page, "/en/exchanges", "/en/exchanges/network", "/en/figures", cityPage(t, anon, w.montreal),
			cityPage(t, anon, w.dus), "/en/practices/feed.atom", "/en/practices/feed.json",
			"/en/practices/export.csv", "/api/v1/practices", "/api/v1/practices/export.json", "/api/v1/figures", "/en/cities.csv"} {
			anon.Get(p).Lacks(t, secret...)
		}
		// A search for the thread's words finds nothing.
		anon.Get("/en/practices?q=Geheimwort").Expect(t, 200, "0 practices")
		anon.Get("/en/practices?q=Patenschaften").Expect(t, 200, "0 practices")
		// The public cannot open the exchange, its thread or its file.
		anon.Get(path).Expect(t, 303)
		anon.Get(file).Expect(t, 303)
	})
}

// An editor of a third city gets 404 for the exchange, its thread and its
// files, and cannot act on it; the secretariat sees and may answer.
func TestThirdCitySeesNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		dus := w.client(t, w.dusEd.Email, w.dusPw)
		pal := w.client(t, w.palEd.Email, w.palPw)
		adm := w.client(t, w.admin.Email, w.adminPw)
		id := w.ask(t, dus, "Vertrauliche Frage an Montréal.")
		path := fmt.Sprintf("/en/exchanges/%d", id)
		if r := postFile(t, dus, path+"/messages", "Unser Plan, vertraulich.", "plan.png", png()); r.StatusCode != 303 {
			t.Fatalf("posting an image: %d %s", r.StatusCode, r.Body)
		}
		show := dus.Get(path).Expect(t, 200, "plan.png")
		file := regexpFind(t, show.Body, `/en/exchanges/\d+/files/\d+`)
		dus.Get(file).Expect(t, 200)

		pal.Get(path).Expect(t, 404).Lacks(t, "Vertrauliche")
		pal.Get(file).Expect(t, 404)
		pal.Post(path+"/messages", url.Values{"body": {"Hallo?"}}).Expect(t, 404)
		pal.Post(path+"/step", url.Values{"step": {"accepted"}}).Expect(t, 404)
		pal.Post(path+"/public", url.Values{"agree": {"yes"}}).Expect(t, 404)
		pal.Get("/en/exchanges").Expect(t, 200).Lacks(t, "Vertrauliche", "Düsseldorf → Montreal")
		pal.Get(fmt.Sprintf("/en/exchanges/%d/files/%d", id+1, 1)).Expect(t, 404)
		pal.Get("/en/admin/exchanges").Expect(t, 403)
		pal.Get("/en/admin/exchanges.csv").Expect(t, 403)
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM exchange_messages WHERE body = 'Hallo?'`).Scan(&n)
		if n != 0 {
			t.Fatal("a third city's message was stored")
		}

		// The secretariat sees it all and may answer in the thread.
		adm.Get(path).Expect(t, 200, "Vertrauliche Frage an Montréal.", "plan.png")
		adm.Get(file).Expect(t, 200)
		adm.Post(path+"/messages", url.Values{"body": {"Das Sekretariat hilft gern."}}).Expect(t, 303)
		dus.Get(path).Expect(t, 200, "Das Sekretariat hilft gern.", "(secretariat)")
		adm.Get("/en/admin/exchanges").Expect(t, 200, "Requests without an answer", "Düsseldorf → Montreal")
		csv := adm.Get("/en/admin/exchanges.csv").Expect(t, 200, "requested", "Düsseldorf")
		csv.Lacks(t, "Vertrauliche", "vertraulich")
	})
}

// A request unanswered for ten days brings one reminder; a done exchange
// brings one question at 3, 6 and 12 months, to both cities.
func TestRemindersAndFollowUps(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		dus := w.client(t, w.dusEd.Email, w.dusPw)
		mtl := w.client(t, w.mtlEd.Email, w.mtlPw)
		st := w.srv.App.Exchanges.Store
		ctx := context.Background()
		id := w.ask(t, dus, "Bitte um Unterlagen.")
		now := time.Now().UTC()
		if n, err := st.Remind(ctx, now.Add(9*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("reminded after nine days: %d %v", n, err)
		}
		if n, err := st.Remind(ctx, now.Add(11*24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("reminders after eleven days: %d %v", n, err)
		}
		if n, _ := st.Remind(ctx, now.Add(20*24*time.Hour)); n != 0 {
			t.Fatalf("reminded twice: %d", n)
		}
		if m := mails(t, d, w.mtlEd.Email); len(m) != 2 || !strings.Contains(m[1], "attend une réponse") {
			t.Fatalf("the reminder: %q", m)
		}
		path := fmt.Sprintf("/en/exchanges/%d", id)
		mtl.Get(path).Expect(t, 200, "The request has waited ten days")

		mtl.Post(path+"/step", url.Values{"step": {"accepted"}}).Expect(t, 303)
		mtl.Post(path+"/step", url.Values{"step": {"done"}, "learned": {"Gute Fragen."}}).Expect(t, 303)
		before := len(mails(t, d, w.dusEd.Email))
		for _, c := range []struct {
			after time.Duration
			want  int
		}{{80 * 24 * time.Hour, 0}, {93 * 24 * time.Hour, 1}, {95 * 24 * time.Hour, 0}, {190 * 24 * time.Hour, 1}, {370 * 24 * time.Hour, 1}, {800 * 24 * time.Hour, 0}} {
			if n, err := st.FollowUp(ctx, now.Add(c.after)); err != nil || n != c.want {
				t.Fatalf("follow-ups after %v: %d (want %d) %v", c.after, n, c.want, err)
			}
		}
		if got := len(mails(t, d, w.dusEd.Email)) - before; got != 3 {
			t.Fatalf("Düsseldorf was asked %d times, want 3", got)
		}
		if m := mails(t, d, "jana.becker@duesseldorf.example"); len(m) < 3 {
			t.Fatalf("the asking contact is asked too: %q", m)
		}
		dus.Get(path).Expect(t, 200, "3 months on", "6 months on", "12 months on")
	})
}

func cityPage(t *testing.T, c *testutil.Client, id int64) string {
	t.Helper()
	res := c.Get(fmt.Sprintf("/en/cities/%d", id))
	if loc := res.Header.Get("Location"); loc != "" {
		return loc
	}
	return fmt.Sprintf("/en/cities/%d", id)
}

func regexpFind(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(body)
	if m == "" {
		t.Fatalf("no %s in the page", pattern)
	}
	return m
}

// postFile sends a message with a file the way a browser on this site does.
func postFile(t *testing.T, c *testutil.Client, path, body, name string, data []byte) *testutil.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("body", body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	base := serverURL[c]
	req, _ := http.NewRequest("POST", base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &testutil.Response{Response: res, Body: string(b)}
}

func png() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		img.Set(x, x%30, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	pngenc.Encode(&b, img)
	return b.Bytes()
}

func pdf() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}
