package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

// Invented cities are members like the others: in the directory and its
// map, each with a mayor and a partner, and a delegation to the first
// summit that its page shows.
func TestGeneratedCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		ctx := context.Background()
		if _, err := demo.Load(ctx, d, s.App.Users); err != nil {
			t.Fatal(err)
		}
		var before int
		d.R.QueryRow(`SELECT COUNT(*) FROM cities`).Scan(&before)
		if err := demo.Cities(ctx, d, 40, 7); err != nil {
			t.Fatal(err)
		}
		var cities, mayors, partnered, delegations int
		d.R.QueryRow(`SELECT COUNT(*) FROM cities`).Scan(&cities)
		d.R.QueryRow(`SELECT COUNT(DISTINCT city_id) FROM city_people WHERE name LIKE '(demo) Mayor of %'`).Scan(&mayors)
		d.R.QueryRow(`SELECT COUNT(DISTINCT city_id) FROM city_partnerships`).Scan(&partnered)
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegations WHERE summit_id = (SELECT id FROM summits ORDER BY number LIMIT 1)`).Scan(&delegations)
		if cities != before+40 || mayors < 40 || partnered < 39 || delegations < 40 {
			t.Fatalf("cities %d (before %d), with a mayor %d, with a partner %d, delegations %d", cities, before, mayors, partnered, delegations)
		}
		var id int64
		var name string
		d.R.QueryRow(`SELECT id, name FROM cities ORDER BY id DESC LIMIT 1`).Scan(&id, &name)
		c := s.Client()
		dir := c.Get("/en/cities").Expect(t, 200)
		if n := strings.Count(dir.Body, `class="point member`); n < cities-5 {
			t.Errorf("the map shows %d member points of %d cities", n, cities)
		}
		c.Get(fmt.Sprintf("/en/cities/%d", id)).Expect(t, 301)
		var summit int64
		d.R.QueryRow(`SELECT id FROM summits ORDER BY number LIMIT 1`).Scan(&summit)
		loc := c.Get(fmt.Sprintf("/en/summits/%d", summit)).Header.Get("Location")
		c.Get(loc).Expect(t, 200, name)
	})
}
