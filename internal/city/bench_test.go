package city_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Measured with:
//
//	go test ./internal/city/ -run '^$' -bench . -benchtime 3s
//
// (and OBSERVATORY_TEST_POSTGRES set for the PostgreSQL figures). The
// handler is called directly, so the figures are the server's work per
// request without the network.

const benchCities = 1000

func benchServer(b *testing.B, engine string) (*testutil.Server, int64) {
	b.Helper()
	var d *db.DB
	if engine == "postgres" {
		if os.Getenv(testutil.PostgresEnv) == "" {
			b.Skip(testutil.PostgresEnv + " is not set")
		}
		d = testutil.NewPostgres(b)
	} else {
		d = testutil.NewSQLite(b)
	}
	s := testutil.NewServer(b, d)
	addCities(b, d, 0, benchCities)
	var id int64
	d.R.QueryRow(`SELECT id FROM cities WHERE slug = 'testville-0500'`).Scan(&id)
	return s, id
}

func benchGet(b *testing.B, h http.Handler, path string) {
	b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d", path, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	}
}

func BenchmarkPages(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			s, id := benchServer(b, engine)
			for name, path := range map[string]string{
				"directory":          "/en/cities",
				"directory-filtered": "/de/cities?continent=europe&sort=population&page=2",
				"city":               fmt.Sprintf("/en/cities/%d-testville-0500", id),
				"api-list":           "/api/v1/cities?limit=50",
				"figures":            "/en/figures",
			} {
				b.Run(name, func(b *testing.B) { benchGet(b, s.App.Handler, path) })
			}
		})
	}
}
