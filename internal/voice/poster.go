package voice

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// posterLangs orders a question's languages: the original, the
// interface's, the kiosks', then any other.
func posterLangs(q i18n.Text, source string) []string {
	var out []string
	add := func(l string) {
		if strings.TrimSpace(q[l]) != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	add(source)
	for _, l := range i18n.Langs {
		add(l)
	}
	for _, l := range KioskLangs {
		add(l)
	}
	var rest []string
	for l := range q {
		if !slices.Contains(out, l) {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	for _, l := range rest {
		add(l)
	}
	return out
}

// posterPage draws text on a poster: each character in the face that has
// it (a box where none has), lines broken to the width, each line in the
// order the bidirectional algorithm gives.
type posterPage struct {
	pdf   *fpdf.Fpdf
	fonts *posterFonts
}

// Paragraph directions and alignments for text.
const (
	dirAuto = iota // the first strong letter decides
	dirRTL
	alignCenter
)

// text writes text from (x, the current y) within width w, lines lineH
// apart, in size points; right to left paragraphs align right, the others
// left, or all centred with alignCenter. The cursor ends below it, at x.
func (pp *posterPage) text(text string, bold bool, size, x, w, lineH float64, how int) {
	y := pp.pdf.GetY()
	for _, para := range strings.Split(string(posterRunes(text)), "\n") {
		y = pp.paragraph([]rune(para), bold, size, x, y, w, lineH, how)
	}
	pp.pdf.SetXY(x, y)
}

// setFace sets the font for face f.
func (pp *posterPage) setFace(f int, bold bool, size float64) {
	switch {
	case f == faceCJK:
		pp.pdf.SetFont("cjk", "", size)
	case bold:
		pp.pdf.SetFont("sans", "B", size)
	default:
		pp.pdf.SetFont("sans", "", size)
	}
}

func (pp *posterPage) paragraph(rs []rune, bold bool, size, x, y, w, lineH float64, how int) float64 {
	n := len(rs)
	if n == 0 {
		return y + lineH
	}
	base := firstStrong(rs)
	if how == dirRTL {
		base = 1
	}
	levels := bidiLevels(rs, base)
	em := size * 25.4 / 72 // the size in mm
	faces := make([]int, n)
	widths := make([]float64, n)
	for i, r := range rs {
		faces[i] = pp.fonts.face(r, bold)
		if faces[i] == faceNone {
			widths[i] = 0.7 * em
			continue
		}
		if i == 0 || faces[i] != faces[i-1] {
			pp.setFace(faces[i], bold, size)
		}
		widths[i] = pp.pdf.GetStringWidth(string(r))
	}
	// Lines, in logical order: break after spaces and around Chinese
	// and Japanese characters, within a word only when it is wider
	// than the line.
	space := func(i int) bool { return rs[i] == ' ' || rs[i] == 0x3000 }
	var lines [][2]int
	start, brk, width := 0, -1, 0.0
	for i := 0; i < n; i++ {
		if i > start && (space(i-1) && !space(i) || cjkBreak(rs[i-1], rs[i])) {
			brk = i
		}
		width += widths[i]
		for !space(i) && width > w && i > start {
			end := i
			if brk > start {
				end = brk
			}
			lines = append(lines, [2]int{start, end})
			start, brk, width = end, -1, 0
			for k := start; k <= i; k++ {
				width += widths[k]
			}
		}
	}
	lines = append(lines, [2]int{start, n})
	for _, ln := range lines {
		a, b := ln[0], ln[1]
		for b > a && space(b-1) {
			b--
		}
		lw := 0.0
		for k := a; k < b; k++ {
			lw += widths[k]
		}
		lx := x
		switch {
		case how == alignCenter:
			lx = x + (w-lw)/2
		case base == 1:
			lx = x + w - lw
		}
		baseline := y + lineH/2 + 0.3*em
		order := visualOrder(rs[a:b], levels[a:b], base)
		for i := 0; i < len(order); {
			k := a + order[i]
			if faces[k] == faceNone {
				// A box where no font has the character.
				pp.pdf.SetLineWidth(em * 0.05)
				pp.pdf.Rect(lx+0.1*em, baseline-0.7*em, 0.5*em, 0.8*em, "D")
				lx += widths[k]
				i++
				continue
			}
			var run []rune
			rw := 0.0
			j := i
			for ; j < len(order) && faces[a+order[j]] == faces[k]; j++ {
				r := rs[a+order[j]]
				if levels[a+order[j]]%2 == 1 {
					if m, ok := mirrored[r]; ok {
						r = m
					}
				}
				run = append(run, r)
				rw += widths[a+order[j]]
			}
			pp.setFace(faces[k], bold, size)
			pp.pdf.Text(lx, baseline, string(run))
			lx += rw
			i = j
		}
		y += lineH
	}
	return y
}

// rtlLang tells the languages written right to left.
func rtlLang(l string) bool {
	switch l {
	case "ar", "fa", "he", "ur", "yi":
		return true
	}
	return false
}

// cjkBreak tells whether a line may break between a and b, one of them
// Chinese or Japanese, unless b may not start a line or a may not end one.
func cjkBreak(a, b rune) bool {
	return (wide(a) || wide(b)) &&
		!strings.ContainsRune("、。，．・：；？！ー）」』】〕〉》”’々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ!),.:;?]}", b) &&
		!strings.ContainsRune("（「『【〔〈《“‘([{", a)
}

// Poster is a printable QR poster (PDF, A4 or A3 by ?size=) for a
// consultation, one of its exhibitions (?exhibition=) or one station of
// it (?station=): the question in each of its languages and a code leading
// to its page (to the exhibition's ideas, for an exhibition or station).
func (h *Handlers) Poster(w http.ResponseWriter, r *http.Request) {
	c, ok := h.manageTarget(w, r)
	if !ok {
		return
	}
	size := "A4"
	if r.URL.Query().Get("size") == "A3" {
		size = "A3"
	}
	var ex *Exhibition
	var station string
	exID, _ := strconv.ParseInt(r.URL.Query().Get("exhibition"), 10, 64)
	stID, _ := strconv.ParseInt(r.URL.Query().Get("station"), 10, 64)
	for i := range c.Exhibitions {
		e := &c.Exhibitions[i]
		if e.ID == exID {
			ex = e
		}
		for _, st := range e.Stations {
			if st.ID == stID {
				ex, station = e, st.Name
			}
		}
	}
	if (exID != 0 || stID != 0) && ex == nil {
		h.Render.NotFound(w, r)
		return
	}
	url := web.SiteURL(r, h.BaseURL) + "/" + c.SourceLang + c.Path()
	name := "poster-" + c.Slug
	if ex != nil {
		url += "?venue=" + itoa(ex.ID)
		name += "-" + itoa(ex.ID)
		if stID != 0 {
			name += "-" + itoa(stID)
		}
	}
	fonts, err := posterCoverage()
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var venues []string
	for _, e := range c.Exhibitions {
		if ex == nil || e.ID == ex.ID {
			venues = append(venues, e.Venue+" · "+e.StartsOn+" – "+e.EndsOn)
		}
	}
	if station != "" {
		venues = append(venues, station)
	}
	langs := posterLangs(c.Question, c.SourceLang)
	var cjkRunes []rune
	for _, t := range append(slices.Clone(venues), c.posterTexts()...) {
		for _, r := range posterRunes(t) {
			if fonts.face(r, false) == faceCJK && !slices.Contains(cjkRunes, r) {
				cjkRunes = append(cjkRunes, r)
			}
		}
	}
	release, err := posterSlot(r.Context())
	if err != nil {
		return // the client has gone
	}
	defer release()
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetTitle("Poster "+c.Slug, true)
	pdf.SetCreator("Observatory", true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes("sans", "", fontSans)
	pdf.AddUTF8FontFromBytes("sans", "B", fontSansBold)
	if len(cjkRunes) > 0 {
		// The CJK font, decoded, cut to the characters used, and dropped.
		cjk, err := loadCJK()
		if err == nil {
			cjk, err = subsetFont(cjk, cjkRunes)
		}
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		pdf.AddUTF8FontFromBytes("cjk", "", cjk)
	}
	pp := &posterPage{pdf: pdf, fonts: fonts}
	pw, _ := pdf.GetPageSize()
	k := pw / 210 // A3 scales everything up
	m := 18 * k
	// More languages, smaller type, so that the code still fits.
	other := 16.0
	if len(langs) > 4 {
		other = 12
	}
	pdf.AddPage()
	pdf.SetXY(m, m)
	for i, l := range langs {
		how := dirAuto
		if rtlLang(l) {
			how = dirRTL
		}
		if i == 0 {
			pp.text(c.Question[l], true, 26*k, m, pw-2*m, 11*k, how)
			pdf.Ln(2 * k)
			continue
		}
		pp.text(c.Question[l], false, other*k, m, pw-2*m, other*0.5*k, how)
		pdf.Ln(1.5 * k)
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	qs := 90 * k
	cell := qs / float64(len(bits))
	qx, qy := (pw-qs)/2, pdf.GetY()+6*k
	pdf.SetFillColor(0, 0, 0)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := x
			for run < len(row) && row[run] {
				run++
			}
			pdf.Rect(qx+float64(x)*cell, qy+float64(y)*cell, float64(run-x)*cell+0.01, cell+0.01, "F")
			x = run
		}
	}
	pdf.SetXY(m, qy+qs+6*k)
	pp.text(url, false, 12*k, m, pw-2*m, 6*k, alignCenter)
	pdf.SetXY(m, pdf.GetY()+4*k)
	pp.text(strings.Join(venues, "\n"), false, 12*k, m, pw-2*m, 6*k, dirAuto)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`-`+strings.ToLower(size)+`.pdf"`)
	if err := pdf.Output(w); err != nil {
		h.Log.Warn("poster", "err", err)
	}
}
