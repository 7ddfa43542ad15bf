package practice

import (
	"context"
	"html/template"
	"net/http"

	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/web"
)

var homeSection = template.Must(template.ParseFS(sectionFiles, "section/home.tmpl"))

// HomeSection lists the newest published practices on the home page.
func (h *Handlers) HomeSection(r *http.Request) (template.HTML, error) {
	ctx := r.Context()
	lang := web.Lang(r)
	n, err := h.Store.index.Current(ctx)
	if err != nil {
		return "", err
	}
	ids := n.First(4)
	if len(ids) == 0 {
		return "", nil
	}
	items, err := h.Store.listItems(ctx, n, ids, search.Query{}, lang)
	if err != nil {
		return "", err
	}
	return web.Section(homeSection, map[string]any{"Lang": lang, "Items": items,
		"Heading": h.Render.Catalog.T(lang, "practice.home.title"), "All": h.Render.Catalog.T(lang, "practice.home.all")})
}

// Sitemap lists the published practices' pages.
func (h *Handlers) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	n, err := h.Store.index.Current(ctx)
	if err != nil {
		return nil, err
	}
	out := []web.SitemapEntry{{Path: "/practices"}}
	all := n.All()
	for start := 0; start < len(all); start += 500 {
		items, err := h.Store.listItems(ctx, n, all[start:min(len(all), start+500)], search.Query{}, i18n.Default)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, web.SitemapEntry{Path: it.Path(), LastMod: it.RevisedAt})
		}
	}
	return out, nil
}
