// Package index is the in-memory half of search, for any capability:
// facets, ranking, ordering and related items over the documents a
// capability's store gives it, with the database's full-text index
// finding the hits. Each app server keeps one Index per capability; the
// database stays the truth. The index is keyed by the capability's
// change counter (Source.Version), checked on every search, and refreshed
// incrementally from the documents that changed, so several app servers
// agree and a page never shows what the database no longer has.
//
// Why in memory: the full-text engines find hits fast but rank and facet
// slowly (see DESIGN.md, "Measured limits"). Here the database only
// returns the ids that match; counting facets, ranking and sorting
// 100,000 documents in memory takes a few milliseconds.
package index

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"observatory/internal/cache"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
)

// Source is what a capability's store offers its index. Visibility is
// the store's: it gives only what the public may find.
type Source interface {
	// Version changes whenever anything the index keeps may have
	// changed: documents, the facets' values or the Schema's Meta.
	Version(ctx context.Context) (string, error)
	// Schema describes the facets at the current version.
	Schema(ctx context.Context) (Schema, error)
	// Changes calls fn with every document changed since the change
	// number since (every visible document when since is 0: then Gone
	// documents may be left out) and returns the highest change number
	// seen.
	Changes(ctx context.Context, since int64, fn func(Doc) error) (int64, error)
}

// Schema is the facets documents are counted by, and whatever the
// capability keeps with a version (Meta: Snapshot.Meta returns it).
type Schema struct {
	Facets []Facet
	Meta   any
}

// Facet is one way to narrow results.
type Facet struct {
	Name string
	// Multi: a document may have several values; at most 64 values
	// count (a taxonomy).
	Multi bool
	// Values known in advance, in the order counts are listed; values
	// documents bring besides are added after them.
	Values []string
	// Parent, when set, names a single-valued facet this one follows:
	// a document's value is Of[its parent value] (a city's country), so
	// changing Of needs no document read again.
	Parent string
	Of     map[string]string
}

// Doc is one document as the index sees it.
type Doc struct {
	ID   int64
	Gone bool // no longer visible: dropped
	// Time orders "newest" (unix seconds of first publication).
	Time int64
	// Quality is a static score (0–100) that breaks ties of relevance.
	Quality uint8
	// Lang is the original language; Titles orders by title.
	Lang   string
	Titles i18n.Text
	// TitleTerms and LeadTerms are the index terms (search.IndexText,
	// space-separated) of its titles and summaries: relevance and related
	// items come from them.
	TitleTerms, LeadTerms string
	// Values holds, per facet in Schema order, the document's values
	// (ignored for facets with a Parent).
	Values [][]string
}

// Config says where an index finds its hits and how it relates items.
type Config struct {
	DB *db.DB
	// FullText is the database's full-text index of the documents (see
	// search.FullTextIDs).
	FullText string
	// Cache keeps computed answers; cache.Shared() when nil.
	Cache *cache.Cache
	// Related weighs what documents share: Strong and Weak name Multi
	// facets (two points per shared Strong value, one per Weak value);
	// a document whose Apart facet differs wins a tie.
	Related Related
}

// Related names the facets related items are found by.
type Related struct{ Strong, Weak, Apart string }

// Index is one capability's searchable documents on this server.
type Index struct {
	src   Source
	cfg   Config
	space *cache.Space
	mu    sync.Mutex // one refresh at a time
	snap  *Snapshot  // guarded by mu
	built uint64     // snapshots built, guarded by mu
}

// New returns an index over src's documents.
func New(src Source, cfg Config) *Index {
	if cfg.Cache == nil {
		cfg.Cache = cache.Shared()
	}
	return &Index{src: src, cfg: cfg, space: cfg.Cache.Space("index." + cfg.FullText)}
}

// item is one document as search sees it. It holds no pointer but its
// title: 100,000 of them cost the garbage collector almost nothing to scan.
type item struct {
	id       int64
	time     int64
	title    string // the titles, see encodeTitles
	termOff  uint32 // its ranking terms in Snapshot.arena: title's, then summary's
	titleLen uint16
	leadLen  uint16
	quality  uint8
	lang     uint8 // index into Snapshot.langs
}

