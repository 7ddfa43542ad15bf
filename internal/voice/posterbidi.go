package voice

import "golang.org/x/text/unicode/bidi"

// The part of the Unicode bidirectional algorithm (UAX #9) a poster needs:
// one paragraph without explicit embeddings or isolates (posterRunes drops
// those characters), its characters' levels resolved by the weak and
// neutral rules (W1–W7, N1–N2, I1–I2), then each line reordered (L1, L2)
// and its brackets mirrored (L4). So "NRW-Forum", a URL or a number keeps
// its order inside an Arabic sentence, and Arabic inside a Latin line is
// right to left.

// firstStrong is the direction of text's first strong character (P2,
// P3): 1 for right to left, 0 otherwise.
func firstStrong(rs []rune) int8 {
	for _, r := range rs {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return 0
		case bidi.R, bidi.AL:
			return 1
		}
	}
	return 0
}

// bidiLevels resolves the embedding level of each character of a
// paragraph at base level base (0 left to right, 1 right to left).
func bidiLevels(rs []rune, base int8) []int8 {
	n := len(rs)
	t := make([]bidi.Class, n)
	for i, r := range rs {
		p, _ := bidi.LookupRune(r)
		t[i] = p.Class()
	}
	sos := bidi.L
	if base%2 == 1 {
		sos = bidi.R
	}
	// W1: a non-spacing mark takes the class of the character before it.
	for i := range t {
		if t[i] == bidi.NSM {
			if i == 0 {
				t[i] = sos
			} else {
				t[i] = t[i-1]
			}
		}
	}
	// W2: European digits after Arabic letters are Arabic numbers.
	last := sos
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R, bidi.AL:
			last = t[i]
		case bidi.EN:
			if last == bidi.AL {
				t[i] = bidi.AN
			}
		}
	}
	// W3: Arabic letters are right to left.
	for i := range t {
		if t[i] == bidi.AL {
			t[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for i := 1; i+1 < n; i++ {
		switch {
		case (t[i] == bidi.ES || t[i] == bidi.CS) && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == bidi.AN && t[i+1] == bidi.AN:
			t[i] = bidi.AN
		}
	}
	// W5: terminators (%, €, #…) next to European digits go with them.
	for i := 0; i < n; {
		if t[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < n && t[j] == bidi.ET {
			j++
		}
		if i > 0 && t[i-1] == bidi.EN || j < n && t[j] == bidi.EN {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j
	}
	// W6: the other separators and terminators are neutral.
	for i := range t {
		switch t[i] {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		}
	}
	// W7: European digits in left-to-right text are left to right.
	last = sos
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R:
			last = t[i]
		case bidi.EN:
			if last == bidi.L {
				t[i] = bidi.L
			}
		}
	}
	// N1, N2: neutrals between two strong characters of one direction
	// take it (numbers count as right to left); the others take the
	// paragraph's.
	strong := func(c bidi.Class) bidi.Class {
		if c == bidi.L {
			return bidi.L
		}
		return bidi.R
	}
	neutral := func(c bidi.Class) bool {
		switch c {
		case bidi.L, bidi.R, bidi.EN, bidi.AN:
			return false
		}
		return true
	}
	for i := 0; i < n; {
		if !neutral(t[i]) {
			i++
			continue
		}
		j := i
		for j < n && neutral(t[j]) {
			j++
		}
		before, after := sos, sos
		if i > 0 {
			before = strong(t[i-1])
		}
		if j < n {
			after = strong(t[j])
		}
		d := sos
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			t[k] = d
		}
		i = j
	}
	// I1, I2.
	lv := make([]int8, n)
	for i := range t {
		lv[i] = base
		switch {
		case base%2 == 0 && t[i] == bidi.R:
			lv[i]++
		case base%2 == 0 && (t[i] == bidi.AN || t[i] == bidi.EN):
			lv[i] += 2
		case base%2 == 1 && (t[i] == bidi.L || t[i] == bidi.AN || t[i] == bidi.EN):
			lv[i]++
		}
	}
	return lv
}

// visualOrder is the order, left to right, in which a line's characters
// are drawn, given their levels and the paragraph's base level: trailing
// white space at the base level (L1), then each run at or above a level
// reversed, from the highest level down to the lowest odd one (L2).
func visualOrder(rs []rune, levels []int8, base int8) []int {
	n := len(rs)
	lv := append([]int8(nil), levels...)
	for i := n - 1; i >= 0; i-- {
		p, _ := bidi.LookupRune(rs[i])
		if c := p.Class(); c != bidi.WS && c != bidi.S {
			break
		}
		lv[i] = base
	}
	order := make([]int, n)
	var high, lowOdd int8 = 0, 127
	for i := range order {
		order[i] = i
		high = max(high, lv[i])
		if lv[i]%2 == 1 {
			lowOdd = min(lowOdd, lv[i])
		}
	}
	for l := high; l >= lowOdd && l > 0; l-- {
		for i := 0; i < n; {
			if lv[order[i]] < l {
				i++
				continue
			}
			j := i
			for j < n && lv[order[j]] >= l {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	return order
}

// mirrored pairs the brackets and signs that a right-to-left run shows
// the other way round (L4).
var mirrored = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
	'«': '»', '»': '«', '‹': '›', '›': '‹', '≤': '≥', '≥': '≤',
	'（': '）', '）': '（', '［': '］', '］': '［', '｛': '｝', '｝': '｛', '＜': '＞', '＞': '＜',
}
