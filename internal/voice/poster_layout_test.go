package voice_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// posterPDF is what a poster draws: its text runs, each with the font
// that drew it, and for each font the glyph its PDF maps each character
// to, with the font program embedded.
type posterPDF struct {
	runs  []pdfRun
	fonts map[string]*pdfFont // by base font name: utf8sans, utf8sansB, utf8cjk
	boxes int                 // outlined rectangles (a box for a character no font has)
}

type pdfRun struct {
	font string
	x, y float64
	text string
}

type pdfFont struct {
	cidToGID []byte
	program  *sfnt.Font
}

// glyph is the glyph font f draws r with: 0 (nothing) when it has none.
func (f *pdfFont) glyph(r rune) sfnt.GlyphIndex {
	if f == nil || int(r)*2+1 >= len(f.cidToGID) {
		return 0
	}
	return sfnt.GlyphIndex(f.cidToGID[2*r])<<8 | sfnt.GlyphIndex(f.cidToGID[2*r+1])
}

// inks tells whether glyph g of font f has an outline.
func (f *pdfFont) inks(g sfnt.GlyphIndex) bool {
	var buf sfnt.Buffer
	segs, err := f.program.LoadGlyph(&buf, g, fixed.I(100), nil)
	return err == nil && len(segs) > 0
}

func parsePoster(t *testing.T, raw string) *posterPDF {
	t.Helper()
	objs := map[string]string{}    // dictionary by object number
	streams := map[string][]byte{} // stream by object number, inflated
	for _, m := range regexp.MustCompile(`(?s)\n(\d+) 0 obj\n(.*?)\nendobj`).FindAllStringSubmatch(raw, -1) {
		body := m[2]
		if i := strings.Index(body, "stream\n"); i >= 0 {
			data := strings.TrimSuffix(strings.TrimSuffix(body[i+len("stream\n"):], "endstream"), "\n")
			if strings.Contains(body[:i], "/FlateDecode") {
				zr, err := zlib.NewReader(strings.NewReader(data))
				if err != nil {
					t.Fatalf("object %s: %v", m[1], err)
				}
				b, _ := io.ReadAll(zr)
				streams[m[1]] = b
			} else {
				streams[m[1]] = []byte(data)
			}
			body = body[:i]
		}
		objs[m[1]] = body
	}
	ref := func(dict, key string) string {
		m := regexp.MustCompile(`/` + key + ` (\d+) 0 R`).FindStringSubmatch(dict)
		if m == nil {
			t.Fatalf("no /%s in %q", key, dict)
		}
		return m[1]
	}
	p := &posterPDF{fonts: map[string]*pdfFont{}}
	resName := map[string]string{} // resource name → base font
	for _, m := range regexp.MustCompile(`/(F[0-9a-f]+) (\d+) 0 R`).FindAllStringSubmatch(raw, -1) {
		font := objs[m[2]]
		base := regexp.MustCompile(`/BaseFont /(\w+)`).FindStringSubmatch(font)
		if base == nil {
			continue
		}
		resName[m[1]] = base[1]
		desc := regexp.MustCompile(`/DescendantFonts \[(\d+) 0 R\]`).FindStringSubmatch(font)
		cid := objs[desc[1]]
		prog, err := sfnt.Parse(streams[ref(objs[ref(cid, "FontDescriptor")], "FontFile2")])
		if err != nil {
			t.Fatalf("font %s: %v", base[1], err)
		}
		p.fonts[base[1]] = &pdfFont{cidToGID: streams[ref(cid, "CIDToGIDMap")], program: prog}
	}
	var content bytes.Buffer
	for _, m := range regexp.MustCompile(`/Contents (\d+) 0 R`).FindAllStringSubmatch(raw, -1) {
		content.Write(streams[m[1]])
	}
	ops := regexp.MustCompile(`BT /(F[0-9a-f]+) [\d.]+ Tf ET|BT ([\d.-]+) ([\d.-]+) Td \(((?:\\.|[^\\)])*)\) Tj ET|re S`)
	font := ""
	for _, m := range ops.FindAllStringSubmatch(content.String(), -1) {
		switch {
		case m[1] != "":
			font = resName[m[1]]
		case m[0] == "re S":
			p.boxes++
		default:
			x, _ := strconv.ParseFloat(m[2], 64)
			y, _ := strconv.ParseFloat(m[3], 64)
			p.runs = append(p.runs, pdfRun{font: font, x: x, y: y, text: pdfUnescape(m[4])})
		}
	}
	return p
}

