// Package i18n holds the interface's catalogs (de, en, fr), picks the
// visitor's language, formats dates and numbers per language, and resolves
// translatable content fields with a stated fallback order.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
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
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	keys       map[string]map[string]bool // lang → message ids
	missing    sync.Map                   // lang+key already logged
	OnMissing  func(lang, key string)

	plainMu sync.RWMutex
	plain   map[[2]string]string // lang, key → a found message without arguments
}

// Load reads the embedded catalogs: locales/{lang}/*.json, each a flat
// object of message id → text (or → {"one": …, "other": …} for plurals).
// Capabilities keep their strings in a file of their own.
func Load() (*Catalog, error) {
	return LoadFS(localeFiles)
}

// LoadFS reads catalogs from fsys laid out like the embedded ones.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*goi18n.Localizer{}, keys: map[string]map[string]bool{}}
	for _, lang := range Langs {
		c.keys[lang] = map[string]bool{}
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
			for k := range raw {
				if c.keys[lang][k] {
					return nil, fmt.Errorf("catalog %s: key %q is defined twice for %s", f, k, lang)
				}
				c.keys[lang][k] = true
			}
			// go-i18n takes the language from the name's last part before ".json".
			if _, err := b.ParseMessageFileBytes(data, strings.TrimSuffix(path.Base(f), ".json")+"."+lang+".json"); err != nil {
				return nil, fmt.Errorf("catalog %s: %v", f, err)
			}
		}
		c.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// Keys returns the message ids of one language, sorted.
func (c *Catalog) Keys(lang string) []string {
	var ks []string
	for k := range c.keys[lang] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// T translates key into lang. args are name/value pairs used as template
// data ("Count", 3); a "Count" argument also selects the plural form.
// A missing key shows as the key itself, so a gap is visible, never blank.
func (c *Catalog) T(lang, key string, args ...any) string {
	loc, known := c.localizers[lang]
	if !known {
		loc = c.localizers[Default]
	}
	if len(args) == 0 {
		c.plainMu.RLock()
		s, ok := c.plain[[2]string{lang, key}]
		c.plainMu.RUnlock()
		if ok {
			return s
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := loc.Localize(cfg)
	var nf *goi18n.MessageNotFoundErr
	if err != nil && (s == "" || errors.As(err, &nf)) {
		if _, seen := c.missing.LoadOrStore(lang+"\x00"+key, true); !seen && c.OnMissing != nil {
			c.OnMissing(lang, key)
		}
	}
	if s == "" {
		return key
	}
	if err == nil && len(args) == 0 && known {
		// The same every time: kept, as pages ask for hundreds of them.
		c.plainMu.Lock()
		if c.plain == nil {
			c.plain = map[[2]string]string{}
		}
		c.plain[[2]string{lang, key}] = s
		c.plainMu.Unlock()
	}
	return s
}

// Missing lists "lang: key" for every key that some language has and
// another lacks.
func (c *Catalog) Missing() []string {
	all := map[string]bool{}
	for _, l := range Langs {
		for k := range c.keys[l] {
			all[k] = true
		}
	}
	var out []string
	for _, l := range Langs {
		for k := range all {
			if !c.keys[l][k] {
				out = append(out, l+": "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}
