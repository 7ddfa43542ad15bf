package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
)

func TestHomeSignInDashboardSignOut(t *testing.T) {
	b := Start(t)
	for lang, title := range map[string]string{"de": "Zusammenleben in der Stadt", "en": "Living together in the city", "fr": "Vivre ensemble en ville"} {
		b.Do(chromedp.Navigate(b.URL("/"+lang+"/")), chromedp.WaitVisible(chromedp.CSS("h1")))
		htmlLang := Value(b, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
		if got := b.Text("h1"); got != title || htmlLang != lang {
			t.Errorf("%s home: h1 %q, lang %q", lang, got, htmlLang)
		}
		b.CheckA11y()
	}
	// The language switcher keeps the page.
	b.Do(chromedp.Click(chromedp.CSS(`.langs a[hreflang="de"]`)))
	b.WaitLocation("/de/")
	if got := b.Text("h1"); got != "Zusammenleben in der Stadt" {
		t.Errorf("after switching to German: %q", got)
	}

	admin, pw := b.Server.User(auth.RoleAdmin, 0)
	b.Login("en", admin.Email, pw)
	if loc := b.Location(); !strings.HasSuffix(loc, "/en/admin") {
		t.Errorf("after sign-in the browser is at %s", loc)
	}
	if h := b.Text("h1"); h != "Administration" {
		t.Errorf("dashboard heading %q", h)
	}
	b.CheckA11y()
	if body := b.Text("main"); !strings.Contains(body, string(b.DB.Engine())) || !strings.Contains(body, "Active accounts") {
		t.Errorf("dashboard lacks engine or counts: %s", body)
	}
	b.Do(chromedp.Navigate(b.URL("/en/admin/users")), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	b.CheckA11y()
	b.Logout()
	b.Do(chromedp.Navigate(b.URL("/en/admin")), chromedp.WaitVisible(chromedp.CSS("#f-email")))
}
