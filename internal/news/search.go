package news

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
)

// News in the site's search works as the practices' does: the text of a
// published item goes into the full-text index news_fts in the
// transaction that publishes or changes it (indexTx), and the in-memory
// index (search/index) reads the published items from source, by change
// number. Drafts, scheduled and archived items are in neither.

// Facets in the index's schema.
const (
	fCity = iota
	fYear
	fTag
)

// nextSeq takes the next change number.
func nextSeq(ctx context.Context, q db.Querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `UPDATE news_counter SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v)
	return v, err
}

// indexTx brings item id's search entry in line with its state, inside
// the transaction that changed it: a published item's text is indexed, any
// other item is taken out. Either way it gets a new change number.
func (s *Store) indexTx(ctx context.Context, tx *sql.Tx, id int64) error {
	it, err := s.get(ctx, tx, id, false)
	if err != nil {
		return err
	}
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	var titleTerms, leadTerms string
	if it.State == StatePublished {
		if err := search.ReplaceFullText(ctx, tx, s.DB.Dialect, "news_fts", id, indexText(it)); err != nil {
			return err
		}
		titleTerms, leadTerms = search.TermSet(it.Title), search.TermSet(it.Lead)
	} else if _, err := tx.ExecContext(ctx, search.FullTextDelete(s.DB.Dialect, "news_fts"), id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE news_items SET seq = $1, title_terms = $2, lead_terms = $3 WHERE id = $4`, seq, titleTerms, leadTerms, id)
	return err
}

// indexText is what the full-text index holds of an item: its texts in
// every language, its city's names and its tags.
func indexText(it *Item) string {
	var text []string
	add := func(v, lang string) {
		if t := search.IndexText(v, lang); t != "" {
			text = append(text, t)
		}
	}
	for _, f := range Fields {
		for l, v := range *it.Text(f) {
			add(v, l)
		}
	}
	add(it.City, "")
	for _, n := range it.CityNames {
		add(n, "")
	}
	for _, t := range it.Tags {
		add(t, "")
	}
	return strings.Join(text, " ")
}

// ReindexCity re-indexes the published items of a city whose names
// changed, in the transaction that changes them, so that they are found
// by the new names and no longer by the old.
func (s *Store) ReindexCity(ctx context.Context, tx *sql.Tx, cityID int64) error {
	ids, err := idList(ctx, tx, `SELECT id FROM news_items WHERE city_id = $1 AND state = 'published' ORDER BY id`, cityID)
	if err != nil {
		return fmt.Errorf("news of city %d: %w", cityID, err)
	}
	for _, id := range ids {
		if err := s.indexTx(ctx, tx, id); err != nil {
			return fmt.Errorf("re-indexing news item %d: %w", id, err)
		}
	}
	return nil
}

// RebuildIndex fills the full-text index again from the published items
// (after a restore, which leaves it out) and says how many it holds. The
// items' rows, change numbers included, stay as restored.
func (s *Store) RebuildIndex(ctx context.Context, tx *sql.Tx) (int, error) {
	ids, err := idList(ctx, tx, `SELECT id FROM news_items WHERE `+strings.ReplaceAll(public, "n.", "")+` ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		it, err := s.get(ctx, tx, id, false)
		if err != nil {
			return 0, err
		}
		if err := search.ReplaceFullText(ctx, tx, s.DB.Dialect, "news_fts", id, indexText(it)); err != nil {
			return 0, fmt.Errorf("indexing news item %d: %w", id, err)
		}
	}
	return len(ids), nil
}

// indexOld indexes the published items written before news was
// searchable (change number 0), once per process; several servers doing
// it at once index each item once (the conditional update decides).
func (s *Store) indexOld(ctx context.Context) error {
	s.oldMu.Lock()
	defer s.oldMu.Unlock()
	if s.oldDone {
		return nil
	}
	ids, err := idList(ctx, s.DB.R, `SELECT id FROM news_items WHERE seq = 0 AND state = 'published'`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE news_items SET seq = -1 WHERE id = $1 AND seq = 0`, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			return s.indexTx(ctx, tx, id)
		})
		if err != nil {
			return fmt.Errorf("indexing news item %d: %w", id, err)
		}
	}
	s.oldDone = true
	return nil
}

