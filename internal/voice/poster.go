package voice

import (
	"net/http"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Poster is a printable QR poster (PDF, A4 or A3 by ?size=) for a
// consultation: the question in its languages and a code leading to its page.
func (h *Handlers) Poster(w http.ResponseWriter, r *http.Request) {
	c, ok := h.manageTarget(w, r)
	if !ok {
		return
	}
	size := "A4"
	if r.URL.Query().Get("size") == "A3" {
		size = "A3"
	}
	url := web.SiteURL(r, h.BaseURL) + "/" + c.SourceLang + c.Path()
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetTitle("Poster "+c.Slug, true)
	pdf.SetCreator("Observatory", true)
	pdf.SetAutoPageBreak(false, 0)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: de, en, fr
	pw, _ := pdf.GetPageSize()
	k := pw / 210 // A3 scales everything up
	m := 18 * k
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 30*k)
	pdf.SetXY(m, m)
	pdf.MultiCell(pw-2*m, 13*k, tr(c.Question.Get(c.SourceLang, c.SourceLang)), "", "L", false)
	pdf.SetFont("Helvetica", "", 16*k)
	for _, l := range i18n.Langs {
		if q := c.Question[l]; q != "" && l != c.SourceLang {
			pdf.SetX(m)
			pdf.MultiCell(pw-2*m, 8*k, tr(q), "", "L", false)
			pdf.Ln(2 * k)
		}
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	qs := 110 * k
	cell := qs / float64(len(bits))
	qx, qy := (pw-qs)/2, pdf.GetY()+10*k
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
	pdf.SetFont("Helvetica", "", 12*k)
	pdf.SetXY(m, qy+qs+8*k)
	pdf.MultiCell(pw-2*m, 6*k, tr(url), "", "C", false)
	var venues []string
	for _, e := range c.Exhibitions {
		venues = append(venues, e.Venue+" · "+e.StartsOn+" – "+e.EndsOn)
	}
	pdf.SetXY(m, pdf.GetY()+4*k)
	pdf.MultiCell(pw-2*m, 6*k, tr(strings.Join(venues, "\n")), "", "C", false)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="poster-`+c.Slug+`-`+strings.ToLower(size)+`.pdf"`)
	if err := pdf.Output(w); err != nil {
		h.Log.Warn("poster", "err", err)
	}
}
