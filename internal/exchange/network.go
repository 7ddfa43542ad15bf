package exchange

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tally is one count in a figure.
type Tally struct {
	Key   string
	Label string
	Count int
}

// Figures are the counts of what travelled, from public exchanges only.
type Figures struct {
	Exchanges int
	Adopted   int
	Cities    int
	ByTheme   []Tally
	ByRegion  []Tally // an exchange counts for each region it touches
	ByKind    []Tally
}

// figuresOf counts the public exchanges in list; name gives labels.
func figuresOf(list []*Exchange, name func(kind, key string) string) Figures {
	var f Figures
	themes, regions, kinds := map[string]int{}, map[string]int{}, map[string]int{}
	cities := map[int64]bool{}
	for _, e := range list {
		f.Exchanges++
		if e.State == Adopted {
			f.Adopted++
		}
		cities[e.From.ID], cities[e.To.ID] = true, true
		for _, t := range e.Themes {
			themes[t]++
		}
		regions[e.From.Continent]++
		if e.To.Continent != e.From.Continent {
			regions[e.To.Continent]++
		}
		kinds[e.Kind]++
	}
	f.Cities = len(cities)
	f.ByTheme = tallies(themes, "theme", name)
	f.ByRegion = tallies(regions, "region", name)
	f.ByKind = tallies(kinds, "kind", name)
	return f
}

func tallies(m map[string]int, kind string, name func(kind, key string) string) []Tally {
	var out []Tally
	for k, n := range m {
		out = append(out, Tally{Key: k, Label: name(kind, k), Count: n})
	}
	slices.SortFunc(out, func(a, b Tally) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Label, b.Label)
	})
	return out
}

// Edge is one pair of cities and how many public exchanges went between
// them (in either direction).
type Edge struct {
	A, B  City
	Count int
}

// edgesOf groups exchanges by pair of cities.
func edgesOf(list []*Exchange) []Edge {
	at := map[[2]int64]int{}
	var out []Edge
	for _, e := range list {
		a, b := e.From, e.To
		if a.ID > b.ID {
			a, b = b, a
		}
		k := [2]int64{a.ID, b.ID}
		if i, ok := at[k]; ok {
			out[i].Count++
			continue
		}
		at[k] = len(out)
		out = append(out, Edge{A: a, B: b, Count: 1})
	}
	return out
}

// networkSVG draws the cities around a circle, grouped by region, and a
// curve for each pair that exchanged, thicker for more exchanges. The
// drawing scales to the width of a phone; the page lists the same pairs
// in a table with links to the cities, which is what screen readers and
// copy-paste use (an image holds no links).
func networkSVG(title, desc, lang string, edges []Edge) template.HTML {
	seen := map[int64]bool{}
	var cities []City
	for _, e := range edges {
		for _, c := range []City{e.A, e.B} {
			if !seen[c.ID] {
				seen[c.ID] = true
				cities = append(cities, c)
			}
		}
	}
	if len(cities) == 0 {
		return ""
	}
	slices.SortFunc(cities, func(a, b City) int {
		if a.Continent != b.Continent {
			return cmp.Compare(a.Continent, b.Continent)
		}
		return cmp.Compare(a.In(lang), b.In(lang))
	})
	// The frame fits the drawing and its labels (their width estimated from
	// their length), so that on a phone's width the names stay readable.
	const r, font = 95.0, 14.0
	pos := map[int64][2]float64{}
	type label struct {
		x, y   float64
		anchor string
	}
	labels := map[int64]label{}
	x0, y0, x1, y1 := -r-8, -r-8, r+8, r+8
	for i, city := range cities {
		a := 2*math.Pi*float64(i)/float64(len(cities)) - math.Pi/2
		pos[city.ID] = [2]float64{r * math.Cos(a), r * math.Sin(a)}
		l := label{x: (r + 10) * math.Cos(a), y: (r+10)*math.Sin(a) + font/3, anchor: "start"}
		w := float64(utf8.RuneCountInString(city.In(lang))) * font * 0.6
		lx0, lx1 := l.x, l.x+w
		switch {
		case math.Cos(a) < -0.2:
			l.anchor, lx0, lx1 = "end", l.x-w, l.x
		case math.Cos(a) <= 0.2:
			l.anchor, lx0, lx1 = "middle", l.x-w/2, l.x+w/2
			if math.Sin(a) < 0 {
				l.y -= font / 2
			} else {
				l.y += font / 2
			}
		}
		labels[city.ID] = l
		x0, x1 = math.Min(x0, lx0), math.Max(x1, lx1)
		y0, y1 = math.Min(y0, l.y-font), math.Max(y1, l.y+4)
	}
	h := fnv.New64a()
	h.Write([]byte(title))
	for _, e := range edges {
		fmt.Fprintf(h, "|%d-%d-%d", e.A.ID, e.B.ID, e.Count)
	}
	id := "net-" + strconv.FormatUint(h.Sum64(), 36)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="exchange-network" viewBox="%.0f %.0f %.0f %.0f" role="img" aria-labelledby="%s-t" aria-describedby="%s-d">`,
		x0-4, y0-4, x1-x0+8, y1-y0+8, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`+"\n", id, html.EscapeString(title), id, html.EscapeString(desc))
	b.WriteString(`<g class="links" fill="none" stroke="#0b5c8e" stroke-opacity="0.6">` + "\n")
	for _, e := range edges {
		p, q := pos[e.A.ID], pos[e.B.ID]
		// A curve bent towards the centre: chords between neighbours stay short.
		cx, cy := (p[0]+q[0])/2*0.4, (p[1]+q[1])/2*0.4
		w := math.Min(2+float64(e.Count-1)*1.5, 8)
		fmt.Fprintf(&b, `<path d="M%.1f %.1fQ%.1f %.1f %.1f %.1f" stroke-width="%.1f"/>`+"\n", p[0], p[1], cx, cy, q[0], q[1], w)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g class="cities" font-size="%.0f" fill="#1d2430">`+"\n", font)
	for _, city := range cities {
		p, l := pos[city.ID], labels[city.ID]
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="#0b5c8e"/><text x="%.1f" y="%.1f" text-anchor="%s">%s</text>`+"\n",
			p[0], p[1], l.x, l.y, l.anchor, html.EscapeString(city.In(lang)))
	}
	b.WriteString("</g></svg>")
	return template.HTML(b.String())
}
