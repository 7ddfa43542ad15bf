package geo

import (
	"bytes"
	_ "embed"
	"hash/fnv"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Point is a place to mark on the world map.
type Point struct {
	Lat, Lon float64
	Label    string // accessible name, and the visible label on small maps
	Href     string // link target; relative, http, https or mailto (others are dropped)
	Country  string // ISO 3166-1 alpha-2; its outline gets the class "has-point"
	Class    string // extra classes for the point, e.g. "member partner"
}

// MaxVisibleLabels is the number of points up to which each point gets a
// visible text label; beyond it the labels would bury the map, and the names
// are only in each point's <title> (read by screen readers, shown on hover).
const MaxVisibleLabels = 40

// Map is a world map with its accessible title and description.
type Map struct {
	Title  string
	Desc   string // defaults to the points' labels, comma-separated
	Points []Point
}

// Presentation defaults; presentation attributes are overridden by any CSS
// rule, so the site's stylesheet styles the map through these classes:
//
//	svg.worldmap                  the map
//	.worldmap-countries .country  every outline (.has-point: has a point)
//	.worldmap-points a            each point link (circle inside)
//	.worldmap-labels text         the visible labels
const (
	pointRadius   = 4
	labelFontSize = 10
	labelGap      = 2
)

// HTML returns the map as an inline SVG that is safe to embed: all text and
// attribute values are escaped, links with unsafe schemes are dropped, and
// there are neither style attributes nor scripts (so it works under a strict
// Content-Security-Policy). The same Map always gives the same bytes.
//
// A map without links is role="img". A map whose points are links is
// role="group" instead: the img role hides its children from assistive
// technology, which would leave focusable links without a name.
func (m Map) HTML() template.HTML {
	w := loadWorld()
	width, height := w.data.Width, w.data.Height

	type placed struct {
		p       Point
		x, y    float64
		href    string
		classes string
	}
	pts := make([]placed, 0, len(m.Points))
	highlight := map[string]bool{}
	links := false
	for _, p := range m.Points {
		if !validLatLon(p.Lat, p.Lon) {
			continue
		}
		x, y := Project(p.Lat, p.Lon)
		href, ok := safeHref(p.Href)
		if ok {
			links = true
		}
		if c := strings.ToUpper(p.Country); c != "" {
			highlight[c] = true
		}
		pts = append(pts, placed{p: p, x: x, y: y, href: href, classes: classList("point", p.Class)})
	}

	id := mapID(m)
	desc := m.Desc
	if desc == "" {
		labels := make([]string, 0, len(pts))
		for _, p := range pts {
			if p.p.Label != "" {
				labels = append(labels, p.p.Label)
			}
		}
		desc = strings.Join(labels, ", ")
	}

	v := mapView{ID: id, Title: m.Title, Desc: desc, W: num(width), H: num(height), Role: "img", Radius: pointRadius, FontSize: labelFontSize}
	if links {
		v.Role = "group"
	}
	drawn := countryPaths()
	parts := make([]string, len(w.outlines))
	for i, o := range w.outlines {
		parts[i] = string(drawn[i][0])
		if highlight[o.alpha2] {
			parts[i] = string(drawn[i][1])
		}
	}
	v.Countries = template.HTML(strings.Join(parts, ""))
	for _, p := range pts {
		v.Points = append(v.Points, pointView{Href: p.href, Class: p.classes, Title: p.p.Label, X: num(p.x), Y: num(p.y)})
	}

	if len(pts) > 0 && len(pts) <= MaxVisibleLabels {
		// Labels go right of their point, else left, above or below,
		// whichever first stays inside the map and clear of other points
		// and labels; a label with no free place is left out (the name is
		// still in the point's title).
		dots := make([]box, len(pts))
		for i, p := range pts {
			dots[i] = box{p.x - pointRadius, p.y - pointRadius, p.x + pointRadius, p.y + pointRadius}
		}
		var taken []box
		for i, p := range pts {
			if p.p.Label == "" {
				continue
			}
			lw := float64(utf8.RuneCountInString(p.p.Label)) * labelFontSize * 0.56
			lh := float64(labelFontSize)
			off := float64(pointRadius + labelGap)
			type cand struct {
				anchor string
				tx, ty float64 // text anchor point (baseline)
				bx     box
			}
			base := lh * 0.35 // from the vertical middle down to the baseline
			cands := []cand{
				{"start", p.x + off, p.y + base, box{p.x + off, p.y - lh/2, p.x + off + lw, p.y + lh/2}},
				{"end", p.x - off, p.y + base, box{p.x - off - lw, p.y - lh/2, p.x - off, p.y + lh/2}},
				{"middle", p.x, p.y - off - lh*0.15, box{p.x - lw/2, p.y - off - lh, p.x + lw/2, p.y - off}},
				{"middle", p.x, p.y + off + lh*0.85, box{p.x - lw/2, p.y + off, p.x + lw/2, p.y + off + lh}},
			}
			for _, c := range cands {
				if c.bx.x0 < 0 || c.bx.y0 < 0 || c.bx.x1 > width || c.bx.y1 > height {
					continue
				}
				if overlapsAny(c.bx, taken, -1) || overlapsAny(c.bx, dots, i) {
					continue
				}
				taken = append(taken, c.bx)
				anchor := c.anchor
				if anchor == "start" {
					anchor = "" // the default
				}
				v.Labels = append(v.Labels, labelView{X: num(c.tx), Y: num(c.ty), Anchor: anchor, Text: p.p.Label})
				break
			}
		}
	}
	var b strings.Builder
	b.Grow(len(v.Countries) + 256*len(pts) + 1024)
	if err := worldMapTmpl.Execute(&b, v); err != nil {
		// Only a broken worldmap.svg fails, and this package's tests show it.
		panic(err)
	}
	return template.HTML(b.String())
}

//go:embed worldmap.svg
var worldMapSVG string

var worldMapTmpl = template.Must(template.New("worldmap").Parse(strings.TrimSuffix(worldMapSVG, "\n")))

// mapView is what worldmap.svg writes: the map's geometry, worked out in HTML.
type mapView struct {
	ID, Title, Desc, W, H, Role string
	Radius, FontSize            int
	Countries                   template.HTML // from countryPaths
	Points                      []pointView
	Labels                      []labelView
}

type countryView struct {
	Code, D string
	Lit     bool // the country has a point
}

// countryPaths are the outlines written once by the template "country",
// without and with the class has-point: the same for every map, and most of
// its bytes.
var countryPaths = sync.OnceValue(func() [][2]template.HTML {
	w := loadWorld()
	out := make([][2]template.HTML, len(w.outlines))
	var b bytes.Buffer
	for i, o := range w.outlines {
		for lit := range 2 {
			b.Reset()
			if err := worldMapTmpl.ExecuteTemplate(&b, "country", countryView{Code: o.alpha2, D: o.d, Lit: lit == 1}); err != nil {
				panic(err)
			}
			out[i][lit] = template.HTML(b.String())
		}
	}
	return out
})

type pointView struct{ Href, Class, Title, X, Y string }

type labelView struct{ X, Y, Anchor, Text string }

type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// overlapsAny reports whether b overlaps any of boxes but the one at skip.
func overlapsAny(b box, boxes []box, skip int) bool {
	for i, t := range boxes {
		if i != skip && b.overlaps(t) {
			return true
		}
	}
	return false
}

func validLatLon(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// safeHref keeps relative links and http, https and mailto URLs. Whitespace
// and control characters are refused outright, since browsers strip them
// before reading a scheme ("java\tscript:").
func safeHref(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return s, true
	}
	return "", false
}

// classList joins fixed with the caller's class names, keeping only names
// made of letters, digits, '-' and '_'.
func classList(fixed, extra string) string {
	out := fixed
	for _, c := range strings.Fields(extra) {
		ok := true
		for _, r := range c {
			if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				ok = false
				break
			}
		}
		if ok {
			out += " " + c
		}
	}
	return out
}

// mapID derives the ids for aria-labelledby from the map's content, so that
// different maps on one page differ and the same map renders identically.
func mapID(m Map) string {
	h := fnv.New64a()
	write := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	write(m.Title)
	write(m.Desc)
	for _, p := range m.Points {
		write(strconv.FormatFloat(p.Lat, 'g', -1, 64))
		write(strconv.FormatFloat(p.Lon, 'g', -1, 64))
		write(p.Label)
		write(p.Href)
		write(p.Country)
		write(p.Class)
	}
	return "worldmap-" + strconv.FormatUint(h.Sum64(), 36)
}

// num formats a map coordinate with one decimal, without a trailing ".0".
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}
