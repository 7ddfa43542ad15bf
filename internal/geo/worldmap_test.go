package geo

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"
)

var samplePoints = []Point{
	{Lat: 51.2277, Lon: 6.7735, Label: "Düsseldorf", Href: "/en/cities/1-dusseldorf", Country: "DE", Class: "member"},
	{Lat: 45.5019, Lon: -73.5674, Label: "Montréal", Href: "/en/cities/2-montreal", Country: "CA"},
	{Lat: 12.3714, Lon: -1.5197, Label: "Ouagadougou", Href: "/en/cities/3-ouagadougou", Country: "BF"},
	{Lat: 23.8103, Lon: 90.4125, Label: "Dhaka", Href: "/en/cities/4-dhaka", Country: "BD"},
	{Lat: -33.8688, Lon: 151.2093, Label: "Sydney", Href: "/en/cities/5-sydney", Country: "AU"},
}

// svgElement is just enough of the SVG tree to assert what a screen reader
// and a keyboard user get.
type svgElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr   `xml:",any,attr"`
	Text     string       `xml:",chardata"`
	Children []svgElement `xml:",any"`
}

func (e svgElement) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (e svgElement) walk(f func(svgElement)) {
	f(e)
	for _, c := range e.Children {
		c.walk(f)
	}
}

func parseSVG(t *testing.T, s string) svgElement {
	t.Helper()
	var root svgElement
	if err := xml.Unmarshal([]byte(s), &root); err != nil {
		t.Fatalf("map is not well-formed XML: %v", err)
	}
	// Also walk the raw tokens, which rejects trailing garbage.
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("token: %v", err)
		}
	}
	return root
}

func TestWorldMapAccessibleStructure(t *testing.T) {
	out := string(worldMap("Member cities", samplePoints))
	root := parseSVG(t, out)
	if root.XMLName.Local != "svg" || root.attr("role") != "group" {
		t.Fatalf("root %s role=%q", root.XMLName.Local, root.attr("role"))
	}
	if !strings.HasPrefix(root.attr("viewBox"), "0 0 1000 ") {
		t.Errorf("viewBox %q", root.attr("viewBox"))
	}
	ids := map[string]string{}
	root.walk(func(e svgElement) {
		if id := e.attr("id"); id != "" {
			ids[id] = e.XMLName.Local + ":" + e.Text
		}
	})
	if got := ids[root.attr("aria-labelledby")]; got != "title:Member cities" {
		t.Errorf("aria-labelledby points at %q", got)
	}
	if got := ids[root.attr("aria-describedby")]; !strings.HasPrefix(got, "desc:Düsseldorf, Montréal") {
		t.Errorf("aria-describedby points at %q", got)
	}

	var links, paths, labels int
	highlighted := map[string]bool{}
	root.walk(func(e svgElement) {
		switch e.XMLName.Local {
		case "a":
			links++
			var title string
			var circle bool
			for _, c := range e.Children {
				if c.XMLName.Local == "title" {
					title = c.Text
				}
				circle = circle || c.XMLName.Local == "circle"
			}
			if title == "" || !circle || !strings.HasPrefix(e.attr("href"), "/en/cities/") {
				t.Errorf("link %q: title %q, circle %v", e.attr("href"), title, circle)
			}
		case "path":
			paths++
			if strings.Contains(e.attr("class"), "has-point") {
				highlighted[e.attr("data-country")] = true
			}
		case "text":
			labels++
		}
		if e.attr("style") != "" || e.XMLName.Local == "script" || e.XMLName.Local == "style" {
			t.Errorf("inline style or script in %s", e.XMLName.Local)
		}
	})
	if links != len(samplePoints) {
		t.Errorf("%d links, want %d", links, len(samplePoints))
	}
	if paths < 170 {
		t.Errorf("%d country paths", paths)
	}
	if labels != len(samplePoints) {
		t.Errorf("%d visible labels, want %d", labels, len(samplePoints))
	}
	for _, c := range []string{"DE", "CA", "BF", "BD", "AU"} {
		if !highlighted[c] {
			t.Errorf("%s not highlighted", c)
		}
	}
	if len(highlighted) != 5 {
		t.Errorf("highlighted %v", highlighted)
	}
	if !strings.Contains(out, `class="point member"`) {
		t.Error("point class missing")
	}
}

