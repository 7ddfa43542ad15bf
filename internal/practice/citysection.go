package practice

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"observatory/internal/search"
	"observatory/internal/web"
)

//go:embed section/*.tmpl
var sectionFiles embed.FS

// citySectionMax is how many of a city's practices its page lists.
const citySectionMax = 5

type citySectionData struct {
	Lang    string
	City    City
	Count   int
	Items   []ListItem
	Similar []SimilarCity
	Terms   *Terms
	t       func(key string, args ...any) string
}

// CitySection renders the block a city's page shows about the library:
// the city's newest published practices and the cities facing the same
// challenges, each with the themes they share. It matches the cities
// capability's section hook; it reads a few precomputed rows, so a city
// page stays fast however large the library is.
func (h *Handlers) CitySection(r *http.Request, cityID int64) (template.HTML, error) {
	ctx := r.Context()
	lang := web.Lang(r)
	n, err := h.Store.index.Current(ctx)
	if err != nil {
		return "", err
	}
	ci, ok := info(n).cityAt[cityID]
	if !ok {
		return "", nil
	}
	d := &citySectionData{Lang: lang, City: info(n).cities[ci], Terms: info(n).terms,
		t: func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }}
	ids, count := n.Newest(fCity, strconv.FormatInt(cityID, 10), citySectionMax)
	d.Count = count
	if d.Items, err = h.Store.listItems(ctx, n, ids, search.Query{}, lang); err != nil {
		return "", err
	}
	if d.Similar, err = h.Store.SimilarCities(ctx, cityID); err != nil {
		return "", err
	}
	return web.Section(citySection, d)
}

// T translates for the section's template.
func (d *citySectionData) T(key string, args ...any) string { return d.t(key, args...) }

// Shares names the themes two cities share, for the one-line explanation.
func (d *citySectionData) Shares(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = d.Terms.Name(KindTheme, k, d.Lang)
	}
	return strings.Join(names, ", ")
}

var citySection = template.Must(template.ParseFS(sectionFiles, "section/city.tmpl"))
