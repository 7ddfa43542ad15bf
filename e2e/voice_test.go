package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/voice"
)

// A kiosk at the exhibition loses its network, takes an idea, gets the
// network back: exactly one idea arrives; a moderator publishes it, it
// shows on the public page and a visitor supports it once.
func TestKioskOfflineIdeaArrivesOnce(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	var city int64
	if err := b.DB.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
		VALUES ('dusseldorf', 'Düsseldorf', 'DE', 'europe', 51.23, 6.78, 'member', $1, $1) RETURNING id`, db.Now()).Scan(&city); err != nil {
		t.Fatal(err)
	}
	st := b.Server.App.Voice.Store
	a := audit.System("test")
	id, err := st.SaveConsultation(ctx, a, 0, voice.ConsultationInput{CityID: city, Slug: "morgen",
		Question: i18n.Text{"de": "Was wünschen Sie sich für die Stadt von morgen?", "en": "What do you wish for the city of tomorrow?"}, SourceLang: "de",
		Themes: []string{"culture", "housing"}, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(24 * time.Hour), RetentionDays: 30, Moderation: "before"})
	if err != nil {
		t.Fatal(err)
	}
	c := &voice.Consultation{ID: id, Slug: "morgen"}
	ex, err := st.SaveExhibition(ctx, a, c, voice.Exhibition{Venue: "NRW-Forum", Lat: 51.236, Lon: 6.774, StartsOn: "2019-09-01", EndsOn: "2019-09-07"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.AddStation(ctx, a, c, ex, "Eingang")
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := b.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	offline := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
			return err
		})
	}

	// The kiosk's script marks the page when it is ready for touches.
	b.Do(chromedp.Navigate(b.URL("/de/ideas/morgen/kiosk/"+token)), chromedp.WaitVisible(chromedp.CSS(`body[data-start-lang] button.k-lang[data-lang="tr"]`)))
	b.Do(offline(true))
	text := "Her mahallede farklı kültürlerin tanıtıldığı bir sokak festivali olsun."
	b.Do(chromedp.Click(chromedp.CSS(`button.k-lang[data-lang="tr"]`)), chromedp.WaitVisible(chromedp.CSS("#k-text")))
	b.Do(chromedp.SendKeys(chromedp.CSS("#k-text"), text))
	if got := Value(b, chromedp.Value(chromedp.CSS("#k-text"))); got != text {
		t.Fatalf("typed %q, the field holds %q", text, got)
	}
	b.Do(chromedp.Click(chromedp.CSS("#k-next")), chromedp.WaitVisible(chromedp.CSS(`button.k-theme[data-theme="culture"]`)))
	b.Do(chromedp.Click(chromedp.CSS(`button.k-theme[data-theme="culture"]`)), chromedp.WaitVisible(chromedp.CSS("#k-thanks")))
	if msg := b.Text("#k-thanks-text"); !strings.Contains(msg, "ağ geri gelince") {
		t.Errorf("offline thank-you: %q", msg)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d ideas arrived while the kiosk was offline", n)
	}
	b.Do(offline(false), chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online"))`))
	deadline := time.Now().Add(40 * time.Second)
	for count() == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	// Sending again (the event, the timer) must not double it.
	b.Do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online"))`), chromedp.Sleep(time.Second))
	if n := count(); n != 1 {
		t.Fatalf("%d ideas arrived, want exactly 1", n)
	}
	var channel, lang, theme string
	if err := b.DB.R.QueryRowContext(ctx, `SELECT channel, lang, theme FROM voice_ideas`).Scan(&channel, &lang, &theme); err != nil {
		t.Fatal(err)
	}
	if channel != "kiosk" || lang != "tr" || theme != "culture" {
		t.Errorf("stored as %s/%s/%s", channel, lang, theme)
	}

	// A moderator of the city publishes it.
	mod, pw := b.Server.User(auth.RoleModerator, city)
	b.Login("de", mod.Email, pw)
	b.Do(chromedp.Navigate(b.URL("/de/admin/ideas")), chromedp.WaitVisible(chromedp.CSS(".queue-item")))
	if !strings.Contains(b.Text(".queue-item"), "sokak festivali") {
		t.Fatalf("queue: %s", b.Text("main"))
	}
	b.Do(chromedp.Click(chromedp.CSS(".queue-item .act-publish")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.Logout()

	// The public sees it and supports it, once.
	b.Do(chromedp.Navigate(b.URL("/de/ideas/morgen")), chromedp.WaitVisible(chromedp.CSS(".voice-idea")))
	if !strings.Contains(b.Text(".voice-idea"), "sokak festivali") {
		t.Fatalf("public page: %s", b.Text("main"))
	}
	b.CheckA11y()
	for range 2 {
		// From a fresh page each time, so the message waited for is the new one.
		b.Do(chromedp.Navigate(b.URL("/de/ideas/morgen")), chromedp.WaitVisible(chromedp.CSS(".voice-idea")),
			chromedp.Click(chromedp.CSS(`.voice-idea form[action$="/support"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	}
	if s := b.Text(".voice-idea .count"); s != "(1)" {
		t.Errorf("supports shown: %q", s)
	}
	if f := b.Text(".flash"); !strings.Contains(f, "bereits unterstützt") {
		t.Errorf("second support: %q", f)
	}
}
