package stats

import (
	"hash/fnv"
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bar is one value in a chart.
type Bar struct {
	Label string // "2016", "Türkei"
	Value int64
	Text  string // the value as the page's language writes it ("12.600")
}

// Chart is a bar chart drawn by the server as SVG. It is an image to
// assistive technology (role="img" with a title and a description); the
// page puts the same figures in a table beside it, which is what screen
// readers and copy-paste use.
type Chart struct {
	Title string
	Desc  string
	Bars  []Bar
	// Horizontal draws one labelled row per bar (long labels such as
	// country names); otherwise columns with the label below (years).
	Horizontal bool
}

const (
	fontSize = 12
	rowH     = 22
	colW     = 34
)

// HTML returns the chart as inline SVG: text escaped, no style attributes,
// no scripts, the same bytes for the same chart.
func (c Chart) HTML() template.HTML {
	var peak int64 = 1
	for _, b := range c.Bars {
		peak = max(peak, b.Value)
	}
	id := c.id()
	var b strings.Builder
	var w, h int
	if c.Horizontal {
		labelW := 60
		for _, bar := range c.Bars {
			labelW = max(labelW, utf8.RuneCountInString(bar.Label)*fontSize*6/10+8)
		}
		labelW = min(labelW, 220)
		w, h = labelW+380, rowH*len(c.Bars)+8
		c.open(&b, id, w, h)
		for i, bar := range c.Bars {
			y := 4 + i*rowH
			bw := int(float64(300) * float64(bar.Value) / float64(peak))
			b.WriteString(`<text x="` + itoa(labelW-6) + `" y="` + itoa(y+15) + `" text-anchor="end">` + html.EscapeString(bar.Label) + `</text>`)
			b.WriteString(`<rect class="bar" fill="#0b5c8e" x="` + itoa(labelW) + `" y="` + itoa(y+3) + `" width="` + itoa(max(bw, 1)) + `" height="` + itoa(rowH-6) + `"/>`)
			b.WriteString(`<text class="value" x="` + itoa(labelW+max(bw, 1)+6) + `" y="` + itoa(y+15) + `">` + html.EscapeString(bar.Text) + "</text>\n")
		}
	} else {
		w, h = max(240, colW*len(c.Bars)+20), 200
		c.open(&b, id, w, h)
		base := h - 24
		b.WriteString(`<line class="axis" x1="10" x2="` + itoa(w-10) + `" y1="` + itoa(base) + `" y2="` + itoa(base) + `" stroke="#8a94a3"/>`)
		for i, bar := range c.Bars {
			x := 10 + i*colW
			bh := int(float64(base-24) * float64(bar.Value) / float64(peak))
			cx := x + colW/2
			if bar.Value > 0 {
				b.WriteString(`<rect class="bar" fill="#0b5c8e" x="` + itoa(x+5) + `" y="` + itoa(base-bh) + `" width="` + itoa(colW-10) + `" height="` + itoa(bh) + `"/>`)
			}
			b.WriteString(`<text class="value" x="` + itoa(cx) + `" y="` + itoa(base-bh-5) + `" text-anchor="middle">` + html.EscapeString(bar.Text) + `</text>`)
			b.WriteString(`<text x="` + itoa(cx) + `" y="` + itoa(base+16) + `" text-anchor="middle">` + html.EscapeString(bar.Label) + "</text>\n")
		}
	}
	b.WriteString("</g></svg>")
	return template.HTML(b.String())
}

func (c Chart) open(b *strings.Builder, id string, w, h int) {
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ` + itoa(w) + ` ` + itoa(h) + `" width="` + itoa(w) +
		`" role="img" aria-labelledby="` + id + `-t` + `" aria-describedby="` + id + `-d">`)
	b.WriteString(`<title id="` + id + `-t">` + html.EscapeString(c.Title) + `</title>`)
	b.WriteString(`<desc id="` + id + `-d">` + html.EscapeString(c.Desc) + "</desc>\n")
	b.WriteString(`<g font-size="` + itoa(fontSize) + `" fill="#1d2430">` + "\n")
}

func (c Chart) id() string {
	h := fnv.New64a()
	h.Write([]byte(c.Title))
	for _, b := range c.Bars {
		h.Write([]byte{0})
		h.Write([]byte(b.Label))
		h.Write([]byte(strconv.FormatInt(b.Value, 10)))
	}
	return "chart-" + strconv.FormatUint(h.Sum64(), 36)
}

func itoa(n int) string { return strconv.Itoa(n) }