func TestWorldMapWithoutLinksIsAnImage(t *testing.T) {
	root := parseSVG(t, string(worldMap("Where we are", []Point{{Lat: 48.85, Lon: 2.35, Label: "Paris"}})))
	if root.attr("role") != "img" {
		t.Errorf("role %q, want img", root.attr("role"))
	}
	empty := parseSVG(t, string(worldMap("Nothing yet", nil)))
	if empty.attr("role") != "img" || empty.attr("aria-describedby") != "" {
		t.Errorf("empty map: role %q describedby %q", empty.attr("role"), empty.attr("aria-describedby"))
	}
}

func TestWorldMapEscapes(t *testing.T) {
	evil := `<script>alert("x")</script> & 'Ü'`
	out := string(worldMap(evil, []Point{
		{Lat: 1, Lon: 1, Label: evil, Href: `/x?a=1&b="2"`, Class: `ok " onmouseover=x bad<`},
		{Lat: 2, Lon: 2, Label: "js", Href: "javascript:alert(1)"},
		{Lat: 3, Lon: 3, Label: "js2", Href: "java\tscript:alert(1)"},
		{Lat: 4, Lon: 4, Label: "data", Href: "data:text/html,hi"},
		{Lat: 5, Lon: 5, Label: "web", Href: "https://example.org/a b"},
	}))
	for _, bad := range []string{"<script", "javascript", "data:", "onmouseover", "bad<", `"2"`} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	root := parseSVG(t, out)
	var texts []string
	var hrefs []string
	root.walk(func(e svgElement) {
		if e.XMLName.Local == "title" {
			texts = append(texts, e.Text)
		}
		if e.XMLName.Local == "a" {
			hrefs = append(hrefs, e.attr("href"))
		}
	})
	if texts[0] != evil || texts[1] != evil {
		t.Errorf("titles %q", texts)
	}
	if fmt.Sprint(hrefs) != `[/x?a=1&b=%222%22]` { // html/template writes the quotes percent-encoded
		t.Errorf("links %q", hrefs)
	}
	if !strings.Contains(out, `class="point ok"`) {
		t.Error("safe class token dropped")
	}
}

func TestWorldMapDeterministic(t *testing.T) {
	pts := manyPoints(50)
	a, b := worldMap("Network", pts), worldMap("Network", pts)
	if a != b {
		t.Fatal("same input, different output")
	}
	if c := worldMap("Network 2", pts); c == a {
		t.Fatal("different title, same output")
	}
}

func TestWorldMapManyPointsHaveNoVisibleLabels(t *testing.T) {
	out := string(worldMap("Network", manyPoints(MaxVisibleLabels+1)))
	if strings.Contains(out, "<text") {
		t.Error("visible labels above MaxVisibleLabels")
	}
	if n := strings.Count(out, "<title>"); n != MaxVisibleLabels+1 { // the map's own title has an id
		t.Errorf("%d point titles, want %d", n, MaxVisibleLabels+1)
	}
	out = string(worldMap("Network", manyPoints(MaxVisibleLabels)))
	if !strings.Contains(out, "<text") {
		t.Error("no visible labels at MaxVisibleLabels")
	}
}

func TestWorldMapSkipsInvalidCoordinates(t *testing.T) {
	out := string(worldMap("x", []Point{{Lat: 91, Lon: 0, Label: "north"}, {Lat: 0, Lon: 181, Label: "east"}}))
	if strings.Contains(out, "<circle") || strings.Contains(out, "NaN") {
		t.Error("drew an invalid point")
	}
}

func manyPoints(n int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		lat := -40 + float64(i*37%90)
		lon := -170 + float64(i*73%340)
		pts[i] = Point{
			Lat: lat, Lon: lon,
			Label:   fmt.Sprintf("City %d", i),
			Href:    fmt.Sprintf("/en/cities/%d-city", i),
			Country: Countries()[i*7%250],
		}
	}
	return pts
}

func BenchmarkWorldMap50(b *testing.B) {
	pts := manyPoints(50)
	size := len(worldMap("Network", pts))
	b.ReportAllocs()
	for b.Loop() {
		worldMap("Network", pts)
	}
	b.ReportMetric(float64(size), "bytes/map")
}

func worldMap(title string, points []Point) template.HTML {
	return Map{Title: title, Points: points}.HTML()
}
