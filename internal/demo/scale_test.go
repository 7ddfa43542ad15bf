package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"observatory/internal/i18n"
	"observatory/internal/practice"
)

// The generator's shortcut through remembered sentences indexes exactly
// the terms the publishing path would.
func TestGeneratedIndexTextMatchesPublishing(t *testing.T) {
	terms := practice.NewTerms([]practice.Term{
		{Kind: practice.KindTheme, Key: "housing", Names: i18n.Text{"de": "Wohnen", "en": "Housing", "fr": "Logement"}},
		{Kind: practice.KindTheme, Key: "education", Names: i18n.Text{"de": "Bildung", "en": "Education", "fr": "Éducation"}},
		{Kind: practice.KindGroup, Key: "children", Names: i18n.Text{"de": "Kinder", "en": "Children", "fr": "Enfants"}},
	})
	city := practice.City{ID: 1, Name: "Düsseldorf", Names: i18n.Text{"fr": "Dusseldorf"}}
	r := rand.New(rand.NewPCG(1, 2))
	memo := analysisMemo{}
	for range 300 {
		rec, pieces := generateRecord(r, city, terms.List(practice.KindTheme), terms.List(practice.KindGroup))
		if p := rec.Check(terms); len(p) > 0 || len(rec.Complete()) > 0 {
			t.Fatalf("generated record has problems: %v %v", p, rec.Complete())
		}
		got, want := memo.doc(rec, pieces, city, terms), practice.BuildIndexDoc(rec, city, terms)
		g, w := strings.Fields(got.Text), strings.Fields(want.Text)
		slices.Sort(g)
		slices.Sort(w)
		gt, wt := strings.Fields(got.TitleTerms), strings.Fields(want.TitleTerms)
		slices.Sort(gt)
		slices.Sort(wt)
		if !slices.Equal(g, w) || !slices.Equal(gt, wt) {
			t.Fatalf("index text differs for %q:\n%v\n%v", rec.Title[rec.Lang], g, w)
		}
	}
}
