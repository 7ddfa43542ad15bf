package practice

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"sync"

	"observatory/internal/i18n"
	"observatory/internal/search"
)

// Index is each server's cache of what search needs about the published
// practices: their facets, ranking terms and sort keys, plus the cities'
// and taxonomies' names. The database stays the truth: the cache is
// keyed by the change counter (Store.Version), checked on every search,
// and refreshed incrementally from the rows whose seq moved. So several
// app servers agree, and a page never shows what the database no longer has.
//
// Why a cache at all: the full-text engines find hits fast but rank and
// facet slowly (see DESIGN.md, "Measured limits"). Here the database only
// returns the ids that match; counting facets, ranking and sorting 100,000
// items in memory takes a few milliseconds.
type Index struct {
	s    *Store
	mu   sync.Mutex // one refresh at a time
	snap *snapshot  // guarded by mu for writers; readers take it via current
}

func newIndex(s *Store) *Index { return &Index{s: s} }

// item is one published practice as search sees it. It holds no
// pointer but its title: 100,000 of them cost the garbage collector
// almost nothing to scan.
type item struct {
	id        int64
	published int64  // unix seconds of first publication
	themes    uint64 // bit i: snapshot.themes[i]
	groups    uint64 // bit i: snapshot.groups[i]
	title     string // the titles, see encodeTitles
	termOff   uint32 // its ranking terms in snapshot.arena: title's, then summary's
	titleLen  uint16
	leadLen   uint16
	city      int32 // index into snapshot.cities
	year      int16
	status    uint8 // index into Statuses + 1, 0 = none
	quality   uint8
	lang      uint8 // index into ContentLangs
}

// maxTerms is how many themes (and target groups) there can be: items
// keep them as bits of a uint64.
const maxTerms = 64

// titleT and leadT are an item's sorted ranking term ids.
func (n *snapshot) titleT(it *item) []uint32 {
	return n.arena[it.termOff : it.termOff+uint32(it.titleLen)]
}
func (n *snapshot) leadT(it *item) []uint32 {
	from := it.termOff + uint32(it.titleLen)
	return n.arena[from : from+uint32(it.leadLen)]
}

// encodeTitles packs a title's translations into one string.
func encodeTitles(t i18n.Text) string {
	var b strings.Builder
	for l, v := range t {
		b.WriteString(l + "\x1f" + v + "\x1e")
	}
	return b.String()
}

func decodeTitles(s string) i18n.Text {
	t := i18n.Text{}
	for _, part := range strings.Split(s, "\x1e") {
		if l, v, ok := strings.Cut(part, "\x1f"); ok {
			t[l] = v
		}
	}
	return t
}

func langOf(it *item) string { return ContentLangs[it.lang] }

// snapshot is an immutable state of the index; a refresh builds a new one.
type snapshot struct {
	version string
	seq     int64
	items   []item
	pos     []int32  // id → position in items + 1 (0: not published)
	arena   []uint32 // the items' ranking terms
	terms   *Terms
	themes  []string       // theme keys, taxonomy order
	groups  []string       // group keys
	themeAt map[string]int // key → index
	groupAt map[string]int // key → index
	cities  []City         // cities that have published practices (and all known)
	cityAt  map[int64]int  // city id → index
	dict    *termDict      // ranking terms → id, shared by snapshots

	countries   []string // country codes of the cities
	cityCont    []uint8  // city index → index in continents
	cityCountry []uint16 // city index → index in countries

	orderOnce sync.Mutex
	orders    map[string][]int32 // cached sort orders by name

	rankOnce sync.Once
	rank     *rankIdx

	cache lru // hit lists, matches and pages of this snapshot

	// Hit lists by practice id, kept across snapshots: after a change,
	// a list is patched for the few practices that changed instead of
	// being read again (a common word's list is the costliest read).
	idHitsMu sync.Mutex
	idHits   map[string][]int64 // engine expression → sorted ids, current
	carried  map[string][]int64 // from the previous snapshot, to patch
	loading  map[string]*loadingList
	changed  []int64 // practices that changed since the previous snapshot
}

// maxCarried bounds the changes a refresh patches hit lists for; after a
// bulk load they are read again.
const maxCarried = 1000

// current returns an up-to-date snapshot, refreshing it if the database
// changed since it was built.
func (ix *Index) current(ctx context.Context) (*snapshot, error) {
	v, err := ix.s.Version(ctx)
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.snap != nil && ix.snap.version == v {
		return ix.snap, nil
	}
	next, err := ix.refresh(ctx, ix.snap, v)
	if err != nil {
		return nil, err
	}
	ix.snap = next
	return next, nil
}

// Warm loads the index before the first search needs it.
func (ix *Index) Warm(ctx context.Context) error {
	_, err := ix.current(ctx)
	return err
}

