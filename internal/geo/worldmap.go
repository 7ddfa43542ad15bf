package geo

import (
	"bytes"
	_ "embed"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Point is a place to mark on the world map.
type Point struct {
	Lat, Lon float64
	Label    string // accessible name, and the visible label on small maps
	Name     string // the visible label on zoomed maps; defaults to Label
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
	Areas  []Area // parts of the map that link to a closer look (drawn on the world map only)
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
	return m.render(worldFrame(), m.prepare())
}

// worldFrame is the whole world, as HTML draws it.
func worldFrame() frame {
	w := loadWorld()
	return frame{w: w.data.Width, h: w.data.Height, radius: pointRadius, font: labelFontSize, maxLabels: MaxVisibleLabels}
}

// frame is the part of the world a map shows (in the world map's
// coordinates), the size of its points and labels in those coordinates, and
// for a zoomed map its natural width in CSS pixels.
type frame struct {
	x, y, w, h   float64
	radius, font float64
	px           int // natural width in CSS pixels; 0: as wide as its container
	maxLabels    int
	cluster      bool // points whose dots touch share one dot and one label
	class        string
	only         []outline // the outlines to draw; nil: all
}

// prepare works out each point's place and what its element says, once
// for the world map and the zoomed maps drawn from the same points.
func (m Map) prepare() []*placed {
	all := make([]placed, len(m.Points))
	out := make([]*placed, len(m.Points))
	for i, p := range m.Points {
		pl := placed{p: p, lat: strconv.FormatFloat(p.Lat, 'g', -1, 64), lon: strconv.FormatFloat(p.Lon, 'g', -1, 64)}
		if validLatLon(p.Lat, p.Lon) {
			pl.ok = true
			pl.x, pl.y = Project(p.Lat, p.Lon)
			pl.cx, pl.cy = num(pl.x), num(pl.y)
			pl.href, pl.link = safeHref(p.Href)
			pl.classes = classList("point", p.Class)
			pl.names = []string{p.name()}
			pl.country = strings.ToUpper(p.Country)
		}
		all[i] = pl
		out[i] = &all[i]
	}
	return out
}

// render draws the map in the frame; all are m's points as prepared.
func (m Map) render(fr frame, all []*placed) template.HTML {
	w := loadWorld()
	pts := make([]*placed, 0, len(all))
	highlight := map[string]bool{}
	links := false
	for _, p := range all {
		if !p.ok {
			continue
		}
		links = links || p.link
		if p.country != "" {
			highlight[p.country] = true
		}
		pts = append(pts, p)
	}

	id := mapID(m, all)
	if fr.class != "" {
		id += "-" + fr.class
	}
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

	v := mapView{ID: id, Title: m.Title, Desc: desc, VB: num(fr.x) + " " + num(fr.y) + " " + num(fr.w) + " " + num(fr.h),
		Role: "img", Radius: num(fr.radius), FontSize: num(fr.font), Class: classList("worldmap", fr.class),
		CountryStroke: ".5", PointStroke: "1", LabelStroke: "2.5"}
	if fr.px > 0 {
		k := fr.w / float64(fr.px)
		v.CountryStroke, v.PointStroke, v.LabelStroke = numFine(0.8*k), numFine(1.2*k), numFine(3*k)
	}
	if fr.px > 0 {
		v.PW, v.PH = strconv.Itoa(fr.px), strconv.Itoa(int(math.Round(float64(fr.px)*fr.h/fr.w)))
	}
	if fr.class == "" {
		for _, a := range m.Areas {
			href, ok := safeHref(a.Href)
			if !ok || a.W <= 0 || a.H <= 0 {
				continue
			}
			v.Areas = append(v.Areas, areaView{Key: a.Key, Href: href, Title: a.Title, X: num(a.X), Y: num(a.Y), W: num(a.W), H: num(a.H)})
			links = true
		}
	}
	if links {
		v.Role = "group"
	}
	drawn := countryPaths()
	var outlines []template.HTML
	size := 0
	for i, o := range w.outlines {
		if fr.only != nil && !o.within(fr) {
			continue
		}
		lit := 0
		if highlight[o.alpha2] {
			lit = 1
		}
		outlines = append(outlines, drawn[i][lit])
		size += len(drawn[i][lit])
	}
	var countries strings.Builder
	countries.Grow(size)
	for _, o := range outlines {
		countries.WriteString(string(o))
	}
	v.Countries = template.HTML(countries.String())
	v.Points = make([]pointView, 0, len(pts))
	for _, p := range pts {
		v.Points = append(v.Points, pointView{Href: p.href, Class: p.classes, Title: p.p.Label, X: p.cx, Y: p.cy})
	}

	// Points whose dots touch become one cluster: one place for the label,
	// which names them all. When a label finds no place, points a little
	// further apart are clustered too, until every point is named.
	span := 0.0
	if fr.cluster {
		span = 2.4 * fr.radius
	}
	clusters := cluster(pts, span)
	labels, unplaced := placeLabels(fr, clusters)
	v.Labels = labels
	// On a zoomed map, a point or cluster whose label found no place gets
	// a number, and the names are listed under the map by that number.
	var legend []string
	if fr.cluster {
		for _, i := range unplaced {
			c := clusters[i]
			legend = append(legend, strings.Join(c.names, ", "))
			v.Marks = append(v.Marks, markView{X: num(c.x), Y: num(c.y), TY: num(c.y + fr.font*0.36), N: strconv.Itoa(len(legend))})
		}
		v.MarkRadius = num(fr.font * 0.8)
	}
	v.PointsHTML = written(len(v.Points)*160, func(b *strings.Builder) { writePoints(b, v.Points, v.Radius) })
	v.LabelsHTML = written(len(v.Labels)*60, func(b *strings.Builder) { writeLabels(b, v.Labels) })
	v.MarksHTML = written(len(v.Marks)*120, func(b *strings.Builder) { writeMarks(b, v.Marks, v.MarkRadius, v.PointStroke) })
	var b strings.Builder
	b.Grow(len(v.Countries) + len(v.PointsHTML) + len(v.LabelsHTML) + len(v.MarksHTML) + 1024)
	if err := worldMapTmpl.Execute(&b, v); err != nil {
		// Only a broken worldmap.svg fails, and this package's tests show it.
		panic(err)
	}
	if len(legend) > 0 {
		b.WriteString(`<ol class="map-legend">`)
		for i, l := range legend {
			b.WriteString(`<li value="` + strconv.Itoa(i+1) + `">` + template.HTMLEscapeString(l) + `</li>`)
		}
		b.WriteString(`</ol>`)
	}
	return template.HTML(b.String())
}

// placed is a point where the map draws it, with the names its label shows.
type placed struct {
	p        Point
	lat, lon string // as the map's id hashes them
	ok       bool   // it has a place: the rest is set
	x, y     float64
	cx, cy   string // x and y as written
	href     string // p.Href if safe
	link     bool   // href is set
	classes  string
	names    []string
	country  string // upper case
}

// cluster joins points closer than span into one, at the first's place:
// a point joins the first cluster made that is near enough.
func cluster(pts []*placed, span float64) []*placed {
	if span <= 0 {
		return pts
	}
	out := make([]*placed, 0, len(pts))
	var own []bool // out[i] is a copy of the point, whose names it may change
	g := newBoxGrid(span)
	for _, p := range pts {
		j := -1
		g.near(p.x, p.y, span, func(i int) bool {
			if c := out[i]; (j < 0 || i < j) && math.Hypot(c.x-p.x, c.y-p.y) < span {
				j = i
			}
			return true
		})
		if j >= 0 {
			if !own[j] {
				c := *out[j]
				c.names = slices.Clone(c.names)
				out[j], own[j] = &c, true
			}
			out[j].names = append(out[j].names, p.names...)
			continue
		}
		out = append(out, p)
		own = append(own, false)
		g.add(box{p.x, p.y, p.x, p.y})
	}
	return out
}

// placeLabels lays out the labels of the points, those with most
// neighbours first; unplaced lists the points whose label found no place.
func placeLabels(fr frame, labelled []*placed) (labels []labelView, unplaced []int) {
	if len(labelled) == 0 || len(labelled) > fr.maxLabels {
		return nil, nil
	}
	order := make([]int, len(labelled))
	for i := range labelled {
		order[i] = i
	}
	if fr.cluster {
		// Neighbours within six letters, found through a grid of that size.
		reach := fr.font * 6
		near := make([]int, len(labelled))
		pg := newBoxGrid(reach)
		for _, p := range labelled {
			pg.add(box{p.x, p.y, p.x, p.y})
		}
		for i, p := range labelled {
			pg.near(p.x, p.y, reach, func(j int) bool {
				if d := math.Hypot(p.x-labelled[j].x, p.y-labelled[j].y); d > 0 && d < reach {
					near[i]++
				}
				return true
			})
		}
		slices.SortStableFunc(order, func(a, b int) int { return near[b] - near[a] })
	}
	{
		// Marks (numbers) take more room than a dot; keep labels off them.
		r := fr.radius
		if fr.cluster {
			r = fr.font * 0.8
		}
		dots := newBoxGrid(4 * r)
		for _, p := range labelled {
			dots.add(box{p.x - r, p.y - r, p.x + r, p.y + r})
		}
		taken := newBoxGrid(fr.font * 4)
		type cand struct {
			anchor string
			tx, ty float64 // text anchor point (baseline)
			bx     box
		}
		cands := make([]cand, 0, 24)
		for _, i := range order {
			p := labelled[i]
			// Labels go right of their point, else left, above, below or
			// diagonally, near and then a little further, whichever first stays
			// inside the map and clear of other points and labels; a label with
			// no free place is left out (the name is still in the point's title).
			text := strings.Join(p.names, ", ")
			if text == "" {
				continue
			}
			lw := labelWidth(text, fr.font)
			lh := fr.font
			base := lh * 0.35 // from the vertical middle down to the baseline
			cands = cands[:0]
			for _, k := range []float64{1, 2.5, 4.5} {
				off := fr.radius + fr.font*0.2*k
				d := off * 0.75
				cands = append(cands,
					cand{"start", p.x + off, p.y + base, box{p.x + off, p.y - lh/2, p.x + off + lw, p.y + lh/2}},
					cand{"end", p.x - off, p.y + base, box{p.x - off - lw, p.y - lh/2, p.x - off, p.y + lh/2}},
					cand{"middle", p.x, p.y - off - lh*0.15, box{p.x - lw/2, p.y - off - lh, p.x + lw/2, p.y - off}},
					cand{"middle", p.x, p.y + off + lh*0.85, box{p.x - lw/2, p.y + off, p.x + lw/2, p.y + off + lh}},
					cand{"start", p.x + d, p.y - d - lh*0.15, box{p.x + d, p.y - d - lh, p.x + d + lw, p.y - d}},
					cand{"start", p.x + d, p.y + d + lh*0.85, box{p.x + d, p.y + d, p.x + d + lw, p.y + d + lh}},
					cand{"end", p.x - d, p.y - d - lh*0.15, box{p.x - d - lw, p.y - d - lh, p.x - d, p.y - d}},
					cand{"end", p.x - d, p.y + d + lh*0.85, box{p.x - d - lw, p.y + d, p.x - d, p.y + d + lh}},
				)
				if !fr.cluster {
					break // the world map keeps to the four near places
				}
			}
			done := false
			for _, c := range cands {
				if c.bx.x0 < fr.x || c.bx.y0 < fr.y || c.bx.x1 > fr.x+fr.w || c.bx.y1 > fr.y+fr.h {
					continue
				}
				if taken.overlaps(c.bx, -1) || dots.overlaps(c.bx, i) {
					continue
				}
				taken.add(c.bx)
				anchor := c.anchor
				if anchor == "start" {
					anchor = "" // the default
				}
				labels = append(labels, labelView{X: num(c.tx), Y: num(c.ty), Anchor: anchor, Text: text})
				done = true
				break
			}
			if !done {
				unplaced = append(unplaced, i)
			}
		}
	}
	slices.Sort(unplaced)
	return labels, unplaced
}

// labelWidth estimates the width of text at the font size: generously, as
// the browser's sans-serif may be wider than the average.
func labelWidth(text string, font float64) float64 {
	n := 0.0
	for _, r := range text {
		switch {
		case r == ' ' || r == ',' || r == '.' || r == 'i' || r == 'l' || r == 'j' || r == 'I':
			n += 0.36
		case r == 'm' || r == 'w' || r == 'M' || r == 'W':
			n += 0.9
		case r >= 'A' && r <= 'Z':
			n += 0.72
		default:
			n += 0.62
		}
	}
	return n * font
}

//go:embed worldmap.svg
var worldMapSVG string

var worldMapTmpl = template.Must(template.New("worldmap").Parse(strings.TrimSuffix(worldMapSVG, "\n")))

// mapView is what worldmap.svg writes: the map's geometry, worked out in HTML.
type mapView struct {
	ID, Title, Desc, VB, PW, PH, Role, Class string
	Radius, FontSize                         string
	CountryStroke, PointStroke, LabelStroke  string
	Countries                                template.HTML // from countryPaths
	Areas                                    []areaView
	Points                                   []pointView
	Labels                                   []labelView
	Marks                                    []markView
	MarkRadius                               string
	// Points, Labels and Marks as written (see svgwrite.go).
	PointsHTML, LabelsHTML, MarksHTML template.HTML
}

type markView struct{ X, Y, TY, N string }

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

type areaView struct{ Key, Href, Title, X, Y, W, H string }

type labelView struct{ X, Y, Anchor, Text string }

type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
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
	if s[0] == '/' && !strings.HasPrefix(s, "//") && !strings.Contains(s, "%") {
		return s, true // a path: url.Parse finds neither a scheme nor an error
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
// pts are m's points as prepared. The hash is FNV-1a (64 bits) of each
// string followed by a zero byte.
func mapID(m Map, pts []*placed) string {
	h := uint64(14695981039346656037)
	write := func(s string) {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
		h *= 1099511628211 // the zero byte
	}
	write(m.Title)
	write(m.Desc)
	for _, a := range m.Areas {
		write(a.Href)
	}
	for _, p := range pts {
		write(p.lat)
		write(p.lon)
		write(p.p.Label)
		write(p.p.Href)
		write(p.p.Country)
		write(p.p.Class)
	}
	return "worldmap-" + strconv.FormatUint(h, 36)
}

// numFine formats a small length with three decimals.
func numFine(v float64) string {
	return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 3, 64), "0"), ".")
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
