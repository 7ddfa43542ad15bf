package geo

import (
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
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

// WorldMap draws all country outlines and the given points as an inline SVG.
// See Map.HTML.
func WorldMap(title string, points []Point) template.HTML {
	return Map{Title: title, Points: points}.HTML()
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

	var b strings.Builder
	b.Grow(len(worldPathsJSON) + 256*len(pts) + 1024)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="0 0 `)
	b.WriteString(num(width))
	b.WriteByte(' ')
	b.WriteString(num(height))
	b.WriteString(`" role="`)
	if links {
		b.WriteString("group")
	} else {
		b.WriteString("img")
	}
	b.WriteString(`" aria-labelledby="` + id + `-title"`)
	if desc != "" {
		b.WriteString(` aria-describedby="` + id + `-desc"`)
	}
	b.WriteString(`><title id="` + id + `-title">`)
	b.WriteString(html.EscapeString(m.Title))
	b.WriteString(`</title>`)
	if desc != "" {
		b.WriteString(`<desc id="` + id + `-desc">`)
		b.WriteString(html.EscapeString(desc))
		b.WriteString(`</desc>`)
	}

	b.WriteString("\n" + `<g class="worldmap-countries" fill="#dfe4ea" stroke="#fff" stroke-width=".5" stroke-linejoin="round" fill-rule="evenodd" aria-hidden="true">` + "\n")
	for _, o := range w.outlines {
		b.WriteString(`<path class="country`)
		if highlight[o.alpha2] {
			b.WriteString(` has-point`)
		}
		b.WriteString(`" data-country="` + o.alpha2 + `" d="`)
		b.WriteString(o.d)
		b.WriteString("\"/>\n")
	}
	b.WriteString("</g>\n")

	if len(pts) > 0 {
		b.WriteString(`<g class="worldmap-points" fill="#b3261e" stroke="#fff" stroke-width="1">` + "\n")
		for _, p := range pts {
			circle := `<circle cx="` + num(p.x) + `" cy="` + num(p.y) + `" r="` + strconv.Itoa(pointRadius) + `"/>`
			title := ""
			if p.p.Label != "" {
				title = `<title>` + html.EscapeString(p.p.Label) + `</title>`
			}
			if p.href != "" {
				b.WriteString(`<a href="` + html.EscapeString(p.href) + `" class="` + p.classes + `">` + title + circle + "</a>\n")
			} else {
				b.WriteString(`<g class="` + p.classes + `">` + title + circle + "</g>\n")
			}
		}
		b.WriteString("</g>\n")
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
		var labels strings.Builder
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
				labels.WriteString(`<text x="` + num(c.tx) + `" y="` + num(c.ty) + `"`)
				if c.anchor != "start" {
					labels.WriteString(` text-anchor="` + c.anchor + `"`)
				}
				labels.WriteString(`>` + html.EscapeString(p.p.Label) + "</text>\n")
				break
			}
		}
		if labels.Len() > 0 {
			b.WriteString(`<g class="worldmap-labels" aria-hidden="true" font-size="` + strconv.Itoa(labelFontSize) + `" fill="#1f2933" stroke="#fff" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke">` + "\n")
			b.WriteString(labels.String())
			b.WriteString("</g>\n")
		}
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

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
