package geo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// Eighteen European members, as crowded as the network's: every one is
// named, by a label or by a number listed under the map, and no two labels
// overlap or leave the frame.
func TestZoomNamesEveryCrowdedPoint(t *testing.T) {
	cities := []struct {
		name     string
		lat, lon float64
	}{
		{"Düsseldorf", 51.2277, 6.7735}, {"Arnhem", 51.9851, 5.8987}, {"Venlo", 51.3704, 6.1724}, {"Chemnitz", 50.8278, 12.9214},
		{"Hamburg", 53.5511, 9.9937}, {"Reading", 51.4543, -0.9781}, {"Glasgow", 55.8642, -4.2518}, {"Sceaux", 48.7779, 2.2903},
		{"Strasbourg", 48.5734, 7.7521}, {"Toulouse", 43.6047, 1.4442}, {"Málaga", 36.7213, -4.4214}, {"Palermo", 38.1157, 13.3615},
		{"Vienna", 48.2082, 16.3738}, {"Warsaw", 52.2297, 21.0122}, {"Mostar", 43.3438, 17.8078}, {"Bijeljina", 44.7587, 19.2144},
		{"Chernivtsi", 48.2921, 25.9358}, {"Moscow", 55.7558, 37.6173},
	}
	var pts []Point
	for _, c := range cities {
		pts = append(pts, Point{Lat: c.lat, Lon: c.lon, Label: c.name + ", Europe", Name: c.name, Country: "DE", Href: "/x"})
	}
	out := string(Map{Title: "Europe", Points: pts}.Zoom())
	svgEnd := strings.Index(out, "</svg>") + len("</svg>")
	root := parseSVG(t, out[:svgEnd])
	if root.attr("width") != strconv.Itoa(ZoomWidth) || !strings.Contains(root.attr("class"), "zoom") {
		t.Errorf("zoomed map: width %q class %q", root.attr("width"), root.attr("class"))
	}
	var vb [4]float64
	for i, f := range strings.Fields(root.attr("viewBox")) {
		vb[i], _ = strconv.ParseFloat(f, 64)
	}
	font := vb[2] / ZoomWidth * ZoomFont
	var boxes []box
	var named []string
	root.walk(func(e svgElement) {
		if e.XMLName.Local != "g" || e.attr("class") != "worldmap-labels" {
			return
		}
		for _, tx := range e.Children {
			x, _ := strconv.ParseFloat(tx.attr("x"), 64)
			y, _ := strconv.ParseFloat(tx.attr("y"), 64)
			w := labelWidth(tx.Text, font)
			switch tx.attr("text-anchor") {
			case "end":
				x -= w
			case "middle":
				x -= w / 2
			}
			b := box{x, y - font*0.85, x + w, y + font*0.15}
			if b.x0 < vb[0] || b.y0 < vb[1] || b.x1 > vb[0]+vb[2] || b.y1 > vb[1]+vb[3] {
				t.Errorf("label %q leaves the frame: %v in %v", tx.Text, b, vb)
			}
			for i, o := range boxes {
				if b.overlaps(o) {
					t.Errorf("label %q overlaps %q", tx.Text, named[i])
				}
			}
			boxes = append(boxes, b)
			named = append(named, tx.Text)
		}
	})
	all := strings.Join(named, ", ") + out[svgEnd:] // the labels and the numbered list
	for _, c := range cities {
		if !strings.Contains(all, c.name) {
			t.Errorf("%s is not named: %s", c.name, all)
		}
	}
	if len(named) < 10 {
		t.Errorf("only %d labels on the map: %v", len(named), named)
	}
}

