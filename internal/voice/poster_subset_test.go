package voice

import (
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The CJK font cut to a few characters draws each of them as the whole
// font does, with the same advance, and nothing else.
func TestSubsetFont(t *testing.T) {
	full, err := loadCJK()
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune("龘丟髙島屋会の。愿")
	sub, err := subsetFont(full, runes)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > 64<<10 {
		t.Errorf("the cut font has %d bytes", len(sub))
	}
	ff, err := sfnt.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatal(err)
	}
	var fb, sb sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range runes {
		fg, _ := ff.GlyphIndex(&fb, r)
		sg, err := sf.GlyphIndex(&sb, r)
		if err != nil || sg == 0 || fg == 0 {
			t.Errorf("%c: glyph %d in the cut font, %d in the whole (%v)", r, sg, fg, err)
			continue
		}
		fa, _ := ff.GlyphAdvance(&fb, fg, ppem, font.HintingNone)
		sa, _ := sf.GlyphAdvance(&sb, sg, ppem, font.HintingNone)
		fs, err1 := ff.LoadGlyph(&fb, fg, ppem, nil)
		fs = slices.Clone(fs)
		ss, err2 := sf.LoadGlyph(&sb, sg, ppem, nil)
		if err1 != nil || err2 != nil || fa != sa || len(ss) == 0 || !slices.Equal(fs, ss) {
			t.Errorf("%c: drawn otherwise in the cut font (advance %v, %v; %d, %d segments; %v, %v)", r, sa, fa, len(ss), len(fs), err2, err1)
		}
	}
	if g, _ := sf.GlyphIndex(&sb, '中'); g != 0 {
		t.Error("the cut font has a character it was not cut for")
	}
}
