package stats

import (
	"cmp"
	"embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/apiv1"
	"observatory/internal/i18n"
	"observatory/internal/web"
	"observatory/internal/web/chart"
)

//go:embed templates
var Templates embed.FS

// Section is a part of the figures page that another capability adds
// (practices by theme, summit attendance …): it returns its own HTML,
// heading included, in the request's language.
type Section func(r *http.Request) (template.HTML, error)

// Handlers serves the figures page and its API.
type Handlers struct {
	Store    *Store
	Render   *web.Renderer
	Sections []Section
}

// Headline is one of the four figures the home page and the figures page
// show, with its catalog key.
type Headline struct {
	Key   string
	Value int64
}

// Headlines are the network's four headline figures.
func (n Network) Headlines() []Headline {
	return []Headline{
		{"stats.cities", n.Cities}, {"stats.countries", n.Countries},
		{"stats.continents", n.Continents}, {"stats.residents", n.Residents},
	}
}

type pageData struct {
	Network    Network
	Joins      template.HTML
	Continents template.HTML
	Sections   []template.HTML
}

// Page shows the network in figures.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request) {
	n, err := h.Store.Network(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := web.Lang(r)
	cat := h.Render.Catalog
	// Countries with as many cities go in the reader's alphabetical order.
	col := collate.New(language.Make(lang))
	byName := slices.Clone(n.ByCountry)
	slices.SortStableFunc(byName, func(a, b KeyCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return col.CompareString(i18n.CountryName(lang, a.Key), i18n.CountryName(lang, b.Key))
	})
	n.ByCountry = byName
	d := pageData{Network: n}
	var bars []chart.Bar
	for _, y := range n.Joins {
		bars = append(bars, chart.Bar{Label: strconv.Itoa(y.Year), Value: y.Count, Text: i18n.Number(lang, y.Count)})
	}
	d.Joins = chart.Chart{Title: cat.T(lang, "stats.joins.title"), Desc: cat.T(lang, "stats.joins.desc"), Bars: bars}.HTML()
	bars = nil
	for _, c := range n.ByContinent {
		bars = append(bars, chart.Bar{Label: cat.T(lang, "city.continent."+c.Key), Value: c.Count, Text: i18n.Number(lang, c.Count)})
	}
	d.Continents = chart.Chart{Title: cat.T(lang, "stats.continents.title"), Desc: cat.T(lang, "stats.continents.desc"), Bars: bars, Horizontal: true}.HTML()
	for _, s := range h.Sections {
		html, err := s(r)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		d.Sections = append(d.Sections, html)
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("stats.title")
	h.Render.HTML(w, r, http.StatusOK, "stats/figures", p)
}

// API answers GET /api/v1/figures with the same figures as JSON.
func (h *Handlers) API(w http.ResponseWriter, r *http.Request) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	n, err := h.Store.Network(r.Context())
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	apiv1.JSON(w, http.StatusOK, n)
}