func TestFitLabelStaysInside(t *testing.T) {
	for _, c := range []struct {
		text string
		x    float64
	}{{"Stadthalle", 10}, {"Stadthalle", 350}, {"Exhibition hall of the central library and archive", 180}} {
		lx, anchor, out := FitLabel(c.text, c.x, 7, 12, 360)
		w := labelWidth(out, 12)
		x0 := lx
		if anchor == "end" {
			x0 = lx - w
		}
		if x0 < 0 || x0+w > 360 || out == "" {
			t.Errorf("%q at %g: %q from %g to %g", c.text, c.x, out, x0, x0+w)
		}
	}
}

// The world map links each region's frame to its zoomed map, so that it
// can be zoomed without a script; a link with an unsafe address is left out.
func TestAreasLinkRegions(t *testing.T) {
	m := Map{Title: "Members", Points: []Point{{Lat: 51.2277, Lon: 6.7735, Label: "Düsseldorf", Country: "DE"}, {Lat: 45.5, Lon: -73.6, Label: "Montréal", Country: "CA"}}}
	regions := m.Regions(func(c string, n int) string { return c })
	if len(regions) != 2 || regions[0].W <= 0 || regions[0].H <= 0 {
		t.Fatalf("regions: %+v", regions)
	}
	for _, r := range regions {
		m.Areas = append(m.Areas, r.Area("#map-"+r.Continent, "Zoom into "+r.Continent))
	}
	m.Areas = append(m.Areas, Area{Key: "x", Href: "javascript:alert(1)", Title: "bad", W: 10, H: 10})
	out := string(m.HTML())
	root := parseSVG(t, out)
	if root.attr("role") != "group" {
		t.Errorf("a map with links has role %q", root.attr("role"))
	}
	var found []string
	root.walk(func(e svgElement) {
		if e.XMLName.Local == "a" && e.attr("class") == "area" {
			found = append(found, e.attr("href")+" "+e.attr("data-region")+" "+e.attr("aria-label"))
		}
	})
	want := []string{"#map-north-america north-america Zoom into north-america", "#map-europe europe Zoom into europe"} // in the order of Continents
	if strings.Join(found, "|") != strings.Join(want, "|") {
		t.Errorf("areas %q, want %q", found, want)
	}
	if strings.Contains(out, "javascript") {
		t.Error("an unsafe area link was drawn")
	}
	if z := string(Map{Points: m.Points, Areas: m.Areas}.Zoom()); strings.Contains(z, `class="area"`) {
		t.Error("a zoomed map draws areas")
	}
}

// landPoints are n linked points on land (in their country's frame), half
// of them in Europe, as crowded as a network of a thousand cities.
func landPoints(n int) []Point {
	rng := rand.New(rand.NewPCG(1, 2))
	w := loadWorld()
	var pts []Point
	for len(pts) < n {
		lat, lon := rng.Float64()*130-55, rng.Float64()*360-180
		if len(pts)%2 == 0 {
			lat, lon = 36+rng.Float64()*24, -9+rng.Float64()*39
		}
		x, y := Project(lat, lon)
		for _, o := range w.outlines {
			if o.box.overlaps(box{x, y, x, y}) && Continent(o.alpha2) != "" {
				name := fmt.Sprintf("City %d", len(pts))
				pts = append(pts, Point{Lat: lat, Lon: lon, Label: name + ", " + o.alpha2, Name: name,
					Href: fmt.Sprintf("/en/cities/%d-city", len(pts)), Country: o.alpha2, Class: "member"})
				break
			}
		}
	}
	return pts
}

// The world map with its regions at a thousand cities, as the directory
// draws it:
//
//	go test ./internal/geo/ -run '^$' -bench WithRegions -benchmem
func BenchmarkWithRegions1000(b *testing.B) {
	m := Map{Title: "Members", Desc: "Where they are", Points: landPoints(1000)}
	title := func(c string, n int) string { return c + " (" + strconv.Itoa(n) + ")" }
	area := func(r Region) Area { return r.Area("#map-"+r.Continent, r.Continent) }
	b.ReportAllocs()
	for b.Loop() {
		m.WithRegions(title, area)
	}
}
