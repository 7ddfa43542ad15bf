package demo_test

import (
	"context"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

func TestDemoCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(0)}); err != nil {
			t.Fatal(err)
		}
		s := &city.Store{DB: d}
		for _, slug := range []string{"dusseldorf", "montreal", "warsaw", "ouagadougou", "dhaka-north", "new-york", "porto-novo", "kolkata", "toulouse", "malaga"} {
			if _, err := s.BySlug(ctx, slug); err != nil {
				t.Errorf("%s: %v", slug, err)
			}
		}
		all, err := s.List(ctx, city.Filter{Status: "all"})
		if err != nil || len(all) < 36 {
			t.Fatalf("%d cities, %v", len(all), err)
		}
		dus, _ := s.BySlug(ctx, "dusseldorf")
		ps, err := s.Partnerships(ctx, dus.ID)
		if err != nil || len(ps) != 8 {
			t.Fatalf("Düsseldorf's partnerships: %d, %v", len(ps), err)
		}
		w, _ := s.BySlug(ctx, "warsaw")
		wp, _ := s.Partnerships(ctx, w.ID)
		if len(wp) != 1 || wp[0].Other.ID != dus.ID || wp[0].Since != 1989 {
			t.Errorf("Warsaw's partnerships: %+v", wp)
		}
	})
}