// MaxMulti is how many values a Multi facet counts: documents keep them
// as bits of a uint64.
const MaxMulti = 64

// facet is a Facet as a snapshot numbers it.
type facet struct {
	Facet
	vals   []string
	at     map[string]int
	parent int     // index of the parent facet, or -1
	of     []int32 // parent value index + 1 → own value index + 1
	col    int     // column in Snapshot.cols, or -1 for a facet with a parent
}

// Snapshot is an immutable state of the index; a refresh builds a new one.
type Snapshot struct {
	ix      *Index
	version string
	// key tells this snapshot's positions apart in the cache: two
	// snapshots may carry one version (the version is read before the
	// changed documents, which may be newer) with items in other places.
	key    string
	seq    int64
	meta   any
	items  []item
	pos    []int32  // id → position in items + 1 (0: not in the index)
	arena  []uint32 // the items' ranking terms
	cols   [][]uint64
	facets []facet
	langs  []string
	dict   *termDict // ranking terms → id, shared by snapshots

	orderOnce sync.Mutex
	orders    map[string][]int32 // cached sort orders by name

	rankOnce sync.Once
	rank     *rankIdx

	relOnce sync.Once
	rel     *relatedIndex

	// Hit lists by document id, kept across snapshots: after a change,
	// a list is patched for the few documents that changed instead of
	// being read again (a common word's list is the costliest read).
	idHitsMu sync.Mutex
	idHits   map[string]idList // engine expression → sorted ids, current
	idBytes  int               // the size of idHits' lists
	carried  map[string]idList // from the previous snapshot, to patch
	loading  map[string]*loadingList
	changed  []int64 // documents that changed since the previous snapshot
}

// maxIDBytes bounds the id lists a snapshot keeps: once they would take
// more, further lists are read for each search that needs them (and its
// answer cached), so searches for ever new words do not make the server
// grow.
const maxIDBytes = 8 << 20

// maxCarried bounds the changes a refresh patches hit lists for; after a
// bulk load they are read again.
const maxCarried = 1000

