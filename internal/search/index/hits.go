package index

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	mbits "math/bits"
	"slices"

	"observatory/internal/search"
)

// Warm loads the index and the hit lists of the commonest words, so the
// first searches after a start are fast: at most words of them where the
// engine answers a word's list from its index alone (SQLite), else every
// word whose list fits in seven eighths of maxIDBytes, read in one pass
// over the full-text table (PostgreSQL).
func (ix *Index) Warm(ctx context.Context, words int) error {
	n, err := ix.Current(ctx)
	if err != nil {
		return err
	}
	if q := search.FullTextWordIDs(ix.cfg.DB.Dialect, ix.cfg.FullText); q != "" {
		return n.prefetchAll(ctx, q)
	}
	return n.prefetch(ctx, words)
}

// prefetchAll reads the lists of every word in one pass over the
// full-text table, a range of ids at a time, and keeps the commonest ones
// within seven eighths of maxIDBytes (the rest is left to the searches).
func (n *Snapshot) prefetchAll(ctx context.Context, query string) error {
	type growing struct {
		ids  []byte // varints, as the ranges come in ascending order
		last int64
		n    int
	}
	lists := map[string]*growing{}
	const step = 10000
	for from := int64(0); from < int64(len(n.pos)); from += step {
		rows, err := n.ix.cfg.DB.R.QueryContext(ctx, query, from, from+step)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w, list string
			if err := rows.Scan(&w, &list); err != nil {
				rows.Close()
				return err
			}
			ids := parseIDs(list)
			slices.Sort(ids)
			g := lists[w]
			if g == nil {
				g = &growing{}
				lists[w] = g
			}
			for _, id := range ids {
				g.ids = binary.AppendUvarint(g.ids, uint64(id-g.last))
				g.last = id
			}
			g.n += len(ids)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	words := make([]string, 0, len(lists))
	for w := range lists {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int { return lists[b].n - lists[a].n })
	n.idHitsMu.Lock()
	defer n.idHitsMu.Unlock()
	for _, w := range words {
		expr, _ := search.FullTextExpr(n.ix.cfg.DB.Dialect, search.Item([][]string{{w}}))
		list := encodeIDs(append(idList{0}, lists[w].ids...).decode())
		delete(lists, w)
		if _, ok := n.idHits[expr]; ok || n.idBytes+len(list)+len(expr) > maxIDBytes*7/8 {
			continue
		}
		n.idHits[expr] = list
		n.idBytes += len(list) + len(expr)
	}
	return nil
}

// hits returns the positions of the items matching q in ascending order,
// or nil for an empty query (every item). The database is asked item by
// item of the query — a word with its spellings, or a phrase — and the
// answers are combined here as the engine would (AND across items, NOT
// for exclusions). Each item's answer is cached for the snapshot, so a
// word costs a statement once per data version however many searches
// contain it.
func (n *Snapshot) hits(ctx context.Context, q search.Query) ([]int32, error) {
	if q.Empty() {
		return nil, nil
	}
	var out []int32
	if q.HasPositive() {
		groups := q.Groups()
		lists := make([][]int32, len(groups))
		for i, g := range groups {
			var err error
			if lists[i], err = n.itemHits(ctx, g); err != nil {
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
		l, err := n.itemHits(ctx, g)
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
func (n *Snapshot) itemHits(ctx context.Context, alts [][]string) ([]int32, error) {
	expr, _ := search.FullTextExpr(n.ix.cfg.DB.Dialect, search.Item(alts))
	key := "h" + expr
	if h, ok := n.ix.space.Get(key, n.key); ok {
		return h.(posSet).decode(), nil
	}
	var ids []int64
	words := true
	for _, alt := range alts {
		words = words && len(alt) == 1
	}
	if words {
		for _, alt := range alts {
			e, _ := search.FullTextExpr(n.ix.cfg.DB.Dialect, search.Item([][]string{alt}))
			l, err := n.itemIDs(ctx, e)
			if err != nil {
				return nil, err
			}
			ids = append(ids, l...)
		}
	} else {
		var err error
		if ids, err = n.itemIDs(ctx, expr); err != nil {
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
	set := encodePositions(h, len(n.items))
	n.ix.space.Put(key, n.key, set, set.size())
	return h, nil
}

// prefetch reads the lists of the words most frequent in titles and
// summaries, so the first searches for them after a start need not wait.
// Two readers share the work; each list goes to the snapshot current
// when it is read.
func (n *Snapshot) prefetch(ctx context.Context, words int) error {
	rx := n.rankIndex()
	type df struct {
		term uint32
		n    int
	}
	var all []df
	for t := range rx.title.cnt {
		if c := rx.title.count(uint32(t)); c > 0 {
			all = append(all, df{uint32(t), c + rx.lead.count(uint32(t))})
		}
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
				cur, err := n.ix.Current(ctx)
				if err == nil {
					e, _ := search.FullTextExpr(n.ix.cfg.DB.Dialect, search.Item([][]string{{w}}))
					_, err = cur.itemIDs(ctx, e)
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
func (n *Snapshot) itemIDs(ctx context.Context, expr string) ([]int64, error) {
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
			return ids.decode(), nil
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
		l.ids, l.err = n.readIDs(ctx, expr, old, carried)
		n.idHitsMu.Lock()
		if l.err == nil {
			// Once the bound is reached, new lists are not kept: the
			// ones kept (the warm-up's commonest words first) are the
			// costly ones to read again.
			if list := encodeIDs(l.ids); n.idBytes+len(list)+len(expr) <= maxIDBytes {
				n.idHits[expr] = list
				n.idBytes += len(list) + len(expr)
			}
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
func (n *Snapshot) readIDs(ctx context.Context, expr string, list idList, carried bool) (ids []int64, err error) {
	old := list.decode()
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
		if now, err = n.ix.matchIDs(ctx, search.FullTextIDsAmong(n.ix.cfg.DB.Dialect, n.ix.cfg.FullText), expr, string(list)); err == nil {
			ids = append(ids, now...)
			slices.Sort(ids)
		}
	} else if carried {
		ids = old
	} else {
		ids, err = n.ix.matchIDs(ctx, search.FullTextIDs(n.ix.cfg.DB.Dialect, n.ix.cfg.FullText), expr)
	}
	return ids, err
}

// matchIDs runs a statement that answers one comma-separated list of ids.
func (ix *Index) matchIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	var list sql.NullString
	if err := ix.cfg.DB.R.QueryRowContext(ctx, query, args...).Scan(&list); err != nil {
		return nil, err
	}
	ids := parseIDs(list.String)
	slices.Sort(ids)
	return ids, nil
}

// parseIDs reads a comma-separated list of ids.
func parseIDs(list string) []int64 {
	var ids []int64
	id := int64(0)
	for i := 0; i <= len(list); i++ {
		if i == len(list) || list[i] == ',' {
			if id > 0 {
				ids = append(ids, id)
			}
			id = 0
		} else if c := list[i]; c >= '0' && c <= '9' {
			id = id*10 + int64(c-'0')
		}
	}
	return ids
}

// andPositions and notPositions combine sorted position lists.
func andPositions(a, b []int32) []int32 {
	return andInPlace(slices.Clone(a), b)
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

// idList is a sorted list of ids: delta-coded varints after a 0 byte, or
// after a 1 byte a bitmap of the ids up to the largest, whichever is
// smaller. A word in 60,000 of 100,000 practices takes 12.5 KB as a
// bitmap instead of 60 as varints (and 480 as int64s), so the lists of a
// whole vocabulary stay within maxIDBytes.
type idList []byte

func encodeIDs(ids []int64) idList {
	if len(ids) == 0 {
		return nil
	}
	size, prev := 1, int64(0)
	for _, id := range ids {
		size += uvarintLen(uint64(id - prev))
		prev = id
	}
	if bm := 2 + int(ids[len(ids)-1]/8); bm < size && ids[0] >= 0 {
		out := make([]byte, bm)
		out[0] = 1
		for _, id := range ids {
			out[1+id/8] |= 1 << (id % 8)
		}
		return out
	}
	out := make([]byte, 1, size)
	prev = 0
	for _, id := range ids {
		out = binary.AppendUvarint(out, uint64(id-prev))
		prev = id
	}
	return out
}

func (l idList) decode() []int64 {
	if len(l) == 0 {
		return nil
	}
	if l[0] == 1 {
		n := 0
		for _, b := range l[1:] {
			n += mbits.OnesCount8(b)
		}
		out := make([]int64, 0, n)
		for i, b := range l[1:] {
			for ; b != 0; b &= b - 1 {
				out = append(out, int64(i*8+mbits.TrailingZeros8(b)))
			}
		}
		return out
	}
	out := make([]int64, 0, len(l))
	prev := int64(0)
	for i := 1; i < len(l); {
		d, k := binary.Uvarint(l[i:])
		i += k
		prev += int64(d)
		out = append(out, prev)
	}
	return out
}

// posSet is a sorted list of positions as the cache keeps it: delta-coded
// varints (a byte or two a position), or a bitmap of every position when
// that is smaller — a common word's list of 60,000 positions out of
// 100,000 takes 12.5 KB instead of 240.
type posSet struct {
	varints []byte
	bitmap  []uint64
	n       int
}

func encodePositions(ps []int32, items int) posSet {
	size, prev := 0, int32(-1)
	for _, p := range ps {
		size += uvarintLen(uint64(p - prev))
		prev = p
	}
	if size > items/8 {
		b := make([]uint64, (items+63)/64)
		for _, p := range ps {
			b[p>>6] |= 1 << (p & 63)
		}
		return posSet{bitmap: b, n: len(ps)}
	}
	v := make([]byte, 0, size)
	prev = -1
	for _, p := range ps {
		v = binary.AppendUvarint(v, uint64(p-prev))
		prev = p
	}
	return posSet{varints: v, n: len(ps)}
}

// decode returns the positions, ascending, in a new slice.
func (s posSet) decode() []int32 {
	out := make([]int32, 0, s.n)
	if s.bitmap != nil {
		for w, b := range s.bitmap {
			for ; b != 0; b &= b - 1 {
				out = append(out, int32(w<<6+trailingZeros(b)))
			}
		}
		return out
	}
	prev := int32(-1)
	for i := 0; i < len(s.varints); {
		d, k := binary.Uvarint(s.varints[i:])
		i += k
		prev += int32(d)
		out = append(out, prev)
	}
	return out
}

func (s posSet) size() int { return 48 + len(s.varints) + 8*len(s.bitmap) }
