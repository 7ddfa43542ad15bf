package city

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/web"
)

// Sort orders of the directory.
var Sorts = []string{"name", "population", "joined"}

// Query is the directory's filters and sort order, as in its URL.
type Query struct {
	Filter
	Sort string
}

// Values is q as URL parameters (empty ones left out).
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("continent", q.Continent)
	set("country", q.Country)
	set("status", q.Status)
	if q.Joined != 0 {
		v.Set("joined", strconv.Itoa(q.Joined))
	}
	if q.Sort != "name" {
		set("sort", q.Sort)
	}
	return v
}

// ParseQuery reads the directory's parameters. Problems maps each bad
// parameter to the catalog key explaining it.
func ParseQuery(v url.Values) (Query, Problems) {
	p := Problems{}
	q := Query{Sort: "name"}
	if s := strings.TrimSpace(v.Get("continent")); s != "" {
		if !slices.Contains(geo.Continents(), s) {
			p.add("continent", "city.err.continent")
		}
		q.Continent = s
	}
	if s := strings.ToUpper(strings.TrimSpace(v.Get("country"))); s != "" {
		if !geo.ValidCountry(s) {
			p.add("country", "city.err.country")
		}
		q.Country = s
	}
	if s := strings.TrimSpace(v.Get("status")); s != "" {
		if s != "all" && !slices.Contains(Statuses, s) {
			p.add("status", "city.err.membership")
		}
		q.Status = s
	}
	if s := strings.TrimSpace(v.Get("joined")); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			p.add("joined", "city.err.year")
		}
		q.Joined = y
	}
	if s := strings.TrimSpace(v.Get("sort")); s != "" {
		if !slices.Contains(Sorts, s) {
			p.add("sort", "city.err.sort")
		}
		q.Sort = s
	}
	return q, p
}

// SortCities orders cities for a reader of lang: by name in that
// language's alphabetical order, by population (largest first) or by the
// year they joined (most recent first). Ties go by name, then id, so
// the order is total and paging is stable. lang "" sorts by the default
// name with the root collation (the API).
func SortCities(cs []*City, by, lang string) {
	// One collation key per city, compared as bytes: far cheaper than
	// collating both names at every comparison.
	col := collate.New(language.Make(lang))
	var buf collate.Buffer
	keys := make(map[int64][]byte, len(cs))
	for _, c := range cs {
		keys[c.ID] = col.KeyFromString(&buf, c.DisplayName(lang))
	}
	byName := func(a, b *City) int {
		if n := bytes.Compare(keys[a.ID], keys[b.ID]); n != 0 {
			return n
		}
		return cmp.Compare(a.ID, b.ID)
	}
	slices.SortFunc(cs, func(a, b *City) int {
		switch by {
		case "population":
			if n := cmp.Compare(b.Population, a.Population); n != 0 {
				return n
			}
		case "joined":
			if (a.MemberSince == "") != (b.MemberSince == "") {
				if a.MemberSince == "" {
					return 1
				}
				return -1
			}
			if n := cmp.Compare(b.MemberSince, a.MemberSince); n != 0 {
				return n
			}
		}
		return byName(a, b)
	})
}

const pageSize = 50

type directoryData struct {
	Query      Query
	Problems   Problems
	Cities     []*City
	Rows       template.HTML // the table's rows for Cities (cityRows)
	Total      int
	Pager      web.Pager
	Map        template.HTML
	Regions    []geo.Region // the map zoomed into each continent
	Continents []option
	Countries  []option
	Years      []option
	Statuses   []option
	Sorts      []option
	CSV, API   string
	Year       int
	Jubilees   template.HTML // the list's items (jubileeItems)
	CanAdmit   bool
}

