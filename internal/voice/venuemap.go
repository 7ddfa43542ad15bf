package voice

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"observatory/internal/geo"
)

// CityMap draws a consultation's venues as an inline SVG on a local map of
// the few kilometres around them (the world map would put every venue of
// one city on the same dot). Like geo.Map: escaped text, no styles, no
// scripts, an image with a title for assistive technology.
func CityMap(title string, pts []geo.Point) template.HTML {
	const w, h, pad = 360.0, 240.0, 30.0
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, p := range pts {
		minLat, maxLat = math.Min(minLat, p.Lat), math.Max(maxLat, p.Lat)
		minLon, maxLon = math.Min(minLon, p.Lon), math.Max(maxLon, p.Lon)
	}
	midLat := (minLat + maxLat) / 2
	kx := math.Cos(midLat * math.Pi / 180) // a degree of longitude is shorter away from the equator
	spanX := math.Max((maxLon-minLon)*kx, 0.01)
	spanY := math.Max(maxLat-minLat, 0.01)
	scale := math.Min((w-2*pad)/spanX, (h-2*pad)/spanY)
	cx, cy := (minLon+maxLon)/2, midLat
	var b strings.Builder
	b.WriteString(`<svg class="venue-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 240" role="img" aria-labelledby="venue-map-title">`)
	b.WriteString(`<title id="venue-map-title">` + html.EscapeString(title) + `</title>`)
	b.WriteString(`<rect x="0" y="0" width="360" height="240" fill="#eef3f6"/>`)
	for i := 1; i < 6; i++ {
		x := strconv.Itoa(i * 60)
		b.WriteString(`<line x1="` + x + `" y1="0" x2="` + x + `" y2="240" stroke="#d5dee4"/>`)
	}
	for i := 1; i < 4; i++ {
		y := strconv.Itoa(i * 60)
		b.WriteString(`<line x1="0" y1="` + y + `" x2="360" y2="` + y + `" stroke="#d5dee4"/>`)
	}
	for n, p := range pts {
		x := w/2 + (p.Lon-cx)*kx*scale
		y := h/2 - (p.Lat-cy)*scale
		xs, ys := strconv.FormatFloat(x, 'f', 1, 64), strconv.FormatFloat(y, 'f', 1, 64)
		b.WriteString(`<g class="venue"><circle cx="` + xs + `" cy="` + ys + `" r="7" fill="#0b5c8e" stroke="#fff" stroke-width="2"/>`)
		b.WriteString(`<text x="` + xs + `" y="` + strconv.FormatFloat(y+4, 'f', 1, 64) + `" text-anchor="middle" font-size="9" fill="#fff">` + strconv.Itoa(n+1) + `</text>`)
		lx, anchor, label := geo.FitLabel(p.Label, x, 7, 12, w)
		b.WriteString(`<text x="` + strconv.FormatFloat(lx, 'f', 1, 64) + `" y="` + strconv.FormatFloat(y+4, 'f', 1, 64) + `" text-anchor="` + anchor +
			`" font-size="12" fill="#1a1a1a">` + html.EscapeString(label) + `</text></g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
