package summit

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// DejaVu Sans Condensed covers Latin, Greek and Cyrillic names ("Michał",
// "Béouindé", "Москва"), which the PDF core fonts (cp1252) cannot.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// Badge is what one name badge shows.
type Badge struct {
	Name    string
	Title   string // e.g. "Mayor" in the badge's language
	City    string
	Country string // the country's name in the sheet's language
	Token   string // the check-in token, as a QR code
	Head    bool
}

// BadgeSheet prints badges four to an A4 page (A6 each, cut along the
// guides), with the summit's name on each.
type BadgeSheet struct {
	Summit  string
	Dates   string
	Badges  []Badge
	Created time.Time // fixed in the PDF, so the same badges give the same bytes
}

// Write renders the sheet as PDF.
func (bs *BadgeSheet) Write(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true) // fonts in a fixed order: same badges, same bytes
	pdf.SetCreationDate(bs.Created)
	pdf.SetModificationDate(bs.Created)
	pdf.SetTitle(bs.Summit, true)
	pdf.SetCreator("Observatory", true)
	pdf.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	pdf.SetAutoPageBreak(false, 0)
	const bw, bh = 105.0, 148.5
	for i, b := range bs.Badges {
		if i%4 == 0 {
			pdf.AddPage()
			// Cutting guides.
			pdf.SetDrawColor(190, 190, 190)
			pdf.SetLineWidth(0.2)
			pdf.SetDashPattern([]float64{2, 2}, 0)
			pdf.Line(bw, 0, bw, 2*bh)
			pdf.Line(0, bh, 2*bw, bh)
			pdf.SetDashPattern(nil, 0)
		}
		x, y := float64(i%2)*bw, float64(i%4/2)*bh
		if err := bs.badge(pdf, b, x, y, bw, bh); err != nil {
			return err
		}
	}
	if len(bs.Badges) == 0 {
		pdf.AddPage()
	}
	return pdf.Output(w)
}

func (bs *BadgeSheet) badge(pdf *fpdf.Fpdf, b Badge, x, y, w, h float64) error {
	const m = 10.0
	inner := w - 2*m
	// Header band with the summit's name.
	pdf.SetFillColor(11, 92, 142)
	pdf.Rect(x, y, w, 24, "F")
	pdf.SetTextColor(255, 255, 255)
	pdf.SetFont("dejavu", "B", 11)
	pdf.SetXY(x+m, y+5)
	pdf.MultiCell(inner, 5, bs.Summit, "", "L", false)
	pdf.SetFont("dejavu", "", 9)
	pdf.SetXY(x+m, y+16)
	pdf.CellFormat(inner, 5, bs.Dates, "", 0, "L", false, 0, "")
	// Name, shrunk to fit one line where it can.
	pdf.SetTextColor(29, 36, 48)
	size := 22.0
	pdf.SetFont("dejavu", "B", size)
	for size > 12 && pdf.GetStringWidth(b.Name) > inner {
		size--
		pdf.SetFont("dejavu", "B", size)
	}
	pdf.SetXY(x+m, y+32)
	pdf.MultiCell(inner, size*0.45, b.Name, "", "L", false)
	pdf.SetFont("dejavu", "", 12)
	pdf.SetX(x + m)
	if b.Title != "" {
		pdf.MultiCell(inner, 6, b.Title, "", "L", false)
	}
	pdf.SetFont("dejavu", "B", 13)
	pdf.SetX(x + m)
	pdf.MultiCell(inner, 7, fmt.Sprintf("%s · %s", b.City, b.Country), "", "L", false)
	// The check-in code, bottom left, with the token printed for typing.
	q, err := qrcode.New(b.Token, qrcode.Medium)
	if err != nil {
		return err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	const qs = 38.0
	cell := qs / float64(len(bits))
	qx, qy := x+m, y+h-m-qs-6
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			run := c
			for run < len(row) && row[run] {
				run++
			}
			// One rectangle per run of dark modules keeps the file small;
			// the slight overlap avoids hairline gaps in some viewers.
			pdf.Rect(qx+float64(c)*cell, qy+float64(r)*cell, float64(run-c)*cell+0.01, cell+0.01, "F")
			c = run
		}
	}
	pdf.SetFont("dejavu", "", 6.5)
	pdf.SetTextColor(86, 96, 112)
	pdf.SetXY(qx, qy+qs+1.5)
	pdf.CellFormat(inner, 3, b.Token, "", 0, "L", false, 0, "")
	if b.Head {
		pdf.SetFillColor(11, 92, 142)
		pdf.Rect(x+w-m-4, y+h-m-qs-6, 4, qs, "F")
	}
	pdf.SetTextColor(0, 0, 0)
	return nil
}
