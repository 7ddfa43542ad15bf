// Package chart draws bar charts as SVG on the server, for any page that
// shows figures (the network's, a city's, the practices').
package chart

import (
	"bytes"
	_ "embed"
	"hash/fnv"
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

//go:embed chart.svg
var chartSVG string

var tmpl = template.Must(template.New("chart").Parse(strings.TrimSuffix(chartSVG, "\n")))

// drawing is the chart's geometry, worked out here and written by chart.svg.
type drawing struct {
	ID, Title, Desc string
	W, H, FontSize  int
	Horizontal      bool
	Base, AxisEnd   int // columns: the axis line
	Marks           []mark
}

// mark is one bar with its label and value text.
type mark struct {
	Label, Text            string
	LabelX, LabelY         int
	BarX, BarY, BarW, BarH int
	TextX, TextY           int
	Visible                bool // columns draw no bar for zero
}

// HTML returns the chart as inline SVG: text escaped, no style attributes,
// no scripts, the same bytes for the same chart.
func (c Chart) HTML() template.HTML {
	var peak int64 = 1
	for _, b := range c.Bars {
		peak = max(peak, b.Value)
	}
	d := drawing{ID: c.id(), Title: c.Title, Desc: c.Desc, FontSize: fontSize, Horizontal: c.Horizontal}
	if c.Horizontal {
		labelW := 60
		for _, bar := range c.Bars {
			labelW = max(labelW, utf8.RuneCountInString(bar.Label)*fontSize*6/10+8)
		}
		labelW = min(labelW, 220)
		d.W, d.H = labelW+380, rowH*len(c.Bars)+8
		for i, bar := range c.Bars {
			y := 4 + i*rowH
			bw := max(int(float64(300)*float64(bar.Value)/float64(peak)), 1)
			d.Marks = append(d.Marks, mark{Label: bar.Label, Text: bar.Text, LabelX: labelW - 6, LabelY: y + 15,
				BarX: labelW, BarY: y + 3, BarW: bw, BarH: rowH - 6, TextX: labelW + bw + 6, TextY: y + 15, Visible: true})
		}
	} else {
		d.W, d.H = max(240, colW*len(c.Bars)+20), 200
		d.Base, d.AxisEnd = d.H-24, d.W-10
		for i, bar := range c.Bars {
			x := 10 + i*colW
			bh := int(float64(d.Base-24) * float64(bar.Value) / float64(peak))
			cx := x + colW/2
			d.Marks = append(d.Marks, mark{Label: bar.Label, Text: bar.Text, LabelX: cx, LabelY: d.Base + 16,
				BarX: x + 5, BarY: d.Base - bh, BarW: colW - 10, BarH: bh, TextX: cx, TextY: d.Base - bh - 5, Visible: bar.Value > 0})
		}
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, d); err != nil {
		// Only a broken chart.svg fails, and every test that draws a chart shows it.
		panic(err)
	}
	return template.HTML(buf.String())
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
