package voice

// Arabic letters join their neighbours; a PDF library that places one
// glyph per character shows them apart unless each letter is replaced by
// its positional form (Unicode's presentation forms B). shapeArabic does
// that, in logical order; the poster then lays the line out right to left.

// arabicForms maps a letter to its isolated presentation form and whether
// it joins the letter after it too (dual-joining: four forms, isolated,
// final, initial, medial; right-joining: two, isolated and final).
var arabicForms = map[rune]struct {
	iso  rune
	dual bool
}{
	0x0621: {0xFE80, false}, 0x0622: {0xFE81, false}, 0x0623: {0xFE83, false}, 0x0624: {0xFE85, false},
	0x0625: {0xFE87, false}, 0x0626: {0xFE89, true}, 0x0627: {0xFE8D, false}, 0x0628: {0xFE8F, true},
	0x0629: {0xFE93, false}, 0x062A: {0xFE95, true}, 0x062B: {0xFE99, true}, 0x062C: {0xFE9D, true},
	0x062D: {0xFEA1, true}, 0x062E: {0xFEA5, true}, 0x062F: {0xFEA9, false}, 0x0630: {0xFEAB, false},
	0x0631: {0xFEAD, false}, 0x0632: {0xFEAF, false}, 0x0633: {0xFEB1, true}, 0x0634: {0xFEB5, true},
	0x0635: {0xFEB9, true}, 0x0636: {0xFEBD, true}, 0x0637: {0xFEC1, true}, 0x0638: {0xFEC5, true},
	0x0639: {0xFEC9, true}, 0x063A: {0xFECD, true}, 0x0641: {0xFED1, true}, 0x0642: {0xFED5, true},
	0x0643: {0xFED9, true}, 0x0644: {0xFEDD, true}, 0x0645: {0xFEE1, true}, 0x0646: {0xFEE5, true},
	0x0647: {0xFEE9, true}, 0x0648: {0xFEED, false}, 0x0649: {0xFEEF, false}, 0x064A: {0xFEF1, true},
}

// lamAlef is the ligature of lam with each alef (isolated form; +1 final).
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

const tatweel = 0x0640

func arabicMark(r rune) bool { return r >= 0x064B && r <= 0x065F || r == 0x0670 }

// joinsNext tells whether r connects to the letter after it.
func joinsNext(r rune) bool {
	f, ok := arabicForms[r]
	return ok && f.dual || r == tatweel
}

// joinsPrev tells whether r connects to the letter before it.
func joinsPrev(r rune) bool {
	_, ok := arabicForms[r]
	return ok && r != 0x0621 || r == tatweel
}

// shapeArabic replaces Arabic letters by their positional forms (and lam
// with alef by its ligature); marks are dropped, other characters kept.
func shapeArabic(s string) string {
	var in []rune
	for _, r := range s {
		if !arabicMark(r) {
			in = append(in, r)
		}
	}
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); i++ {
		r := in[i]
		f, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		prev := i > 0 && joinsNext(in[i-1])
		if r == 0x0644 && i+1 < len(in) {
			if lig, ok := lamAlef[in[i+1]]; ok {
				if prev {
					lig++
				}
				out = append(out, lig)
				i++
				continue
			}
		}
		next := f.dual && i+1 < len(in) && joinsPrev(in[i+1])
		form := f.iso
		switch {
		case prev && next:
			form += 3
		case next:
			form += 2
		case prev && r != 0x0621:
			form++
		}
		out = append(out, form)
	}
	return string(out)
}
