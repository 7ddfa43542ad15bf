package geo

import (
	"html/template"
	"strings"
)

// The points, labels and marks of a map are written here rather than by
// worldmap.svg: a map of a thousand cities would spend most of its time in
// the template's reflection. The bytes are those html/template writes for
// the same values (worldmap_test.go compares them).

// writePoints writes each point: a link (or group) with its title and dot.
func writePoints(b *strings.Builder, pts []pointView, radius string) {
	for _, p := range pts {
		if p.Href != "" {
			b.WriteString(`<a href="`)
			escapeURL(b, p.Href)
			b.WriteString(`" class="`)
			escapeHTML(b, p.Class)
			b.WriteString(`">`)
		} else {
			b.WriteString(`<g class="`)
			escapeHTML(b, p.Class)
			b.WriteString(`">`)
		}
		if p.Title != "" {
			b.WriteString(`<title>`)
			escapeHTML(b, p.Title)
			b.WriteString(`</title>`)
		}
		b.WriteString(`<circle cx="`)
		escapeHTML(b, p.X)
		b.WriteString(`" cy="`)
		escapeHTML(b, p.Y)
		b.WriteString(`" r="`)
		escapeHTML(b, radius)
		b.WriteString(`"/>`)
		if p.Href != "" {
			b.WriteString("</a>\n")
		} else {
			b.WriteString("</g>\n")
		}
	}
}

// writeLabels writes each visible label.
func writeLabels(b *strings.Builder, labels []labelView) {
	for _, l := range labels {
		b.WriteString(`<text x="`)
		escapeHTML(b, l.X)
		b.WriteString(`" y="`)
		escapeHTML(b, l.Y)
		b.WriteString(`"`)
		if l.Anchor != "" {
			b.WriteString(` text-anchor="`)
			escapeHTML(b, l.Anchor)
			b.WriteString(`"`)
		}
		b.WriteString(`>`)
		escapeHTML(b, l.Text)
		b.WriteString("</text>\n")
	}
}

// writeMarks writes each numbered mark.
func writeMarks(b *strings.Builder, marks []markView, radius, stroke string) {
	for _, m := range marks {
		b.WriteString(`<circle cx="`)
		escapeHTML(b, m.X)
		b.WriteString(`" cy="`)
		escapeHTML(b, m.Y)
		b.WriteString(`" r="`)
		escapeHTML(b, radius)
		b.WriteString(`" fill="#1f2933" stroke="#fff" stroke-width="`)
		escapeHTML(b, stroke)
		b.WriteString(`"/><text x="`)
		escapeHTML(b, m.X)
		b.WriteString(`" y="`)
		escapeHTML(b, m.TY)
		b.WriteString(`" fill="#fff">`)
		escapeHTML(b, m.N)
		b.WriteString("</text>\n")
	}
}

// escapeHTML writes s escaped as html/template escapes text and quoted
// attribute values.
func escapeHTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// escapeURL writes a link that safeHref let through as html/template
// writes a URL in a quoted attribute: bytes that a URL may not hold
// percent-encoded (valid escapes kept), then escaped as an attribute.
func escapeURL(b *strings.Builder, s string) {
	var n strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0:
			continue
		}
		if n.Len() == 0 {
			n.Grow(len(s) + 8)
		}
		n.WriteString(s[last:i])
		n.WriteByte('%')
		n.WriteByte("0123456789abcdef"[c>>4])
		n.WriteByte("0123456789abcdef"[c&15])
		last = i + 1
	}
	if last == 0 {
		escapeHTML(b, s)
		return
	}
	n.WriteString(s[last:])
	escapeHTML(b, n.String())
}

// pointsHTML, labelsHTML and marksHTML are the map's parts for worldmap.svg.
func pointsHTML(pts []pointView, radius string) template.HTML {
	var b strings.Builder
	b.Grow(len(pts) * 160)
	writePoints(&b, pts, radius)
	return template.HTML(b.String())
}

func labelsHTML(labels []labelView) template.HTML {
	var b strings.Builder
	writeLabels(&b, labels)
	return template.HTML(b.String())
}

func marksHTML(marks []markView, radius, stroke string) template.HTML {
	var b strings.Builder
	writeMarks(&b, marks, radius, stroke)
	return template.HTML(b.String())
}
