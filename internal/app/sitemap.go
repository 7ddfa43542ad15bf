package app

import (
	"context"

	"observatory/internal/city"
	"observatory/internal/web"
)

// publicPages lists the public pages of the capabilities that do not list
// their own for the sitemap yet: the home page and the sections, cities,
// summits, declarations and practices.
func (a *App) publicPages(ctx context.Context) ([]web.SitemapEntry, error) {
	out := []web.SitemapEntry{{Path: "/"}, {Path: "/cities"}, {Path: "/figures"}, {Path: "/summits"},
		{Path: "/declarations"}, {Path: "/practices"}}
	cities, err := a.Cities.Store.List(ctx, city.Filter{})
	if err != nil {
		return nil, err
	}
	for _, c := range cities {
		out = append(out, web.SitemapEntry{Path: c.Path(), LastMod: c.UpdatedAt})
	}
	summits, err := a.Summits.Store.List(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, s := range summits {
		p := "/summits/" + s.Ref()
		out = append(out, web.SitemapEntry{Path: p, LastMod: s.UpdatedAt}, web.SitemapEntry{Path: p + "/programme", LastMod: s.UpdatedAt},
			web.SitemapEntry{Path: p + "/press", LastMod: s.UpdatedAt})
	}
	decls, err := a.Declarations.Store.List(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, d := range decls {
		out = append(out, web.SitemapEntry{Path: d.Path(), LastMod: d.UpdatedAt})
	}
	practices, err := a.Practices.Sitemap(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, practices...), nil
}
