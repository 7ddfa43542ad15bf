package app_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// The public answers come from one cache: kept after the first view,
// compressed once, revalidated by ETag, and never older than the last
// change made through any page.
func TestPublicAnswersAreCachedAndNeverStale(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		id := testutil.AddCity(t, d, testutil.City{Slug: "lyon", Name: "Lyon", Country: "FR", Continent: "europe", Population: 500000, Lat: 45.76, Lon: 4.84})
		c := s.Client()
		for _, path := range []string{"/en/cities", fmt.Sprintf("/en/cities/%d-lyon", id), "/en/", "/api/v1/cities", "/en/figures"} {
			first := c.Get(path).Expect(t, 200)
			if first.Header.Get("X-Cache") != "" {
				t.Errorf("%s: first view came from the cache", path)
			}
			again := c.Get(path).Expect(t, 200)
			if again.Header.Get("X-Cache") != "hit" || again.Body != first.Body {
				t.Errorf("%s: second view X-Cache %q, same body %v", path, again.Header.Get("X-Cache"), again.Body == first.Body)
			}
			// A kept answer carries what the page made afresh carries: the
			// security headers, a request id of its own, the same type.
			for k := range first.Header {
				switch k {
				case "Date", "X-Request-Id", "Ratelimit-Remaining", "Ratelimit-Reset": // of each request
					continue
				case "Vary":
					if a, b := varies(again.Header.Values(k)), varies(first.Header.Values(k)); !slices.Equal(a, b) {
						t.Errorf("%s: Vary %v when kept, %v afresh", path, a, b)
					}
					continue
				}
				if again.Header.Get(k) != first.Header.Get(k) {
					t.Errorf("%s: %s is %q when kept, %q afresh", path, k, again.Header.Get(k), first.Header.Get(k))
				}
			}
			if id := again.Header.Get("X-Request-Id"); id == "" || id == first.Header.Get("X-Request-Id") {
				t.Errorf("%s: kept answer's request id %q", path, id)
			}
			etag := again.Header.Get("ETag")
			if etag == "" || !strings.Contains(again.Header.Get("Cache-Control"), "public") {
				t.Errorf("%s: ETag %q, Cache-Control %q", path, etag, again.Header.Get("Cache-Control"))
			}
			if res := c.Get(path, "If-None-Match", etag); res.StatusCode != 304 || res.Body != "" {
				t.Errorf("%s with its ETag: %d", path, res.StatusCode)
			}
			// zstd for those who take it, the same page unpacked.
			z := c.Get(path, "Accept-Encoding", "zstd, gzip")
			if z.Header.Get("Content-Encoding") != "zstd" {
				t.Errorf("%s: a client taking zstd got %q", path, z.Header.Get("Content-Encoding"))
			} else if plain, err := unzstd([]byte(z.Body)); err != nil || plain != first.Body {
				t.Errorf("%s: zstd answer differs from the page (%v)", path, err)
			}
		}

		// A change made through a form shows at once on every kept page.
		admin, pw := s.User(auth.RoleAdmin, 0)
		ac := s.Client()
		ac.Login(admin.Email, pw)
		form := url.Values{"name": {"Lugdunum"}, "country": {"FR"}, "lat": {"45.76"}, "lon": {"4.84"}, "timezone": {"Europe/Paris"},
			"population": {"500000"}, "population_year": {"2018"}, "description_lang": {"fr"}}
		ac.Post(fmt.Sprintf("/en/cities/%d/edit", id), form).Expect(t, 303)
		c.Get("/en/cities").Expect(t, 200, "Lugdunum")
		c.Get(fmt.Sprintf("/en/cities/%d-lugdunum", id)).Expect(t, 200, "Lugdunum")
		c.Get("/api/v1/cities").Expect(t, 200, "Lugdunum")

		// Signed-in people get their own page, which no shared cache keeps.
		for range 2 {
			res := ac.Get("/en/cities").Expect(t, 200)
			if res.Header.Get("X-Cache") != "" || !strings.Contains(res.Header.Get("Cache-Control"), "private") {
				t.Errorf("signed-in: X-Cache %q, Cache-Control %q", res.Header.Get("X-Cache"), res.Header.Get("Cache-Control"))
			}
		}
		// Pages of one visitor are not kept.
		for range 2 {
			if res := c.Get("/en/login"); res.Header.Get("X-Cache") != "" {
				t.Error("the sign-in page came from the cache")
			}
		}
	})
}

// varies lists the header names of Vary values, sorted, once each.
func varies(values []string) []string {
	var out []string
	for _, v := range values {
		for f := range strings.SplitSeq(v, ",") {
			out = append(out, http.CanonicalHeaderKey(strings.TrimSpace(f)))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func unzstd(b []byte) (string, error) {
	zr, err := zstd.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	return string(out), err
}

// Kept API answers count toward the rate limit like the others, once
// each, and past it the client gets the 429 problem, not the answer.
func TestKeptAPIAnswersCountTowardTheLimit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, func(c *config.Config) { c.APILimit = 4 })
		s.App.APILimit.Window = 24 * time.Hour // no new window during the test
		s.App.APILimit.Block = 1               // each request reserved in the database, to count them there too
		c := s.Client()
		for i := range 4 {
			res := c.Get("/api/v1/figures").Expect(t, 200)
			if want := map[bool]string{true: "", false: "hit"}[i == 0]; res.Header.Get("X-Cache") != want {
				t.Errorf("request %d: X-Cache %q", i, res.Header.Get("X-Cache"))
			}
			if got, want := res.Header.Get("RateLimit-Remaining"), strconv.Itoa(3-i); got != want || res.Header.Get("RateLimit-Limit") != "4" {
				t.Errorf("request %d: RateLimit-Remaining %q, want %s", i, got, want)
			}
			if res.Header.Get("Access-Control-Allow-Origin") != "*" || !slices.Contains(varies(res.Header.Values("Vary")), "Accept-Language") {
				t.Errorf("request %d: CORS %q, Vary %v", i, res.Header.Get("Access-Control-Allow-Origin"), res.Header.Values("Vary"))
			}
		}
		for range 2 {
			res := c.Get("/api/v1/figures").Expect(t, http.StatusTooManyRequests, `"code":"rate-limited"`)
			if res.Header.Get("X-Cache") != "" || res.Header.Get("Retry-After") == "" || res.Header.Get("RateLimit-Remaining") != "0" ||
				!strings.Contains(res.Body, `"request_id":"`+res.Header.Get("X-Request-Id")+`"`) {
				t.Errorf("past the limit: %v %s", res.Header, res.Body)
			}
		}
		if n := testutil.Count(t, d, `SELECT used FROM api_limits`); n != 4 {
			t.Errorf("%d requests reserved in the database, want 4", n)
		}
		// A token's request never gets a kept answer.
		if res := c.Get("/api/v1/figures", "Authorization", "Bearer nonsense"); res.Header.Get("X-Cache") != "" {
			t.Errorf("with a token: X-Cache %q", res.Header.Get("X-Cache"))
		}
	})
}
