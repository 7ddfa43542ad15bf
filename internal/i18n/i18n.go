// Package i18n holds the interface's catalogs (de, en, fr), picks the
// visitor's language, formats dates and numbers per language, and resolves
// translatable content fields with a stated fallback order.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"golang.org/x/text/language"
)

// Langs are the interface languages, in the order the language switcher shows them.
var Langs = []string{"de", "en", "fr"}

// Default is the language used when nothing else decides.
const Default = "en"

var tags = []language.Tag{language.English, language.German, language.French}
var matcher = language.NewMatcher(tags)

// Supported reports whether lang is an interface language.
func Supported(lang string) bool { return slices.Contains(Langs, lang) }

// Match picks the interface language for an Accept-Language header.
func Match(acceptLanguage string) string {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(prefs...)
	if conf == language.No {
		return Default
	}
	base, _ := tags[i].Base()
	return base.String()
}

// Name is a language's name in that language, for the switcher.
func Name(lang string) string {
	switch lang {
	case "de":
		return "Deutsch"
	case "en":
		return "English"
	case "fr":
		return "Français"
	}
	return lang
}

//go:embed locales
var localeFiles embed.FS

// Catalog holds every UI string in every language.
type Catalog struct {
	// plain holds, per language, the messages without plural forms or
	// template actions: most of them, and the cheapest to keep.
	plain map[string]map[string]string
	// rich holds the others, parsed when first used.
	rich      map[string]map[string]*entry
	missing   sync.Map // lang+key already logged
	OnMissing func(lang, key string)
}

// entry is a text with template actions ({{.Name}}) or plural forms.
type entry struct {
	one, other string // one is empty without plural forms

	parse  sync.Once
	tOne   *template.Template
	tOther *template.Template
	err    error
}

// Load reads the embedded catalogs: locales/{lang}/*.json, each a flat
// object of message id → text (or → {"one": …, "other": …} for plurals).
// Capabilities keep their strings in a file of their own.
func Load() (*Catalog, error) {
	return LoadFS(localeFiles)
}

// LoadFS reads catalogs from fsys laid out like the embedded ones.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{plain: map[string]map[string]string{}, rich: map[string]map[string]*entry{}}
	ids := map[string]string{} // one string per message id for all languages
	for _, lang := range Langs {
		plain, rich := map[string]string{}, map[string]*entry{}
		c.plain[lang], c.rich[lang] = plain, rich
		files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(data, &raw); err != nil {
				return nil, fmt.Errorf("catalog %s: %v", f, err)
			}
			for k, v := range raw {
				if id, ok := ids[k]; ok {
					k = id
				} else {
					ids[k] = k
				}
				if _, ok := plain[k]; ok {
					return nil, fmt.Errorf("catalog %s: key %q is defined twice for %s", f, k, lang)
				}
				if _, ok := rich[k]; ok {
					return nil, fmt.Errorf("catalog %s: key %q is defined twice for %s", f, k, lang)
				}
				var text string
				if json.Unmarshal(v, &text) == nil {
					if strings.Contains(text, "{{") {
						rich[k] = &entry{other: text}
					} else {
						plain[k] = text
					}
					continue
				}
				var forms struct{ One, Other string }
				if err := json.Unmarshal(v, &forms); err != nil || forms.Other == "" {
					return nil, fmt.Errorf("catalog %s: key %q: want a text or {\"one\": …, \"other\": …}", f, k)
				}
				rich[k] = &entry{one: forms.One, other: forms.Other}
			}
		}
	}
	return c, nil
}

// Keys returns the message ids of one language, sorted.
func (c *Catalog) Keys(lang string) []string {
	var ks []string
	for k := range c.plain[lang] {
		ks = append(ks, k)
	}
	for k := range c.rich[lang] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (c *Catalog) has(lang, key string) bool {
	if _, ok := c.plain[lang][key]; ok {
		return true
	}
	_, ok := c.rich[lang][key]
	return ok
}

// T translates key into lang. args are name/value pairs used as template
// data ("Count", 3); a "Count" argument also selects the plural form.
// A key missing in lang shows in English; a key missing in English too
// shows as the key itself, so a gap is visible, never blank.
func (c *Catalog) T(lang, key string, args ...any) string {
	if _, known := c.plain[lang]; !known {
		lang = Default
	}
	s, ok := c.translate(lang, key, args)
	if !ok && lang != Default {
		s, _ = c.translate(Default, key, args)
		ok = false
	}
	if !ok {
		if _, seen := c.missing.LoadOrStore(lang+"\x00"+key, true); !seen && c.OnMissing != nil {
			c.OnMissing(lang, key)
		}
	}
	if s == "" {
		return key
	}
	return s
}

// translate is key's text in lang, false when lang lacks it or its
// template fails.
func (c *Catalog) translate(lang, key string, args []any) (string, bool) {
	if s, ok := c.plain[lang][key]; ok {
		return s, true
	}
	m := c.rich[lang][key]
	if m == nil {
		return "", false
	}
	m.parse.Do(func() {
		if m.one != "" {
			m.tOne, m.err = parse(m.one)
		}
		if m.err == nil {
			m.tOther, m.err = parse(m.other)
		}
	})
	if m.err != nil {
		return "", false
	}
	var data map[string]any
	t := m.tOther
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" && m.tOne != nil && pluralOne(lang, args[i+1]) {
				t = m.tOne
			}
		}
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", false
	}
	return b.String(), true
}

func parse(src string) (*template.Template, error) {
	return template.New("").Option("missingkey=default").Parse(src)
}

// pluralOne reports whether count takes the "one" form in lang (CLDR's
// rules): 1 in English and German, 0 to 1.x in French. A count that is
// not an integer or a decimal number in a string takes "other".
func pluralOne(lang string, count any) bool {
	var whole, fraction string
	switch n := count.(type) {
	case int:
		whole = strconv.FormatInt(int64(n), 10)
	case int8:
		whole = strconv.FormatInt(int64(n), 10)
	case int16:
		whole = strconv.FormatInt(int64(n), 10)
	case int32:
		whole = strconv.FormatInt(int64(n), 10)
	case int64:
		whole = strconv.FormatInt(n, 10)
	case uint:
		whole = strconv.FormatUint(uint64(n), 10)
	case uint32:
		whole = strconv.FormatUint(uint64(n), 10)
	case uint64:
		whole = strconv.FormatUint(n, 10)
	case string:
		var found bool
		whole, fraction, found = strings.Cut(n, ".")
		if found && fraction == "" {
			return false
		}
	default:
		return false
	}
	whole = strings.TrimPrefix(whole, "-")
	i, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || strings.Trim(fraction, "0123456789") != "" {
		return false
	}
	if lang == "fr" {
		return i <= 1
	}
	return i == 1 && fraction == ""
}

// Missing lists "lang: key" for every key that some language has and
// another lacks.
func (c *Catalog) Missing() []string {
	all := map[string]bool{}
	for _, l := range Langs {
		for _, k := range c.Keys(l) {
			all[k] = true
		}
	}
	var out []string
	for _, l := range Langs {
		for k := range all {
			if !c.has(l, k) {
				out = append(out, l+": "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}