// Current returns an up-to-date snapshot, refreshing it if the source
// changed since it was built.
func (ix *Index) Current(ctx context.Context) (*Snapshot, error) {
	v, err := ix.src.Version(ctx)
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

// Key tells this snapshot apart from every other one of the index: what
// is kept for it (matches, pages of results, ETags) goes under it. Two
// snapshots may be built for one data version with items in other places.
func (n *Snapshot) Key() string { return n.key }

// Meta is what the source's Schema gave with this version.
func (n *Snapshot) Meta() any { return n.meta }

// Len is the number of documents.
func (n *Snapshot) Len() int { return len(n.items) }

// Values are a facet's values, in the order Match.Counts lists them.
func (n *Snapshot) Values(f int) []string { return n.facets[f].vals }

// loaded is a document while a snapshot is built.
type loaded struct {
	it          item
	title, lead []uint32
	vals        []uint64 // per column
}

// refresh builds the snapshot for version v from prev plus the documents
// that changed since prev was built (everything when prev is nil).
func (ix *Index) refresh(ctx context.Context, prev *Snapshot, v string) (*Snapshot, error) {
	sc, err := ix.src.Schema(ctx)
	if err != nil {
		return nil, err
	}
	ix.built++
	n := &Snapshot{ix: ix, version: v, key: v + "#" + strconv.FormatUint(ix.built, 10), meta: sc.Meta, orders: map[string][]int32{}}
	ncols := 0
	for _, f := range sc.Facets {
		x := facet{Facet: f, at: map[string]int{}, parent: -1, col: -1}
		if f.Parent == "" {
			x.col = ncols
			ncols++
		}
		n.facets = append(n.facets, x)
	}
	for i := range n.facets {
		f := &n.facets[i]
		for _, val := range f.Values {
			f.add(val)
		}
		if prev != nil && i < len(prev.facets) && prev.facets[i].Name == f.Name {
			for _, val := range prev.facets[i].vals { // values documents brought
				f.add(val)
			}
		}
		if f.Parent != "" {
			f.parent = slices.IndexFunc(n.facets, func(p facet) bool { return p.Name == f.Parent })
		}
	}
	n.dict = &termDict{ids: map[string]uint32{}}
	var since int64
	byID := map[int64]loaded{}
	if prev != nil && len(prev.facets) == len(n.facets) {
		// Keep the loaded items, their term ids and values (renumbered);
		// only read changed documents again.
		since, n.dict, n.langs = prev.seq, prev.dict, slices.Clone(prev.langs)
		remap := make([][]int32, len(n.facets))
		for i := range n.facets {
			f, pf := &n.facets[i], &prev.facets[i]
			remap[i] = make([]int32, len(pf.vals)+1)
			for j, val := range pf.vals {
				if k, ok := f.at[val]; ok {
					remap[i][j+1] = int32(k + 1)
				}
			}
		}
		for pos := range prev.items {
			it := prev.items[pos]
			l := loaded{it: it, title: prev.titleT(&it), lead: prev.leadT(&it), vals: make([]uint64, ncols)}
			for i, f := range n.facets {
				if f.col < 0 {
					continue
				}
				old := prev.cols[prev.facets[i].col][pos]
				if f.Multi {
					for b := old; b != 0; b &= b - 1 {
						j := trailingZeros(b)
						if k := remap[i][j+1]; k > 0 && k <= MaxMulti {
							l.vals[f.col] |= 1 << (k - 1)
						}
					}
				} else {
					l.vals[f.col] = uint64(remap[i][old])
				}
			}
			byID[it.id] = l
		}
	}
	var changed []int64
	seq, err := ix.src.Changes(ctx, since, func(d Doc) error {
		changed = append(changed, d.ID)
		if d.Gone {
			delete(byID, d.ID)
			return nil
		}
		it := item{id: d.ID, time: d.Time, quality: d.Quality, title: encodeTitles(d.Titles)}
		li := slices.Index(n.langs, d.Lang)
		if li < 0 {
			li = len(n.langs)
			n.langs = append(n.langs, d.Lang)
		}
		it.lang = uint8(li)
		l := loaded{it: it, title: n.termIDs(d.TitleTerms), lead: n.termIDs(d.LeadTerms), vals: make([]uint64, ncols)}
		for i := range n.facets {
			f := &n.facets[i]
			if f.col < 0 || i >= len(d.Values) {
				continue
			}
			for _, val := range d.Values[i] {
				if f.Multi {
					if k, ok := f.at[val]; ok && k < MaxMulti {
						l.vals[f.col] |= 1 << k
					}
				} else if val != "" {
					l.vals[f.col] = uint64(f.add(val) + 1)
				}
			}
		}
		byID[d.ID] = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	n.seq = max(since, seq)
	// Facets that follow another, now that its values are known.
	for i := range n.facets {
		if f := &n.facets[i]; f.parent >= 0 {
			pv := n.facets[f.parent].vals
			f.of = make([]int32, len(pv)+1)
			for j, p := range pv {
				if val, ok := f.Of[p]; ok {
					f.of[j+1] = int32(f.add(val) + 1)
				}
			}
		}
	}
	n.items = make([]item, 0, len(byID))
	var maxID int64
	size := 0
	for _, l := range byID {
		size += len(l.title) + len(l.lead)
	}
	n.arena = make([]uint32, 0, size)
	vals := make(map[int64][]uint64, len(byID))
	for id, l := range byID {
		it := l.it
		it.termOff, it.titleLen, it.leadLen = uint32(len(n.arena)), uint16(len(l.title)), uint16(len(l.lead))
		n.arena = append(append(n.arena, l.title...), l.lead...)
		n.items = append(n.items, it)
		vals[id] = l.vals
		maxID = max(maxID, it.id)
	}
	// Newest first is the natural order; positions follow it.
	slices.SortFunc(n.items, func(a, b item) int {
		if a.time != b.time {
			return int(b.time - a.time)
		}
		return int(b.id - a.id)
	})
	n.pos = make([]int32, maxID+1)
	n.cols = make([][]uint64, ncols)
	for c := range n.cols {
		n.cols[c] = make([]uint64, len(n.items))
	}
	for i, it := range n.items {
		n.pos[it.id] = int32(i + 1)
		for c, v := range vals[it.id] {
			n.cols[c][i] = v
		}
	}
	n.idHits = map[string]idList{}
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

// add numbers a value, returning its index.
func (f *facet) add(val string) int {
	if k, ok := f.at[val]; ok {
		return k
	}
	f.at[val] = len(f.vals)
	f.vals = append(f.vals, val)
	return len(f.vals) - 1
}

// value is the index + 1 of the single value of facet f at pos (0: none).
func (n *Snapshot) value(f int, pos int32) int {
	x := &n.facets[f]
	if x.parent >= 0 {
		return int(x.of[n.cols[n.facets[x.parent].col][pos]])
	}
	return int(n.cols[x.col][pos])
}

// bits is the values of the Multi facet f at pos.
func (n *Snapshot) bits(f int, pos int32) uint64 { return n.cols[n.facets[f].col][pos] }

// titleT and leadT are an item's sorted ranking term ids.
func (n *Snapshot) titleT(it *item) []uint32 {
	return n.arena[it.termOff : it.termOff+uint32(it.titleLen)]
}
func (n *Snapshot) leadT(it *item) []uint32 {
	from := it.termOff + uint32(it.titleLen)
	return n.arena[from : from+uint32(it.leadLen)]
}

// encodeTitles packs a title's translations into one string.
// It is allocated at its exact size: 100,000 titles kept with the spare
// capacity of a grown buffer would cost megabytes.
func encodeTitles(t i18n.Text) string {
	size := 0
	for l, v := range t {
		size += len(l) + len(v) + 2
	}
	b := make([]byte, 0, size)
	for l, v := range t {
		b = append(append(append(append(b, l...), '\x1f'), v...), '\x1e')
	}
	return string(b)
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

func (n *Snapshot) termIDs(s string) []uint32 {
	var out []uint32
	for _, t := range strings.Fields(s) {
		out = append(out, n.dict.id(t, true))
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return out[:min(len(out), 65535)]
}

// Has reports whether document id is in the snapshot.
func (n *Snapshot) Has(id int64) bool {
	_, ok := n.at(id)
	return ok
}

// at returns the position of document id.
func (n *Snapshot) at(id int64) (int32, bool) {
	if id <= 0 || id >= int64(len(n.pos)) || n.pos[id] == 0 {
		return 0, false
	}
	return n.pos[id] - 1, true
}

// All is every document's id, newest first.
func (n *Snapshot) All() []int64 {
	out := make([]int64, len(n.items))
	for i := range n.items {
		out[i] = n.items[i].id
	}
	return out
}

// First is the ids of the limit newest documents.
func (n *Snapshot) First(limit int) []int64 {
	out := make([]int64, 0, min(limit, len(n.items)))
	for i := 0; i < cap(out); i++ {
		out = append(out, n.items[i].id)
	}
	return out
}

// Newest returns the ids of at most limit newest documents whose facet f
// has value val, and how many there are.
func (n *Snapshot) Newest(f int, val string, limit int) (ids []int64, total int) {
	k, ok := n.facets[f].at[val]
	if !ok {
		return nil, 0
	}
	for pos := range n.items { // newest first
		if n.has(f, int32(pos), k) {
			total++
			if len(ids) < limit {
				ids = append(ids, n.items[pos].id)
			}
		}
	}
	return ids, total
}

// has reports whether the item at pos has value k of facet f.
func (n *Snapshot) has(f int, pos int32, k int) bool {
	if n.facets[f].Multi {
		return k < MaxMulti && n.bits(f, pos)&(1<<k) != 0
	}
	return n.value(f, pos) == k+1
}

// order returns the positions of every item in a named order, computed
// once per snapshot: "" is the natural order (newest first), "title:de"
// sorts by the German title (falling back like pages do).
func (n *Snapshot) order(name string) []int32 {
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
			keys[i] = search.Fold(decodeTitles(it.title).Get(lang, n.langs[it.lang]))
		}
		slices.SortStableFunc(o, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	}
	n.orders[name] = o
	return o
}

// ForgetCache drops the cached answers and hit lists, so a benchmark can
// measure searches that reach the database.
func (ix *Index) ForgetCache() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.space.Clear()
}
