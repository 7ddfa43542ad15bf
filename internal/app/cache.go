package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"

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

// newPages is the one cache of public answers, keyed by the database's
// data version.
func (a *App) newPages() *cache.Pages {
	return cache.NewPages(cache.Shared(), "pages", a.Cfg.BaseURL, func(ctx context.Context) (string, error) {
		v, err := a.DB.DataVersion(ctx)
		return strconv.FormatInt(v, 36), err
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
