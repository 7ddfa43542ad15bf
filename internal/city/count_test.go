package city_test

import (
	"fmt"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// The directory, the API list, the CSV, the figures and a city page run
// the same number of statements for 50 cities as for 10: nothing is
// fetched per city.
func TestStatementsDoNotGrowWithCities(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, testutil.NoAPILimit)
		c := s.Client()
		pages := []string{"/en/cities", "/en/cities?status=all&sort=population", "/en/cities.csv", "/api/v1/cities?limit=200",
			"/en/figures", "/api/v1/figures", "/en/"}
		measure := func() map[string]int64 {
			out := map[string]int64{}
			for _, p := range append(pages, fmt.Sprintf("/en/cities/%d-testville-0000", cityID(t, d, "testville-0000"))) {
				c.Get(p) // warm: first requests may set up a session or caches
				before := testutil.Statements(d)
				c.Get(p).Expect(t, 200)
				out[p] = testutil.Statements(d) - before
			}
			return out
		}
		addCities(t, d, 0, 10)
		at10 := measure()
		addCities(t, d, 10, 40)
		at50 := measure()
		for p, n := range at10 {
			if n == 0 {
				t.Errorf("%s: no statements counted; the counter is not wired", p)
			}
			if at50[p] != n {
				t.Errorf("%s: %d statements for 10 cities, %d for 50", p, n, at50[p])
			} else {
				t.Logf("%s: %d statements at 10 and at 50 cities", p, n)
			}
		}
	})
}
