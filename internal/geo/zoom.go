package geo

import (
	"html/template"
	"math"
	"slices"
	"strconv"
)

// A zoomed map is drawn for a natural width of ZoomWidth CSS pixels, with
// labels of ZoomFont pixels: on a phone 375 pixels wide it shrinks only a
// little, so its labels stay readable.
const (
	ZoomWidth  = 340
	ZoomFont   = 12.5
	zoomRadius = 5
	// zoomMinSpan is the smallest width of a zoomed map in the world map's
	// coordinates, so that one city alone still shows its surroundings.
	zoomMinSpan = 60
)

// name is the point's visible label.
func (p Point) name() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Label
}

// Zoom draws the part of the world around the map's points, labelled with
// their names clear of each other; points too close to tell apart share one
// dot and one label. It is as safe to embed as HTML.
func (m Map) Zoom() template.HTML {
	pts := m.prepare()
	fr, ok := zoomFrame(pts)
	if !ok {
		fr = worldFrame()
	}
	return m.render(fr, pts)
}

// zoomFrame is the part of the world around the points, drawn ZoomWidth
// pixels wide; false when no point has a place.
func zoomFrame(pts []*placed) (frame, bool) {
	var x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	n := 0
	for _, p := range pts {
		if !p.ok {
			continue
		}
		x, y := p.x, p.y
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
		n++
	}
	if n == 0 {
		return frame{}, false
	}
	wd := loadWorld().data
	// Room around the points for their labels, then a shape between
	// landscape and a little taller than wide.
	w := math.Max((x1-x0)*1.5, zoomMinSpan)
	h := math.Max((y1-y0)*1.3, w*0.55)
	if h > w*1.25 {
		w = h / 1.25
	}
	w, h = math.Min(w, wd.Width), math.Min(h, wd.Height)
	cx, cy := (x0+x1)/2, (y0+y1)/2
	fx := math.Max(0, math.Min(cx-w/2, wd.Width-w))
	fy := math.Max(0, math.Min(cy-h/2, wd.Height-h))
	k := w / ZoomWidth // world units per CSS pixel
	return frame{x: fx, y: fy, w: w, h: h, radius: zoomRadius * k, font: ZoomFont * k, px: ZoomWidth,
		maxLabels: math.MaxInt, cluster: true, class: "zoom", only: []outline{}}, true
}

// Region is the part of a map on one continent, zoomed.
type Region struct {
	Continent string // the continent key
	Count     int    // its points
	Map       template.HTML
	// X, Y, W, H is the zoomed map's frame in the world map's coordinates.
	X, Y, W, H float64
}

// Area is a part of the world map that links to a closer look at it, such
// as a Region's own map: the way in to zoom without any script.
type Area struct {
	Key        string // names the area to scripts (data-region), e.g. the continent
	Href       string
	Title      string // the link's accessible name
	X, Y, W, H float64
}

// Area is the region's frame on the world map, linking to href.
func (r Region) Area(href, title string) Area {
	return Area{Key: r.Continent, Href: href, Title: title, X: r.X, Y: r.Y, W: r.W, H: r.H}
}

// Regions splits the map by the continents of its points' countries and
// zooms into each, in the order of Continents; title names a region's map.
func (m Map) Regions(title func(continent string, count int) string) []Region {
	return regions(m.prepare(), title)
}

// WithRegions draws the map (as HTML) and its Regions, the points worked
// out once for all of them: each region's frame on the map is the Area
// that area makes of it.
func (m Map) WithRegions(title func(continent string, count int) string, area func(Region) Area) (template.HTML, []Region) {
	pts := m.prepare()
	rs := regions(pts, title)
	m.Areas = slices.Clip(m.Areas)
	for _, r := range rs {
		m.Areas = append(m.Areas, area(r))
	}
	return m.render(worldFrame(), pts), rs
}

func regions(pts []*placed, title func(continent string, count int) string) []Region {
	by := map[string][]*placed{}
	for _, p := range pts {
		c := Continent(p.p.Country)
		if c == "" || !p.ok {
			continue
		}
		by[c] = append(by[c], p)
	}
	var out []Region
	for _, c := range Continents() {
		in := by[c]
		if len(in) == 0 {
			continue
		}
		fr, _ := zoomFrame(in)
		rm := Map{Title: title(c, len(in))}
		out = append(out, Region{Continent: c, Count: len(in), Map: rm.render(fr, in), X: fr.x, Y: fr.y, W: fr.w, H: fr.h})
	}
	return out
}

// bounds is an outline's bounding box, read from its path (M absolute, l
// relative, z closing).
func (o outline) bounds() box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var x, y, sx, sy float64
	cmd := byte(0)
	nums := make([]float64, 0, 2)
	flush := func() {
		if len(nums) < 2 {
			return
		}
		if cmd == 'M' {
			x, y = nums[0], nums[1]
			sx, sy = x, y
			cmd = 'l' // further pairs after M are relative lines in this data
		} else {
			x, y = x+nums[0], y+nums[1]
		}
		b.x0, b.y0, b.x1, b.y1 = math.Min(b.x0, x), math.Min(b.y0, y), math.Max(b.x1, x), math.Max(b.y1, y)
		nums = nums[:0]
	}
	d := o.d
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == 'M' || c == 'l':
			cmd = c
			i++
		case c == 'z' || c == 'Z':
			x, y = sx, sy
			i++
		case c == ' ' || c == ',':
			i++
		default:
			j, dot := i, false
			if d[j] == '-' {
				j++
			}
			for j < len(d) && (d[j] >= '0' && d[j] <= '9' || d[j] == '.' && !dot) {
				dot = dot || d[j] == '.'
				j++
			}
			v, err := strconv.ParseFloat(d[i:j], 64)
			if err != nil || j == i {
				// Not this data's path syntax: draw it everywhere.
				return box{math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)}
			}
			nums = append(nums, v)
			if len(nums) == 2 {
				flush()
			}
			i = j
		}
	}
	return b
}

// within reports whether the outline reaches into the frame.
func (o outline) within(fr frame) bool {
	return o.box.overlaps(box{fr.x, fr.y, fr.x + fr.w, fr.y + fr.h})
}

// FitLabel places a label of the font size beside a point of radius r at
// (x, y) inside a frame w wide: right of it, else left of it, else shortened
// with an ellipsis on the side with more room. It returns the text's x, its
// anchor ("start" or "end") and the text to draw.
func FitLabel(text string, px, r, font, w float64) (lx float64, anchor, out string) {
	gap := r + font*0.3
	room := func(avail float64) string {
		if labelWidth(text, font) <= avail {
			return text
		}
		runes := []rune(text)
		for n := len(runes) - 1; n > 0; n-- {
			if t := string(runes[:n]) + "…"; labelWidth(t, font) <= avail {
				return t
			}
		}
		return ""
	}
	right, left := w-(px+gap)-2, px-gap-2
	if t := room(right); t == text {
		return px + gap, "start", t
	}
	if t := room(left); t == text {
		return px - gap, "end", t
	}
	if right >= left {
		return px + gap, "start", room(right)
	}
	return px - gap, "end", room(left)
}
