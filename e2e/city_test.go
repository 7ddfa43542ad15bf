package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/demo"
)

// A newcomer finds the member cities on the map, filters the directory,
// opens a city and reads it in another language; its editor is refused a
// file that is not a photo.
func TestMemberCities(t *testing.T) {
	b := Start(t)
	if _, err := demo.Load(context.Background(), b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.Navigate(b.URL("/en/")), chromedp.WaitVisible(chromedp.CSS(".figure-row")))
	if f := b.Text(".figure-row"); !strings.Contains(f, "Member cities") || !strings.Contains(f, "36") {
		t.Errorf("home figures: %s", f)
	}
	b.Do(chromedp.Click(chromedp.CSS(`.main-nav a[href="/en/cities"]`)), chromedp.WaitVisible(chromedp.CSS("svg.worldmap")))
	points := Value(b, chromedp.Evaluate[int](`document.querySelectorAll("svg.worldmap:not(.zoom) a.point").length`))
	if points != 36 {
		t.Errorf("%d points on the map, want 36", points)
	}
	b.CheckA11y()

	// Filter with the form: African members, by population.
	b.Do(chromedp.SetValue(chromedp.CSS("#f-continent"), "africa"), chromedp.SetValue(chromedp.CSS("#f-sort"), "population"),
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)), chromedp.WaitReady(chromedp.CSS(`#f-continent option[value="africa"][selected]`)))
	if loc := b.Location(); !strings.Contains(loc, "continent=africa") {
		t.Errorf("after filtering: %s", loc)
	}
	if first := b.Text("table.cities tbody th"); first != "Abidjan" {
		t.Errorf("largest African member: %s", first)
	}
	if rows := b.Text("table.cities tbody"); strings.Contains(rows, "Düsseldorf") || !strings.Contains(rows, "Ouagadougou") {
		t.Errorf("filtered rows: %s", rows)
	}

	// Open a city from its point on the map, then read it in German.
	b.Do(chromedp.Navigate(b.URL("/en/cities")), chromedp.WaitVisible(chromedp.CSS("svg.worldmap")))
	b.Do(chromedp.Click(chromedp.CSS(`svg.worldmap a[href$="-reading"]`)), chromedp.WaitVisible(chromedp.CSS(".city-head")))
	if h := b.Text("h1"); h != "Reading" {
		t.Fatalf("the point led to %q", h)
	}
	if lead := b.Text(".city-head .lead"); !strings.Contains(lead, "United Kingdom") {
		t.Errorf("English page: %s", lead)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`.langs a[hreflang="de"]`)), chromedp.WaitReady(chromedp.CSS(`html[lang="de"]`)))
	if lead := b.Text(".city-head .lead"); !strings.Contains(lead, "Vereinigtes Königreich") {
		t.Errorf("German page: %s", lead)
	}
	if p := b.Text("#partners + .table-wrap"); !strings.Contains(p, "Düsseldorf") || !strings.Contains(p, "1988") {
		t.Errorf("Reading's partnership with Düsseldorf: %s", p)
	}

	// Düsseldorf's figures: a chart with its table.
	var dus int64
	b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&dus)
	b.Do(chromedp.Navigate(b.URL(fmt.Sprintf("/de/cities/%d-dusseldorf", dus))), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if s := b.Text("#residents"); !strings.Contains(s, "Einwohner") {
		t.Errorf("residents heading: %s", s)
	}
	b.CheckA11y()
	b.Do(chromedp.Navigate(b.URL("/de/figures")), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	b.CheckA11y()

	// The city's editor edits, and is told plainly that a PDF is no photo.
	editor, pw := b.Server.User(auth.RoleEditor, dus)
	b.Login("de", editor.Email, pw)
	b.Do(chromedp.Navigate(b.URL(fmt.Sprintf("/de/cities/%d/edit", dus))), chromedp.WaitVisible(chromedp.CSS("#f-photo")))
	b.CheckA11y()
	pdf := t.TempDir() + "/photo.jpg"
	writeFile(t, pdf, "%PDF-1.4\n%%EOF\n")
	b.Do(chromedp.SetUploadFiles(chromedp.CSS("#f-photo"), []string{pdf}),
		chromedp.Click(chromedp.CSS(`.photo-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".photo-form .error")))
	if e := b.Text(".photo-form .error"); !strings.Contains(e, "kein verwendbares Foto") {
		t.Errorf("upload error: %s", e)
	}
	b.CheckA11y()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
