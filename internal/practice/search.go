package practice

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
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
	From       int    // the first hit, for the API's cursors (Page is then ignored)
	Lang       string // the reader's language: titles, sorting, snippets
}

// Sort orders.
const (
	SortRelevance = index.Relevance
	SortNewest    = index.Newest
	SortTitle     = index.Title
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

// Facet and FacetValue are a search's facets with their counts.
type (
	Facet      = results.Facet
	FacetValue = results.Value
)

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
	n, err := s.index.Current(ctx)
	if err != nil {
		return nil, err
	}
	return s.searchAt(ctx, n, p)
}

// matched is a search's outcome before its page of items, with the
// facets labelled in the reader's language.
type matched struct {
	*index.Match
	res Results
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
func (s *Store) match(ctx context.Context, n *index.Snapshot, p Params) (*matched, error) {
	key := "m" + matchKey(p)
	if m, ok := s.cache.Get(key, n.Key()); ok {
		return m.(*matched), nil
	}
	x, err := n.Match(ctx, p.query(n))
	if err != nil {
		return nil, err
	}
	m := &matched{Match: x, res: Results{Params: p, Query: x.Query, Total: x.Total(), Sort: x.Sort, Facets: facets(n, x, p.Lang)}}
	s.cache.Put(key, n.Key(), m, 512+results.Size(m.res.Facets))
	return m, nil
}

// searchAt searches snapshot n, which the caller read already.
func (s *Store) searchAt(ctx context.Context, n *index.Snapshot, p Params) (*Results, error) {
	m, err := s.match(ctx, n, p)
	if err != nil {
		return nil, err
	}
	res := m.res
	res.Params = p
	res.Pages = max(1, (m.Total()+p.Size-1)/p.Size)
	res.Params.Page = min(p.Page, res.Pages)
	// The cached facets are shared; callers may fill in labels.
	res.Facets = make([]Facet, len(m.res.Facets))
	for i, f := range m.res.Facets {
		res.Facets[i] = Facet{Name: f.Name, Values: slices.Clone(f.Values)}
	}
	from := (res.Params.Page - 1) * p.Size
	if p.From > 0 {
		from = p.From
	}
	key := fmt.Sprintf("p%s|%d|%d", matchKey(p), from, p.Size)
	if items, ok := s.cache.Get(key, n.Key()); ok {
		res.Items = items.([]ListItem)
		return &res, nil
	}
	ids := n.IDs(m.Match, from, from+p.Size)
	if res.Items, err = s.listItems(ctx, n, ids, res.Query, p.Lang); err != nil {
		return nil, err
	}
	size := 0
	for _, it := range res.Items {
		size += 512 + len(it.Slug) + len(it.Title.Value) + len(it.Summary.Value) + len(it.Snippet) + 64*len(it.Themes) + 256
	}
	s.cache.Put(key, n.Key(), res.Items, size)
	return &res, nil
}

// Find returns the ids of every practice a search finds, in its order,
// for exports.
func (s *Store) Find(ctx context.Context, p Params) ([]int64, error) {
	n, err := s.index.Current(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.match(ctx, n, p)
	if err != nil {
		return nil, err
	}
	return n.IDs(m.Match, 0, m.Total()), nil
}

// listItems reads the page's items, in the order of ids, in one statement.
func (s *Store) listItems(ctx context.Context, n *index.Snapshot, ids []int64, q search.Query, lang string) ([]ListItem, error) {
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
	marks, args := db.InIDs(ids)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cols+` FROM `+from+
		` WHERE p.state = 'published' AND p.id IN (`+marks+`)`, args...)
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
		if ci, ok := info(n).cityAt[cityID]; ok {
			it.City = info(n).cities[ci]
		}
		if withBody {
			it.Snippet, it.SnippetLang = snippet(raw, summary, it.Summary, q)
		}
		byID[it.ID] = it
	}
	return db.InOrder(ids, byID), rows.Err()
}
