package geo

import (
	"html/template"
	"strings"
)

// The points, labels and marks of a map are written here rather than by
// worldmap.svg: a map of a thousand cities would spend most of its time in
// the template's reflection. The bytes are those html/template writes for
// the same values (svgwrite_test.go compares them).

// writePoints writes each point: a link (or group) with its title and dot.
func writePoints(b *strings.Builder, pts []pointView, radius string) {
	for _, p := range pts {
		if p.Href != "" {
			b.WriteString(`<a href="`)
			EscapeURL(b, p.Href)
			b.WriteString(`" class="`)
			EscapeHTML(b, p.Class)
			b.WriteString(`">`)
		} else {
			b.WriteString(`<g class="`)
			EscapeHTML(b, p.Class)
			b.WriteString(`">`)
		}
		if p.Title != "" {
			b.WriteString(`<title>`)
			EscapeHTML(b, p.Title)
			b.WriteString(`</title>`)
		}
		writeCircle(b, p.X, p.Y, radius)
		b.WriteString(`/>`)
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
		EscapeHTML(b, l.X)
		b.WriteString(`" y="`)
		EscapeHTML(b, l.Y)
		b.WriteString(`"`)
		if l.Anchor != "" {
			b.WriteString(` text-anchor="`)
			EscapeHTML(b, l.Anchor)
			b.WriteString(`"`)
		}
		b.WriteString(`>`)
		EscapeHTML(b, l.Text)
		b.WriteString("</text>\n")
	}
}

// writeMarks writes each numbered mark.
func writeMarks(b *strings.Builder, marks []markView, radius, stroke string) {
	for _, m := range marks {
		writeCircle(b, m.X, m.Y, radius)
		b.WriteString(` fill="#1f2933" stroke="#fff" stroke-width="`)
		EscapeHTML(b, stroke)
		b.WriteString(`"/><text x="`)
		EscapeHTML(b, m.X)
		b.WriteString(`" y="`)
		EscapeHTML(b, m.TY)
		b.WriteString(`" fill="#fff">`)
		EscapeHTML(b, m.N)
		b.WriteString("</text>\n")
	}
}

// writeCircle writes a circle's centre and radius; its other attributes
// and its end follow.
func writeCircle(b *strings.Builder, x, y, r string) {
	b.WriteString(`<circle cx="`)
	EscapeHTML(b, x)
	b.WriteString(`" cy="`)
	EscapeHTML(b, y)
	b.WriteString(`" r="`)
	EscapeHTML(b, r)
	b.WriteString(`"`)
}

// EscapeHTML writes s escaped as html/template escapes text and quoted
// attribute values: for long lists that a page writes in Go rather than
// through its template (the map's points, the directory's anniversaries).
func EscapeHTML(b *strings.Builder, s string) {
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

// EscapeURL writes a link that is relative or http, https or mailto (as
// safeHref lets through) as html/template writes a URL in a quoted attribute: bytes that a URL may not hold
// percent-encoded (valid escapes kept), then escaped as an attribute.
func EscapeURL(b *strings.Builder, s string) {
	var n strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
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
		EscapeHTML(b, s)
		return
	}
	n.WriteString(s[last:])
	EscapeHTML(b, n.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// written is what write puts down, as a part for worldmap.svg; size is a
// guess of its length.
func written(size int, write func(b *strings.Builder)) template.HTML {
	var b strings.Builder
	b.Grow(size)
	write(&b)
	return template.HTML(b.String())
}
