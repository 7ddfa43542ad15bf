package practice

import (
	"context"
	mbits "math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"observatory/internal/i18n"
	"observatory/internal/search"
)

// The in-memory half of a search: filtering the hits by facets, counting
// facet values, ranking and ordering. Everything here works on dense
// arrays over a snapshot's positions, so 100,000 practices take a few
// milliseconds; results are cached per snapshot and search.

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

// continents in the order the facet shows them (geo's keys).
var continents = []string{"africa", "north-america", "south-america", "asia", "europe", "oceania"}

// Years a practice may start in (ParseDate's range), for dense arrays.
const (
	firstYear = 1900
	lastYear  = 2200
)

// filter is Params compiled against one snapshot: one flag per value.
type filter struct {
	themes, groups           uint64 // bit sets, like items'
	conts, countries, cities []bool
	statuses                 [4]bool
	years                    [lastYear - firstYear + 1]bool
	active                   [nFacets]bool
}

func (n *snapshot) compile(p Params) *filter {
	f := &filter{conts: make([]bool, len(continents)),
		countries: make([]bool, len(n.countries)), cities: make([]bool, len(n.cities))}
	for _, k := range p.Themes {
		f.active[fTheme] = true
		if i, ok := n.themeAt[k]; ok && i < maxTerms {
			f.themes |= 1 << i
		}
	}
	for _, k := range p.Groups {
		f.active[fGroup] = true
		if i, ok := n.groupAt[k]; ok && i < maxTerms {
			f.groups |= 1 << i
		}
	}
	for _, c := range p.Continents {
		f.active[fContinent] = true
		if i := slices.Index(continents, c); i >= 0 {
			f.conts[i] = true
		}
	}
	for _, c := range p.Countries {
		f.active[fCountry] = true
		if i := slices.Index(n.countries, strings.ToUpper(c)); i >= 0 {
			f.countries[i] = true
		}
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
		if y >= firstYear && y <= lastYear {
			f.years[y-firstYear] = true
		}
	}
	return f
}

func (f *filter) none() bool {
	for _, a := range f.active {
		if a {
			return false
		}
	}
	return true
}

// mask says which facets' selections the item passes.
func (f *filter) mask(n *snapshot, it *item) int {
	m := allFacets
	if f.active[fTheme] && f.themes&it.themes == 0 {
		m &^= 1 << fTheme
	}
	if f.active[fGroup] && f.groups&it.groups == 0 {
		m &^= 1 << fGroup
	}
	if f.active[fContinent] && !f.conts[n.cityCont[it.city]] {
		m &^= 1 << fContinent
	}
	if f.active[fCountry] && !f.countries[n.cityCountry[it.city]] {
		m &^= 1 << fCountry
	}
	if f.active[fCity] && !f.cities[it.city] {
		m &^= 1 << fCity
	}
	if f.active[fStatus] && !f.statuses[it.status] {
		m &^= 1 << fStatus
	}
	if f.active[fYear] && (it.year < firstYear || !f.years[it.year-firstYear]) {
		m &^= 1 << fYear
	}
	return m
}

// counts accumulates facet counts, one slot per value.
type counts struct {
	themes, groups, conts, countries, cities []int
	statuses                                 [4]int
	years                                    [lastYear - firstYear + 1]int
}

func (n *snapshot) newCounts() *counts {
	return &counts{themes: make([]int, len(n.themes)), groups: make([]int, len(n.groups)), conts: make([]int, len(continents)),
		countries: make([]int, len(n.countries)), cities: make([]int, len(n.cities))}
}

// add counts the item in every facet whose bit is in which.
func (c *counts) add(n *snapshot, it *item, which int) {
	if which&(1<<fTheme) != 0 {
		for b := it.themes; b != 0; b &= b - 1 {
			c.themes[mbits.TrailingZeros64(b)]++
		}
	}
	if which&(1<<fGroup) != 0 {
		for b := it.groups; b != 0; b &= b - 1 {
			c.groups[mbits.TrailingZeros64(b)]++
		}
	}
	if which&(1<<fContinent) != 0 {
		c.conts[n.cityCont[it.city]]++
	}
	if which&(1<<fCountry) != 0 {
		c.countries[n.cityCountry[it.city]]++
	}
	if which&(1<<fCity) != 0 {
		c.cities[it.city]++
	}
	if which&(1<<fStatus) != 0 {
		c.statuses[it.status]++
	}
	if which&(1<<fYear) != 0 && it.year >= firstYear {
		c.years[it.year-firstYear]++
	}
}

