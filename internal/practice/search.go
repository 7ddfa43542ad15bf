package practice

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/search"
)

// Params is a search or browse request: the query box, the facet
// selections (values within a facet are alternatives, facets combine),
// the order and the page.
type Params struct {
	Q          string
	Themes     []string
	Groups     []string
	Continents []string
	Countries  []string
	Cities     []string // slugs
	Statuses   []string
	Years      []int
	Sort       string // relevance, newest or title; "" picks relevance for a query, else newest
	Page       int
	Size       int
	Lang       string // the reader's language: titles, sorting, snippets
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortTitle     = "title"
)

// Paging bounds.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ParseParams reads a search from URL query values (the page's and the API's).
func ParseParams(v url.Values, lang string) Params {
	p := Params{Q: strings.TrimSpace(v.Get("q")), Themes: v["theme"], Groups: v["group"], Continents: v["continent"],
		Countries: v["country"], Cities: v["city"], Statuses: v["status"], Sort: v.Get("sort"), Lang: lang}
	for _, y := range v["year"] {
		if n, err := strconv.Atoi(y); err == nil {
			p.Years = append(p.Years, n)
		}
	}
	p.Page, _ = strconv.Atoi(v.Get("page"))
	p.Size, _ = strconv.Atoi(v.Get("size"))
	if p.Page < 1 {
		p.Page = 1
	}
	if p.Size < 1 {
		p.Size = DefaultPageSize
	}
	p.Size = min(p.Size, MaxPageSize)
	if p.Sort != SortRelevance && p.Sort != SortNewest && p.Sort != SortTitle {
		p.Sort = ""
	}
	return p
}

// Values is p as URL query values, for links that keep the search.
func (p Params) Values() url.Values {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	for name, list := range map[string][]string{"theme": p.Themes, "group": p.Groups, "continent": p.Continents,
		"country": p.Countries, "city": p.Cities, "status": p.Statuses} {
		for _, x := range list {
			v.Add(name, x)
		}
	}
	for _, y := range p.Years {
		v.Add("year", strconv.Itoa(y))
	}
	if p.Sort != "" {
		v.Set("sort", p.Sort)
	}
	return v
}

// Filtered reports whether any facet is selected.
func (p Params) Filtered() bool {
	return len(p.Themes)+len(p.Groups)+len(p.Continents)+len(p.Countries)+len(p.Cities)+len(p.Statuses)+len(p.Years) > 0
}

// Results is one page of a search with the facet counts of all its hits.
type Results struct {
	Params Params
	Sort   string // the order used
	Total  int
	Pages  int
	Items  []ListItem
	Facets []Facet
	Query  search.Query
}

// Facet is one way to narrow the results, with a count per value: the
// number of hits the value would give together with the other facets'
// selections.
type Facet struct {
	Name   string // the URL parameter
	Values []FacetValue
}

// FacetValue is one choice in a facet. Label is set for values named by
// data; Key is a catalog key for the others.
type FacetValue struct {
	Value    string
	Label    string
	Key      string
	Count    int
	Selected bool
}

// ListItem is a practice in a result list.
type ListItem struct {
	ID          int64
	Slug        string
	Lang        string
	Title       i18n.Resolved
	Summary     i18n.Resolved
	Snippet     template.HTML // the matching words marked, when searching
	SnippetLang string
	City        City
	Themes      []string
	Status      string
	Start       string
	PublishedAt time.Time
}

// Path is the item's address after the language prefix.
func (it ListItem) Path() string { return fmt.Sprintf("/practices/%d-%s", it.ID, it.Slug) }

// facet bits, in the order Facets lists them.
const (
	fTheme = iota
	fGroup
	fContinent
	fCountry
	fCity
	fStatus
	fYear
	nFacets
)

const allFacets = 1<<nFacets - 1

// filter is Params compiled against one snapshot.
type filter struct {
	themes, groups []bool
	continents     map[string]bool
	countries      map[string]bool
	cities         []bool
	statuses       [4]bool
	years          map[int16]bool
	active         [nFacets]bool
}

