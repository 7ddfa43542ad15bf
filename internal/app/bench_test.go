package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

// BenchmarkFirstRender times pages rendered afresh (not from the answer
// cache) with the demo content and 1,000 more member cities, as
// `observatory seed --demo --cities 1000` makes them: the directory with
// its maps and the first summit's page with a delegation of each city.
// Measured with:
//
//	go test ./internal/app/ -run '^$' -bench FirstRender -benchtime 50x
//
// (and OBSERVATORY_TEST_POSTGRES set for the PostgreSQL figures). Each
// request has a query never asked before, which the cache does not keep.
func BenchmarkFirstRender(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
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
			ctx := context.Background()
			if _, err := demo.Load(ctx, d, s.App.Users); err != nil {
				b.Fatal(err)
			}
			if err := demo.Cities(ctx, d, 1000, 1); err != nil {
				b.Fatal(err)
			}
			var summit int64
			if err := d.R.QueryRow(`SELECT id FROM summits ORDER BY number LIMIT 1`).Scan(&summit); err != nil {
				b.Fatal(err)
			}
			for _, page := range []struct{ name, path string }{
				{"directory", "/en/cities"},
				{"summit", "/en/summits/" + strconv.FormatInt(summit, 10)},
			} {
				b.Run(page.name, func(b *testing.B) {
					path := page.path
					if rec := get(s.App.Handler, path); rec.Code == http.StatusMovedPermanently {
						path = rec.Header().Get("Location") // the address with the summit's name
					}
					n := 0
					cpu := cpuTime()
					for b.Loop() {
						n++
						if rec := get(s.App.Handler, path+"?first="+strconv.Itoa(n)); rec.Code != http.StatusOK || rec.Header().Get("X-Cache") != "" {
							b.Fatalf("%s: %d, X-Cache %q", path, rec.Code, rec.Header().Get("X-Cache"))
						}
					}
					// The process's processor time per render: on a shared,
					// loaded machine the wall time says more about the others.
					b.ReportMetric(float64(cpuTime()-cpu)/float64(n)/1e6, "cpu-ms/op")
				})
			}
		})
	}
}

// cpuTime is the processor time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

// BenchmarkKeptAnswer times a page answered from the answer cache through
// the whole handler chain, as visitors without a session get it (gzip),
// 16 at a time:
//
//	go test ./internal/app/ -run '^$' -bench KeptAnswer -benchmem
func BenchmarkKeptAnswer(b *testing.B) {
	d := testutil.NewSQLite(b)
	s := testutil.NewServer(b, d)
	if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/en/news", "/en/cities"} {
		b.Run(path, func(b *testing.B) {
			get(s.App.Handler, path)
			b.SetParallelism(8) // 16 clients on 2 cores, as tools/cachebench
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				for pb.Next() {
					rec := httptest.NewRecorder()
					s.App.Handler.ServeHTTP(rec, req)
					if rec.Header().Get("X-Cache") != "hit" {
						b.Errorf("%s: X-Cache %q", path, rec.Header().Get("X-Cache"))
						return
					}
				}
			})
		})
	}
}
