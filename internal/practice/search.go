package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// withoutFacets is p with no facet selected.
func (p Params) withoutFacets() Params {
	p.Themes, p.Groups, p.Continents, p.Countries, p.Cities, p.Statuses, p.Years = nil, nil, nil, nil, nil, nil, nil
	return p
}

// onlyFacets is p's facet selections alone.
func (p Params) onlyFacets() Params {
	return Params{Themes: p.Themes, Groups: p.Groups, Continents: p.Continents, Countries: p.Countries,
		Cities: p.Cities, Statuses: p.Statuses, Years: p.Years}
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
	RevisedAt   time.Time // when its public version last changed
}

// Path is the item's address after the language prefix.
func (it ListItem) Path() string { return fmt.Sprintf("/practices/%d-%s", it.ID, it.Slug) }

// Search runs a search over the published practices and returns one
// page with the facet counts. The number of statements it runs does not
// depend on the number of hits or items shown: the change counter, the
// hit list (unless cached) and the page's items.
func (s *Store) Search(ctx context.Context, p Params) (*Results, error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return nil, err
	}
	return s.searchAt(ctx, n, p)
}

// searchAt searches snapshot n, which the caller read already.
func (s *Store) searchAt(ctx context.Context, n *snapshot, p Params) (*Results, error) {
	m, err := s.match(ctx, n, p)
	if err != nil {
		return nil, err
	}
	res := m.res
	res.Params = p
	res.Pages = max(1, (len(m.found)+p.Size-1)/p.Size)
	res.Params.Page = min(p.Page, res.Pages)
	// The cached facets are shared; callers may fill in labels.
	res.Facets = make([]Facet, len(m.res.Facets))
	for i, f := range m.res.Facets {
		res.Facets[i] = Facet{Name: f.Name, Values: slices.Clone(f.Values)}
	}
	key := fmt.Sprintf("p%s|%d|%d", matchKey(p), res.Params.Page, p.Size)
	if items, ok := n.cache.get(key); ok {
		res.Items = items.([]ListItem)
		return &res, nil
	}
	from := min((res.Params.Page-1)*p.Size, len(m.found))
	to := min(from+p.Size, len(m.found))
	ids := make([]int64, 0, to-from)
	for _, pos := range m.found[from:to] {
		ids = append(ids, n.items[pos].id)
	}
	if res.Items, err = s.listItems(ctx, n, ids, res.Query, p.Lang); err != nil {
		return nil, err
	}
	n.cache.put(key, res.Items, 2048*len(res.Items))
	return &res, nil
}

// Find returns the ids of every practice a search finds, in its order,
// for exports.
func (s *Store) Find(ctx context.Context, p Params) ([]int64, error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.match(ctx, n, p)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(m.found))
	for i, pos := range m.found {
		ids[i] = n.items[pos].id
	}
	return ids, nil
}

// hits returns the positions of the items matching q in ascending order,
// or nil for an empty query (every item). The database is asked item by
// item of the query — a word with its spellings, or a phrase — and the
// answers are combined here as the engine would (AND across items, NOT
// for exclusions). Each item's answer is cached for the snapshot, so a
// word costs a statement once per data version however many searches
// contain it.
func (s *Store) hits(ctx context.Context, n *snapshot, q search.Query) ([]int32, error) {
	if q.Empty() {
		return nil, nil
	}
	var out []int32
	if q.HasPositive() {
		groups := q.Groups()
		lists := make([][]int32, len(groups))
		for i, g := range groups {
			var err error
			if lists[i], err = s.itemHits(ctx, n, g); err != nil {
				return nil, err
			}
		}
		slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
		out = lists[0]
		for _, l := range lists[1:] {
			out = andPositions(out, l)
		}
	} else {
		out = make([]int32, len(n.items))
		for i := range out {
			out[i] = int32(i)
		}
	}
	for _, g := range q.Excluded() {
		l, err := s.itemHits(ctx, n, g)
		if err != nil {
			return nil, err
		}
		out = notPositions(out, l)
	}
	return out, nil
}

// itemHits returns the sorted positions of the items matching one query
// item. An item whose spellings are single words is the union of each
// word's list, so "Schulen" and "Schule" share the list of "schul"; an
// item with a phrase among its spellings is asked for as a whole.
func (s *Store) itemHits(ctx context.Context, n *snapshot, alts [][]string) ([]int32, error) {
	expr, _ := search.FullTextExpr(s.DB.Dialect, search.Item(alts))
	key := "h" + expr
	if h, ok := n.cache.get(key); ok {
		return h.([]int32), nil
	}
	var ids []int64
	words := true
	for _, alt := range alts {
		words = words && len(alt) == 1
	}
	if words {
		for _, alt := range alts {
			e, _ := search.FullTextExpr(s.DB.Dialect, search.Item([][]string{alt}))
			l, err := s.itemIDs(ctx, n, e)
			if err != nil {
				return nil, err
			}
			ids = append(ids, l...)
		}
	} else {
		var err error
		if ids, err = s.itemIDs(ctx, n, expr); err != nil {
			return nil, err
		}
	}
	marked := make([]bool, len(n.items))
	for _, id := range ids {
		if id > 0 && id < int64(len(n.pos)) && n.pos[id] != 0 {
			marked[n.pos[id]-1] = true
		}
	}
	h := []int32{}
	for pos, m := range marked {
		if m {
			h = append(h, int32(pos))
		}
	}
	n.cache.put(key, h, 4*len(h))
	return h, nil
}

