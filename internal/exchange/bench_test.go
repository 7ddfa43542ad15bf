package exchange_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/demo"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

// benchServer is the demo network with 5,000 generated practices.
func benchServer(b *testing.B) (*testutil.Server, int64, *web.Viewer) {
	d := testutil.NewSQLite(b)
	srv := testutil.NewServer(b, d)
	ctx := context.Background()
	if _, err := demo.Load(ctx, d, srv.App.Users); err != nil {
		b.Fatal(err)
	}
	if err := demo.Scale(ctx, d, 5000, 1, nil); err != nil {
		b.Fatal(err)
	}
	var original, palermo int64
	d.R.QueryRow(`SELECT e.practice_id FROM exchanges e WHERE e.state = 'adopted' LIMIT 1`).Scan(&original)
	d.R.QueryRow(`SELECT id FROM cities WHERE slug = 'palermo'`).Scan(&palermo)
	return srv, original, &web.Viewer{ID: 1, Role: auth.RoleEditor, CityID: palermo}
}

// BenchmarkPracticeSection measures the exchanges' part of a practice page
// for an editor of another city (adopted by, the way to ask, the peers).
func BenchmarkPracticeSection(b *testing.B) {
	srv, original, v := benchServer(b)
	h := srv.App.Exchanges
	var city int64
	srv.App.DB.R.QueryRow(`SELECT city_id FROM practices WHERE id = $1`, original).Scan(&city)
	r := httptest.NewRequest("GET", "/en/practices/1", nil)
	r = r.WithContext(web.WithViewer(r.Context(), v))
	b.ResetTimer()
	for range b.N {
		if html, err := h.PracticeSection(r, original, city); err != nil || html == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkNetworkPage measures the public network page through the router.
func BenchmarkNetworkPage(b *testing.B) {
	srv, _, _ := benchServer(b)
	c := srv.Client()
	b.ResetTimer()
	for range b.N {
		if res := c.Get("/en/exchanges/network"); res.StatusCode != 200 {
			b.Fatal(res.StatusCode)
		}
	}
}
