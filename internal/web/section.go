package web

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"observatory/internal/i18n"
)

// Section renders t with data into a piece of another page (a section of
// a city's page, of the figures or of the home page).
func Section(t *template.Template, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// Lines is a text area's lines, trimmed, without the empty ones.
func (f *Form) Lines(name string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(f.Values.Get(name), "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// WebURL reports whether s is an absolute http(s) address of at most
// 2,000 characters.
func WebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

// LangNames gives a page's data the page's language (.PageLang) and the
// name of any language in it (.Name "de"), for pages that show content
// written in several languages. Embed it.
type LangNames struct{ PageLang string }

// Name is a language's name in the page's language.
func (l LangNames) Name(code string) string { return i18n.LanguageName(l.PageLang, code) }

// NonEmpty is a list's values trimmed, without the empty ones.
func NonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Keys is a list of keys as stored: trimmed, none empty, sorted, each once.
func Keys(xs []string) []string {
	out := NonEmpty(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
