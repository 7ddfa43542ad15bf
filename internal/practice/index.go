package practice

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
)

// The library's search runs on the shared in-memory index
// (internal/search/index): this file tells it what a published practice
// is — its facets, ranking terms and sort keys — and keeps with each
// version the taxonomies and cities the pages need.

// Facets in the index's schema, in the order Results lists them.
const (
	fTheme = iota
	fGroup
	fContinent
	fCountry
	fCity
	fStatus
	fYear
)

// continents in the order the facet shows them (geo's keys).
var continents = []string{"africa", "north-america", "south-america", "asia", "europe", "oceania"}

// Years a practice may start in (i18n.ParsePartialDate's range).
const (
	firstYear = 1900
	lastYear  = 2200
)

// meta is what the pages need besides the index at one version.
type meta struct {
	terms  *Terms
	cities []City         // every city, by name
	cityAt map[int64]int  // city id → index in cities
	slugs  map[string]int // city slug → index in cities
}

func info(n *index.Snapshot) *meta { return n.Meta().(*meta) }

// source is the store as the index reads it: published practices only.
type source struct{ s *Store }

func (src source) Version(ctx context.Context) (string, error) { return src.s.Version(ctx) }

func (src source) Schema(ctx context.Context) (index.Schema, error) {
	q := src.s.DB.R
	terms, err := LoadTerms(ctx, q)
	if err != nil {
		return index.Schema{}, err
	}
	cities, err := LoadCities(ctx, q)
	if err != nil {
		return index.Schema{}, err
	}
	m := &meta{terms: terms, cities: cities, cityAt: map[int64]int{}, slugs: map[string]int{}}
	keys := func(kind string) []string {
		var out []string
		for _, t := range terms.List(kind) {
			out = append(out, t.Key)
		}
		return out
	}
	var ids []string
	cont, country := map[string]string{}, map[string]string{}
	for i, c := range cities {
		m.cityAt[c.ID], m.slugs[c.Slug] = i, i
		id := strconv.FormatInt(c.ID, 10)
		ids = append(ids, id)
		cont[id], country[id] = c.Continent, c.Country
		if !slices.Contains(continents, c.Continent) {
			cont[id] = continents[0]
		}
	}
	return index.Schema{Meta: m, Facets: []index.Facet{
		fTheme:     {Name: "theme", Multi: true, Values: keys(KindTheme)},
		fGroup:     {Name: "group", Multi: true, Values: keys(KindGroup)},
		fContinent: {Name: "continent", Values: continents, Parent: "city", Of: cont},
		fCountry:   {Name: "country", Parent: "city", Of: country},
		fCity:      {Name: "city", Values: ids},
		fStatus:    {Name: "status", Values: Statuses},
		fYear:      {Name: "year"},
	}}, nil
}

func (src source) Changes(ctx context.Context, since int64, fn func(index.Doc) error) (int64, error) {
	query := `SELECT id, city_id, state, lang, title, themes, target_groups, status, start_on, quality, title_terms, lead_terms, published_at, seq
		FROM practices WHERE seq > $1`
	if since == 0 {
		query += ` AND state = 'published'`
	}
	rows, err := src.s.DB.R.QueryContext(ctx, query, since)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var last int64
	for rows.Next() {
		var d index.Doc
		var cityID, seq int64
		var state, themes, groups, status, start string
		var quality int
		var published sql.NullTime
		if err := rows.Scan(&d.ID, &cityID, &state, &d.Lang, &d.Titles, &themes, &groups, &status, &start, &quality,
			&d.TitleTerms, &d.LeadTerms, &published, &seq); err != nil {
			return 0, err
		}
		last = max(last, seq)
		d.Gone = state != StatePublished
		d.Quality = uint8(quality)
		if published.Valid {
			d.Time = published.Time.Unix()
		}
		d.Values = make([][]string, fYear+1)
		d.Values[fTheme], d.Values[fGroup] = strings.Fields(themes), strings.Fields(groups)
		d.Values[fCity] = []string{strconv.FormatInt(cityID, 10)}
		if slices.Contains(Statuses, status) {
			d.Values[fStatus] = []string{status}
		}
		if t, ok := i18n.ParsePartialDate(start); ok && t.Year() >= firstYear && t.Year() <= lastYear {
			d.Values[fYear] = []string{strconv.Itoa(t.Year())}
		}
		if err := fn(d); err != nil {
			return 0, err
		}
	}
	return last, rows.Err()
}

