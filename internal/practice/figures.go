package practice

import (
	"html/template"
	"net/http"

	"observatory/internal/i18n"
	"observatory/internal/search/results"
	"observatory/internal/web"
	"observatory/internal/web/chart"
)

var figuresSection = template.Must(template.ParseFS(sectionFiles, "section/figures.tmpl"))

type figuresData struct {
	Lang    string
	Total   string
	Facets  []figureFacet
	t       func(key string, args ...any) string
	Library string
}

type figureFacet struct {
	ID    string
	Title string
	Chart template.HTML
	Rows  []FacetValue
	Key   string // the facet's URL parameter, for links into the library
}

// T translates for the section's template.
func (d *figuresData) T(key string, args ...any) string { return d.t(key, args...) }

// Num formats a count in the page's language.
func (d *figuresData) Num(n int) string { return i18n.Number(d.Lang, int64(n)) }

// FiguresSection renders the library in figures for the figures page:
// published practices by theme and by region, as charts with their
// tables. It matches the figures page's section hook and costs no more
// than a search without words (the counts are the library's facets).
func (h *Handlers) FiguresSection(r *http.Request) (template.HTML, error) {
	lang := web.Lang(r)
	res, err := h.Store.Search(r.Context(), Params{Lang: lang, Size: 1, Page: 1})
	if err != nil {
		return "", err
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	d := &figuresData{Lang: lang, Total: i18n.Number(lang, int64(res.Total)), t: t, Library: "/" + lang + "/practices"}
	for _, f := range res.Facets {
		if f.Name != "theme" && f.Name != "continent" {
			continue
		}
		var bars []chart.Bar
		for _, v := range f.Values {
			bars = append(bars, chart.Bar{Label: v.Label, Value: int64(v.Count), Text: i18n.Number(lang, int64(v.Count))})
		}
		title := t("practice.figures.by_" + f.Name)
		d.Facets = append(d.Facets, figureFacet{ID: "practices-by-" + f.Name, Title: title, Key: f.Name, Rows: f.Values,
			Chart: chart.Chart{Title: title, Desc: t("practice.figures.desc", "Count", res.Total), Bars: bars, Horizontal: true}.HTML()})
	}
	return web.Section(figuresSection, d)
}
