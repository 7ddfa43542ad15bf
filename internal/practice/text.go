package practice

import (
	"encoding/json"
	"html/template"

	"observatory/internal/i18n"
	"observatory/internal/richtext"
	"observatory/internal/search"
)

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
		h, n := search.Snippet(text, lang, q, snippetRunes, snippetScan, richtext.PlainText)
		return template.HTML(h), n
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
