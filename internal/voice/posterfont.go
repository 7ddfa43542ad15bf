package voice

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The posters' fonts (see fonts/README.md): DejaVu Sans for Latin, Greek,
// Cyrillic and Arabic; Droid Sans Fallback for Chinese and Japanese, its
// CJK Unified Ideographs (with extension A and the compatibility
// ideographs), kana and CJK punctuation. The CJK font is kept compressed
// and decoded only while a poster that needs it is drawn; the PDF embeds
// only the glyphs it uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontSansBold []byte
	//go:embed fonts/DroidSansFallbackFull.ttf.zst
	fontCJKZst []byte
)

// posterSlots bounds the posters drawn at once: each one holds the CJK
// font decoded (4 MB) and the PDF library's tables for it while drawn.
var posterSlots = make(chan struct{}, 2)

// posterSlot waits for a free slot; release gives it back.
func posterSlot(ctx context.Context) (release func(), err error) {
	select {
	case posterSlots <- struct{}{}:
		return func() { <-posterSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// loadCJK decodes the CJK font; the caller drops it when done.
func loadCJK() ([]byte, error) {
	var h zstd.Header
	if err := h.Decode(fontCJKZst); err != nil {
		return nil, fmt.Errorf("cjk font: %w", err)
	}
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, fmt.Errorf("cjk font: %w", err)
	}
	defer d.Close()
	b, err := d.DecodeAll(fontCJKZst, make([]byte, 0, h.FrameContentSize))
	if err != nil {
		return nil, fmt.Errorf("cjk font: %w", err)
	}
	return b, nil
}

// coverage is the set of characters of the Basic Multilingual Plane a font
// has a glyph for (the PDF library reads no other plane).
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r>>6]&(1<<(uint(r)&63)) != 0
}

func coverageOf(font []byte) (*coverage, error) {
	f, err := sfnt.Parse(font)
	if err != nil {
		return nil, fmt.Errorf("font coverage: %w", err)
	}
	var c coverage
	var buf sfnt.Buffer
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			c[r>>6] |= 1 << (uint(r) & 63)
		}
	}
	return &c, nil
}

// The posters' faces.
const (
	faceNone = iota // no font has the character: a box is drawn instead
	faceSans
	faceCJK
)

// posterFonts tells which face draws each character.
type posterFonts struct{ sans, bold, cjk *coverage }

// posterCoverage is worked out once (24 KB kept); the CJK font decoded
// for it is dropped again.
var posterCoverage = sync.OnceValues(func() (*posterFonts, error) {
	var pf posterFonts
	var err error
	if pf.sans, err = coverageOf(fontSans); err != nil {
		return nil, err
	}
	if pf.bold, err = coverageOf(fontSansBold); err != nil {
		return nil, err
	}
	cjk, err := loadCJK()
	if err != nil {
		return nil, err
	}
	if pf.cjk, err = coverageOf(cjk); err != nil {
		return nil, err
	}
	return &pf, nil
})

// wide tells the characters that belong to Chinese and Japanese text:
// they take the CJK face when it has them, and a line may break between
// them.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303F || r >= 0x3200 && r <= 0x33FF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFFEF
}

// face is the face that draws r, bold or not.
func (pf *posterFonts) face(r rune, bold bool) int {
	sans := pf.sans
	if bold {
		sans = pf.bold
	}
	switch {
	case wide(r) && pf.cjk.has(r):
		return faceCJK
	case sans.has(r):
		return faceSans
	case pf.cjk.has(r):
		return faceCJK
	}
	return faceNone
}

// posterRunes is text as the poster draws it: composed (NFC), Arabic
// shaped, without control and format characters (they print nothing).
func posterRunes(text string) []rune {
	var out []rune
	for _, r := range shapeArabic(norm.NFC.String(text)) {
		switch {
		case r == '\t':
			out = append(out, ' ')
		case r == '\n' || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r):
			out = append(out, r)
		}
	}
	return out
}

// unprintable lists the characters of texts no poster font has, each
// with its code point, e.g. "𠮷 (U+20BB7)"; "" when all print.
func (pf *posterFonts) unprintable(texts ...string) string {
	var out []string
	seen := map[rune]bool{}
	for _, t := range texts {
		for _, r := range posterRunes(t) {
			if r == '\n' || seen[r] || pf.face(r, false) != faceNone {
				continue
			}
			seen[r] = true
			out = append(out, fmt.Sprintf("%c (U+%04X)", r, r))
		}
	}
	return strings.Join(out, ", ")
}

// posterTexts are the texts a consultation's posters print.
func (c *Consultation) posterTexts() []string {
	var texts []string
	for _, l := range posterLangs(c.Question, c.SourceLang) {
		texts = append(texts, c.Question[l])
	}
	for _, e := range c.Exhibitions {
		texts = append(texts, e.Venue)
		for _, st := range e.Stations {
			texts = append(texts, st.Name)
		}
	}
	return texts
}

// PosterUnprintable lists the characters of the consultation's question,
// venues and stations that its posters cannot print (they show a box):
// the admin page names them.
func (c *Consultation) PosterUnprintable() string {
	pf, err := posterCoverage()
	if err != nil {
		return ""
	}
	return pf.unprintable(c.posterTexts()...)
}
