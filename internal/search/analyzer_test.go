package search

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		name, text, lang string
		want             []string
	}{
		{"german plural meets singular", "Schulen Schule", "de", []string{"schul", "schul"}},
		{"umlaut plural meets singular", "Städte Stadt", "de", []string{"stadt", "stadt"}},
		{"sharp s", "Straße Strasse STRASSE", "de", []string{"strass", "strass", "strass"}},
		{"region code in language", "Schulen", "de-CH", []string{"schul"}},
		{"french accents optional", "écoles école ecole ÉCOLE", "fr", []string{"ecol", "ecol", "ecol", "ecol"}},
		{"decomposed accent", "e\u0301cole", "fr", []string{"ecol"}},
		{"french participles", "partagé partagée partagés partagées partager", "fr",
			[]string{"partag", "partag", "partag", "partag", "partag"}},
		{"french -ière", "première premier lumières", "fr", []string{"premi", "premi", "lumi"}},
		{"french elision", "L'école de la ville", "fr", []string{"ecol", "vill"}},
		{"english -ing and plural", "housing houses house", "en", []string{"hous", "hous", "hous"}},
		{"english -ies", "cities city", "en", []string{"citi", "citi"}},
		// Snowball does not know irregular plurals.
		{"english irregular plural", "children child", "en", []string{"children", "child"}},
		{"english stop words", "The city of light and culture", "en", []string{"citi", "light", "cultur"}},
		{"IT is not a stop word", "IT security", "en", []string{"it", "secur"}},
		{"german stop words", "Die Schule und der Garten", "de", []string{"schul", "gart"}},
		{"other language: folding only", "Le scuole della Città", "it", []string{"le", "scuole", "della", "citta"}},
		{"letters NFD keeps", "Ærø Łódź œuvre Þing ﬁsh İstanbul", "", []string{"aero", "lodz", "oeuvre", "thing", "fish", "istanbul"}},
		{"greek and cyrillic fold", "ΣΊΣΥΦΟΣ Школа", "", []string{"σισυφοσ", "школа"}},
		{"hangul stays composed", "학교", "", []string{"학교"}},
		{"digits", "COVID-19 in 2024, ٢٠٢٤ x²", "", []string{"covid", "19", "in", "2024", "2024", "x"}},
		{"empty", "", "de", nil},
		{"punctuation only", " …!?–-„“ *:\\ ", "fr", nil},
		{"stop words only", "the of and", "en", nil},
		{"overlong token dropped", "a" + strings.Repeat("x", 200) + " ok", "", []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terms(tt.text, tt.lang); !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q, %q) = %q, want %q", tt.text, tt.lang, got, tt.want)
			}
		})
	}
}

func TestIndexText(t *testing.T) {
	if got, want := IndexText("Die Städte, die Schulen!", "de"), "stadt schul"; got != want {
		t.Errorf("IndexText = %q, want %q", got, want)
	}
	long := strings.Repeat("Schule ", MaxIndexTerms+100)
	if n := len(strings.Fields(IndexText(long, "de"))); n != MaxIndexTerms {
		t.Errorf("IndexText kept %d terms of a long text, want %d", n, MaxIndexTerms)
	}
}

// paragraphs are about 2 KB each, for the benchmarks.
var paragraphs = map[string]string{
	"de": strings.Repeat("Die Stadt hat gemeinsam mit den Bürgerinnen und Bürgern neue Radwege geplant, "+
		"die Schulen, Kindergärten und Wohnquartiere verbinden. Über zweihundert Familien beteiligten sich "+
		"an Workshops; die Ergebnisse fließen in den Verkehrsentwicklungsplan ein. ", 7),
	"en": strings.Repeat("The city worked with residents to plan new cycle lanes connecting schools, "+
		"nurseries and housing estates. More than two hundred families took part in workshops, and the "+
		"results are feeding into the mobility plan for the coming decade. ", 7),
	"fr": strings.Repeat("La ville a planifié avec les habitants de nouvelles pistes cyclables reliant les "+
		"écoles, les crèches et les quartiers résidentiels. Plus de deux cents familles ont participé aux "+
		"ateliers ; les résultats alimentent le plan de mobilité. ", 7),
}

func BenchmarkTerms(b *testing.B) {
	for _, lang := range stemLanguages {
		text := paragraphs[lang]
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Terms(text, lang)
			}
		})
	}
}

// The memo gives the same terms as analysing afresh, from any goroutine,
// and starts afresh when full.
func TestMemoMatchesAnalysis(t *testing.T) {
	var wg sync.WaitGroup
	for _, lang := range stemLanguages {
		l := lookup(lang)
		text := paragraphs[lang] + " STRASSE Straße Écoles ÉCOLES İstanbul"
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var a, fresh analyzer
				for range 3 {
					scan(text, func(start, end int) {
						raw := text[start:end]
						if got, want := a.term(raw, l), fresh.analyse(raw, l); got != want {
							t.Errorf("%s %q: memo %q, analysis %q", lang, raw, got, want)
						}
					})
				}
			}()
		}
	}
	wg.Wait()
	m := newMemo()
	for i := range memoSize + 10 {
		m.put(fmt.Sprint("w", i), "t")
	}
	if n := len(m.terms); n > memoSize {
		t.Errorf("memo holds %d terms, more than %d", n, memoSize)
	}
}
