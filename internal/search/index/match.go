package index

import (
	"context"
	mbits "math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"observatory/internal/search"
	"observatory/internal/search/results"
)

// Orders of results.
const (
	Relevance = "relevance"
	Newest    = "newest"
	Title     = "title"
)

// Query is a search: the query box, the values selected per facet
// (values within a facet are alternatives, facets combine) and the order.
type Query struct {
	Text   string
	Select [][]string // per facet, in Schema order
	Sort   string     // Relevance, Newest or Title; "" picks Relevance for a query, else Newest
	Lang   string     // the reader's language, for ordering by title
}

// key identifies q for the cache, apart from Lang unless it orders.
func (q Query) key() string {
	var b strings.Builder
	b.WriteString(q.Sort + "|" + strconv.Quote(q.Text))
	if q.Sort == Title {
		b.WriteString("|" + q.Lang)
	}
	for i, sel := range q.Select {
		if len(sel) == 0 {
			continue
		}
		sel = slices.Clone(sel)
		slices.Sort(sel)
		b.WriteString("|" + strconv.Itoa(i) + "=")
		for _, v := range sel {
			b.WriteString(strconv.Quote(v))
		}
	}
	return b.String()
}

// Match is what a search found, in order, with its facet counts: a facet
// counts the hits each of its values would give together with the other
// facets' selections.
type Match struct {
	found  []int32
	counts [][]int // per facet: per value (single-valued facets: index + 1)
	sel    [][]bool
	Query  search.Query
	Sort   string // the order used
}

// Total is the number of hits.
func (m *Match) Total() int { return len(m.found) }

// Count is how many hits value i of facet f would give.
func (m *Match) Count(n *Snapshot, f, i int) int {
	if n.facets[f].Multi {
		return m.counts[f][i]
	}
	return m.counts[f][i+1]
}

// Selected reports whether value i of facet f is selected.
func (m *Match) Selected(n *Snapshot, f, i int) bool {
	if n.facets[f].Multi {
		return m.sel[f][i]
	}
	return m.sel[f][i+1]
}

// Values lists facet f's values that have hits or are selected, in the
// facet's order, each described by value and given its count.
func (m *Match) Values(n *Snapshot, f int, value func(v string) results.Value) []results.Value {
	k := 0
	for i := range n.Values(f) {
		if m.Count(n, f, i) > 0 || m.Selected(n, f, i) {
			k++
		}
	}
	out := make([]results.Value, 0, k) // kept in cached results: no spare capacity
	for i, v := range n.Values(f) {
		if cnt, sel := m.Count(n, f, i), m.Selected(n, f, i); cnt > 0 || sel {
			fv := value(v)
			fv.Count, fv.Selected = cnt, sel
			out = append(out, fv)
		}
	}
	return out
}

// IDs returns the ids of the hits from..to, in order.
func (n *Snapshot) IDs(m *Match, from, to int) []int64 {
	from, to = min(from, len(m.found)), min(to, len(m.found))
	ids := make([]int64, 0, to-from)
	for _, pos := range m.found[from:to] {
		ids = append(ids, n.items[pos].id)
	}
	return ids
}

func (m *Match) size(n *Snapshot) int {
	s := 256
	if len(m.found) < len(n.items) { // else the snapshot's own order
		s += 4 * len(m.found)
	}
	for i := range m.counts {
		s += 8*len(m.counts[i]) + len(m.sel[i]) + 48
	}
	return s
}

// filter is a Query's selections compiled against one snapshot.
type filter struct {
	sel    [][]bool // per facet, per value (single-valued: index + 1)
	bits   []uint64 // per Multi facet: the selected values
	active []bool
}

func (n *Snapshot) compile(q Query) *filter {
	f := &filter{sel: make([][]bool, len(n.facets)), bits: make([]uint64, len(n.facets)), active: make([]bool, len(n.facets))}
	for i := range n.facets {
		x := &n.facets[i]
		if x.Multi {
			f.sel[i] = make([]bool, len(x.vals))
		} else {
			f.sel[i] = make([]bool, len(x.vals)+1)
		}
		if i >= len(q.Select) {
			continue
		}
		for _, v := range q.Select[i] {
			f.active[i] = true
			k, ok := x.at[v]
			if !ok {
				continue
			}
			if x.Multi {
				f.sel[i][k] = true
				if k < MaxMulti {
					f.bits[i] |= 1 << k
				}
			} else {
				f.sel[i][k+1] = true
			}
		}
	}
	return f
}