// prefetch reads the lists of the words most frequent in titles and
// summaries, so the first searches for them after a start need not wait.
// Two readers share the work; each list goes to the snapshot current
// when it is read.
func (s *Store) prefetch(ctx context.Context, n *snapshot, words int) error {
	rx := n.rankIndex()
	type df struct {
		term uint32
		n    int
	}
	var all []df
	for t, l := range rx.title {
		all = append(all, df{t, len(l) + len(rx.lead[t])})
	}
	slices.SortFunc(all, func(a, b df) int { return b.n - a.n })
	names := make(map[uint32]string, len(all))
	n.dict.mu.RLock()
	for w, id := range n.dict.ids {
		names[id] = w
	}
	n.dict.mu.RUnlock()
	next := make(chan string)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for w := range next {
				cur, err := s.index.current(ctx)
				if err == nil {
					e, _ := search.FullTextExpr(s.DB.Dialect, search.Item([][]string{{w}}))
					_, err = s.itemIDs(ctx, cur, e)
				}
				if err != nil {
					errs <- err
					for range next { // let the sender finish
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for _, x := range all[:min(words, len(all))] {
		if ctx.Err() != nil {
			break
		}
		next <- names[x.term]
	}
	close(next)
	return errors.Join(<-errs, <-errs, ctx.Err())
}

// itemIDs returns the sorted ids matching expr: the previous snapshot's
// list patched for the practices that changed since, or read afresh.
// Concurrent requests for a list not read yet wait for the one reading it.
func (s *Store) itemIDs(ctx context.Context, n *snapshot, expr string) ([]int64, error) {
	for {
		n.idHitsMu.Lock()
		ids, ok := n.idHits[expr]
		l, loading := n.loading[expr]
		if !ok && !loading {
			l = &loadingList{done: make(chan struct{})}
			if n.loading == nil {
				n.loading = map[string]*loadingList{}
			}
			n.loading[expr] = l
		}
		old, carried := n.carried[expr]
		n.idHitsMu.Unlock()
		if ok {
			return ids, nil
		}
		if loading {
			select {
			case <-l.done:
				if l.err == nil {
					return l.ids, nil
				}
				continue // the reader failed (its request may have ended): try again
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		l.ids, l.err = s.readIDs(ctx, n, expr, old, carried)
		n.idHitsMu.Lock()
		if l.err == nil {
			n.idHits[expr] = l.ids
		}
		delete(n.loading, expr)
		n.idHitsMu.Unlock()
		close(l.done)
		return l.ids, l.err
	}
}

// loadingList is a list being read, for the requests that wait for it.
type loadingList struct {
	done chan struct{}
	ids  []int64
	err  error
}

// readIDs reads the list of expr from the database, or patches the
// previous snapshot's list when there is one.
func (s *Store) readIDs(ctx context.Context, n *snapshot, expr string, old []int64, carried bool) (ids []int64, err error) {
	if carried && len(n.changed) > 0 {
		// Drop the changed practices, then add back those that match now.
		ids = make([]int64, 0, len(old))
		for _, id := range old {
			if _, found := slices.BinarySearch(n.changed, id); !found {
				ids = append(ids, id)
			}
		}
		var now []int64
		list, _ := json.Marshal(n.changed)
		if now, err = s.matchIDs(ctx, search.FullTextIDsAmong(s.DB.Dialect, "practice_fts"), expr, string(list)); err == nil {
			ids = append(ids, now...)
			slices.Sort(ids)
		}
	} else if carried {
		ids = old
	} else {
		ids, err = s.matchIDs(ctx, search.FullTextIDs(s.DB.Dialect, "practice_fts"), expr)
	}
	return ids, err
}

// matchIDs runs a statement that answers one comma-separated list of ids.
func (s *Store) matchIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	var list sql.NullString
	if err := s.DB.R.QueryRowContext(ctx, query, args...).Scan(&list); err != nil {
		return nil, err
	}
	var ids []int64
	id := int64(0)
	for i := 0; i <= len(list.String); i++ {
		if i == len(list.String) || list.String[i] == ',' {
			if id > 0 {
				ids = append(ids, id)
			}
			id = 0
		} else if c := list.String[i]; c >= '0' && c <= '9' {
			id = id*10 + int64(c-'0')
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// andPositions and notPositions combine sorted position lists.
func andPositions(a, b []int32) []int32 {
	out := make([]int32, 0, min(len(a), len(b)))
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

func notPositions(a, b []int32) []int32 {
	out := make([]int32, 0, len(a))
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			out = append(out, x)
		}
	}
	return out
}

// listItems reads the page's items, in the order of ids, in one statement.
func (s *Store) listItems(ctx context.Context, n *snapshot, ids []int64, q search.Query, lang string) ([]ListItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	withBody := q.HasPositive()
	cols := `p.id, p.slug, p.lang, p.title, p.summary, p.themes, p.status, p.start_on, p.published_at, p.revised_at, p.city_id`
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
		var published, revised sql.NullTime
		dest := []any{&it.ID, &it.Slug, &it.Lang, &title, &summary, &themes, &it.Status, &it.Start, &published, &revised, &cityID}
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
		it.RevisedAt = published.Time
		if revised.Time.After(it.RevisedAt) {
			it.RevisedAt = revised.Time
		}
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
