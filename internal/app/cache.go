package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"observatory/internal/cache"
)

// uncached are the public GET routes the answer cache leaves alone, by
// the start of their path: files served as they are, health checks,
// redirects, and pages that belong to one visitor (a token or a receipt
// in the address, a challenge made for each request).
var uncached = []string{
	"/static/", "/media/", "/healthz", "/readyz", "/{$}", "/favicon", "/og-image.png", "/manifest.webmanifest",
	"/login", "/password/", "/invitation/",
	"/ideas/receipt/", "/ideas/qr/", "/ideas/confirm/", "/api/v1/ideas/challenge", "/api/v1/ideas/receipt/",
	"/feeds/summit-delegates/",
}

// hitLogEvery is how many of the answers Fast gives from the cache make one
// access log line: writing a line costs as much as the answer.
const hitLogEvery = 64

// newPages is the one cache of public answers, keyed by the database's
// data version.
func (a *App) newPages() *cache.Pages {
	type named struct {
		v int64
		s string
	}
	var last atomic.Pointer[named] // the version last read, written once
	last.Store(&named{-1, ""})
	return cache.NewPages(cache.Shared(), "pages", a.Cfg.BaseURL, func(ctx context.Context) (string, error) {
		v, err := a.DB.DataVersion(ctx)
		if err != nil {
			return "", err
		}
		if n := last.Load(); n.v == v {
			return n.s, nil
		}
		n := &named{v, strconv.FormatInt(v, 36)}
		last.Store(n)
		return n.s, nil
	})
}

// cacheRoute puts every public GET route of the table behind the answer
// cache (see cache.Pages), but those listed in uncached and kiosks.
func (a *App) cacheRoute(pattern string, h http.Handler, page bool) http.Handler {
	method, path, _ := strings.Cut(pattern, " ")
	if method != http.MethodGet || strings.Contains(path, "/kiosk/") {
		return h
	}
	for _, p := range uncached {
		if strings.HasPrefix(path, p) {
			return h
		}
	}
	return a.Pages.Wrap(h, page)
}
