package practice

import (
	"bytes"
	"encoding/json"
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"observatory/internal/i18n"
	"observatory/internal/search"
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

	// Headings in a practice's text sit below the page's own sections.
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

var (
	mdLink    = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdMarkers = regexp.MustCompile("(?m)^\\s{0,3}(#{1,6}\\s+|>\\s?|[-*+]\\s+|\\d+[.)]\\s+)|[*_`~|]+")
)

// PlainText strips Markdown markup for snippets, CSV cells and feeds.
func PlainText(src string) string {
	s := mdLink.ReplaceAllString(src, "$1")
	s = mdMarkers.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

const (
	snippetRunes = 240
	snippetScan  = 4000 // bytes of a text searched for the snippet
)

// snippet finds where the query matches a result: in its summary or body
// in the shown language (whichever marks more words), else in the other
// translations (the hit may be in any of them), else in its other fields.
// It returns "" when no text has the words.
func snippet(raw string, summary i18n.Text, shown i18n.Resolved, q search.Query) (template.HTML, string) {
	var rec Record
	_ = json.Unmarshal([]byte(raw), &rec)
	try := func(text, lang string) (template.HTML, int) {
		if text == "" {
			return "", 0
		}
		// The start of a long text is enough to find the words.
		if len(text) > snippetScan {
			cut := snippetScan
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
			text = text[:cut]
		}
		h := search.Highlight(PlainText(text), lang, q, snippetRunes)
		return template.HTML(h), strings.Count(h, "<mark>")
	}
	best := func(texts ...string) (template.HTML, bool) {
		var out template.HTML
		most := 0
		for i := 0; i+1 < len(texts); i += 2 {
			if h, n := try(texts[i], texts[i+1]); n > most {
				out, most = h, n
			}
		}
		return out, most > 0
	}
	if h, ok := best(summary[shown.Lang], shown.Lang, rec.Body[shown.Lang], shown.Lang); ok {
		return h, shown.Lang
	}
	for _, l := range ContentLangs {
		if l == shown.Lang {
			continue
		}
		if h, ok := best(rec.Summary[l], l, rec.Body[l], l, rec.Title[l], l); ok {
			return h, l
		}
	}
	for _, f := range Fields[3:] {
		for _, l := range ContentLangs {
			if h, n := try((*rec.Text(f))[l], l); n > 0 {
				return h, l
			}
		}
	}
	return "", ""
}