// addAll is add for every facet, without the tests.
func (c *counts) addAll(n *snapshot, it *item) {
	for b := it.themes; b != 0; b &= b - 1 {
		c.themes[mbits.TrailingZeros64(b)]++
	}
	for b := it.groups; b != 0; b &= b - 1 {
		c.groups[mbits.TrailingZeros64(b)]++
	}
	c.conts[n.cityCont[it.city]]++
	c.countries[n.cityCountry[it.city]]++
	c.cities[it.city]++
	c.statuses[it.status]++
	if it.year >= firstYear {
		c.years[it.year-firstYear]++
	}
}

// matched is a search's outcome before its page of items: cached per
// snapshot, so paging through results and repeating a search are cheap.
type matched struct {
	*core
	res Results
}

// core is what a search found, in order, with its facet counts: the same
// in every language unless ordered by title, so shared by them.
type core struct {
	found  []int32
	counts *counts
	query  search.Query
	sort   string
}

// matchKey identifies a search apart from its page.
func matchKey(p Params) string {
	v := p.Values()
	for _, vals := range v {
		slices.Sort(vals)
	}
	return p.Lang + "|" + v.Encode()
}

// match finds, filters, counts and orders; the result lacks its items.
func (s *Store) match(ctx context.Context, n *snapshot, p Params) (*matched, error) {
	key := matchKey(p)
	if m, ok := n.cache.get("m" + key); ok {
		return m.(*matched), nil
	}
	f := n.compile(p)
	c, err := s.matchCore(ctx, n, p, f)
	if err != nil {
		return nil, err
	}
	m := &matched{core: c, res: Results{Params: p, Query: c.query, Total: len(c.found), Sort: c.sort}}
	m.res.Facets = n.facets(p, f, c.counts)
	n.cache.put("m"+key, m, 8192)
	return m, nil
}

// matchCore is match without the facets' labels, cached for every
// language but for an order by title.
func (s *Store) matchCore(ctx context.Context, n *snapshot, p Params, f *filter) (*core, error) {
	shared := p
	if p.Sort != SortTitle {
		shared.Lang = ""
	}
	key := "c" + matchKey(shared)
	if c, ok := n.cache.get(key); ok {
		return c.(*core), nil
	}
	var c *core
	var err error
	if i, ok := f.single(); ok {
		c, err = s.matchWithin(ctx, n, p, f, i)
	} else {
		c, err = s.matchAll(ctx, n, p, f)
	}
	if err != nil {
		return nil, err
	}
	n.cache.put(key, c, 4*len(c.found)+4096)
	return c, nil
}