// pdfUnescape decodes a PDF string of UTF-16BE code units.
func pdfUnescape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'r':
				c = '\r'
			case 'n':
				c = '\n'
			default:
				c = s[i]
			}
		}
		b = append(b, c)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// lines are the poster's lines as read, top to bottom, each left to right.
func (p *posterPDF) lines() []string {
	byY := map[float64][]pdfRun{}
	var ys []float64
	for _, r := range p.runs {
		if _, ok := byY[r.y]; !ok {
			ys = append(ys, r.y)
		}
		byY[r.y] = append(byY[r.y], r)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ys)))
	var out []string
	for _, y := range ys {
		rs := byY[y]
		sort.Slice(rs, func(i, j int) bool { return rs[i].x < rs[j].x })
		var b strings.Builder
		for _, r := range rs {
			b.WriteString(r.text)
		}
		out = append(out, b.String())
	}
	return out
}

// drawnWith is the font of the run that drew r, "" if none did.
func (p *posterPDF) drawnWith(r rune) string {
	for _, run := range p.runs {
		if strings.ContainsRune(run.text, r) {
			return run.font
		}
	}
	return ""
}

// Inside an Arabic sentence, a name in Latin letters and a number keep
// their order, and the sentence still breaks into lines; rare and
// Traditional ideographs print with a glyph of the CJK font, Latin
// letters inside a Chinese line with DejaVu's, and a character no font
// has prints as a box that the admin page names.
func TestPosterMixedScriptsAndRareIdeographs(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		save := func(q i18n.Text, source string) {
			t.Helper()
			c := f.c
			if _, err := f.s.App.Voice.Store.SaveConsultation(ctx, audit.System("test"), c.ID, voice.ConsultationInput{CityID: c.CityID, Slug: c.Slug,
				Question: q, SourceLang: source, Themes: c.Themes, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, RetentionDays: c.RetentionDays,
				Moderation: c.Moderation}); err != nil {
				t.Fatal(err)
			}
		}
		poster := func(query string) *posterPDF {
			t.Helper()
			res := ac.Get("/en/admin/ideas/consultations/morgen/poster.pdf"+query).Expect(t, http.StatusOK, "%PDF")
			return parsePoster(t, res.Body)
		}
		var station int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM voice_stations WHERE exhibition_id = $1`, f.ex).Scan(&station); err != nil {
			t.Fatal(err)
		}
		rev := func(s string) string { return reverse(voice.ShapeArabic(s)) }

		save(i18n.Text{"de": "Was wünschen Sie sich?", "ar": "زوروا NRW-Forum في 2025 (مجانا)",
			"zh": "龘丟髙𠮷 NRW-Forum", "ja": "髙島屋で会いましょう"}, "de")
		for _, query := range []string{"?exhibition=" + strconv.FormatInt(f.ex, 10), "?station=" + strconv.FormatInt(station, 10) + "&size=A3"} {
			p := poster(query)
			lines := p.lines()
			// Right to left, with the Latin name and the number left to
			// right inside, the brackets turned to face the text.
			want := "(" + rev("مجانا") + ") 2025 " + rev("في") + " NRW-Forum " + rev("زوروا")
			if !slices.Contains(lines, want) {
				t.Errorf("%s: no line reads %q in %q", query, want, lines)
			}
			if !slices.Contains(lines, "龘丟髙 NRW-Forum") || !slices.Contains(lines, "髙島屋で会いましょう") {
				t.Errorf("%s: the Chinese or Japanese line is not as written: %q", query, lines)
			}
			// Each character with a glyph that inks, in the font that has it.
			for _, c := range []struct {
				runes, font string
			}{{"龘丟髙島屋会", "utf8cjk"}, {"NRFou", "utf8sans"}, {"Wwünschen", "utf8sansB"}} {
				for _, r := range c.runes {
					font := p.fonts[c.font]
					if got := p.drawnWith(r); got != c.font {
						t.Errorf("%s: %c is drawn with %q, want %s", query, r, got, c.font)
						continue
					}
					if g := font.glyph(r); g == 0 || !font.inks(g) {
						t.Errorf("%s: %c has no glyph in %s (glyph %d)", query, r, c.font, g)
					}
				}
			}
			// Latin letters come from DejaVu, not from the CJK font, which has none.
			for _, run := range p.runs {
				if run.font == "utf8cjk" && strings.ContainsAny(run.text, "NRWForum") {
					t.Errorf("%s: %q is drawn with the CJK font", query, run.text)
				}
			}
			// 𠮷 is in no font: not written as text, a box in its place.
			if strings.Contains(strings.Join(lines, "\n"), "𠮷") || p.boxes != 1 {
				t.Errorf("%s: 𠮷 should print as one box, not as text (%d boxes)", query, p.boxes)
			}
		}
		// The admin page names the character that prints as a box, and no other.
		ac.Get("/en/admin/ideas/consultations/morgen").Expect(t, http.StatusOK, "No poster font has these characters; the posters show an empty box in their place: 𠮷 (U&#43;20BB7)</p>")
		ac.Get("/de/admin/ideas/consultations/morgen").Expect(t, http.StatusOK, "Diese Zeichen hat keine Schrift der Plakate", "𠮷 (U&#43;20BB7)</p>")
		ac.Get("/fr/admin/ideas/consultations/morgen").Expect(t, http.StatusOK, "Aucune police des affiches", "𠮷 (U&#43;20BB7)</p>")
		if body := ac.Get("/en/admin/ideas/consultations/morgen").Body; strings.Contains(body, "龘 (U") || strings.Contains(body, "髙 (U") {
			t.Error("the admin page names characters that print")
		}

		// A long Arabic question, the poster's first and largest, breaks
		// into lines, each right to left with the name whole inside.
		long := strings.Repeat("زوروا NRW-Forum في 2025 ", 6)
		save(i18n.Text{"ar": long, "de": "Was wünschen Sie sich?"}, "ar")
		if strings.Contains(ac.Get("/en/admin/ideas/consultations/morgen").Body, "No poster font has these characters") {
			t.Error("the admin page warns though every character prints")
		}
		p := poster("")
		var arabic []string
		for _, l := range p.lines() {
			if strings.ContainsFunc(l, func(r rune) bool { return r >= 0xFE70 && r <= 0xFEFF }) {
				arabic = append(arabic, l)
				if strings.Count(l, "NRW") != strings.Count(l, "NRW-Forum") || strings.Contains(l, "muroF") || strings.Contains(l, "5202") {
					t.Errorf("a line breaks or turns the name: %q", l)
				}
			}
		}
		if len(arabic) > 0 && !strings.HasSuffix(arabic[0], rev("زوروا")) {
			t.Errorf("the first line does not start, on the right, with the first word: %q", arabic[0])
		}
		if n := strings.Count(strings.Join(arabic, "\n"), "NRW-Forum"); len(arabic) < 2 || n != 6 {
			t.Errorf("the question is on %d lines with %d of 6 names: %q", len(arabic), n, arabic)
		}
		if p.boxes != 0 {
			t.Errorf("%d boxes for characters that print", p.boxes)
		}
	})
}
