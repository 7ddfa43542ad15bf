package exchange_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/auth"
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

		// Tokens: a read:private token of either city gets its inbox's
		// exchanges as "own", still without their words; a third city's
		// token, a token without the scope and the public get only the
		// shown one, and never an answer given to a token.
		token := func(u *auth.User, scope string) string {
			secret, _, err := w.srv.App.Users.CreateToken(ctx, a, u, "test", []string{scope}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return "Bearer " + secret
		}
		type answer struct {
			Items []struct{ ID int64 }
			Own   *[]struct {
				ID    int64
				State string
			}
		}
		get := func(auth string) (answer, *testutil.Response) {
			t.Helper()
			var res *testutil.Response
			if auth == "" {
				res = anon.Get("/api/v1/exchanges").Expect(t, 200)
			} else {
				res = anon.Get("/api/v1/exchanges", "Authorization", auth).Expect(t, 200)
				if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
					t.Errorf("an answer to a token is %q", cc)
				}
			}
			res.Lacks(t, secrets...)
			var out answer
			if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
				t.Fatal(err)
			}
			return out, res
		}
		onlyShown := func(who string, x answer) {
			t.Helper()
			if x.Own != nil && len(*x.Own) != 0 || len(x.Items) != 1 || x.Items[0].ID != shown {
				t.Errorf("%s: %+v", who, x)
			}
		}
		dusReader, mtlReader := token(w.dusEd, auth.ScopeReadPrivate), token(w.mtlEd, auth.ScopeReadPrivate)
		// Asked by a token first, twice: the public still gets its own answer.
		for range 2 {
			for _, tok := range []string{dusReader, mtlReader} {
				x, _ := get(tok)
				if x.Own == nil || len(*x.Own) != 4 || len(x.Items) != 1 {
					t.Fatalf("read:private: %+v", x)
				}
				states := map[string]bool{}
				for _, e := range *x.Own {
					states[e.State] = true
				}
				if !states["requested"] || !states["declined"] || !states["accepted"] || !states["done"] {
					t.Errorf("own exchanges' states: %v", states)
				}
			}
			x, res := get("")
			onlyShown("the public", x)
			if strings.Contains(res.Body, `"own"`) {
				t.Fatalf("a token's answer reached the public:\n%s", res.Body)
			}
		}
		// The inbox page lists the same exchanges to the editor signed in.
		dusPage := w.client(t, w.dusEd.Email, w.dusPw)
		for _, id := range []int64{declined, half, shown} {
			dusPage.Get("/en/exchanges").Expect(t, 200, fmt.Sprintf("/en/exchanges/%d", id))
		}
		// Another city's editor: their inbox, empty.
		x, _ := get(token(w.palEd, auth.ScopeReadPrivate))
		onlyShown("another city's token", x)
		x, _ = get(token(w.dusEd, auth.ScopePracticesWrite))
		onlyShown("a token without read:private", x)
		if x.Own != nil {
			t.Errorf("a token without read:private got own: %+v", *x.Own)
		}
	})
}
