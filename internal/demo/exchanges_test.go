package demo

import (
	"context"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/exchange"
	"observatory/internal/testutil"
)

// The demo exchanges: every state, Düsseldorf asking Montréal, and a
// practice that two cities adopted, shown in public.
func TestDemoExchanges(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(1)}); err != nil {
			t.Fatal(err)
		}
		st := &exchange.Store{DB: d}
		all, err := st.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		dusMtl := false
		for _, e := range all {
			states[e.State]++
			if e.From.Slug == "dusseldorf" && e.To.Slug == "montreal" {
				dusMtl = true
			}
		}
		for _, s := range exchange.States {
			if states[s] == 0 {
				t.Errorf("no demo exchange is %s (%v)", s, states)
			}
		}
		if !dusMtl {
			t.Error("Düsseldorf does not ask Montréal")
		}
		adopted := map[int64]int{}
		pub, err := st.Public(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range pub {
			if e.State == exchange.Adopted && e.Adapted != nil && e.Adapted.Published {
				adopted[e.Practice.ID]++
			}
		}
		two := false
		for id, n := range adopted {
			if n >= 2 {
				two = true
				if by, _ := st.AdoptedBy(ctx, id); len(by) < 2 {
					t.Errorf("practice %d adopted by %d in public", id, len(by))
				}
			}
		}
		if !two {
			t.Errorf("no practice adopted by two cities in public: %v", adopted)
		}
	})
}
