package practice

import (
	"bytes"
	"context"
	"html/template"
	"net/http"

	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/web"
)

var homeSection = template.Must(template.New("home").Parse(`<section class="home-practices" aria-labelledby="home-practices-title">
  <h2 id="home-practices-title">{{.Heading}}</h2>
  <ul class="related-list">{{range .Items}}
    <li><a href="/{{$.Lang}}{{.Path}}"{{if .Title.FellBack}} lang="{{.Title.Lang}}"{{end}}>{{.Title.Value}}</a> <span class="small muted">{{.City.In $.Lang}}</span></li>{{end}}
  </ul>
  <p><a href="/{{.Lang}}/practices">{{.All}}</a></p>
</section>`))

// HomeSection lists the newest published practices on the home page.
func (h *Handlers) HomeSection(r *http.Request) (template.HTML, error) {
	ctx := r.Context()
	lang := web.Lang(r)
	n, err := h.Store.index.current(ctx)
	if err != nil {
		return "", err
	}
	var ids []int64
	for i := range n.items { // newest first
		if len(ids) == 4 {
			break
		}
		ids = append(ids, n.items[i].id)
	}
	if len(ids) == 0 {
		return "", nil
	}
	items, err := h.Store.listItems(ctx, n, ids, search.Query{}, lang)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = homeSection.Execute(&buf, map[string]any{"Lang": lang, "Items": items,
		"Heading": h.Render.Catalog.T(lang, "practice.home.title"), "All": h.Render.Catalog.T(lang, "practice.home.all")})
	return template.HTML(buf.String()), err
}

// Sitemap lists the published practices' pages.
func (h *Handlers) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	n, err := h.Store.index.current(ctx)
	if err != nil {
		return nil, err
	}
	out := []web.SitemapEntry{{Path: "/practices"}}
	for start := 0; start < len(n.items); start += 500 {
		var ids []int64
		for i := start; i < min(len(n.items), start+500); i++ {
			ids = append(ids, n.items[i].id)
		}
		items, err := h.Store.listItems(ctx, n, ids, search.Query{}, i18n.Default)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, web.SitemapEntry{Path: it.Path(), LastMod: it.RevisedAt})
		}
	}
	return out, nil
}
