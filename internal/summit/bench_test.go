package summit_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"observatory/internal/demo"
	"observatory/internal/testutil"
)

// BenchmarkPages measures the summit pages with the demo content (the 2019
// summit: 32 delegations, 75 people, 11 sessions, 10 partners) on SQLite,
// through the whole server.
func BenchmarkPages(b *testing.B) {
	d := testutil.NewSQLite(b)
	s := testutil.NewServer(b, d)
	if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/en/summits", "/en/summits/2-dusseldorf-2019", "/en/summits/2-dusseldorf-2019/programme",
		"/feeds/summits/2.ics", "/api/v1/summits/2"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				res, err := http.Get(s.URL + path)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("%s: %v %v", path, res.StatusCode, err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}