func (n *snapshot) compile(p Params) *filter {
	f := &filter{themes: make([]bool, len(n.themes)), groups: make([]bool, len(n.groups)), cities: make([]bool, len(n.cities)),
		continents: map[string]bool{}, countries: map[string]bool{}, years: map[int16]bool{}}
	for _, k := range p.Themes {
		f.active[fTheme] = true
		if i, ok := n.themeAt[k]; ok {
			f.themes[i] = true
		}
	}
	for _, k := range p.Groups {
		f.active[fGroup] = true
		if i, ok := n.groupAt[k]; ok {
			f.groups[i] = true
		}
	}
	for _, c := range p.Continents {
		f.active[fContinent] = true
		f.continents[c] = true
	}
	for _, c := range p.Countries {
		f.active[fCountry] = true
		f.countries[strings.ToUpper(c)] = true
	}
	if len(p.Cities) > 0 {
		f.active[fCity] = true
		for i, c := range n.cities {
			if slices.Contains(p.Cities, c.Slug) || slices.Contains(p.Cities, strconv.FormatInt(c.ID, 10)) {
				f.cities[i] = true
			}
		}
	}
	for _, s := range p.Statuses {
		f.active[fStatus] = true
		if i := slices.Index(Statuses, s); i >= 0 {
			f.statuses[i+1] = true
		}
	}
	for _, y := range p.Years {
		f.active[fYear] = true
		f.years[int16(y)] = true
	}
	return f
}

func anyOf(sel []bool, have []uint16) bool {
	for _, h := range have {
		if sel[h] {
			return true
		}
	}
	return false
}

// mask says which facets' selections the item passes.
func (f *filter) mask(n *snapshot, it *item) int {
	m := 0
	c := &n.cities[it.city]
	pass := [nFacets]bool{
		!f.active[fTheme] || anyOf(f.themes, it.themes),
		!f.active[fGroup] || anyOf(f.groups, it.groups),
		!f.active[fContinent] || f.continents[c.Continent],
		!f.active[fCountry] || f.countries[c.Country],
		!f.active[fCity] || f.cities[it.city],
		!f.active[fStatus] || f.statuses[it.status],
		!f.active[fYear] || f.years[it.year],
	}
	for i, ok := range pass {
		if ok {
			m |= 1 << i
		}
	}
	return m
}

// counts accumulates facet counts.
type counts struct {
	themes, groups, cities []int
	statuses               [4]int
	continents, countries  map[string]int
	years                  map[int16]int
}

// Search runs a search over the published practices and returns one
// page with the facet counts. The number of statements it runs does not
// depend on the number of hits or items shown.
func (s *Store) Search(ctx context.Context, p Params) (*Results, error) {
	n, found, res, err := s.match(ctx, p)
	if err != nil {
		return nil, err
	}
	res.Pages = max(1, (len(found)+p.Size-1)/p.Size)
	page := min(p.Page, res.Pages)
	res.Params.Page = page
	from := min((page-1)*p.Size, len(found))
	to := min(from+p.Size, len(found))
	ids := make([]int64, 0, to-from)
	for _, pos := range found[from:to] {
		ids = append(ids, n.items[pos].id)
	}
	if res.Items, err = s.listItems(ctx, n, ids, res.Query, p.Lang); err != nil {
		return nil, err
	}
	return res, nil
}

// Find returns the ids of every practice a search finds, in its order,
// for exports.
func (s *Store) Find(ctx context.Context, p Params) ([]int64, error) {
	n, found, _, err := s.match(ctx, p)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(found))
	for i, pos := range found {
		ids[i] = n.items[pos].id
	}
	return ids, nil
}

