package practice_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// benchDB is a library for benchmarks: the SQLite file or PostgreSQL URL
// in OBSERVATORY_BENCH_DB (seeded with `observatory seed --demo --scale
// 100000`), else 20,000 practices generated here.
func benchDB(b *testing.B) *db.DB {
	b.Helper()
	if dsn := os.Getenv("OBSERVATORY_BENCH_DB"); dsn != "" {
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		return d
	}
	d := testutil.NewSQLite(b)
	newWorld(b, d)
	if err := demo.Scale(context.Background(), d, 20000, 1, nil); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkSearch runs searches through the store, uncached (a new
// snapshot each time would be unfair; the hit cache is cleared instead)
// and cached.
func BenchmarkSearch(b *testing.B) {
	d := benchDB(b)
	s := practice.NewStore(d)
	ctx := context.Background()
	if err := s.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	for _, q := range []practice.Params{
		{Q: "stadt"}, {Q: "city"}, {Q: "ville"}, {Q: "Schulen"}, {Q: "écoles"}, {Q: `"lively square"`}, {Q: "housing -rent"},
		{Q: "zebra"}, {}, {Themes: []string{"housing"}}, {Q: "city", Themes: []string{"housing"}, Cities: []string{"dusseldorf"}},
		{Sort: "title"},
	} {
		q.Lang, q.Size, q.Page = "en", 20, 1
		name := fmt.Sprintf("q=%s/theme=%v/sort=%s", q.Q, q.Themes, q.Sort)
		b.Run(name+"/cold", func(b *testing.B) {
			for range b.N {
				s.ForgetCache()
				if _, err := s.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/cached", func(b *testing.B) {
			for range b.N {
				if _, err := s.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPages renders the practice page and the list page in-process.
func BenchmarkPages(b *testing.B) {
	d := benchDB(b)
	srv := testutil.NewServer(b, d)
	ctx := context.Background()
	res, err := srv.App.Practices.Store.Search(ctx, practice.Params{Lang: "en", Size: 50, Page: 1})
	if err != nil || len(res.Items) == 0 {
		b.Fatal(err)
	}
	h := srv.App.Handler
	for _, path := range []string{"/en" + res.Items[7].Path(), "/en/practices", "/en/practices?q=city", "/de/practices?q=Stadt&theme=housing"} {
		for _, cached := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/page-cache=%v", path, cached), func(b *testing.B) {
				for range b.N {
					w := httptest.NewRecorder()
					req := httptest.NewRequest("GET", path, nil)
					if !cached {
						req.Header.Set("Cookie", "observatory_session=none") // as if signed in: rendered each time
					}
					h.ServeHTTP(w, req)
					if w.Code != 200 {
						b.Fatalf("%s: %d", path, w.Code)
					}
				}
			})
		}
	}
}

// BenchmarkMix replays a loadgen-like mix in-process (page views,
// searches, facets), mostly uncached, to profile the whole request path.
func BenchmarkMix(b *testing.B) {
	d := benchDB(b)
	srv := testutil.NewServer(b, d)
	ctx := context.Background()
	res, err := srv.App.Practices.Store.Search(ctx, practice.Params{Lang: "en", Size: 100, Page: 1})
	if err != nil {
		b.Fatal(err)
	}
	var pages []string
	for _, it := range res.Items {
		pages = append(pages, it.Path())
	}
	words := []string{"city", "stadt", "ville", "housing", "wohnungen", "logement", "square", "platz", "schools", "écoles", "violence", "neighbours"}
	facets := []string{"theme=housing", "theme=education", "city=dusseldorf", "continent=africa", "status=running", "year=2019"}
	h := srv.App.Handler
	b.ResetTimer()
	for i := range b.N {
		lang := []string{"de", "en", "fr"}[i%3]
		var path string
		switch i % 10 {
		case 0, 1, 2, 3:
			path = "/" + lang + pages[i%len(pages)]
		case 4, 5, 6:
			path = "/" + lang + "/practices?q=" + words[i%len(words)]
		case 7:
			path = "/" + lang + "/practices?q=" + words[i%len(words)] + "&" + facets[i%len(facets)]
		case 8:
			path = "/" + lang + "/practices?" + facets[i%len(facets)] + fmt.Sprintf("&page=%d", 1+i%5)
		default:
			path = "/api/v1/practices?q=" + words[i%len(words)]
		}
		if i%50 == 0 {
			srv.App.Practices.Store.ForgetCache() // keep most answers uncached
		}
		w := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Cookie", "observatory_session=none") // no page cache
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}