// query is p for the index.
func (p Params) query(n *index.Snapshot) index.Query {
	q := index.Query{Text: p.Q, Sort: p.Sort, Lang: p.Lang, Select: make([][]string, fYear+1)}
	q.Select[fTheme], q.Select[fGroup], q.Select[fContinent], q.Select[fStatus] = p.Themes, p.Groups, p.Continents, p.Statuses
	for _, c := range p.Countries {
		q.Select[fCountry] = append(q.Select[fCountry], strings.ToUpper(c))
	}
	m := info(n)
	for _, c := range p.Cities { // a slug or an id
		if i, ok := m.slugs[c]; ok {
			c = strconv.FormatInt(m.cities[i].ID, 10)
		}
		q.Select[fCity] = append(q.Select[fCity], c)
	}
	for _, y := range p.Years {
		q.Select[fYear] = append(q.Select[fYear], strconv.Itoa(y))
	}
	return q
}

// facets turns a match's counts into the facet lists the page and API show.
func facets(n *index.Snapshot, m *index.Match, lang string) []Facet {
	info := info(n)
	named := func(f int, name func(k string) string) []FacetValue {
		return m.Values(n, f, func(k string) FacetValue { return FacetValue{Value: k, Label: name(k)} })
	}
	keyed := func(f int, prefix string) []FacetValue {
		return m.Values(n, f, func(k string) FacetValue { return FacetValue{Value: k, Key: prefix + k} })
	}
	cities := m.Values(n, fCity, func(id string) FacetValue {
		c, _ := strconv.ParseInt(id, 10, 64)
		city := info.cities[info.cityAt[c]]
		return FacetValue{Value: city.Slug, Label: city.In(lang)}
	})
	years := named(fYear, func(y string) string { return y })
	slices.SortFunc(years, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
	return []Facet{
		{Name: "theme", Values: named(fTheme, func(k string) string { return info.terms.Name(KindTheme, k, lang) })},
		{Name: "group", Values: named(fGroup, func(k string) string { return info.terms.Name(KindGroup, k, lang) })},
		{Name: "continent", Values: keyed(fContinent, "practice.continent.")},
		{Name: "country", Values: results.ByCount(lang, named(fCountry, func(k string) string { return i18n.CountryName(lang, k) }))},
		{Name: "city", Values: results.ByCount(lang, cities)},
		{Name: "status", Values: keyed(fStatus, "practice.status.")},
		{Name: "year", Values: years},
	}
}

// LoadCities lists every city by name, with what the library shows of it.
func LoadCities(ctx context.Context, q db.Querier) ([]City, error) {
	return db.All(ctx, q, func(c *City) []any { return []any{&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent} },
		`SELECT id, slug, name, names, country, continent FROM cities ORDER BY name`)
}

// Terms returns the taxonomies as of the current snapshot.
func (s *Store) Terms(ctx context.Context) (*Terms, error) {
	n, err := s.index.Current(ctx)
	if err != nil {
		return nil, err
	}
	return info(n).terms, nil
}

// Count is the number of published practices.
func (s *Store) Count(ctx context.Context) (int, error) {
	n, err := s.index.Current(ctx)
	if err != nil {
		return 0, err
	}
	return n.Len(), nil
}

// Warm loads the search cache and the lists of the commonest words, so
// the first searches after a start are fast.
func (s *Store) Warm(ctx context.Context) error { return s.index.Warm(ctx, prefetchWords) }

// prefetchWords is how many of the commonest words Warm reads: those are
// the costly lists (a word in half the practices), the rare ones are cheap.
const prefetchWords = 300

// Cities lists every city in the alphabetical order of lang, for
// choosing one.
func (s *Store) Cities(ctx context.Context, lang string) ([]City, error) {
	n, err := s.index.Current(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(info(n).cities) // shared by every reader of the snapshot
	i18n.SortByName(lang, out, func(c City) string { return c.In(lang) })
	return out, nil
}

// ForgetCache drops the cached answers, so a benchmark can measure
// searches that reach the database.
func (s *Store) ForgetCache() {
	s.index.ForgetCache()
	s.cache.Clear()
}
