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
	// try is the snippet of whichever of texts (text, language …) marks most.
	try := func(texts ...string) (template.HTML, int) {
		h, n := search.BestSnippet(q, snippetRunes, snippetScan, richtext.PlainText, texts...)
		return template.HTML(h), n
	}
	// The summary is where a reader looks first; the body only when the
	// summary lacks the words (analysing text is the costly part).
	if h, n := try(summary[shown.Lang], shown.Lang); n > 0 {
		if n >= q.Words() {
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
		if h, n := try(record().Summary[l], l, rec.Body[l], l, rec.Title[l], l); n > 0 {
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
