package demo_test

import (
	"context"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// The demo summits load, and the 2019 figures read like the press reports:
// some 75 guests, 38 mayors and deputy mayors, more than 60 million residents.
func TestDemoSummits(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(0)}); err != nil {
			t.Fatal(err)
		}
		st := &summit.Store{DB: d}
		list, err := st.List(ctx, false)
		if err != nil || len(list) != 3 {
			t.Fatalf("%d summits, %v", len(list), err)
		}
		var dus, next *summit.Summit
		for _, s := range list {
			switch s.Number {
			case 2:
				dus = s
			case 3:
				next = s
			}
		}
		if dus == nil || dus.StartsOn != "2019-08-30" || dus.EndsOn != "2019-09-01" || dus.Host.Slug != "dusseldorf" {
			t.Fatalf("2019 summit: %+v", dus)
		}
		f, err := st.Figures(ctx, dus.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("2019 figures: %+v", f)
		if f.Guests != 75 || f.Mayors != 38 || f.Residents < 60_000_000 || len(f.Continents) != 4 {
			t.Errorf("2019 figures: %+v", f)
		}
		counts, _ := st.StateCounts(ctx, dus.ID)
		if counts[summit.StateWaiting] != 2 || counts[summit.StateDeclined] != 1 {
			t.Errorf("2019 states: %v", counts)
		}
		prog, err := st.Programme(ctx, dus.ID)
		if err != nil || len(prog.Venues) != 4 || len(prog.Partners) != 10 || len(prog.Speakers) != 6 {
			t.Fatalf("2019 programme: %d venues, %d partners, %d speakers, %v", len(prog.Venues), len(prog.Partners), len(prog.Speakers), err)
		}
		if !next.RegistrationOpen() || !next.BidsOpen {
			t.Errorf("third summit: %s, bids open %v", next.Status, next.BidsOpen)
		}
		bids, _ := st.Bids(ctx, next.ID, false)
		chosen, _ := st.Bids(ctx, dus.ID, false)
		if len(bids) != 3 || len(chosen) != 2 || chosen[0].State != summit.BidChosen || chosen[0].City.ID != next.Host.ID {
			t.Errorf("bids: %d open, %+v", len(bids), chosen)
		}
		// The demo's offered place has a deadline the periodic step honours.
		if err := st.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
