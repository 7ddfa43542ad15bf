package exchange_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/exchange"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// Both cities' consent is not enough for a declined or still open request,
// or for an exchange about a practice that was archived: none is public.
func TestOnlyWhatTookPlaceIsShown(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := w.srv.App.Exchanges.Store
		ctx := context.Background()
		dus, mtl := exchange.Who{CityID: w.dus}, exchange.Who{CityID: w.montreal}
		req := exchange.Request{PracticeID: w.original, FromCity: w.dus, Kind: "call", Message: "Frage", Languages: []string{"de"},
			ContactName: "Jana Becker", ContactEmail: "jana@example.org"}
		a := audit.System("test")
		open, err := st.Create(ctx, a, req)
		if err != nil {
			t.Fatal(err)
		}
		declined, _ := st.Create(ctx, a, req)
		if err := st.Step(ctx, a, mtl, declined, exchange.Step{To: exchange.Declined, Reason: "Nicht dieses Jahr."}); err != nil {
			t.Fatal(err)
		}
		accepted, _ := st.Create(ctx, a, req)
		if err := st.Step(ctx, a, mtl, accepted, exchange.Step{To: exchange.Accepted}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{open, declined, accepted} {
			for _, who := range []exchange.Who{dus, mtl} {
				if err := st.SetPublic(ctx, a, who, id, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The secretariat does not agree in a city's place.
		if err := st.SetPublic(ctx, a, exchange.Who{Secretariat: true}, open, false); err == nil {
			t.Fatal("the secretariat changed a city's consent")
		}
		list, err := st.Public(ctx)
		if err != nil || len(list) != 1 || list[0].ID != accepted {
			t.Fatalf("public: %d exchanges (%v), want only the accepted one", len(list), err)
		}
		anon := w.srv.Client()
		var api struct {
			Exchanges []struct{ ID int64 } `json:"items"`
		}
		if err := json.Unmarshal([]byte(anon.Get("/api/v1/exchanges").Expect(t, 200).Body), &api); err != nil {
			t.Fatal(err)
		}
		if len(api.Exchanges) != 1 || api.Exchanges[0].ID != accepted {
			t.Fatalf("the API shows %+v, want only exchange %d", api.Exchanges, accepted)
		}
		// Archived, the practice takes its exchanges out of public view.
		if err := w.srv.App.Practices.Store.Archive(ctx, practice.Actor{Email: "s@example.org"}, w.original, ""); err != nil {
			t.Fatal(err)
		}
		if list, _ := st.Public(ctx); len(list) != 0 {
			t.Fatalf("an exchange about an archived practice is public: %d", len(list))
		}
		anon.Get("/en/exchanges").Expect(t, 200, "No exchange has been made public yet.")
	})
}

// The secretariat's overview gives the time to a first answer (median and
// 90th percentile) and the unanswered requests; the dashboard counts them.
func TestSecretariatOverview(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := w.srv.App.Exchanges.Store
		ctx := context.Background()
		a := audit.System("test")
		req := exchange.Request{PracticeID: w.original, FromCity: w.dus, Kind: "documents", Message: "Unterlagen bitte", Languages: []string{"de"},
			ContactName: "Jana Becker", ContactEmail: "jana@example.org"}
		// Answers after 1, 2, 3 … 10 days; one request without an answer.
		for days := 1; days <= 10; days++ {
			id, err := st.Create(ctx, a, req)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Step(ctx, a, exchange.Who{CityID: w.montreal}, id, exchange.Step{To: exchange.Accepted}); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			if _, err := d.W.Exec(`UPDATE exchanges SET created_at = $1, answered_at = $2 WHERE id = $3`, at, at.AddDate(0, 0, days), id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Create(ctx, a, req); err != nil {
			t.Fatal(err)
		}
		o, err := st.Overview(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if o.WaitMedian != 5*24*time.Hour || o.WaitP90 != 9*24*time.Hour || len(o.Unanswered) != 1 || o.Total != 11 {
			t.Fatalf("median %v, p90 %v, unanswered %d, total %d", o.WaitMedian, o.WaitP90, len(o.Unanswered), o.Total)
		}
		adm := w.client(t, w.admin.Email, w.adminPw)
		adm.Get("/en/admin/exchanges").Expect(t, 200, "5.0 days", "9.0 days", "Requests without an answer")
		adm.Get("/en/admin").Expect(t, 200, "Exchange requests waiting for an answer")
		adm.Get("/de/admin/exchanges").Expect(t, 200, "Zeit bis zur ersten Antwort")
	})
}

// Whoever asks about a practice is told which cities to ask too: here
// Düsseldorf, which adopted it, and Palermo, of the same size.
func TestPeers(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := w.srv.App.Exchanges.Store
		ctx := context.Background()
		a := audit.System("test")
		id, err := st.Create(ctx, a, exchange.Request{PracticeID: w.original, FromCity: w.dus, Kind: "visit", Message: "Besuch",
			Languages: []string{"de"}, ContactName: "Jana Becker", ContactEmail: "jana@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		mtl, dus := exchange.Who{CityID: w.montreal}, exchange.Who{CityID: w.dus}
		for _, s := range []struct {
			who exchange.Who
			st  exchange.Step
		}{{mtl, exchange.Step{To: exchange.Accepted}}, {dus, exchange.Step{To: exchange.Done, Learned: "Viel"}}, {dus, exchange.Step{To: exchange.Adopted, AdaptedID: w.adapted}}} {
			if err := st.Step(ctx, a, s.who, id, s.st); err != nil {
				t.Fatal(err)
			}
		}
		st.SetPublic(ctx, a, dus, id, true)
		st.SetPublic(ctx, a, mtl, id, true)
		pal := w.client(t, w.palEd.Email, w.palPw)
		page := pal.Get(fmt.Sprintf("/en/practices/%d", w.original)).Header.Get("Location")
		pal.Get(page).Expect(t, 200, "Cities worth asking too", "Düsseldorf", "already adopted it", "practices on the same themes")
		pal.Get(fmt.Sprintf("/en/exchanges/new?practice=%d", w.original)).Expect(t, 200, "already adopted it")
	})
}
