package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlight returns a snippet of plain text around the first match of q,
// with matching words wrapped in <mark>…</mark> and everything else
// HTML-escaped, so the result is safe to use as template.HTML.
//
// Words match by stem under the text's language, so "Schulen" marks
// "Schule"; the words of a phrase are marked wherever they occur.
// Whitespace is collapsed. The snippet holds at most maxRunes characters of
// text (whole words where possible), plus "…" where text was cut;
// maxRunes <= 0 means the whole text.
func Highlight(text, lang string, q Query, maxRunes int) string {
	if !collapsed(text) {
		text = strings.Join(strings.Fields(text), " ")
	}
	want := q.positiveTerms()
	l := lookup(lang)
	var a analyzer
	var marks []span
	if len(want) > 0 {
		// Past the first match, words beyond the longest possible window
		// cannot be in the snippet: the scan stops there.
		limit := len(text)
		for tok := range tokens(text) {
			if tok.from >= limit {
				break
			}
			if t := a.term(text[tok.from:tok.to], l); t != "" && want[t] {
				if len(marks) == 0 && maxRunes > 0 {
					limit = tok.from + utf8.UTFMax*maxRunes
				}
				marks = append(marks, tok)
			}
		}
	}

	from, to := 0, len(text)
	if maxRunes > 0 && utf8.RuneCountInString(text) > maxRunes {
		anchor := 0
		if len(marks) > 0 {
			anchor = marks[0].from
		}
		from, to = window(text, anchor, maxRunes)
	}

	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := from
	for _, m := range marks {
		if m.from < from || m.to > to {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:m.from]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.from:m.to]))
		b.WriteString("</mark>")
		pos = m.to
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString(" …")
	}
	return b.String()
}

// collapsed reports whether text has no white space to collapse: no
// leading, trailing or repeated spaces and no other white space.
func collapsed(text string) bool {
	if text == "" {
		return true
	}
	if text[0] == ' ' || text[len(text)-1] == ' ' {
		return false
	}
	prevSpace := false
	for _, r := range text {
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
	}
	return true
}

// window picks byte bounds of at most n runes around anchor: a little
// context before it, cut at spaces so words stay whole when possible.
func window(text string, anchor, n int) (from, to int) {
	from = wordStart(text, runesBack(text, anchor, n/4), anchor)
	to = runesForward(text, from, n)
	if to == len(text) {
		// Near the end: use the room for more context before the match.
		return wordStart(text, runesBack(text, to, n), anchor), to
	}
	if text[to] != ' ' {
		if i := strings.LastIndexByte(text[from:to], ' '); i > 0 {
			to = from + i
		}
	}
	return from, to
}

// wordStart moves i forward to the start of a word, but not past limit.
func wordStart(text string, i, limit int) int {
	if i == 0 || text[i-1] == ' ' {
		return i
	}
	if j := strings.IndexByte(text[i:limit], ' '); j >= 0 {
		return i + j + 1
	}
	return limit
}

func runesBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func runesForward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// Snippet is Highlight of the start of a text (scan bytes of it are
// enough to find the words) made plain by plain, with the number of words
// it marks: callers pick, among a result's texts, the one that marks the
// most.
func Snippet(text, lang string, q Query, maxRunes, scan int, plain func(string) string) (string, int) {
	if text == "" {
		return "", 0
	}
	if len(text) > scan {
		cut := scan
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	h := Highlight(plain(text), lang, q, maxRunes)
	return h, strings.Count(h, "<mark>")
}

// TermSet is the distinct index terms of a text's translations (language
// → text), space-separated: what ranking and related items weigh.
func TermSet(t map[string]string) string {
	seen := map[string]bool{}
	var out []string
	for l, v := range t {
		for _, term := range Terms(v, l) {
			if !seen[term] {
				seen[term] = true
				out = append(out, term)
			}
		}
	}
	return strings.Join(out, " ")
}

// BestSnippet is Snippet of whichever of texts (given as text, language,
// text, language …) marks the most words, with how many it marks; "" and
// 0 when none marks any.
func BestSnippet(q Query, maxRunes, scan int, plain func(string) string, texts ...string) (string, int) {
	var out string
	most := 0
	for i := 0; i+1 < len(texts); i += 2 {
		if s, n := Snippet(texts[i], texts[i+1], q, maxRunes, scan, plain); n > most {
			out, most = s, n
		}
	}
	return out, most
}

// Words is how many words a full match of q marks: one per word, every
// word of a phrase.
func (q Query) Words() int {
	n := 0
	for _, g := range q.Groups() {
		if len(g) > 0 {
			n += len(g[0])
		}
	}
	return n
}