// refresh builds the snapshot for version v from prev plus the rows that
// changed since prev was built (everything when prev is nil).
func (ix *Index) refresh(ctx context.Context, prev *snapshot, v string) (*snapshot, error) {
	q := ix.s.DB.R
	terms, err := LoadTerms(ctx, q)
	if err != nil {
		return nil, err
	}
	cities, err := LoadCities(ctx, q)
	if err != nil {
		return nil, err
	}
	n := &snapshot{version: v, terms: terms, themeAt: map[string]int{}, groupAt: map[string]int{}, cityAt: map[int64]int{},
		orders: map[string][]int32{}, cache: lru{max: maxCached}}
	for _, t := range terms.List(KindTheme) {
		n.themeAt[t.Key] = len(n.themes)
		n.themes = append(n.themes, t.Key)
	}
	for _, t := range terms.List(KindGroup) {
		n.groupAt[t.Key] = len(n.groups)
		n.groups = append(n.groups, t.Key)
	}
	for _, c := range cities {
		n.cityAt[c.ID] = len(n.cities)
		n.cities = append(n.cities, c)
		ci := slices.Index(continents, c.Continent)
		if ci < 0 {
			ci = 0
		}
		n.cityCont = append(n.cityCont, uint8(ci))
		k := slices.Index(n.countries, c.Country)
		if k < 0 {
			k = len(n.countries)
			n.countries = append(n.countries, c.Country)
		}
		n.cityCountry = append(n.cityCountry, uint16(k))
	}
	n.dict = &termDict{ids: map[string]uint32{}}
	var since int64
	type loaded struct {
		it          item
		title, lead []uint32
	}
	byID := map[int64]loaded{}
	if prev != nil && sameTaxonomy(prev, n) {
		// Keep the loaded items and their term ids; only re-read changed rows.
		since, n.dict = prev.seq, prev.dict
		for i := range prev.items {
			it := prev.items[i]
			if ci, ok := n.cityAt[prev.cities[it.city].ID]; ok {
				it.city = int32(ci)
				byID[it.id] = loaded{it, prev.titleT(&it), prev.leadT(&it)}
			}
		}
	}
	n.seq = since
	query := `SELECT id, city_id, state, lang, title, themes, target_groups, status, start_on, quality, title_terms, lead_terms, published_at, seq
		FROM practices WHERE seq > $1`
	if since == 0 {
		query += ` AND state = 'published'`
	}
	rows, err := q.QueryContext(ctx, query, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var changed []int64
	for rows.Next() {
		var it item
		var cityID, seq int64
		var state, lang, themes, groups, status, start, titleT, leadT string
		var title i18n.Text
		var quality int
		var published sql.NullTime
		if err := rows.Scan(&it.id, &cityID, &state, &lang, &title, &themes, &groups, &status, &start, &quality,
			&titleT, &leadT, &published, &seq); err != nil {
			return nil, err
		}
		n.seq = max(n.seq, seq)
		changed = append(changed, it.id)
		ci, ok := n.cityAt[cityID]
		if state != StatePublished || !ok {
			delete(byID, it.id)
			continue
		}
		it.city = int32(ci)
		it.status = uint8(slices.Index(Statuses, status) + 1)
		if t, ok := ParseDate(start); ok {
			it.year = int16(t.Year())
		}
		it.quality = uint8(quality)
		it.lang = uint8(max(0, slices.Index(ContentLangs, lang)))
		it.title = encodeTitles(title)
		for _, k := range strings.Fields(themes) {
			if i, ok := n.themeAt[k]; ok && i < maxTerms {
				it.themes |= 1 << i
			}
		}
		for _, k := range strings.Fields(groups) {
			if i, ok := n.groupAt[k]; ok && i < maxTerms {
				it.groups |= 1 << i
			}
		}
		if published.Valid {
			it.published = published.Time.Unix()
		}
		byID[it.id] = loaded{it, n.termIDs(titleT), n.termIDs(leadT)}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n.items = make([]item, 0, len(byID))
	var maxID int64
	size := 0
	for _, l := range byID {
		size += len(l.title) + len(l.lead)
	}
	n.arena = make([]uint32, 0, size)
	for _, l := range byID {
		it := l.it
		it.termOff, it.titleLen, it.leadLen = uint32(len(n.arena)), uint16(len(l.title)), uint16(len(l.lead))
		n.arena = append(append(n.arena, l.title...), l.lead...)
		n.items = append(n.items, it)
		maxID = max(maxID, it.id)
	}
	// Newest first is the natural order; positions follow it.
	slices.SortFunc(n.items, func(a, b item) int {
		if a.published != b.published {
			return int(b.published - a.published)
		}
		return int(b.id - a.id)
	})
	n.pos = make([]int32, maxID+1)
	for i, it := range n.items {
		n.pos[it.id] = int32(i + 1)
	}
	n.idHits = map[string][]int64{}
	if prev != nil && since > 0 && len(changed) <= maxCarried {
		// A copy: requests still on prev go on adding to its lists.
		prev.idHitsMu.Lock()
		n.carried = maps.Clone(prev.idHits)
		for k, v := range prev.carried { // lists the previous snapshot never used
			if _, ok := n.carried[k]; !ok && len(prev.changed) == 0 {
				n.carried[k] = v
			}
		}
		prev.idHitsMu.Unlock()
		slices.Sort(changed)
		n.changed = slices.Compact(changed)
	}
	return n, nil
}

// termDict numbers ranking terms. Ids are only ever added, so snapshots
// share one dictionary.
type termDict struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

// id returns the term's id, adding it when add is set; 0 means unknown.
func (d *termDict) id(t string, add bool) uint32 {
	d.mu.RLock()
	id, ok := d.ids[t]
	d.mu.RUnlock()
	if ok || !add {
		return id
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.ids[t]; ok {
		return id
	}
	id = uint32(len(d.ids) + 1)
	d.ids[t] = id
	return id
}

// sameTaxonomy reports whether items of prev can be kept: their theme and
// group indexes mean the same in n.
func sameTaxonomy(prev, n *snapshot) bool {
	return slices.Equal(prev.themes, n.themes) && slices.Equal(prev.groups, n.groups)
}

func (n *snapshot) termIDs(s string) []uint32 {
	var out []uint32
	for _, t := range strings.Fields(s) {
		out = append(out, n.dict.id(t, true))
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return out[:min(len(out), 65535)]
}

// LoadCities lists every city by name, with what the library shows of it.
func LoadCities(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]City, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, slug, name, names, country, continent FROM cities ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []City
	for rows.Next() {
		var c City
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// at returns the item with id, if published.
func (n *snapshot) at(id int64) (*item, bool) {
	if id <= 0 || id >= int64(len(n.pos)) || n.pos[id] == 0 {
		return nil, false
	}
	return &n.items[n.pos[id]-1], true
}

// order returns the positions of every item in a named order, computed
// once per snapshot: "title:de" sorts by the German title (falling back
// like pages do), "quality" by the quality score.
func (n *snapshot) order(name string) []int32 {
	n.orderOnce.Lock()
	defer n.orderOnce.Unlock()
	if o, ok := n.orders[name]; ok {
		return o
	}
	o := make([]int32, len(n.items))
	for i := range o {
		o[i] = int32(i)
	}
	if lang, ok := strings.CutPrefix(name, "title:"); ok {
		keys := make([]string, len(n.items))
		for i := range n.items {
			it := &n.items[i]
			keys[i] = sortKey(decodeTitles(it.title).Get(lang, langOf(it)))
		}
		slices.SortStableFunc(o, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	}
	n.orders[name] = o
	return o
}

// sortKey orders titles alphabetically regardless of case and accents.
func sortKey(s string) string {
	return strings.Join(search.Terms(s, ""), " ")
}

// maxCached bounds the bytes of answers a snapshot keeps (hit lists,
// matches, pages); a new snapshot starts empty anyway after every change.
const maxCached = 256 << 20

// Count is the number of published practices.
func (ix *Index) Count(ctx context.Context) (int, error) {
	n, err := ix.current(ctx)
	if err != nil {
		return 0, err
	}
	return len(n.items), nil
}

// Terms returns the taxonomies as of the current snapshot.
func (s *Store) Terms(ctx context.Context) (*Terms, error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return nil, err
	}
	return n.terms, nil
}

// Count is the number of published practices.
func (s *Store) Count(ctx context.Context) (int, error) { return s.index.Count(ctx) }

// Warm loads the search cache and the lists of the commonest words, so
// the first searches after a start are fast.
func (s *Store) Warm(ctx context.Context) error {
	n, err := s.index.current(ctx)
	if err != nil {
		return err
	}
	return s.prefetch(ctx, n, prefetchWords)
}

// prefetchWords is how many of the commonest words Warm reads: those are
// the costly lists (a word in half the practices), the rare ones are cheap.
const prefetchWords = 300

// Cities lists every city, by name, for choosing one.
func (s *Store) Cities(ctx context.Context) ([]City, error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return nil, err
	}
	return n.cities, nil
}

// ForgetCache drops the cached hit lists, so a benchmark can measure
// searches that reach the database.
func (s *Store) ForgetCache() {
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	if n := s.index.snap; n != nil {
		n.cache.clear()
	}
}
