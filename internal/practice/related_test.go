package practice_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// Related practices share themes and words; similar cities share the
// themes of their practices. Both are stored at publication and follow
// archiving.
func TestRelatedAndSimilarCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		s := srv.App.Practices.Store
		ctx := context.Background()
		a := publish(t, s, rec(w.dus, "en", "Affordable housing around a lively square", "Homes and a square for every district.",
			"The city builds affordable homes around a public square.", "housing", "public-space"))
		b := publish(t, s, rec(w.ouaga, "en", "Affordable homes on a shared square", "Families build homes around a square.",
			"Affordable homes for families who fled, around a shared square.", "housing", "public-space", "migration"))
		c := publish(t, s, rec(w.montreal, "en", "Night libraries", "Libraries open at night.", "Reading for everyone.", "culture"))
		dd := publish(t, s, rec(w.ouaga, "en", "Social housing cooperative", "A cooperative builds social housing.", "Members share the work.", "housing"))

		rel, err := s.Related(ctx, a, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(rel) < 2 || rel[0].ID != b || rel[1].ID != dd {
			t.Fatalf("related to %d: %+v", a, rel)
		}
		if strings.Join(rel[0].Shared, " ") != "public-space housing" {
			t.Errorf("shared themes: %v", rel[0].Shared)
		}
		for _, r := range rel {
			if r.ID == c {
				t.Errorf("a practice with nothing in common is related: %+v", r)
			}
		}
		// The newer practice was offered to the older ones too.
		if rel, _ := s.Related(ctx, dd, "en"); len(rel) == 0 || rel[0].ID != b && rel[0].ID != a {
			t.Errorf("related to %d: %+v", dd, rel)
		}

		sim, err := s.SimilarCities(ctx, w.dus)
		if err != nil {
			t.Fatal(err)
		}
		if len(sim) != 1 || sim[0].City.ID != w.ouaga || !strings.Contains(strings.Join(sim[0].Shared, " "), "housing") {
			t.Fatalf("similar to Düsseldorf: %+v", sim)
		}

		pub := srv.Client()
		res := pub.Get(fmt.Sprintf("/en/practices/%d", a)).Expect(t, 301)
		pub.Get(res.Header.Get("Location")).Expect(t, 200, "Similar practices", "Affordable homes on a shared square", "shares:", "Public space, Housing")

		// The section the city page shows.
		req := httptest.NewRequest("GET", "/en/cities/dusseldorf", nil)
		html, err := srv.App.Practices.CitySection(req, w.dus)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Practices of Düsseldorf", "Affordable housing around a lively square", "Cities facing the same challenges",
			fmt.Sprintf("/en/cities/%d-ouagadougou", w.ouaga), "shares: Housing, Public space"} {
			if !strings.Contains(string(html), want) {
				t.Errorf("city section lacks %q:\n%s", want, html)
			}
		}

		// The city page shows the section, through the cities capability's hook.
		city := pub.Get("/en/cities/dusseldorf").Expect(t, 301).Header.Get("Location")
		pub.Get(city).Expect(t, 200, "Practices of Düsseldorf", "Cities facing the same challenges", fmt.Sprintf("/en/cities/%d-ouagadougou", w.ouaga))

		// Archiving takes a practice out of every related list and profile.
		if err := s.Archive(ctx, practice.Actor{}, b, ""); err != nil {
			t.Fatal(err)
		}
		rel, _ = s.Related(ctx, a, "en")
		for _, r := range rel {
			if r.ID == b {
				t.Errorf("an archived practice is still related")
			}
		}
		if err := s.Archive(ctx, practice.Actor{}, dd, ""); err != nil {
			t.Fatal(err)
		}
		if sim, _ := s.SimilarCities(ctx, w.dus); len(sim) != 0 {
			t.Errorf("similar cities after archiving Ouagadougou's practices: %+v", sim)
		}
	})
}
