// Package richtext is the text editors write, as every capability shows
// it: Markdown rendered safely, the same text plain (snippets, CSV cells,
// feeds), and word-by-word differences between two versions.
package richtext

import (
	"bytes"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown: goldmark with raw HTML off (its default), then bluemonday, so
// neither a typed <script> nor a javascript: link reaches a page.
var (
	md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()

	// Headings in an editor's text sit below the page's own sections.
	headingShift = strings.NewReplacer("<h1", "<h3", "</h1>", "</h3>", "<h2", "<h4", "</h2>", "</h4>",
		"<h3", "<h5", "</h3>", "</h5>", "<h4", "<h6", "</h4>", "</h6>")
)

// Markdown renders an editor's Markdown as safe HTML.
func Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(headingShift.Replace(policy.Sanitize(buf.String())))
}

// PlainText strips Markdown markup for snippets, CSV cells and feeds: it
// keeps a link's or image's text, drops emphasis, heading, quote and list
// markers and collapses white space. It runs on every search result, so
// it is a single pass rather than regular expressions.
func PlainText(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	lineStart, space := true, false
	emit := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == '\n' || r == '\r' || r == ' ' || r == '\t':
			space = true
			lineStart = lineStart || r == '\n'
			i += size
			continue
		case lineStart && (r == '#' || r == '>'):
			i += size
			continue
		case lineStart && (r == '-' || r == '+' || r == '*') && i+1 < len(src) && src[i+1] == ' ':
			i += 2
			continue
		case lineStart && r >= '0' && r <= '9':
			j := i
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			if j+1 < len(src) && (src[j] == '.' || src[j] == ')') && src[j+1] == ' ' {
				i = j + 2
				lineStart = false
				continue
			}
		case r == '*' || r == '_' || r == '`' || r == '~' || r == '|':
			i += size
			continue
		case r == '!' && i+1 < len(src) && src[i+1] == '[':
			i++
			continue
		case r == '[':
			// [text](address) keeps the text.
			if end := strings.IndexByte(src[i:], ']'); end > 0 && i+end+1 < len(src) && src[i+end+1] == '(' {
				if close := strings.IndexByte(src[i+end+1:], ')'); close > 0 {
					inner := PlainText(src[i+1 : i+end])
					for _, ir := range inner {
						emit(ir)
					}
					i += end + 1 + close + 1
					lineStart = false
					continue
				}
			}
		}
		lineStart = false
		emit(r)
		i += size
	}
	return b.String()
}
