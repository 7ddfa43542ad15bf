package summit

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"strings"

	"observatory/internal/geo"
)

//go:embed venuemap.svg
var venueMapSVG string

var venueMapTmpl = template.Must(template.New("venuemap").Parse(strings.TrimSuffix(venueMapSVG, "\n")))

// venuePlan is the plan's geometry, worked out in venueMap and written by
// venuemap.svg; coordinates are already written as the SVG wants them.
type venuePlan struct {
	W, H, Title               string
	ScalePath, ScaleX, ScaleY string
	ScaleLabel, NorthX        string
	Points                    []venuePoint
}

type venuePoint struct {
	X, Y, NumY, LabelX string
	N                  int
	Anchor, Label      string
}

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
	const w, h, pad = 360.0, 240.0, 30.0
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
	f1 := func(v float64) string { return fmt.Sprintf("%.1f", v) }
	f0 := func(v float64) string { return fmt.Sprintf("%.0f", v) }
	plan := venuePlan{W: f0(w), H: f0(h), Title: title}
	// A scale bar of a round length close to a quarter of the plan.
	target := (w / 4) / scale
	bar := 50.0
	for _, m := range []float64{50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000} {
		if m <= target {
			bar = m
		}
	}
	plan.ScaleLabel = fmt.Sprintf("%.0f m", bar)
	if bar >= 1000 {
		plan.ScaleLabel = strings.TrimSuffix(fmt.Sprintf("%.1f", bar/1000), ".0") + " km"
	}
	bx, by := 16.0, h-16
	plan.ScalePath = fmt.Sprintf("M%.1f %.1fv-5h%.1fv5", bx, by, bar*scale)
	plan.ScaleX, plan.ScaleY, plan.NorthX = f1(bx+bar*scale+6), f1(by), f0(w-14)
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
		py = math.Min(py, h-12)
		done = append(done, placed{px, py})
		// The label stays inside the plan: on the side with room, shortened
		// if neither has room (the list under the plan names it in full).
		lx, anchor, label := geo.FitLabel(p.label, px, 11, 12, w)
		plan.Points = append(plan.Points, venuePoint{X: f1(px), Y: f1(py), NumY: f1(py + 4), LabelX: f1(lx), N: p.n, Anchor: anchor, Label: label})
	}
	var b bytes.Buffer
	if err := venueMapTmpl.Execute(&b, plan); err != nil {
		// Only a broken venuemap.svg fails, and the summit page's tests show it.
		panic(err)
	}
	return template.HTML(b.String())
}