func idList(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// searchIndex is the store's in-memory index, made on first use.
func (s *Store) searchIndex(ctx context.Context) (*index.Snapshot, error) {
	if err := s.indexOld(ctx); err != nil {
		return nil, err
	}
	s.ixOnce.Do(func() {
		s.ix = index.New(source{s}, index.Config{DB: s.DB, FullText: "news_fts",
			Related: index.Related{Strong: "tag", Apart: "city"}})
	})
	return s.ix.Current(ctx)
}

// cityMeta is what the facets name cities by, at one index version.
type cityMeta struct {
	names map[string]cityName // id → names
}

type cityName struct {
	name  string
	names i18n.Text
}

// source is the store as the index reads it: published items only.
type source struct{ s *Store }

func (src source) Version(ctx context.Context) (string, error) {
	var v int64
	var cities sql.NullString
	err := src.s.DB.ReadRow(ctx, `SELECT value, (SELECT CAST(MAX(updated_at) AS TEXT) FROM cities) FROM news_counter WHERE id = 1`).Scan(&v, &cities)
	return fmt.Sprintf("%d/%s", v, cities.String), err
}

func (src source) Schema(ctx context.Context) (index.Schema, error) {
	rows, err := src.s.DB.R.QueryContext(ctx, `SELECT id, name, names FROM cities`)
	if err != nil {
		return index.Schema{}, err
	}
	defer rows.Close()
	m := &cityMeta{names: map[string]cityName{}}
	for rows.Next() {
		var id int64
		var c cityName
		if err := rows.Scan(&id, &c.name, &c.names); err != nil {
			return index.Schema{}, err
		}
		m.names[strconv.FormatInt(id, 10)] = c
	}
	if err := rows.Err(); err != nil {
		return index.Schema{}, err
	}
	tags, err := src.tags(ctx)
	if err != nil {
		return index.Schema{}, err
	}
	return index.Schema{Meta: m, Facets: []index.Facet{
		fCity: {Name: "city"},
		fYear: {Name: "year"},
		fTag:  {Name: "tag", Multi: true, Values: tags},
	}}, nil
}

// tags are the published items' tags, the most used first: a Multi facet
// counts the values it knows in advance, at most index.MaxMulti of them.
func (src source) tags(ctx context.Context) ([]string, error) {
	rows, err := src.s.DB.R.QueryContext(ctx, `SELECT tags FROM news_items WHERE `+strings.ReplaceAll(public, "n.", ""))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	uses := map[string]int{}
	for rows.Next() {
		var tags string
		if err := rows.Scan(&tags); err != nil {
			return nil, err
		}
		for _, t := range strings.Split(tags, ",") {
			if t != "" {
				uses[t]++
			}
		}
	}
	out := slices.Collect(maps.Keys(uses))
	slices.SortFunc(out, func(a, b string) int {
		if uses[a] != uses[b] {
			return uses[b] - uses[a]
		}
		return strings.Compare(a, b)
	})
	return out[:min(len(out), index.MaxMulti)], rows.Err()
}

func (src source) Changes(ctx context.Context, since int64, fn func(index.Doc) error) (int64, error) {
	query := `SELECT id, state, source_lang, title, COALESCE(city_id, 0), dated_on, tags, title_terms, lead_terms, published_at, seq
		FROM news_items WHERE seq > $1`
	if since == 0 {
		query += ` AND ` + strings.ReplaceAll(public, "n.", "")
	}
	rows, err := src.s.DB.R.QueryContext(ctx, query, since)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var last int64
	for rows.Next() {
		var d index.Doc
		var state, dated, tags string
		var city, seq int64
		var published sql.NullTime
		if err := rows.Scan(&d.ID, &state, &d.Lang, &d.Titles, &city, &dated, &tags, &d.TitleTerms, &d.LeadTerms, &published, &seq); err != nil {
			return 0, err
		}
		last = max(last, seq)
		d.Gone = state != StatePublished
		if published.Valid {
			d.Time = published.Time.Unix()
		}
		d.Values = make([][]string, fTag+1)
		if city != 0 {
			d.Values[fCity] = []string{strconv.FormatInt(city, 10)}
		}
		if len(dated) >= 4 {
			d.Values[fYear] = []string{dated[:4]}
		}
		for _, t := range strings.Split(tags, ",") {
			if t != "" {
				d.Values[fTag] = append(d.Values[fTag], t)
			}
		}
		if err := fn(d); err != nil {
			return 0, err
		}
	}
	return last, rows.Err()
}

// maxQuery is how many characters of a query are searched for.
const maxQuery = 200

// clip is s cut to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// SearchParams is a news search: the words, the facets' selections and
// the page.
type SearchParams struct {
	Q      string
	Cities []string // ids
	Years  []string
	Tags   []string
	Lang   string
	Page   int
	Size   int
}

// SearchResult is one page of a news search with its facets.
type SearchResult struct {
	Items  []*Item
	Total  int
	Facets []results.Facet
}

// Search finds published items by their words, newest first among
// equally good hits, with the counts of each city, year and tag.
func (s *Store) Search(ctx context.Context, p SearchParams) (*SearchResult, error) {
	n, err := s.searchIndex(ctx)
	if err != nil {
		return nil, fmt.Errorf("searching news: %w", err)
	}
	q := index.Query{Text: p.Q, Lang: p.Lang, Select: make([][]string, fTag+1)}
	q.Select[fCity], q.Select[fYear], q.Select[fTag] = p.Cities, p.Years, p.Tags
	m, err := n.Match(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("searching news: %w", err)
	}
	meta := n.Meta().(*cityMeta)
	res := &SearchResult{Total: m.Total()}
	cities := m.Values(n, fCity, func(id string) results.Value {
		c := meta.names[id]
		label := c.name
		if v := strings.TrimSpace(c.names[p.Lang]); v != "" {
			label = v
		}
		return results.Value{Value: id, Label: label}
	})
	years := m.Values(n, fYear, func(y string) results.Value { return results.Value{Value: y, Label: y} })
	slices.SortFunc(years, func(a, b results.Value) int { return strings.Compare(b.Value, a.Value) })
	tags := m.Values(n, fTag, func(t string) results.Value { return results.Value{Value: t, Label: t} })
	res.Facets = []results.Facet{{Name: "city", Values: results.ByCount(p.Lang, cities)}, {Name: "year", Values: years},
		{Name: "tag", Values: results.ByCount(p.Lang, tags)}}
	from := (max(p.Page, 1) - 1) * p.Size
	ids := n.IDs(m, from, from+p.Size)
	if len(ids) == 0 {
		return res, nil
	}
	b, _ := json.Marshal(ids)
	// The index may be a moment behind: the database's rule decides again.
	items, err := s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+public+` AND n.id IN (SELECT value FROM `+jsonIDs(s.DB.Dialect)+`)`, string(b))
	if err != nil {
		return nil, err
	}
	at := map[int64]*Item{}
	for _, it := range items {
		at[it.ID] = it
	}
	for _, id := range ids {
		if it := at[id]; it != nil {
			res.Items = append(res.Items, it)
		}
	}
	return res, nil
}

// jsonIDs is a table of the ids in the JSON array $1, as column value.
func jsonIDs(d db.Dialect) string {
	if d.Engine == db.Postgres {
		return `(SELECT jsonb_array_elements_text($1::jsonb)::bigint AS value) AS ids`
	}
	return `json_each($1)`
}
