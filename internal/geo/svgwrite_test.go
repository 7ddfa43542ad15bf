package geo

import (
	"html/template"
	"strings"
	"testing"
)

// The points, labels and marks written in Go are the bytes html/template
// writes for the same values, tricky ones included.
func TestWrittenPartsMatchTheTemplate(t *testing.T) {
	ref := template.Must(template.New("ref").Parse(`<svg>` +
		`{{define "points"}}{{range .Points}}{{if .Href}}<a href="{{.Href}}" class="{{.Class}}">{{else}}<g class="{{.Class}}">{{end}}{{with .Title}}<title>{{.}}</title>{{end}}<circle cx="{{.X}}" cy="{{.Y}}" r="{{$.Radius}}"/>{{if .Href}}</a>{{else}}</g>{{end}}
{{end}}{{end}}` +
		`{{define "labels"}}{{range .Labels}}<text x="{{.X}}" y="{{.Y}}"{{with .Anchor}} text-anchor="{{.}}"{{end}}>{{.Text}}</text>
{{end}}{{end}}` +
		`{{define "marks"}}{{range .Marks}}<circle cx="{{.X}}" cy="{{.Y}}" r="{{$.MarkRadius}}" fill="#1f2933" stroke="#fff" stroke-width="{{$.PointStroke}}"/><text x="{{.X}}" y="{{.TY}}" fill="#fff">{{.N}}</text>
{{end}}{{end}}</svg>`))
	tricky := []string{"", "Plain", `Saint-Étienne & "Co" <b>'x'</b> a+b`, "nul\x00byte", "日本", "100% sure"}
	hrefs := []string{"", "/en/cities/1-lyon", "/de/cities?q=a b&x=ä+1", "https://example.org/a%20b/c'd(e)", "mailto:x@example.org?subject=Hi there", "/x\"y<z>", "/p?q=100%zz&r=%4", "/p?q=%41%e2%82%ac"}
	v := mapView{Radius: "4", MarkRadius: "8.5", PointStroke: "1.2"}
	for i, s := range tricky {
		v.Points = append(v.Points, pointView{Href: hrefs[i%len(hrefs)], Class: "point " + s, Title: s, X: "1.5", Y: "-2"})
		v.Points = append(v.Points, pointView{Href: hrefs[(i+3)%len(hrefs)], Class: s, Title: s + "x", X: "3", Y: "4"})
		v.Labels = append(v.Labels, labelView{X: "1", Y: "2", Anchor: []string{"", "end", "middle"}[i%3], Text: s})
		v.Marks = append(v.Marks, markView{X: "1", Y: "2", TY: "2.5", N: s})
	}
	for _, c := range []struct {
		name string
		got  template.HTML
	}{
		{"points", written(0, func(b *strings.Builder) { writePoints(b, v.Points, v.Radius) })},
		{"labels", written(0, func(b *strings.Builder) { writeLabels(b, v.Labels) })},
		{"marks", written(0, func(b *strings.Builder) { writeMarks(b, v.Marks, v.MarkRadius, v.PointStroke) })},
	} {
		var want strings.Builder
		if err := ref.ExecuteTemplate(&want, c.name, v); err != nil {
			t.Fatal(err)
		}
		if string(c.got) != want.String() {
			t.Errorf("%s differ:\n got %s\nwant %s", c.name, c.got, want.String())
		}
	}
}
