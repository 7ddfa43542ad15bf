package news_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/demo"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// BenchmarkPages measures the news, calendar and sitemap answers through
// the real server on the demo data (SQLite):
//
//	go test -run '^$' -bench Pages -benchtime 200x ./internal/news/
func BenchmarkPages(b *testing.B) {
	d := testutil.NewSQLite(b)
	srv := testutil.NewServer(b, d)
	if _, err := demo.Load(context.Background(), d, &auth.Store{DB: d, Hasher: auth.NewHasher(0)}); err != nil {
		b.Fatal(err)
	}
	items, _, _ := srv.App.News.Store.List(context.Background(), news.Filter{Limit: 1})
	for _, path := range []string{"/de/", "/de/news", "/de" + items[0].Path("de"), "/de/calendar", "/de/calendar?view=list",
		"/de/calendar.ics", "/de/news/feed.atom", "/sitemap.xml"} {
		b.Run(path, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res, err := http.Get(srv.URL + path)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("%s: %v %v", path, res.Status, err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}
