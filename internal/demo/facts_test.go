package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

// The demo tells one story: the numbers its texts give are those of its
// data, a city signs in person only at a summit its delegation attended,
// and a delegation is led by the mayor in office at the time, never a
// former one.
func TestDemoFactsAgree(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(0)}); err != nil {
			t.Fatal(err)
		}
		var cities, countries int
		if err := d.R.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT c.country) FROM summit_delegations g JOIN summits s ON s.id = g.summit_id
			JOIN cities c ON c.id = g.city_id WHERE s.starts_on = '2019-08-30' AND g.state = 'confirmed'`).Scan(&cities, &countries); err != nil {
			t.Fatal(err)
		}
		var signed int
		d.R.QueryRow(`SELECT COUNT(*) FROM declaration_signatures g JOIN declarations x ON x.id = g.declaration_id WHERE x.adopted_on = '2019-08-31'`).Scan(&signed)
		claim := fmt.Sprintf("the delegations of %d cities from %d countries; %d cities have signed it", cities, countries, signed)
		var intro string
		d.R.QueryRow(`SELECT intro FROM declarations WHERE adopted_on = '2019-08-31'`).Scan(&intro)
		if !strings.Contains(intro, claim) {
			t.Errorf("the declaration's introduction does not say %q: %s", claim, intro)
		}
		var news int
		d.R.QueryRow(`SELECT COUNT(*) FROM news_items WHERE body LIKE $1`, fmt.Sprintf("%%the delegations of %d cities from %d countries%%", cities, countries)).Scan(&news)
		if news == 0 {
			t.Errorf("no news item gives the summit's %d cities from %d countries", cities, countries)
		}

		// In person only where the delegation was confirmed for the summit.
		rows, err := d.R.Query(`SELECT c.name, x.adopted_on FROM declaration_signatures g JOIN declarations x ON x.id = g.declaration_id
			JOIN cities c ON c.id = g.city_id WHERE g.mode = 'in_person' AND NOT EXISTS (
				SELECT 1 FROM summit_delegations sd JOIN summits s ON s.id = sd.summit_id
				WHERE sd.city_id = g.city_id AND sd.state = 'confirmed' AND s.starts_on <= x.adopted_on AND s.ends_on >= x.adopted_on)`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, day string
			rows.Scan(&name, &day)
			t.Errorf("%s signs in person on %s without a delegation at the summit", name, day)
		}
		rows.Close()

		// Heads of delegation who are mayors were in office on the summit's first day.
		rows, err = d.R.Query(`SELECT p.name, s.starts_on, COALESCE(cp.term_end, '') FROM summit_delegates p
			JOIN summit_delegations sd ON sd.id = p.delegation_id JOIN summits s ON s.id = sd.summit_id
			JOIN city_people cp ON cp.city_id = sd.city_id AND cp.name = p.name AND cp.role = 'mayor'
			WHERE p.is_head = TRUE`)
		if err != nil {
			t.Fatal(err)
		}
		heads := 0
		for rows.Next() {
			var name, start, end string
			rows.Scan(&name, &start, &end)
			heads++
			if end != "" && end < start[:len(end)] {
				t.Errorf("%s leads a delegation on %s, after leaving office in %s", name, start, end)
			}
		}
		rows.Close()
		if heads < 10 {
			t.Errorf("only %d heads of delegation are mayors of the directory", heads)
		}
	})
}
