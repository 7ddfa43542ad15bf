package declaration

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
)

// Texts are Markdown. goldmark leaves raw HTML out (it is not configured
// as unsafe), and bluemonday keeps only harmless elements of what remains.
var (
	markdown  = goldmark.New()
	sanitizer = bluemonday.UGCPolicy()
)

// RenderMarkdown turns a Markdown text into safe HTML.
func RenderMarkdown(s string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(s), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(sanitizer.SanitizeBytes(buf.Bytes()))
}
