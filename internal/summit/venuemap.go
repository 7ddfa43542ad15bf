package summit

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// venueMap draws the venues as numbered points on a small plan (north up,
// to scale, with a scale bar), the numbers matching the venue list. The
// world map would put them all on one pixel; this shows how far apart
// they are. Escaped text only, no styles or scripts: safe under the CSP.
func venueMap(title, lang, source string, venues []Venue) template.HTML {
	type pt struct {
		n        int
		lat, lon float64
		label    string
	}
	var pts []pt
	for i, v := range venues {
		if v.Lat != nil && v.Lon != nil {
			pts = append(pts, pt{i + 1, *v.Lat, *v.Lon, v.Name.Get(lang, source)})
		}
	}
	if len(pts) == 0 {
		return ""
	}
	const w, h, pad = 480.0, 260.0, 40.0
	lat0 := 0.0
	for _, p := range pts {
		lat0 += p.lat
	}
	lat0 /= float64(len(pts))
	// Metres east and north of the first point (equirectangular; exact enough within a city).
	const r = 6371000.0
	k := math.Cos(lat0 * math.Pi / 180)
	xy := func(p pt) (float64, float64) {
		return (p.lon - pts[0].lon) * math.Pi / 180 * r * k, (p.lat - pts[0].lat) * math.Pi / 180 * r
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		x, y := xy(p)
		minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
	}
	spanX, spanY := math.Max(maxX-minX, 200), math.Max(maxY-minY, 200)
	scale := math.Min((w-2*pad)/spanX, (h-2*pad)/spanY) // px per metre
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	var b strings.Builder
	id := "venue-map-title"
	fmt.Fprintf(&b, `<svg class="venue-map" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, id)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, html.EscapeString(title))
	fmt.Fprintf(&b, `<rect class="venue-map-bg" x="0" y="0" width="%.0f" height="%.0f" fill="#eef3f7" rx="6"/>`, w, h)
	// A scale bar of a round length close to a quarter of the plan.
	target := (w / 4) / scale
	bar := 50.0
	for _, m := range []float64{50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000} {
		if m <= target {
			bar = m
		}
	}
	label := fmt.Sprintf("%.0f m", bar)
	if bar >= 1000 {
		label = strings.TrimSuffix(fmt.Sprintf("%.1f", bar/1000), ".0") + " km"
	}
	bx, by := 16.0, h-16
	fmt.Fprintf(&b, `<g class="venue-map-scale"><path d="M%.1f %.1fv-5h%.1fv5" fill="none" stroke="#566070" stroke-width="1.5"/>`, bx, by, bar*scale)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#566070">%s</text></g>`, bx+bar*scale+6, by, label)
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="12" fill="#566070" text-anchor="end" aria-hidden="true">N ↑</text>`, w-14)
	// Venues next door to each other (a concert hall and a museum on one
	// square) would hide one another: each point that lands on an earlier
	// one moves down until it is clear.
	type placed struct{ x, y float64 }
	var done []placed
	for _, p := range pts {
		x, y := xy(p)
		px, py := w/2+(x-cx)*scale, h/2-(y-cy)*scale
		for moved := true; moved; {
			moved = false
			for _, q := range done {
				if math.Hypot(px-q.x, py-q.y) < 24 {
					py, moved = q.y+24, true
				}
			}
		}
		done = append(done, placed{px, py})
		fmt.Fprintf(&b, `<g class="venue-map-point"><circle cx="%.1f" cy="%.1f" r="11" fill="#0b5c8e"/>`, px, py)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">%d</text>`, px, py+4, p.n)
		anchor, dx := "start", 15.0
		if px > w*0.6 {
			anchor, dx = "end", -15
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1d2430" text-anchor="%s">%s</text></g>`, px+dx, py+4, anchor, html.EscapeString(p.label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
