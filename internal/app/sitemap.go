package app

import (
	"context"

	"observatory/internal/city"
	"observatory/internal/web"
)

// publicPages lists the public pages of the home page and of the
// capabilities that do not list their own for the sitemap yet: the
// cities, the figures and the declarations.
func (a *App) publicPages(ctx context.Context) ([]web.SitemapEntry, error) {
	out := []web.SitemapEntry{{Path: "/"}, {Path: "/cities"}, {Path: "/figures"}, {Path: "/declarations"}}
	cities, err := a.Cities.Store.List(ctx, city.Filter{})
	if err != nil {
		return nil, err
	}
	for _, c := range cities {
		out = append(out, web.SitemapEntry{Path: c.Path(), LastMod: c.UpdatedAt})
	}
	decls, err := a.Declarations.Store.List(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, d := range decls {
		out = append(out, web.SitemapEntry{Path: d.Path(), LastMod: d.UpdatedAt, LangPaths: d.LangPaths()})
	}
	return out, nil
}

// ExportStart are the files a static copy of the site starts from besides
// the home pages and the sitemap: what no page links to.
var ExportStart = []string{"/robots.txt", "/favicon.svg", "/favicon.ico", "/manifest.webmanifest", "/og-image.png",
	"/data/catalog.jsonld", "/data/datapackage.json"}
