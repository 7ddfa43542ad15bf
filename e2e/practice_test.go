package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/demo"
)

// A city editor documents a practice and submits it; the secretariat finds
// it in the review queue and publishes it; a visitor finds it by searching
// in another language and reads it. Nothing of it is public before.
func TestPracticeSubmitReviewPublishFind(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	var dus int64
	b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&dus)
	editor, epw := b.Server.User(auth.RoleEditor, dus)
	admin, apw := b.Server.User(auth.RoleAdmin, 0)

	// The library and a practice page, as the public sees them.
	b.Do(chromedp.Navigate(b.URL("/en/practices")), chromedp.WaitVisible(chromedp.CSS(".practice-list")))
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(".practice-card h3 a")), chromedp.WaitVisible(chromedp.CSS(".practice-facts")))
	b.CheckA11y()

	// The editor writes a draft in German and submits it.
	b.Login("en", editor.Email, epw)
	b.Do(chromedp.Navigate(b.URL("/en/practices")), chromedp.WaitVisible(chromedp.CSS(`a[href="/en/practices/new"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/en/practices/new"]`)), chromedp.WaitVisible(chromedp.CSS("#f-title")))
	b.CheckA11y()
	b.Do(
		chromedp.SetValue(chromedp.CSS("#f-language"), "de"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Lesepaten in der Stadtbücherei"),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Ehrenamtliche lesen mit Kindern, die zu Hause wenig vorgelesen bekommen."),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Jeden Mittwoch treffen sich Lesepatinnen mit Grundschulkindern in der Bücherei."),
		chromedp.Click(chromedp.CSS(`input[name=theme][value=education]`)),
		chromedp.Click(chromedp.CSS(`input[name=group][value=children]`)),
		chromedp.SendKeys(chromedp.CSS("#f-start"), "2021-03"),
		chromedp.SetValue(chromedp.CSS("#f-status"), "running"),
		chromedp.Click(chromedp.CSS(`.practice-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".workflow")),
	)
	if s := b.Text(".wf-state"); !strings.Contains(s, "draft") {
		t.Errorf("after saving: %s", s)
	}
	work := b.Location()
	b.CheckA11y()
	submitAndWait(b, `form[action$="/submit"] button`, ".review-submitted")
	if s := b.Text(".wf-state"); !strings.Contains(s, "waiting for review") {
		t.Errorf("after submitting: %s", s)
	}
	b.Logout()

	// Not public yet: neither the page nor a search shows it.
	b.Do(chromedp.Navigate(b.URL("/en/practices?q=Lesepaten")), chromedp.WaitVisible(chromedp.CSS(".results-count")))
	if c := b.Text(".results-count"); !strings.Contains(c, "0 practices") {
		t.Errorf("an unpublished practice is found: %s", c)
	}

	// The secretariat reviews it from the dashboard and publishes it.
	b.Login("en", admin.Email, apw)
	b.Do(chromedp.Navigate(b.URL("/en/admin")), chromedp.WaitVisible(chromedp.CSS(`a[href="/en/practices/work"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/en/practices/work"]`)))
	b.WaitLocation("/en/practices/work")
	b.Do(chromedp.WaitVisible(chromedp.CSS("table")))
	if q := b.Text("main"); !strings.Contains(q, "Lesepaten in der Stadtbücherei") {
		t.Fatalf("the review queue lacks the practice: %s", q)
	}
	b.CheckA11y()
	b.Do(chromedp.Navigate(work), chromedp.WaitVisible(chromedp.CSS(`form[action$="/publish"]`)))
	b.CheckA11y()
	submitAndWait(b, `form[action$="/publish"] button`, ".state-published")
	if s := b.Text(".wf-state"); !strings.Contains(s, "published") {
		t.Errorf("after publishing: %s", s)
	}
	b.Logout()

	// A visitor reading French searches with a word form of its text.
	b.Do(chromedp.Navigate(b.URL("/fr/practices")), chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "Bücherei Kinder"),
		chromedp.Submit(chromedp.CSS("#q")))
	b.WaitLocation("q=B")
	b.Do(chromedp.WaitVisible(chromedp.CSS(".practice-list")))
	if c := b.Text(".practice-list"); !strings.Contains(c, "Lesepaten in der Stadtbücherei") {
		t.Fatalf("search results: %s", c)
	}
	if m := b.Text(".practice-card mark"); m == "" {
		t.Error("no highlighted word in the snippet")
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(".practice-card h3 a")), chromedp.WaitVisible(chromedp.CSS(".practice-facts")))
	if h := b.Text("h1"); h != "Lesepaten in der Stadtbücherei" {
		t.Errorf("practice page: %s", h)
	}
	if n := b.Text(".translation-note"); !strings.Contains(n, "allemand") {
		t.Errorf("the page does not say it falls back to German: %s", n)
	}
	b.CheckA11y()
}

// submitAndWait presses a form's button and waits for the page it leads
// to. The click starts a navigation that destroys the page's JavaScript
// context, so the wait tolerates that context vanishing once or twice.
func submitAndWait(b *Browser, button, want string) {
	b.T.Helper()
	b.Do(chromedp.Click(chromedp.CSS(button)))
	var err error
	for range 20 {
		ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
		err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(want)))
		cancel()
		if err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.T.Fatalf("after pressing %s: %v", button, err)
}
