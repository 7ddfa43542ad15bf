package i18n

import "strings"

// Translation states of a content's texts. The source language's text is
// the original; a translation is up to date unless the original changed
// since; a whole text is partial while some of the original's fields are
// not translated yet.
const (
	Original   = "original"
	Translated = "translated" // by a person, up to date
	Outdated   = "outdated"   // the original changed since
	Partial    = "partial"    // some of the original's fields are not translated yet
)

// Translations keeps the state of a content's translated fields: field →
// language → Outdated (or Translated); a language it does not name is up
// to date. It is stored as JSON with the content.
type Translations map[string]map[string]string

// State is the state of field's text t in lang, the original being in
// source: Original for the source language, "" when t has no text in lang.
func (tr Translations) State(field, lang, source string, t Text) string {
	if strings.TrimSpace(t[lang]) == "" {
		return ""
	}
	if lang == source {
		return Original
	}
	if s := tr[field][lang]; s != "" {
		return s
	}
	return Translated
}

// Set records the state of field in lang; "" forgets it (up to date).
func (tr *Translations) Set(field, lang, state string) {
	if *tr == nil {
		*tr = Translations{}
	}
	if (*tr)[field] == nil {
		(*tr)[field] = map[string]string{}
	}
	if state == "" {
		delete((*tr)[field], lang)
		if len((*tr)[field]) == 0 {
			delete(*tr, field)
		}
		return
	}
	(*tr)[field][lang] = state
}
