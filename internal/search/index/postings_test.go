package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostingsListEveryPosition inverts random term lists and checks each
// term's list against the positions that have it.
func TestPostingsListEveryPosition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	terms := make([][]uint32, 3000)
	for pos := range terms {
		for range r.IntN(12) {
			terms[pos] = append(terms[pos], uint32(1+r.IntN(400)))
		}
		if pos%7 == 0 {
			terms[pos] = append(terms[pos], 1000) // a rare, far term id
		}
		slices.Sort(terms[pos])
		terms[pos] = slices.Compact(terms[pos])
	}
	p := buildPostings(len(terms), func(pos int) []uint32 { return terms[pos] })
	var buf []int32
	for id := uint32(0); id <= 1001; id++ {
		var want []int32
		for pos, ts := range terms {
			if _, ok := slices.BinarySearch(ts, id); ok {
				want = append(want, int32(pos))
			}
		}
		buf = p.list(id, buf)
		if !slices.Equal(buf, want) || p.count(id) != len(want) {
			t.Fatalf("term %d: list %v (count %d), want %v", id, buf, p.count(id), want)
		}
	}
	if got := p.list(5000, nil); len(got) != 0 || p.count(5000) != 0 {
		t.Errorf("unknown term: %v", got)
	}
}

// TestPositionSetsRoundTrip encodes sparse lists as varints and dense ones
// as bitmaps, and decodes both to what they were.
func TestPositionSetsRoundTrip(t *testing.T) {
	const items = 100000
	sparse := []int32{0, 5, 99999}
	var dense []int32
	for p := int32(0); p < items; p += 3 {
		dense = append(dense, p)
	}
	for _, c := range []struct {
		name   string
		ps     []int32
		bitmap bool
	}{{"empty", []int32{}, false}, {"sparse", sparse, false}, {"dense", dense, true}} {
		s := encodePositions(c.ps, items)
		if (s.bitmap != nil) != c.bitmap {
			t.Errorf("%s: bitmap %v, want %v", c.name, s.bitmap != nil, c.bitmap)
		}
		got := s.decode()
		if got == nil || !slices.Equal(got, c.ps) {
			t.Errorf("%s: decoded %d positions, want %d", c.name, len(got), len(c.ps))
		}
		if s.size() > 48+4*len(c.ps) {
			t.Errorf("%s: %d bytes, more than a plain list", c.name, s.size())
		}
	}
}

// TestIDListsRoundTrip keeps sparse id lists as varints and dense ones as
// bitmaps, each smaller than the other form, and decodes both.
func TestIDListsRoundTrip(t *testing.T) {
	sparse := []int64{1, 7, 100000}
	var dense []int64
	for id := int64(2); id < 100000; id += 5 {
		dense = append(dense, id)
	}
	for _, c := range []struct {
		name   string
		ids    []int64
		bitmap bool
	}{{"sparse", sparse, false}, {"dense", dense, true}, {"one", []int64{0}, false}} {
		l := encodeIDs(c.ids)
		if (l[0] == 1) != c.bitmap {
			t.Errorf("%s: bitmap %v, want %v", c.name, l[0] == 1, c.bitmap)
		}
		if got := l.decode(); !slices.Equal(got, c.ids) {
			t.Errorf("%s: decoded %d ids, want %d", c.name, len(got), len(c.ids))
		}
		if limit := min(2+int(c.ids[len(c.ids)-1]/8), 1+3*len(c.ids)); len(l) > limit {
			t.Errorf("%s: %d bytes, more than %d", c.name, len(l), limit)
		}
	}
	if l := encodeIDs(nil); l.decode() != nil {
		t.Error("the empty list decodes to ids")
	}
}
