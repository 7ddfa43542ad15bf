package voice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/image/font/sfnt"
)

// subsetFont cuts a TrueType font down to the glyphs of runes (with the
// glyphs their composites are built of), renumbered, and a cmap for runes
// alone. The PDF library then parses tens of glyphs, not fifty thousand:
// a poster in Chinese costs a few megabytes of memory, not forty.
func subsetFont(src []byte, runes []rune) ([]byte, error) {
	f, err := sfnt.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("subset font: %w", err)
	}
	if len(src) < 12 {
		return nil, errors.New("subset font: too short")
	}
	be16 := binary.BigEndian.Uint16
	be32 := binary.BigEndian.Uint32
	tables := map[string][]byte{}
	n := int(be16(src[4:]))
	for i := 0; i < n; i++ {
		if 12+16*i+16 > len(src) {
			return nil, errors.New("subset font: table directory cut short")
		}
		rec := src[12+16*i:]
		off, ln := int(be32(rec[8:])), int(be32(rec[12:]))
		if off < 0 || ln < 0 || off+ln > len(src) {
			return nil, fmt.Errorf("subset font: table %q out of bounds", rec[:4])
		}
		tables[string(rec[:4])] = src[off : off+ln]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "post", "name", "OS/2"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("subset font: no %s table", tag)
		}
	}
	head, hhea, maxp, hmtx, loca, glyf := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || len(tables["post"]) < 32 {
		return nil, errors.New("subset font: header tables cut short")
	}
	numGlyphs, numHM := int(be16(maxp[4:])), int(be16(hhea[34:]))
	longLoca := be16(head[50:]) == 1
	if numHM == 0 || numHM > numGlyphs || len(hmtx) < 4*numHM+2*(numGlyphs-numHM) ||
		longLoca && len(loca) < 4*(numGlyphs+1) || !longLoca && len(loca) < 2*(numGlyphs+1) {
		return nil, errors.New("subset font: metrics or locations cut short")
	}
	glyph := func(g int) []byte {
		var a, b int
		if longLoca {
			a, b = int(be32(loca[4*g:])), int(be32(loca[4*g+4:]))
		} else {
			a, b = 2*int(be16(loca[2*g:])), 2*int(be16(loca[2*g+2:]))
		}
		if a > b || b > len(glyf) {
			return nil
		}
		return glyf[a:b]
	}
	// components calls fn with the position of each component's glyph
	// index in composite glyph d.
	components := func(d []byte, fn func(pos int)) {
		if len(d) < 10 || int16(be16(d)) >= 0 {
			return
		}
		for p := 10; p+4 <= len(d); {
			flags := be16(d[p:])
			fn(p + 2)
			p += 4
			if flags&0x1 != 0 {
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x8 != 0:
				p += 2
			case flags&0x40 != 0:
				p += 4
			case flags&0x80 != 0:
				p += 8
			}
			if flags&0x20 == 0 {
				break
			}
		}
	}
	newID := map[int]int{0: 0}
	order := []int{0}
	var add func(g int)
	add = func(g int) {
		if _, ok := newID[g]; ok || g >= numGlyphs {
			return
		}
		newID[g] = len(order)
		order = append(order, g)
		d := glyph(g)
		components(d, func(pos int) { add(int(be16(d[pos:]))) })
	}
	cmap := map[rune]int{}
	var buf sfnt.Buffer
	for _, r := range runes {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 && r <= 0xFFFF {
			add(int(g))
			cmap[r] = newID[int(g)]
		}
	}
	// glyf, loca (long), hmtx (a full metric for each glyph).
	var newGlyf, newLoca, newHmtx []byte
	for _, g := range order {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
		d := slices.Clone(glyph(g))
		components(d, func(pos int) {
			binary.BigEndian.PutUint16(d[pos:], uint16(newID[int(be16(d[pos:]))]))
		})
		newGlyf = append(newGlyf, d...)
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
		var adv, lsb []byte
		if g < numHM {
			adv, lsb = hmtx[4*g:4*g+2], hmtx[4*g+2:4*g+4]
		} else { // the last advance goes on; side bearings follow alone
			adv, lsb = hmtx[4*(numHM-1):4*numHM-2], hmtx[4*numHM+2*(g-numHM):4*numHM+2*(g-numHM)+2]
		}
		newHmtx = append(append(newHmtx, adv...), lsb...)
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
	out := map[string][]byte{
		"glyf": newGlyf, "loca": newLoca, "hmtx": newHmtx,
		"head": slices.Clone(head), "hhea": slices.Clone(hhea), "maxp": slices.Clone(maxp),
		"post": append([]byte{0, 3, 0, 0}, tables["post"][4:32]...),
		"name": tables["name"], "OS/2": tables["OS/2"], "cmap": cmap4(cmap),
	}
	binary.BigEndian.PutUint32(out["head"][8:], 0) // checkSumAdjustment
	binary.BigEndian.PutUint16(out["head"][50:], 1)
	binary.BigEndian.PutUint16(out["hhea"][34:], uint16(len(order)))
	binary.BigEndian.PutUint16(out["maxp"][4:], uint16(len(order)))
	return assembleFont(out), nil
}