// Directory is the public list of cities with its filters and map.
func (h *Handlers) Directory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := web.Lang(r)
	q, problems := ParseQuery(r.URL.Query())
	status := http.StatusOK
	cities, facets, err := h.Store.Directory(ctx, q.Filter)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(problems) > 0 {
		status = http.StatusBadRequest
		cities = nil
	} else {
		SortCities(cities, q.Sort, lang)
	}
	year := h.now().Year()
	jubilees, err := h.Store.Anniversaries(ctx, year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", nil)
	p.Title = p.T("city.directory.title")
	d := directoryData{Query: q, Problems: problems, Total: len(cities), Year: year, Jubilees: jubileeItems(p, jubilees),
		CanAdmit: auth.Can(p.Viewer, auth.CityAdmit)}
	d.Pager = web.NewPager(r, pageSize, len(cities))
	d.Cities = cities[min(d.Pager.Offset(), len(cities)):min(d.Pager.Offset()+pageSize, len(cities))]
	d.Rows = cityRows(p, d.Cities)
	d.Map, d.Regions = h.worldMap(p, cities, p.T("city.map.title", "Count", len(cities)))
	d.options(h, lang, facets)
	// The same list as a file and through the API.
	d.CSV, d.API = p.L("/cities.csv"), "/api/v1/cities"
	if v := q.Values(); len(v) > 0 {
		d.CSV += "?" + v.Encode()
		d.API += "?" + v.Encode()
	}
	p.Data = d
	p.Form = web.NewForm(r.URL.Query())
	for k, v := range problems {
		p.Form.Fail(k, v)
	}
	h.Render.HTML(w, r, status, "city/list", p)
}

// worldMap draws the cities as linked, labelled points on the world map,
// and zoomed into each continent, where their names can be read.
func (h *Handlers) worldMap(p *web.Page, cities []*City, title string) (template.HTML, []geo.Region) {
	pts := make([]geo.Point, 0, len(cities))
	countries := map[string]string{} // a CLDR lookup per country, not per city
	for _, c := range cities {
		cn, ok := countries[c.Country]
		if !ok {
			cn = p.Country(c.Country)
			countries[c.Country] = cn
		}
		pts = append(pts, geo.Point{Lat: c.Lat, Lon: c.Lon, Label: c.DisplayName(p.Lang) + ", " + cn, Name: c.DisplayName(p.Lang),
			Href: p.L(c.Path()), Country: c.Country, Class: c.Membership})
	}
	m := geo.Map{Title: title, Desc: p.T("city.map.desc"), Points: pts}
	// Each region's frame on the world map links to its own map: a zoom
	// that needs no script (worldmap-zoom.js zooms in place where it runs).
	return m.WithRegions(func(continent string, n int) string {
		return p.T("city.map.region", "Region", p.T("city.continent."+continent), "Count", n)
	}, func(r geo.Region) geo.Area {
		return r.Area("#map-"+r.Continent, p.T("city.map.zoom.area", "Region", p.T("city.continent."+r.Continent), "Count", r.Count))
	})
}

// cityRows writes the table's rows, the bytes the template would write:
// with its method calls and the membership badge's partial, the template
// took a fifth of the page's time for them. Each text is translated once.
func cityRows(p *web.Page, cs []*City) template.HTML {
	countries, continents, statuses := map[string]string{}, map[string]string{}, map[string]string{}
	var b strings.Builder
	b.Grow(len(cs) * 400)
	for _, c := range cs {
		b.WriteString("\n  <tr>\n    <th scope=\"row\"><a href=\"")
		geo.EscapeURL(&b, p.L(c.Path()))
		b.WriteString(`">`)
		geo.EscapeHTML(&b, c.DisplayName(p.Lang))
		b.WriteString("</a></th>\n    <td>")
		geo.EscapeHTML(&b, once(countries, c.Country, func() string { return p.Country(c.Country) }))
		b.WriteString("</td>\n    <td>")
		geo.EscapeHTML(&b, once(continents, c.Continent, func() string { return p.T("city.continent." + c.Continent) }))
		b.WriteString("</td>\n    <td class=\"num\">")
		if c.Population != 0 {
			geo.EscapeHTML(&b, p.Num(c.Population))
		} else {
			b.WriteString("—")
		}
		b.WriteString("</td>\n    <td>")
		if y := c.JoinedYear(); y != 0 {
			b.WriteString(strconv.Itoa(y))
		} else {
			b.WriteString("—")
		}
		b.WriteString("</td>\n    <td>")
		writeStatus(&b, c.Membership, once(statuses, c.Membership, func() string { return p.T("city.status." + c.Membership) }))
		b.WriteString("</td>\n  </tr>\n  ")
	}
	return template.HTML(b.String())
}

