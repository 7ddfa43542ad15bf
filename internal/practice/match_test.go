package practice_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// A search with one facet selected, answered from the search without the
// selection, finds, orders and counts exactly as visiting every hit does.
func TestMatchWithinEqualsMatchAll(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i, c := range []struct{ slug, name, country, continent string }{
			{"dusseldorf", "Düsseldorf", "DE", "europe"}, {"montreal", "Montréal", "CA", "north-america"},
			{"ouagadougou", "Ouagadougou", "BF", "africa"}, {"lyon", "Lyon", "FR", "europe"},
		} {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO cities (slug, name, names, country, continent, lat, lon, membership, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 0, 0, 'member', $6, $6)`, c.slug, c.name, i18n.Text{}, c.country, c.continent, db.Now()); err != nil {
				t.Fatal(i, err)
			}
		}
		s := practice.NewStore(d)
		if err := demo.Scale(ctx, d, 1500, 7, nil); err != nil {
			t.Fatal(err)
		}
		selections := []practice.Params{
			{Themes: []string{"housing"}}, {Themes: []string{"housing", "education"}}, {Themes: []string{"no-such-theme"}},
			{Groups: []string{"children"}}, {Continents: []string{"europe"}}, {Countries: []string{"fr", "CA"}},
			{Cities: []string{"montreal"}}, {Statuses: []string{"completed"}}, {Years: []int{2015, 2016, 2017}},
		}
		compared := 0
		for _, q := range []string{"", "stadt", "city -housing", "écoles", `"public space"`, "zebra"} {
			for _, sort := range []string{"", practice.SortNewest, practice.SortTitle} {
				for _, sel := range selections {
					p := sel
					p.Q, p.Sort, p.Lang, p.Page, p.Size = q, sort, "fr", 1, 20
					within, all, err := s.MatchBothWays(ctx, p)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("q=%q sort=%q %+v", q, sort, sel)
					if !reflect.DeepEqual(within.Found, all.Found) && !(len(within.Found) == 0 && len(all.Found) == 0) {
						t.Errorf("%s: found %d, visiting every hit found %d", name, len(within.Found), len(all.Found))
					}
					if within.Total != all.Total || within.Sort != all.Sort {
						t.Errorf("%s: total %d sort %s, want %d %s", name, within.Total, within.Sort, all.Total, all.Sort)
					}
					if !reflect.DeepEqual(within.Facets, all.Facets) {
						t.Errorf("%s: facets\n%+v\nwant\n%+v", name, within.Facets, all.Facets)
					}
					if all.Total > 0 {
						compared++
					}
				}
			}
		}
		if compared < 60 {
			t.Errorf("only %d searches with results compared", compared)
		}
	})
}
