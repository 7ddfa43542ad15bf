package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/db"
)

// A city's editor writes a German item with a photo and schedules it; the
// home page shows it once the publishing job has run at its time, not
// before.
func TestEditorSchedulesNews(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	var dus int64
	now := db.Now()
	if err := b.DB.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, names, country, continent, lat, lon, timezone, membership, created_at, updated_at)
		VALUES ('dusseldorf', 'Düsseldorf', '{}', 'DE', 'europe', 51.2, 6.8, 'Europe/Berlin', 'member', $1, $1) RETURNING id`, now).Scan(&dus); err != nil {
		t.Fatal(err)
	}
	editor, pw := b.Server.User(auth.RoleEditor, dus)
	b.Login("de", editor.Email, pw)

	b.Do(chromedp.Navigate(b.URL("/de/news/work")), chromedp.WaitVisible(chromedp.CSS(`a[href="/de/news/new"]`)))
	b.Do(chromedp.Click(chromedp.CSS(`a[href="/de/news/new"]`)), chromedp.WaitVisible(chromedp.CSS("#title")))
	b.CheckA11y()
	b.Do(
		chromedp.SendKeys(chromedp.CSS("#title"), "Sommerfest der Nachbarschaften"),
		chromedp.SendKeys(chromedp.CSS("#lead"), "Die Stadt lädt alle Nachbarschaften in den Hofgarten ein."),
		chromedp.SendKeys(chromedp.CSS("#body"), "Musik, Essen aus **vielen Ländern** und Gespräche."),
		chromedp.SendKeys(chromedp.CSS("#place"), "Düsseldorf, Hofgarten"),
		chromedp.SetValue(chromedp.CSS("#dated_on"), "2027-07-04"),
		chromedp.Click(chromedp.CSS(`.news-form .form-actions button`)),
	)
	b.WaitLocation("/edit")
	b.Do(chromedp.WaitVisible(chromedp.CSS("#image")))

	// A photo with caption and credit.
	photo := t.TempDir() + "/hofgarten.png"
	writePNG(t, photo)
	b.Do(
		chromedp.SetUploadFiles(chromedp.CSS("#image"), []string{photo}),
		chromedp.SendKeys(chromedp.CSS("#caption"), "Der Hofgarten im Sommer"),
		chromedp.SendKeys(chromedp.CSS("#credit"), "Stadt Düsseldorf"),
		chromedp.SendKeys(chromedp.CSS("#licence"), "CC BY 4.0"),
		chromedp.Click(chromedp.CSS(`.images-edit button[type=submit]:not(.link)`)),
		chromedp.WaitVisible(chromedp.CSS(".image-list img")),
	)
	b.CheckA11y()

	// Scheduled for two hours from now, Düsseldorf time.
	loc, _ := time.LoadLocation("Europe/Berlin")
	at := time.Now().Add(2 * time.Hour).In(loc).Truncate(time.Minute)
	b.Do(
		chromedp.SetValue(chromedp.CSS("#publish_at"), at.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS(`.state-box form button`)),
		// The page before the answer has the same box: wait for what only a
		// scheduled item offers (taking it back to draft).
		chromedp.WaitReady(chromedp.CSS(`.state-box input[name=state][value=draft]`)),
	)
	if s := b.Text(".state-box h2"); !strings.Contains(s, "geplant") {
		t.Fatalf("after scheduling: %s", s)
	}

	// Not before its time.
	b.Do(chromedp.Navigate(b.URL("/de/")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if body := b.Text("main"); strings.Contains(body, "Sommerfest der Nachbarschaften") {
		t.Fatal("the scheduled item is on the home page before its time")
	}
	if n, err := b.Server.App.News.Store.PublishDue(ctx, at.Add(-time.Minute)); err != nil || n != 0 {
		t.Fatalf("a minute early: %d published, %v", n, err)
	}
	// The job runs at its time.
	if n, err := b.Server.App.News.Store.PublishDue(ctx, at); err != nil || n != 1 {
		t.Fatalf("at its time: %d published, %v", n, err)
	}
	b.Do(chromedp.Navigate(b.URL("/de/")), chromedp.WaitVisible(chromedp.CSS(".home-news")))
	if s := b.Text(".home-news"); !strings.Contains(s, "Sommerfest der Nachbarschaften") || !strings.Contains(s, "Hofgarten") {
		t.Fatalf("home page news: %s", s)
	}
	if w := Value(b, chromedp.Evaluate[int](`document.querySelector(".home-news img").naturalWidth`)); w == 0 {
		t.Error("the photo does not load on the home page")
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`.home-news h3 a`)), chromedp.WaitVisible(chromedp.CSS(".news-item h1")))
	if s := b.Text(".news-meta"); !strings.Contains(s, "4. Juli 2027") || !strings.Contains(s, "Hofgarten") {
		t.Errorf("date and place: %s", s)
	}
	if s := b.Text(".news-photo figcaption"); !strings.Contains(s, "Der Hofgarten im Sommer") || !strings.Contains(s, "Stadt Düsseldorf") {
		t.Errorf("caption and credit: %s", s)
	}
	b.CheckA11y()
}

func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 480, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 480; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 2), uint8(y / 2), 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
