package voice

import (
	_ "embed"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The posters' fonts (see fonts/README.md): DejaVu Sans for Latin, Greek,
// Cyrillic and Arabic, Droid Sans Fallback for Chinese and Japanese.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontSansBold []byte
	//go:embed fonts/DroidSansFallback-CJK.ttf
	fontCJK []byte
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

// isCJK tells whether s is written in Chinese or Japanese characters.
func isCJK(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

// posterText writes one paragraph in the font its script needs; Arabic is
// shaped and laid out right to left.
func posterText(pdf *fpdf.Fpdf, text string, bold bool, size, x, w, lineH float64) {
	family, style := "sans", ""
	if bold {
		style = "B"
	}
	if isCJK(text) {
		family, style = "cjk", ""
	}
	pdf.SetFont(family, style, size)
	pdf.SetX(x)
	if hasArabic(text) {
		pdf.RTL()
		pdf.MultiCell(w, lineH, shapeArabic(text), "", "R", false)
		pdf.LTR()
		return
	}
	pdf.MultiCell(w, lineH, text, "", "L", false)
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
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetTitle("Poster "+c.Slug, true)
	pdf.SetCreator("Observatory", true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes("sans", "", fontSans)
	pdf.AddUTF8FontFromBytes("sans", "B", fontSansBold)
	pdf.AddUTF8FontFromBytes("cjk", "", fontCJK)
	pw, _ := pdf.GetPageSize()
	k := pw / 210 // A3 scales everything up
	m := 18 * k
	langs := posterLangs(c.Question, c.SourceLang)
	// More languages, smaller type, so that the code still fits.
	other := 16.0
	if len(langs) > 4 {
		other = 12
	}
	pdf.AddPage()
	pdf.SetXY(m, m)
	for i, l := range langs {
		if i == 0 {
			posterText(pdf, c.Question[l], true, 26*k, m, pw-2*m, 11*k)
			pdf.Ln(2 * k)
			continue
		}
		posterText(pdf, c.Question[l], false, other*k, m, pw-2*m, other*0.5*k)
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
	pdf.SetFont("sans", "", 12*k)
	pdf.SetXY(m, qy+qs+6*k)
	pdf.MultiCell(pw-2*m, 6*k, url, "", "C", false)
	var venues []string
	for _, e := range c.Exhibitions {
		if ex == nil || e.ID == ex.ID {
			venues = append(venues, e.Venue+" · "+e.StartsOn+" – "+e.EndsOn)
		}
	}
	if station != "" {
		venues = append(venues, station)
	}
	pdf.SetXY(m, pdf.GetY()+4*k)
	posterText(pdf, strings.Join(venues, "\n"), false, 12*k, m, pw-2*m, 6*k)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`-`+strings.ToLower(size)+`.pdf"`)
	if err := pdf.Output(w); err != nil {
		h.Log.Warn("poster", "err", err)
	}
}
