package practice_test

import (
	"context"
	"fmt"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Warming the search at start loads what the first searches need: on a
// warmed server the first search reads less from the database than on a
// cold one, finds the same, and later publications still show.
func TestSearchWarmUp(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		cold, warm := testutil.NewServer(t, d), testutil.NewServer(t, d)
		if err := warm.App.Practices.Store.Warm(context.Background()); err != nil {
			t.Fatalf("warming an empty library: %v", err)
		}
		w := newWorld(t, d)
		for i := range 30 {
			publish(t, cold.App.Practices.Store, rec(w.dus, "en", fmt.Sprintf("Neighbourhood garden %02d", i),
				"A garden for the street.", "Neighbours plant vegetables together.", "public-space"))
		}
		if err := warm.App.Practices.Store.Warm(context.Background()); err != nil {
			t.Fatal(err)
		}
		first := func(s *testutil.Server) int64 {
			before := testutil.Statements(d)
			s.Client().Get("/en/practices?q=vegetables").Expect(t, 200, "30 practices", "Neighbourhood garden")
			return testutil.Statements(d) - before
		}
		c, h := first(cold), first(warm)
		t.Logf("the first search: %d statements on a cold server, %d on a warmed one", c, h)
		if h >= c {
			t.Errorf("the first search ran %d statements on the warmed server and %d on a cold one", h, c)
		}
		// Warm is not frozen: a practice published afterwards is found.
		publish(t, cold.App.Practices.Store, rec(w.ouaga, "en", "Vegetables on the school roof", "A roof garden.", "Pupils grow vegetables.", "education"))
		warm.Client().Get("/en/practices?q=vegetables").Expect(t, 200, "31 practices", "Vegetables on the school roof")
	})
}