// cmap4 is a cmap table with one Unicode (3, 1) subtable of format 4.
func cmap4(m map[rune]int) []byte {
	rs := make([]rune, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	// Segments of consecutive characters with consecutive glyphs.
	type seg struct{ start, end rune }
	var segs []seg
	for _, r := range rs {
		if l := len(segs) - 1; l >= 0 && segs[l].end == r-1 && m[r] == m[segs[l].start]+int(r-segs[l].start) {
			segs[l].end = r
			continue
		}
		segs = append(segs, seg{r, r})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF})
	segX2 := 2 * len(segs)
	sr := 2
	for sr*2 <= len(segs) {
		sr *= 2
	}
	es := 0
	for 1<<(es+1) <= sr/2 {
		es++
	}
	u16 := binary.BigEndian.AppendUint16
	var t []byte
	t = u16(t, 4)
	t = u16(t, uint16(16+4*segX2))
	t = u16(t, 0)
	t = u16(t, uint16(segX2))
	t = u16(t, uint16(sr))
	t = u16(t, uint16(es))
	t = u16(t, uint16(segX2-sr))
	for _, s := range segs {
		t = u16(t, uint16(s.end))
	}
	t = u16(t, 0)
	for _, s := range segs {
		t = u16(t, uint16(s.start))
	}
	for _, s := range segs {
		d := 1 // 0xFFFF → glyph 0
		if s.start != 0xFFFF {
			d = m[s.start] - int(s.start)
		}
		t = u16(t, uint16(d))
	}
	for range segs {
		t = u16(t, 0)
	}
	var c []byte
	c = u16(c, 0)
	c = u16(c, 1)
	c = u16(c, 3)
	c = u16(c, 1)
	c = binary.BigEndian.AppendUint32(c, 12)
	return append(c, t...)
}

// assembleFont writes a TrueType font of the tables.
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	u16 := binary.BigEndian.AppendUint16
	u32 := binary.BigEndian.AppendUint32
	var out []byte
	out = u32(out, 0x00010000)
	out = u16(out, uint16(n))
	out = u16(out, uint16(sr*16))
	out = u16(out, uint16(es))
	out = u16(out, uint16(n*16-sr*16))
	off := 12 + 16*n
	var data []byte
	for _, tag := range tags {
		t := tables[tag]
		var sum uint32
		for i := 0; i < len(t); i += 4 {
			var w [4]byte
			copy(w[:], t[i:])
			sum += binary.BigEndian.Uint32(w[:])
		}
		out = append(out, tag...)
		out = u32(out, sum)
		out = u32(out, uint32(off+len(data)))
		out = u32(out, uint32(len(t)))
		data = append(data, t...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	return append(out, data...)
}
