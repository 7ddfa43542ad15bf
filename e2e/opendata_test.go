package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/demo"
)

// The open-data portal in a browser: reached from the menu, every dataset
// with its files, a dataset's columns opened; accessible in each language.
func TestOpenDataPortal(t *testing.T) {
	b := Start(t)
	if _, err := demo.Load(context.Background(), b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.Navigate(b.URL("/en/")), chromedp.WaitVisible(chromedp.CSS(`nav.main-nav a[href="/en/data"]`)),
		chromedp.Click(chromedp.CSS(`nav.main-nav a[href="/en/data"]`)), chromedp.WaitVisible(chromedp.CSS(`#practices a[data-file="practices.csv"]`)))
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`#cities summary`)), chromedp.WaitVisible(chromedp.CSS(`#cities table`)))
	if got := b.Text(`#cities table`); !strings.Contains(got, "population") || !strings.Contains(got, "Residents") {
		t.Errorf("the cities' columns: %q", got)
	}
	b.CheckA11y()
	for _, lang := range []string{"de", "fr"} {
		b.Do(chromedp.Navigate(b.URL("/"+lang+"/data")), chromedp.WaitVisible(chromedp.CSS(`a[data-archive]`)))
		b.CheckA11y()
	}
}