func (f *filter) none() bool { return !slices.Contains(f.active, true) }

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

// mask says which facets' selections the item at pos passes, one bit per facet.
func (f *filter) mask(n *Snapshot, pos int32) uint64 {
	m := uint64(1)<<len(n.facets) - 1
	for i, a := range f.active {
		if !a {
			continue
		}
		if n.facets[i].Multi {
			if f.bits[i]&n.bits(i, pos) == 0 {
				m &^= 1 << i
			}
		} else if !f.sel[i][n.value(i, pos)] {
			m &^= 1 << i
		}
	}
	return m
}

func (n *Snapshot) newCounts() [][]int {
	c := make([][]int, len(n.facets))
	for i := range n.facets {
		if n.facets[i].Multi {
			c[i] = make([]int, len(n.facets[i].vals))
		} else {
			c[i] = make([]int, len(n.facets[i].vals)+1)
		}
	}
	return c
}

// count counts the item at pos in every facet whose bit is in which.
func (n *Snapshot) count(c [][]int, pos int32, which uint64) {
	for i := range n.facets {
		if which&(1<<i) == 0 {
			continue
		}
		if n.facets[i].Multi {
			for b := n.bits(i, pos); b != 0; b &= b - 1 {
				c[i][mbits.TrailingZeros64(b)]++
			}
		} else {
			c[i][n.value(i, pos)]++
		}
	}
}

// Match finds, filters, counts and orders; cached per snapshot and query.
func (n *Snapshot) Match(ctx context.Context, q Query) (*Match, error) {
	if q.Sort != Title {
		q.Lang = ""
	}
	key := "c" + q.key()
	if m, ok := n.ix.space.Get(key, n.key); ok {
		return m.(*Match), nil
	}
	f := n.compile(q)
	var m *Match
	var err error
	if i, ok := f.single(); ok {
		m, err = n.matchWithin(ctx, q, f, i)
	} else {
		m, err = n.matchAll(ctx, q, f)
	}
	if err != nil {
		return nil, err
	}
	m.sel = f.sel
	n.ix.space.Put(key, n.key, m, m.size(n))
	return m, nil
}