// writeStatus writes a membership state as a badge, as the template
// "city-status" does; label is its name.
func writeStatus(b *strings.Builder, s, label string) {
	b.WriteString(`<span class="badge status-`)
	geo.EscapeHTML(b, s)
	switch s {
	case Member:
		b.WriteString(" ok")
	case Former:
		b.WriteString(" warn")
	}
	b.WriteString(`">`)
	geo.EscapeHTML(b, label)
	b.WriteString(`</span>`)
}

// jubileeItems writes the anniversaries' list items, the bytes the
// template would write: there are a couple of hundred at a thousand cities,
// and the template's reflection took longer than the rest of the page.
// Each text is translated once, however many items show it.
func jubileeItems(p *web.Page, js []Jubilee) template.HTML {
	years, kinds, since, countries := map[int]string{}, map[string]string{}, map[int]string{}, map[string]string{}
	ref := func(b *strings.Builder, c Ref, withCountry bool) {
		if path := c.Path(); path != "" {
			b.WriteString(`<a href="`)
			geo.EscapeURL(b, p.L(path))
			b.WriteString(`">`)
			geo.EscapeHTML(b, c.DisplayName(p.Lang))
			b.WriteString(`</a>`)
			return
		}
		geo.EscapeHTML(b, c.DisplayName(p.Lang))
		if withCountry {
			b.WriteString(` (`)
			geo.EscapeHTML(b, once(countries, c.Country, func() string { return p.Country(c.Country) }))
			b.WriteString(`)`)
		}
	}
	var b strings.Builder
	b.Grow(len(js) * 256)
	for _, j := range js {
		b.WriteString("\n    <li><span class=\"badge ok\">")
		geo.EscapeHTML(&b, once(years, j.Years, func() string { return p.T("city.jubilee.years", "Count", j.Years) }))
		b.WriteString("</span>\n      ")
		ref(&b, j.A, false)
		b.WriteString("\n      – ")
		ref(&b, j.B, true)
		b.WriteString("\n      <span class=\"muted\">· ")
		geo.EscapeHTML(&b, once(kinds, j.Kind, func() string { return p.T("city.kind." + j.Kind) }))
		b.WriteString(" ")
		geo.EscapeHTML(&b, once(since, j.Since, func() string { return p.T("city.since_year", "Year", j.Since) }))
		b.WriteString("</span></li>\n  ")
	}
	return template.HTML(b.String())
}

// once is m[k], made by f the first time k is asked for.
func once[K comparable](m map[K]string, k K, f func() string) string {
	v, ok := m[k]
	if !ok {
		v = f()
		m[k] = v
	}
	return v
}

// options fills the filters' choices: only values some city has.
func (d *directoryData) options(h *Handlers, lang string, f Facets) {
	cat := h.Render.Catalog
	d.Continents = []option{{"", cat.T(lang, "city.filter.any")}}
	for _, c := range geo.Continents() {
		if f.Continents[c] > 0 || d.Query.Continent == c {
			d.Continents = append(d.Continents, option{c, cat.T(lang, "city.continent."+c)})
		}
	}
	var countries []option
	for _, c := range countryOptions(lang)[1:] {
		if f.Countries[c.Value] > 0 || d.Query.Country == c.Value {
			countries = append(countries, c)
		}
	}
	d.Countries = append([]option{{"", cat.T(lang, "city.filter.any")}}, countries...)
	var years []int
	for y := range f.Years {
		years = append(years, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(years)))
	d.Years = []option{{"", cat.T(lang, "city.filter.any")}}
	for _, y := range years {
		d.Years = append(d.Years, option{strconv.Itoa(y), strconv.Itoa(y)})
	}
	d.Statuses = []option{{"", cat.T(lang, "city.status.members")}}
	for _, s := range []string{Candidate, Former, "all"} {
		d.Statuses = append(d.Statuses, option{s, cat.T(lang, "city.status.filter."+s)})
	}
	d.Sorts = h.keyOptions(lang, "city.sort.", Sorts, false)
}
