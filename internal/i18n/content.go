package i18n

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"sort"
	"strings"
)

// Text is a translatable content field: one value per language code.
// It is stored as a JSON object in one column.
type Text map[string]string

// Resolved is what a page shows for a Text: the value, the language it is
// in, and whether that is not the reader's language (the page says so).
type Resolved struct {
	Value    string
	Lang     string
	FellBack bool
}

// FallbackOrder is the order in which languages are tried for a reader of
// lang when the content's original is in source: the reader's language,
// the original, then the interface languages in their usual order.
func FallbackOrder(lang, source string) []string {
	order := []string{lang}
	add := func(l string) {
		if l == "" {
			return
		}
		for _, o := range order {
			if o == l {
				return
			}
		}
		order = append(order, l)
	}
	add(source)
	add(Default)
	for _, l := range Langs {
		add(l)
	}
	return order
}

// In resolves t for a reader of lang, the original being in source.
// Languages beyond the interface's (any other value in t) come last, in
// alphabetical order, so every stored value can be shown.
func (t Text) In(lang, source string) Resolved {
	for _, l := range FallbackOrder(lang, source) {
		if v := strings.TrimSpace(t[l]); v != "" {
			return Resolved{Value: t[l], Lang: l, FellBack: l != lang}
		}
	}
	var rest []string
	for l, v := range t {
		if strings.TrimSpace(v) != "" {
			rest = append(rest, l)
		}
	}
	if len(rest) == 0 {
		return Resolved{Lang: lang}
	}
	sort.Strings(rest)
	return Resolved{Value: t[rest[0]], Lang: rest[0], FellBack: true}
}

// Get is the value for lang with fallback, without the details.
func (t Text) Get(lang, source string) string { return t.In(lang, source).Value }

// Clean drops empty values and trims the rest.
func (t Text) Clean() Text {
	out := Text{}
	for l, v := range t {
		if v = strings.TrimSpace(v); v != "" {
			out[l] = v
		}
	}
	return out
}

// Empty reports whether no language has a value.
func (t Text) Empty() bool { return len(t.Clean()) == 0 }

// Value stores a Text as JSON.
func (t Text) Value() (driver.Value, error) {
	b, err := json.Marshal(t.Clean())
	return string(b), err
}

// Scan reads a Text from its JSON column.
func (t *Text) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*t = Text{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return errors.New("i18n.Text: unsupported column type")
	}
	m := Text{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
	}
	*t = m
	return nil
}