// match finds, filters, counts and orders; the result lacks its items.
func (s *Store) match(ctx context.Context, p Params) (*snapshot, []int32, *Results, error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	q := search.Parse(p.Q)
	hits, err := s.hits(ctx, n, q)
	if err != nil {
		return nil, nil, nil, err
	}
	f := n.compile(p)
	c := counts{themes: make([]int, len(n.themes)), groups: make([]int, len(n.groups)), cities: make([]int, len(n.cities)),
		continents: map[string]int{}, countries: map[string]int{}, years: map[int16]int{}}
	var found []int32
	visit := func(pos int32) {
		it := &n.items[pos]
		m := f.mask(n, it)
		if m == allFacets {
			found = append(found, pos)
		}
		// A facet counts the items that pass every other facet.
		for i := range nFacets {
			if m|1<<i != allFacets {
				continue
			}
			city := &n.cities[it.city]
			switch i {
			case fTheme:
				for _, t := range it.themes {
					c.themes[t]++
				}
			case fGroup:
				for _, g := range it.groups {
					c.groups[g]++
				}
			case fContinent:
				c.continents[city.Continent]++
			case fCountry:
				c.countries[city.Country]++
			case fCity:
				c.cities[it.city]++
			case fStatus:
				c.statuses[it.status]++
			case fYear:
				c.years[it.year]++
			}
		}
	}
	if hits == nil {
		for pos := range n.items {
			visit(int32(pos))
		}
	} else {
		for _, pos := range hits {
			visit(pos)
		}
	}
	res := &Results{Params: p, Query: q, Total: len(found), Sort: p.Sort}
	if res.Sort == "" || (res.Sort == SortRelevance && !q.HasPositive()) {
		res.Sort = SortNewest
		if q.HasPositive() {
			res.Sort = SortRelevance
		}
	}
	found = n.sort(found, res.Sort, q, p.Lang)
	res.Facets = n.facets(p, f, &c)
	return n, found, res, nil
}

// hits returns the positions of the items matching q in ascending order,
// or nil for an empty query (every item). Hit lists are cached per
// snapshot, so a repeated query costs no statement.
func (s *Store) hits(ctx context.Context, n *snapshot, q search.Query) ([]int32, error) {
	expr, negate := s.DB.Dialect.FullTextExpr(q)
	if expr == "" {
		return nil, nil
	}
	key := strconv.FormatBool(negate) + "\x00" + expr
	if h, ok := n.cachedHits(key); ok {
		return h, nil
	}
	var list sql.NullString
	if err := s.DB.R.QueryRowContext(ctx, s.DB.Dialect.FullTextIDs("practice_fts"), expr).Scan(&list); err != nil {
		return nil, err
	}
	marked := make([]bool, len(n.items))
	for rest := list.String; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			continue
		}
		if it, ok := n.at(id); ok {
			marked[n.pos[it.id]-1] = true
		}
	}
	h := []int32{}
	for pos, m := range marked {
		if m != negate {
			h = append(h, int32(pos))
		}
	}
	n.storeHits(key, h)
	return h, nil
}

// sort orders the found positions. Relevance is where the query's words
// occur — in a title counts twice, in a summary once, per query item —
// then the practice's quality score, then the newest. Computed here from
// the same stored terms on both engines, so SQLite and PostgreSQL rank alike.
func (n *snapshot) sort(found []int32, order string, q search.Query, lang string) []int32 {
	switch order {
	case SortNewest:
		return found // positions are newest first
	case SortTitle:
		in := make(map[int32]bool, len(found))
		for _, p := range found {
			in[p] = true
		}
		out := make([]int32, 0, len(found))
		for _, p := range n.order("title:" + lang) {
			if in[p] {
				out = append(out, p)
			}
		}
		return out
	}
	groups := q.Groups()
	alts := make([][][]uint32, len(groups))
	for i, g := range groups {
		for _, alt := range g {
			ids := make([]uint32, len(alt))
			for j, t := range alt {
				ids[j] = n.dict.id(t, false)
			}
			alts[i] = append(alts[i], ids)
		}
	}
	score := make(map[int32]int, len(found))
	for _, p := range found {
		it := &n.items[p]
		s := 0
		for _, g := range alts {
			best := 0
			for _, alt := range g {
				if best < 2 && containsAll(it.titleT, alt) {
					best = 2
				} else if best < 1 && containsAll(it.leadT, alt) {
					best = 1
				}
			}
			s += best
		}
		score[p] = s*128 + int(it.quality)
	}
	slices.SortStableFunc(found, func(a, b int32) int { return cmp.Compare(score[b], score[a]) })
	return found
}

func containsAll(set []uint32, terms []uint32) bool {
	for _, t := range terms {
		if t == 0 {
			return false
		}
		if _, ok := slices.BinarySearch(set, t); !ok {
			return false
		}
	}
	return true
}

