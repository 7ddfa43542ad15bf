package index

import "encoding/binary"

// postings lists, per term id, the ascending positions that have the
// term, delta-coded as varints in one array: a position costs one or two
// bytes instead of four, and no list carries the spare capacity of a
// slice grown by append.
type postings struct {
	off  []uint32 // term id → start of its list in data; off[id+1] is its end
	cnt  []uint32 // term id → how many positions its list has
	data []byte
}

// buildPostings inverts the items' term lists: terms(pos) gives the
// sorted term ids of the item at pos; terms is called twice per item.
func buildPostings(items int, terms func(pos int) []uint32) *postings {
	var maxID uint32
	for pos := range items {
		if t := terms(pos); len(t) > 0 {
			maxID = max(maxID, t[len(t)-1])
		}
	}
	p := &postings{off: make([]uint32, maxID+2), cnt: make([]uint32, maxID+1)}
	// First pass: each list's size in bytes, from the gaps it will hold.
	last := make([]int32, maxID+1)
	for i := range last {
		last[i] = -1
	}
	size := make([]uint32, maxID+1)
	for pos := range items {
		for _, t := range terms(pos) {
			size[t] += uint32(uvarintLen(uint64(int32(pos) - last[t])))
			last[t] = int32(pos)
			p.cnt[t]++
		}
	}
	for t := range size {
		p.off[t+1] = p.off[t] + size[t]
	}
	p.data = make([]byte, p.off[maxID+1])
	// Second pass: write the gaps; size[t] is reused as the write offset.
	for t := range last {
		last[t] = -1
		size[t] = p.off[t]
	}
	for pos := range items {
		for _, t := range terms(pos) {
			size[t] += uint32(binary.PutUvarint(p.data[size[t]:], uint64(int32(pos)-last[t])))
			last[t] = int32(pos)
		}
	}
	return p
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// count is how many positions term t has.
func (p *postings) count(t uint32) int {
	if int(t) >= len(p.cnt) {
		return 0
	}
	return int(p.cnt[t])
}

// list appends the positions of term t to buf[:0].
func (p *postings) list(t uint32, buf []int32) []int32 {
	buf = buf[:0]
	if int(t) >= len(p.cnt) {
		return buf
	}
	data := p.data[p.off[t]:p.off[t+1]]
	pos := int32(-1)
	for i := 0; i < len(data); {
		d, k := binary.Uvarint(data[i:])
		i += k
		pos += int32(d)
		buf = append(buf, pos)
	}
	return buf
}
