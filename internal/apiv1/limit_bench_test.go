package apiv1_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"observatory/internal/apiv1"
	"observatory/internal/testutil"
)

// BenchmarkLimiter measures what the shared rate limit adds to an API
// request: counting in memory only, one address reserving blocks of ten
// from the database, and a new address for every request (one statement
// each, the worst case).
func BenchmarkLimiter(b *testing.B) {
	d := testutil.NewSQLite(b)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, c := range []struct {
		name   string
		db     bool
		spread bool
	}{{"memory", false, false}, {"database-one-address", true, false}, {"database-new-address-each", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			l := &apiv1.Limiter{Limit: 1 << 30, Block: 10}
			if c.db {
				l.DB = d
			}
			h := apiv1.Middleware(nil, l)(next)
			b.ResetTimer()
			for i := range b.N {
				r := httptest.NewRequest("POST", "/api/v1/x", nil)
				r.RemoteAddr = "192.0.2.1:1000"
				if c.spread {
					r.RemoteAddr = "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255) + ":1000"
				}
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