// listItems reads the page's items, in the order of ids, in one statement.
func (s *Store) listItems(ctx context.Context, n *snapshot, ids []int64, q search.Query, lang string) ([]ListItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	withBody := q.HasPositive()
	cols := `p.id, p.slug, p.lang, p.title, p.summary, p.themes, p.status, p.start_on, p.published_at, p.city_id`
	from := `practices p`
	if withBody {
		cols += `, r.record`
		from += ` JOIN practice_revisions r ON r.id = p.pub_rev`
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cols+` FROM `+from+
		` WHERE p.state = 'published' AND p.id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]ListItem{}
	for rows.Next() {
		var it ListItem
		var title, summary i18n.Text
		var themes string
		var cityID int64
		var published sql.NullTime
		dest := []any{&it.ID, &it.Slug, &it.Lang, &title, &summary, &themes, &it.Status, &it.Start, &published, &cityID}
		var raw string
		if withBody {
			dest = append(dest, &raw)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		it.Title = title.In(lang, it.Lang)
		it.Summary = summary.In(lang, it.Lang)
		it.Themes = strings.Fields(themes)
		it.PublishedAt = published.Time
		if ci, ok := n.cityAt[cityID]; ok {
			it.City = n.cities[ci]
		}
		if withBody {
			it.Snippet, it.SnippetLang = snippet(raw, summary, it.Summary, q)
		}
		byID[it.ID] = it
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ListItem, 0, len(ids))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// facets turns the counts into the facet lists the page and API show.
func (n *snapshot) facets(p Params, f *filter, c *counts) []Facet {
	var out []Facet
	add := func(name string, vals []FacetValue) {
		var keep []FacetValue
		for _, v := range vals {
			if v.Count > 0 || v.Selected {
				keep = append(keep, v)
			}
		}
		out = append(out, Facet{Name: name, Values: keep})
	}
	var vals []FacetValue
	for i, k := range n.themes {
		vals = append(vals, FacetValue{Value: k, Label: n.terms.Name(KindTheme, k, p.Lang), Count: c.themes[i], Selected: f.themes[i]})
	}
	add("theme", vals)
	vals = nil
	for i, k := range n.groups {
		vals = append(vals, FacetValue{Value: k, Label: n.terms.Name(KindGroup, k, p.Lang), Count: c.groups[i], Selected: f.groups[i]})
	}
	add("group", vals)
	vals = nil
	for _, k := range continents {
		vals = append(vals, FacetValue{Value: k, Key: "practice.continent." + k, Count: c.continents[k], Selected: f.continents[k]})
	}
	add("continent", vals)
	vals = nil
	for k, cnt := range c.countries {
		vals = append(vals, FacetValue{Value: k, Label: i18n.CountryName(p.Lang, k), Count: cnt, Selected: f.countries[k]})
	}
	for k := range f.countries {
		if _, ok := c.countries[k]; !ok {
			vals = append(vals, FacetValue{Value: k, Label: i18n.CountryName(p.Lang, k), Selected: true})
		}
	}
	add("country", byCount(vals))
	vals = nil
	for i, city := range n.cities {
		if c.cities[i] > 0 || f.cities[i] {
			vals = append(vals, FacetValue{Value: city.Slug, Label: city.In(p.Lang), Count: c.cities[i], Selected: f.cities[i]})
		}
	}
	add("city", byCount(vals))
	vals = nil
	for i, st := range Statuses {
		vals = append(vals, FacetValue{Value: st, Key: "practice.status." + st, Count: c.statuses[i+1], Selected: f.statuses[i+1]})
	}
	add("status", vals)
	vals = nil
	for y, cnt := range c.years {
		if y > 0 {
			vals = append(vals, FacetValue{Value: strconv.Itoa(int(y)), Label: strconv.Itoa(int(y)), Count: cnt, Selected: f.years[y]})
		}
	}
	for y := range f.years {
		if _, ok := c.years[y]; !ok {
			vals = append(vals, FacetValue{Value: strconv.Itoa(int(y)), Label: strconv.Itoa(int(y)), Selected: true})
		}
	}
	slices.SortFunc(vals, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
	add("year", vals)
	return out
}

// continents in the order the facet shows them (geo's keys).
var continents = []string{"africa", "north-america", "south-america", "asia", "europe", "oceania"}

func byCount(vals []FacetValue) []FacetValue {
	slices.SortFunc(vals, func(a, b FacetValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Label, b.Label)
	})
	return vals
}
