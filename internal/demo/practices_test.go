package demo

import (
	"context"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// The demo library: at least 20 published practices over several cities,
// themes and the three languages, plus work in progress for the review queue.
func TestDemoPractices(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(1)}); err != nil {
			t.Fatal(err)
		}
		s := practice.NewStore(d)
		res, err := s.Search(ctx, practice.Params{Lang: "en", Size: 100, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total < 20 {
			t.Fatalf("%d published demo practices", res.Total)
		}
		langs, cities := map[string]int{}, map[string]int{}
		for _, it := range res.Items {
			langs[it.Lang]++
			cities[it.City.Slug]++
		}
		if langs["de"] < 3 || langs["en"] < 3 || langs["fr"] < 3 || len(cities) < 12 {
			t.Errorf("languages %v, cities %v", langs, cities)
		}
		for _, q := range []string{"Schule", "écoles", "bezahlbar", "violence", "Platz"} {
			if r, err := s.Search(ctx, practice.Params{Q: q, Lang: "en", Size: 5, Page: 1}); err != nil || r.Total == 0 {
				t.Errorf("search %q finds nothing in the demo (%v)", q, err)
			}
		}
		var waiting int
		d.R.QueryRow(`SELECT COUNT(*) FROM practices WHERE review = 'submitted'`).Scan(&waiting)
		if waiting < 2 {
			t.Errorf("%d demo practices wait for review", waiting)
		}
	})
}
