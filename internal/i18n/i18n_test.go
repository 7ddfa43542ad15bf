package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"observatory/internal/i18n"
)

// Every key must exist in every language: a string missing in French fails here.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cat.Keys("en")); n < 50 {
		t.Fatalf("only %d keys loaded; the catalogs are not being read", n)
	}
	for _, m := range cat.Missing() {
		t.Errorf("no translation: %s", m)
	}
}

func TestMissingKeyIsDetected(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/de/x.json": {Data: []byte(`{"a": "A", "b": "B"}`)},
		"locales/en/x.json": {Data: []byte(`{"a": "A", "b": "B"}`)},
		"locales/fr/x.json": {Data: []byte(`{"a": "A"}`)},
	}
	cat, err := i18n.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if m := cat.Missing(); len(m) != 1 || m[0] != "fr: b" {
		t.Errorf("missing keys reported: %v, want [fr: b]", m)
	}
}

var (
	templateKey = regexp.MustCompile(`\bT "([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
	goKey       = regexp.MustCompile(`(?:\.T\([^,()]+, |Fail\("[^"]+", |FieldError\{"[^"]+", )"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
)

// Every key written literally in a template or in Go code must be in the catalogs.
func TestUsedKeysExist(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, k := range cat.Keys("en") {
		have[k] = true
	}
	root := filepath.Join("..", "..")
	checked := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(p, ".html"):
			re = templateKey
		case strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			re = goKey
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			checked++
			if !have[m[1]] {
				t.Errorf("%s uses key %q, which no catalog has", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d keys found in the code; the scan is broken", checked)
	}
}

func TestMatch(t *testing.T) {
	for accept, want := range map[string]string{
		"de-DE,de;q=0.9,en;q=0.8": "de", "fr-CH": "fr", "en-GB": "en", "it,fr;q=0.5": "fr", "ja": "en", "": "en", "garbage;;": "en",
	} {
		if got := i18n.Match(accept); got != want {
			t.Errorf("Match(%q) = %s, want %s", accept, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	d := time.Date(2019, 9, 2, 14, 30, 0, 0, time.UTC)
	first := time.Date(2019, 9, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{i18n.Date("de", d), "2. September 2019"},
		{i18n.Date("en", d), "2 September 2019"},
		{i18n.Date("fr", d), "2 septembre 2019"},
		{i18n.Date("fr", first), "1er septembre 2019"},
		{i18n.DateTime("de", d), "2. September 2019, 14:30 Uhr"},
		{i18n.DateTime("fr", d), "2 septembre 2019, 14 h 30"},
		{i18n.DateTime("en", d), "2 September 2019, 2:30 pm"},
		{i18n.Number("de", 148000), "148.000"},
		{i18n.Number("en", 148000), "148,000"},
		{i18n.Number("fr", 148000), "148\u00a0000"},
		{i18n.CountryName("de", "GB"), "Vereinigtes Königreich"},
		{i18n.CountryName("fr", "DE"), "Allemagne"},
		{i18n.CountryName("en", "BF"), "Burkina Faso"},
		{i18n.LanguageName("de", "fr"), "Französisch"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestContentFallback(t *testing.T) {
	txt := i18n.Text{"de": "Schule", "fr": "école"}
	for _, c := range []struct {
		lang, source, want, from string
		fell                     bool
	}{
		{"de", "de", "Schule", "de", false},
		{"en", "fr", "école", "fr", true}, // the original comes before other translations
		{"en", "de", "Schule", "de", true},
		{"fr", "de", "école", "fr", false},
		{"en", "", "Schule", "de", true}, // then the interface order: en, de, fr
	} {
		r := txt.In(c.lang, c.source)
		if r.Value != c.want || r.Lang != c.from || r.FellBack != c.fell {
			t.Errorf("In(%s, %s) = %+v, want %s from %s (fell back %v)", c.lang, c.source, r, c.want, c.from, c.fell)
		}
	}
	if r := (i18n.Text{"it": "scuola"}).In("de", "it"); r.Value != "scuola" || !r.FellBack {
		t.Errorf("a language beyond the interface's: %+v", r)
	}
	var back i18n.Text
	v, _ := txt.Value()
	if err := back.Scan(v); err != nil || back["fr"] != "école" {
		t.Errorf("round trip: %v %v", back, err)
	}
}

// A region has one name in each language, whichever page names it: the
// directory, the library, the declarations and the figures.
func TestOneNamePerRegion(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs {
		names := map[string]map[string][]string{} // region → name → keys
		for _, k := range cat.Keys(lang) {
			i := strings.Index(k, ".continent.")
			if i < 0 {
				continue
			}
			region := k[i+len(".continent."):]
			if names[region] == nil {
				names[region] = map[string][]string{}
			}
			v := cat.T(lang, k)
			names[region][v] = append(names[region][v], k)
		}
		if len(names["north-america"]) == 0 || len(names["europe"]) == 0 {
			t.Fatalf("%s: no region names found", lang)
		}
		for region, byName := range names {
			if len(byName) > 1 {
				t.Errorf("%s: %s has %d names: %v", lang, region, len(byName), byName)
			}
		}
	}
}