// matchAll is matchCore for any search: every hit is visited.
func (s *Store) matchAll(ctx context.Context, n *snapshot, p Params, f *filter) (*core, error) {
	q := search.Parse(p.Q)
	hits, err := s.hits(ctx, n, q)
	if err != nil {
		return nil, err
	}
	c := n.newCounts()
	var found []int32
	if f.none() {
		// Nothing to filter: every hit is found and counts everywhere.
		visit := func(pos int32) { c.addAll(n, &n.items[pos]) }
		if hits == nil {
			found = make([]int32, len(n.items))
			for i := range found {
				found[i] = int32(i)
				visit(int32(i))
			}
		} else {
			found = slices.Clone(hits)
			for _, pos := range hits {
				visit(pos)
			}
		}
	} else {
		visit := func(pos int32) {
			it := &n.items[pos]
			m := f.mask(n, it)
			if m == allFacets {
				found = append(found, pos)
				c.addAll(n, it)
				return
			}
			// A facet counts the items that pass every other facet.
			for i := range nFacets {
				if m|1<<i == allFacets {
					c.add(n, it, 1<<i)
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
	}
	out := &core{counts: c, query: q, sort: p.Sort}
	if out.sort == "" || (out.sort == SortRelevance && !q.HasPositive()) {
		out.sort = SortNewest
		if q.HasPositive() {
			out.sort = SortRelevance
		}
	}
	out.found = n.sort(found, out.sort, q, p.Lang)
	return out, nil
}

// matchWithin is matchCore for a search with a selection in one facet
// (i), the common way to narrow results: it filters the search without
// the selection — cached, ordered and counted already — by the positions
// the selection lets pass. The selected facet's counts are that search's:
// a facet counts what the other facets let pass.
func (s *Store) matchWithin(ctx context.Context, n *snapshot, p Params, f *filter, i int) (*core, error) {
	bp := p.withoutFacets()
	base, err := s.matchCore(ctx, n, bp, n.compile(bp))
	if err != nil {
		return nil, err
	}
	pass := n.passing(f, i, p)
	c := n.newCounts()
	var found []int32
	for _, pos := range base.found {
		if pass[pos>>6]&(1<<(pos&63)) != 0 {
			found = append(found, pos)
			c.addAll(n, &n.items[pos])
		}
	}
	c.take(base.counts, i)
	return &core{found: found, counts: c, query: base.query, sort: base.sort}, nil
}

// single returns the facet with a selection when exactly one has one.
func (f *filter) single() (int, bool) {
	found := -1
	for i, a := range f.active {
		if a {
			if found >= 0 {
				return 0, false
			}
			found = i
		}
	}
	return found, found >= 0
}

// passing is the set of positions that facet i's selection in f lets
// pass, one bit per position, cached per snapshot and selection.
func (n *snapshot) passing(f *filter, i int, p Params) []uint64 {
	key := "b" + strconv.Itoa(i) + "|" + matchKey(p.onlyFacets())
	if b, ok := n.cache.get(key); ok {
		return b.([]uint64)
	}
	set := make([]uint64, (len(n.items)+63)/64)
	for pos := range n.items {
		if f.mask(n, &n.items[pos])&(1<<i) != 0 {
			set[pos>>6] |= 1 << (pos & 63)
		}
	}
	n.cache.put(key, set, 8*len(set))
	return set
}

// take copies facet i's counts from c2.
func (c *counts) take(c2 *counts, i int) {
	switch i {
	case fTheme:
		copy(c.themes, c2.themes)
	case fGroup:
		copy(c.groups, c2.groups)
	case fContinent:
		copy(c.conts, c2.conts)
	case fCountry:
		copy(c.countries, c2.countries)
	case fCity:
		copy(c.cities, c2.cities)
	case fStatus:
		c.statuses = c2.statuses
	case fYear:
		c.years = c2.years
	}
}

// sort orders the found positions. Relevance is where the query's words
// occur — in a title counts twice, in a summary once, per query item —
// then the practice's quality score, then the newest. It is computed here
// from the same stored terms on both engines, so SQLite and PostgreSQL
// rank alike.
func (n *snapshot) sort(found []int32, order string, q search.Query, lang string) []int32 {
	switch order {
	case SortNewest:
		return found // positions are newest first
	case SortTitle:
		in := make([]bool, len(n.items))
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
	bufs, _ := relevanceScratch.Get().(*relevanceBufs)
	if bufs == nil {
		bufs = &relevanceBufs{}
	}
	defer relevanceScratch.Put(bufs)
	score := n.relevance(q, bufs)
	// A counting sort on (relevance, quality), stable, so ties stay newest first.
	const qualities = 101
	buckets := make([]int32, (maxScore+1)*qualities+1)
	key := func(p int32) int {
		return (maxScore-int(score[p]))*qualities + (qualities - 1 - int(n.items[p].quality))
	}
	for _, p := range found {
		buckets[key(p)+1]++
	}
	for i := 1; i < len(buckets); i++ {
		buckets[i] += buckets[i-1]
	}
	out := make([]int32, len(found))
	for _, p := range found {
		k := key(p)
		out[buckets[k]] = p
		buckets[k]++
	}
	return out
}

// maxScore bounds relevance: two points per query item, at most 16 items.
const maxScore = 32

// relevanceBufs are the two arrays a relevance computation works in, one
// slot per practice: reused, since a search would otherwise allocate
// them afresh each time.
type relevanceBufs struct{ score, best []uint8 }

var relevanceScratch sync.Pool

// relevance scores every position for q: per query item 2 if some
// spelling of it is in the title, else 1 if in the summary. The scores
// live in bufs.
func (n *snapshot) relevance(q search.Query, bufs *relevanceBufs) []uint8 {
	rx := n.rankIndex()
	for _, b := range []*[]uint8{&bufs.score, &bufs.best} {
		if cap(*b) < len(n.items) {
			*b = make([]uint8, len(n.items))
		}
		*b = (*b)[:len(n.items)]
		clear(*b)
	}
	score, best := bufs.score, bufs.best
	var touched []int32
	for _, g := range q.Groups() {
		for _, alt := range g {
			ids := make([]uint32, len(alt))
			for j, t := range alt {
				ids[j] = n.dict.id(t, false)
			}
			for _, lvl := range []struct {
				post map[uint32][]int32
				val  uint8
			}{{rx.title, 2}, {rx.lead, 1}} {
				for _, p := range intersect(lvl.post, ids) {
					if best[p] == 0 {
						touched = append(touched, p)
					}
					best[p] = max(best[p], lvl.val)
				}
			}
		}
		for _, p := range touched {
			score[p] = min(score[p]+best[p], maxScore)
			best[p] = 0
		}
		touched = touched[:0]
	}
	return score
}

// intersect returns the positions whose terms include all of ids.
func intersect(post map[uint32][]int32, ids []uint32) []int32 {
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		if id == 0 {
			return nil
		}
	}
	out := post[ids[0]]
	for _, id := range ids[1:] {
		other := post[id]
		var both []int32
		i, j := 0, 0
		for i < len(out) && j < len(other) {
			switch {
			case out[i] == other[j]:
				both = append(both, out[i])
				i++
				j++
			case out[i] < other[j]:
				i++
			default:
				j++
			}
		}
		out = both
	}
	return out
}

// rankIdx lists, per term, the positions with it in their title or summary.
type rankIdx struct {
	title, lead map[uint32][]int32
}

func (n *snapshot) rankIndex() *rankIdx {
	n.rankOnce.Do(func() {
		rx := &rankIdx{title: map[uint32][]int32{}, lead: map[uint32][]int32{}}
		for pos := range n.items {
			it := &n.items[pos]
			for _, t := range n.titleT(it) {
				rx.title[t] = append(rx.title[t], int32(pos))
			}
			for _, t := range n.leadT(it) {
				rx.lead[t] = append(rx.lead[t], int32(pos))
			}
		}
		n.rank = rx
	})
	return n.rank
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
		vals = append(vals, FacetValue{Value: k, Label: n.terms.Name(KindTheme, k, p.Lang), Count: c.themes[i], Selected: i < maxTerms && f.themes&(1<<i) != 0})
	}
	add("theme", vals)
	vals = nil
	for i, k := range n.groups {
		vals = append(vals, FacetValue{Value: k, Label: n.terms.Name(KindGroup, k, p.Lang), Count: c.groups[i], Selected: i < maxTerms && f.groups&(1<<i) != 0})
	}
	add("group", vals)
	vals = nil
	for i, k := range continents {
		vals = append(vals, FacetValue{Value: k, Key: "practice.continent." + k, Count: c.conts[i], Selected: f.conts[i]})
	}
	add("continent", vals)
	vals = nil
	for i, k := range n.countries {
		if c.countries[i] > 0 || f.countries[i] {
			vals = append(vals, FacetValue{Value: k, Label: i18n.CountryName(p.Lang, k), Count: c.countries[i], Selected: f.countries[i]})
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
	for y := lastYear; y >= firstYear; y-- {
		if cnt, sel := c.years[y-firstYear], f.years[y-firstYear]; cnt > 0 || sel {
			vals = append(vals, FacetValue{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Count: cnt, Selected: sel})
		}
	}
	add("year", vals)
	return out
}

func byCount(vals []FacetValue) []FacetValue {
	slices.SortFunc(vals, func(a, b FacetValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Label, b.Label)
	})
	return vals
}

// lru is a snapshot's cache of computed answers (hit lists, matches,
// pages), bounded by their approximate size in bytes. When full it drops
// the oldest half; a new snapshot starts empty anyway.
type lru struct {
	mu    sync.Mutex
	max   int // bytes
	size  int
	m     map[string]lruEntry
	order []string
}

type lruEntry struct {
	v    any
	size int
}

func (c *lru) get(k string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	return e.v, ok
}

func (c *lru) put(k string, v any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]lruEntry{}
	}
	if old, ok := c.m[k]; ok {
		c.size -= old.size
	} else {
		c.order = append(c.order, k)
	}
	size += len(k) + 64
	c.m[k] = lruEntry{v, size}
	c.size += size
	if c.size > c.max {
		drop := c.order[:len(c.order)/2]
		for _, d := range drop {
			c.size -= c.m[d].size
			delete(c.m, d)
		}
		c.order = slices.Clone(c.order[len(drop):])
	}
}

func (c *lru) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.order, c.size = nil, nil, 0
}
