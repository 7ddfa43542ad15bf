package exchange_test

import (
	"context"
	"fmt"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/exchange"
	"observatory/internal/testutil"
)

// Nothing of an exchange's thread, request or report reaches the public or
// a third city — not on a page, in a search, a feed, the API or an export —
// whatever the state and even when both cities agreed to show it; and an
// exchange not both agreed to show is not shown at all.
func TestPrivateThreadsAreInvisibleEverywhere(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := w.srv.App.Exchanges.Store
		ctx := context.Background()
		a := audit.System("test")
		dus, mtl := exchange.Who{CityID: w.dus}, exchange.Who{CityID: w.montreal}
		req := func(word string) int64 {
			id, err := st.Create(ctx, a, exchange.Request{PracticeID: w.original, FromCity: w.dus, Kind: "visit",
				Message: "Anfrage " + word, ProposedDates: "Termin " + word, Languages: []string{"de"},
				ContactName: "Kontakt " + word, ContactEmail: word + "@example.org"})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Post(ctx, a, mtl, id, "Faden "+word, &exchange.Upload{Name: word + ".pdf", ContentType: "application/pdf",
				Data: pdf(), SHA256: "x"}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		step := func(id int64, who exchange.Who, s exchange.Step) {
			t.Helper()
			if err := st.Step(ctx, a, who, id, s); err != nil {
				t.Fatal(err)
			}
		}
		agree := func(id int64, whos ...exchange.Who) {
			for _, who := range whos {
				if err := st.SetPublic(ctx, a, who, id, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Requested, declined, accepted with one side agreeing, and done
		// with both agreeing (shown, but without its words).
		agree(req("Offenwort"), dus, mtl)
		declined := req("Ablehnwort")
		step(declined, mtl, exchange.Step{To: exchange.Declined, Reason: "Grund Ablehnwort"})
		agree(declined, dus, mtl)
		half := req("Halbwort")
		step(half, mtl, exchange.Step{To: exchange.Accepted})
		agree(half, dus)
		shown := req("Zeigwort")
		step(shown, mtl, exchange.Step{To: exchange.Accepted})
		step(shown, mtl, exchange.Step{To: exchange.Scheduled, Date: "2026-06-01", Place: "Ort Zeigwort"})
		step(shown, dus, exchange.Step{To: exchange.Done, Learned: "Gelernt Zeigwort", WillTry: "Versuch Zeigwort"})
		agree(shown, dus, mtl)

		secrets := []string{"Offenwort", "Ablehnwort", "Halbwort", "Zeigwort", "Kontakt ", ".pdf"}
		pal := w.client(t, w.palEd.Email, w.palPw)
		anon := w.srv.Client()
		pages := []string{"/en/exchanges", "/en/exchanges/network", "/en/figures", "/en/practices", fmt.Sprintf("/en/practices/%d", w.original),
			fmt.Sprintf("/en/cities/%d", w.montreal), fmt.Sprintf("/en/cities/%d", w.dus), "/en/practices/feed.atom", "/en/practices/feed.rss",
			"/en/practices/feed.json", "/en/practices/export.csv", "/en/practices/export.json", "/api/v1/practices", "/api/v1/exchanges",
			"/api/v1/figures", "/api/v1/cities", "/en/cities.csv", "/en/"}
		for _, c := range []*testutil.Client{anon, pal} {
			for _, p := range pages {
				res := c.Get(p)
				if loc := res.Header.Get("Location"); loc != "" && res.StatusCode/100 == 3 {
					res = c.Get(loc)
				}
				res.Lacks(t, secrets...)
			}
			for _, q := range []string{"Offenwort", "Zeigwort", "Faden"} {
				c.Get("/en/practices?q="+q).Expect(t, 200, "0 practices")
			}
		}
		// Only the exchange both agreed to show, and only as facts.
		list, err := st.Public(ctx)
		if err != nil || len(list) != 1 || list[0].ID != shown {
			t.Fatalf("public exchanges: %v %v", list, err)
		}
		anon.Get("/en/exchanges/network").Expect(t, 200, "Düsseldorf → Montreal", "A study visit, done")
		// The secretariat's export holds facts, not words.
		adm := w.client(t, w.admin.Email, w.adminPw)
		adm.Get("/en/admin/exchanges.csv").Expect(t, 200, "declined", "done").Lacks(t, secrets...)
	})
}
