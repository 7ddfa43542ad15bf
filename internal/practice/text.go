package practice

import (
	"bytes"
	"encoding/json"
	"html/template"
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

const (
	snippetRunes = 240
	snippetScan  = 2000 // bytes of a text searched for the snippet
)

// snippet finds where the query matches a result: in its summary or body
// in the shown language (whichever marks more words), else in the other
// translations (the hit may be in any of them), else in its other fields.
// It returns "" when no text has the words.
func snippet(raw string, summary i18n.Text, shown i18n.Resolved, q search.Query) (template.HTML, string) {
	var rec *Record
	record := func() *Record { // read only when the summary is not enough
		if rec == nil {
			rec = &Record{}
			_ = json.Unmarshal([]byte(raw), rec)
		}
		return rec
	}
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
	// The summary is where a reader looks first; the body only when the
	// summary lacks the words (analysing text is the costly part).
	need := 0 // words a full match marks: one per word, every word of a phrase
	for _, g := range q.Groups() {
		if len(g) > 0 {
			need += len(g[0])
		}
	}
	if h, n := try(summary[shown.Lang], shown.Lang); n > 0 {
		if n >= need {
			return h, shown.Lang
		}
		if hb, nb := try(record().Body[shown.Lang], shown.Lang); nb > n {
			return hb, shown.Lang
		}
		return h, shown.Lang
	}
	if h, n := try(record().Body[shown.Lang], shown.Lang); n > 0 {
		return h, shown.Lang
	}
	for _, l := range ContentLangs {
		if l == shown.Lang {
			continue
		}
		if h, ok := best(record().Summary[l], l, rec.Body[l], l, rec.Title[l], l); ok {
			return h, l
		}
	}
	for _, f := range Fields[3:] {
		for _, l := range ContentLangs {
			if h, n := try((*record().Text(f))[l], l); n > 0 {
				return h, l
			}
		}
	}
	return "", ""
}
