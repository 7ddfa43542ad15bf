package city

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// CSV sends the directory, with the same filters and order as the page,
// as a spreadsheet file; headers and country names in the page's language.
func (h *Handlers) CSV(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	q, problems := ParseQuery(r.URL.Query())
	if len(problems) > 0 {
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	cities, err := h.Store.List(r.Context(), q.Filter)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	SortCities(cities, q.Sort, lang)
	cat := h.Render.Catalog
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="cities.csv"`)
	// A byte-order mark, so that spreadsheet programs read the file as
	// UTF-8 ("Düsseldorf", not "DÃ¼sseldorf").
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	head := []string{"id"}
	for _, k := range []string{"name", "country", "country_code", "continent", "region", "population", "population_year",
		"lat", "lon", "timezone", "website", "membership", "member_since", "member_until", "page"} {
		head = append(head, cat.T(lang, "city.csv."+k))
	}
	cw.Write(head)
	for _, c := range cities {
		cw.Write(web.CSVRow([]string{
			strconv.FormatInt(c.ID, 10), c.DisplayName(lang), i18n.CountryName(lang, c.Country), c.Country,
			cat.T(lang, "city.continent."+c.Continent), c.Region, num(c.Population), num(c.PopulationYear),
			float(c.Lat), float(c.Lon), c.Timezone, c.Website, cat.T(lang, "city.status."+c.Membership),
			c.MemberSince, c.MemberUntil, "/" + lang + c.Path(),
		}))
	}
	cw.Flush()
}