// matchAll is Match for any search: every hit is visited.
func (n *Snapshot) matchAll(ctx context.Context, q Query, f *filter) (*Match, error) {
	sq := search.Parse(q.Text)
	hits, err := n.hits(ctx, sq)
	if err != nil {
		return nil, err
	}
	all := uint64(1)<<len(n.facets) - 1
	c := n.newCounts()
	var found []int32
	if f.none() {
		// Nothing to filter: every hit is found and counts everywhere.
		if hits == nil {
			found = n.order("") // every position, shared by the snapshot's matches
			for i := range found {
				n.count(c, int32(i), all)
			}
		} else {
			found = slices.Clone(hits)
			for _, pos := range hits {
				n.count(c, pos, all)
			}
		}
	} else {
		visit := func(pos int32) {
			m := f.mask(n, pos)
			if m == all {
				found = append(found, pos)
				n.count(c, pos, all)
				return
			}
			// A facet counts the items that pass every other facet.
			for i := range n.facets {
				if m|1<<i == all {
					n.count(c, pos, 1<<i)
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
	out := &Match{counts: c, Query: sq, Sort: q.Sort}
	if out.Sort == "" || (out.Sort == Relevance && !sq.HasPositive()) {
		out.Sort = Newest
		if sq.HasPositive() {
			out.Sort = Relevance
		}
	}
	out.found = n.sort(found, out.Sort, sq, q.Lang)
	return out, nil
}

// matchWithin is Match for a search with a selection in one facet (i),
// the common way to narrow results: it filters the search without the
// selection — cached, ordered and counted already — by the positions the
// selection lets pass. The selected facet's counts are that search's: a
// facet counts what the other facets let pass.
func (n *Snapshot) matchWithin(ctx context.Context, q Query, f *filter, i int) (*Match, error) {
	bq := q
	bq.Select = nil
	base, err := n.Match(ctx, bq)
	if err != nil {
		return nil, err
	}
	pass := n.passing(f, i, q.Select[i])
	all := uint64(1)<<len(n.facets) - 1
	c := n.newCounts()
	var found []int32
	for _, pos := range base.found {
		if pass[pos>>6]&(1<<(pos&63)) != 0 {
			found = append(found, pos)
			n.count(c, pos, all)
		}
	}
	copy(c[i], base.counts[i])
	return &Match{found: found, counts: c, Query: base.Query, Sort: base.Sort}, nil
}

// passing is the set of positions that facet i's selection in f lets
// pass, one bit per position, cached per snapshot and selection.
func (n *Snapshot) passing(f *filter, i int, sel []string) []uint64 {
	key := "b" + Query{Select: append(make([][]string, i), sel)}.key()
	if b, ok := n.ix.space.Get(key, n.key); ok {
		return b.([]uint64)
	}
	set := make([]uint64, (len(n.items)+63)/64)
	for pos := range n.items {
		if f.mask(n, int32(pos))&(1<<i) != 0 {
			set[pos>>6] |= 1 << (pos & 63)
		}
	}
	n.ix.space.Put(key, n.key, set, 8*len(set))
	return set
}

// sort orders the found positions. Relevance is where the query's words
// occur — in a title counts twice, in a summary once, per query item —
// then the document's quality score, then the newest. It is computed here
// from the same stored terms on both engines, so SQLite and PostgreSQL
// rank alike.
func (n *Snapshot) sort(found []int32, order string, q search.Query, lang string) []int32 {
	switch order {
	case Newest:
		return found // positions are newest first
	case Title:
		if len(found) == len(n.items) {
			return n.order("title:" + lang) // shared, like every order
		}
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
		return (maxScore-int(score[p]))*qualities + (qualities - 1 - int(min(n.items[p].quality, 100)))
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

// relevanceBufs are the arrays a relevance computation works in, two of
// them with one slot per document: reused, since a search would otherwise allocate
// them afresh each time.
type relevanceBufs struct {
	score, best []uint8
	a, b        []int32 // decoded position lists
}

var relevanceScratch sync.Pool

// relevance scores every position for q: per query item 2 if some
// spelling of it is in the title, else 1 if in the summary. The scores
// live in bufs.
func (n *Snapshot) relevance(q search.Query, bufs *relevanceBufs) []uint8 {
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
				post *postings
				val  uint8
			}{{rx.title, 2}, {rx.lead, 1}} {
				var found []int32
				found, bufs.a, bufs.b = intersect(lvl.post, ids, bufs.a, bufs.b)
				for _, p := range found {
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

// intersect returns the positions whose terms include all of ids,
// working in the buffers a and b (returned for reuse).
func intersect(post *postings, ids []uint32, a, b []int32) (found, bufA, bufB []int32) {
	if len(ids) == 0 {
		return nil, a, b
	}
	for _, id := range ids {
		if id == 0 {
			return nil, a, b
		}
	}
	a = post.list(ids[0], a)
	for _, id := range ids[1:] {
		b = post.list(id, b)
		a = andInPlace(a, b)
	}
	return a, a, b
}

// andInPlace keeps the positions of a that are also in b, both sorted.
func andInPlace(a, b []int32) []int32 {
	out := a[:0]
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

// rankIdx lists, per term, the positions with it in their title or summary.
type rankIdx struct {
	title, lead *postings
}

func (n *Snapshot) rankIndex() *rankIdx {
	n.rankOnce.Do(func() {
		n.rank = &rankIdx{
			title: buildPostings(len(n.items), func(pos int) []uint32 { return n.titleT(&n.items[pos]) }),
			lead:  buildPostings(len(n.items), func(pos int) []uint32 { return n.leadT(&n.items[pos]) }),
		}
	})
	return n.rank
}

func trailingZeros(b uint64) int { return mbits.TrailingZeros64(b) }

// MatchEveryHit is Match computed the plain way, visiting every hit,
// without the cache or the shortcut for a selection in one facet: the
// reference that Match must agree with.
func (n *Snapshot) MatchEveryHit(ctx context.Context, q Query) (*Match, error) {
	if q.Sort != Title {
		q.Lang = ""
	}
	f := n.compile(q)
	m, err := n.matchAll(ctx, q, f)
	if err != nil {
		return nil, err
	}
	m.sel = f.sel
	return m, nil
}
