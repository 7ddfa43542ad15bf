package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/demo"
)

// An editor of Warsaw finds a practice of Haifa and asks Haifa for a study
// visit; Haifa's editor accepts, sets the date, writes in the thread and
// reports; Warsaw links its own practice as adapted from Haifa's. Once
// both cities agree, a visitor sees the adoption on the practice's page
// and in the network of exchanges — and nothing of their conversation.
func TestExchangeRequestToAdopted(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	var warsaw, haifa, original, own int64
	b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'warsaw'`).Scan(&warsaw)
	b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'haifa'`).Scan(&haifa)
	b.DB.R.QueryRow(`SELECT id FROM practices WHERE city_id = $1 AND state = 'published' ORDER BY id LIMIT 1`, haifa).Scan(&original)
	b.DB.R.QueryRow(`SELECT id FROM practices WHERE city_id = $1 AND state = 'published' ORDER BY id LIMIT 1`, warsaw).Scan(&own)
	if original == 0 || own == 0 {
		t.Fatal("the demo lacks a practice of Haifa or Warsaw")
	}
	asker, apw := b.Server.User(auth.RoleEditor, warsaw)
	owner, opw := b.Server.User(auth.RoleEditor, haifa)

	// Warsaw asks from the practice's page.
	b.Login("en", asker.Email, apw)
	b.Do(chromedp.Navigate(b.URL(fmt.Sprintf("/en/practices/%d", original))), chromedp.WaitVisible(chromedp.CSS(".practice-exchanges")))
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`.practice-exchanges a.button`)), chromedp.WaitVisible(chromedp.CSS("#f-message")))
	b.CheckA11y()
	b.Do(
		chromedp.SetValue(chromedp.CSS("#f-kind"), "visit"),
		chromedp.SendKeys(chromedp.CSS("#f-message"), "Our multicultural centre would like to learn how your festival brings the city's communities together."),
		chromedp.SendKeys(chromedp.CSS("#f-dates"), "Two days in March"),
		chromedp.Click(chromedp.CSS(`input[name=languages][value=de]`)),
	)
	submitAndWait(b, `.exchange-form button[type=submit]`, ".state-box.state-requested")
	if s := b.Text(".wf-state"); s != "requested" {
		t.Errorf("after asking: %s", s)
	}
	exchangePage := b.Location()
	b.CheckA11y()
	b.Logout()

	// Haifa finds it in its inbox and takes it to done.
	b.Login("en", owner.Email, opw)
	b.Do(chromedp.Navigate(b.URL("/en/exchanges")), chromedp.WaitVisible(chromedp.CSS(".exchange-list")))
	if s := b.Text("main"); !strings.Contains(s, "Warsaw → Haifa") {
		t.Fatalf("Haifa's inbox: %s", s)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`.exchange-list a[href="`+strings.TrimPrefix(exchangePage, b.URL(""))+`"]`)), chromedp.WaitVisible(chromedp.CSS(".step-accepted")))
	submitAndWait(b, `.step-accepted button`, ".state-box.state-accepted")
	b.Do(
		chromedp.SetValue(chromedp.CSS("#f-date"), "2027-03-10"),
		chromedp.SendKeys(chromedp.CSS("#f-place"), "Beit HaGefen, Haifa"),
	)
	submitAndWait(b, `.step-scheduled button`, ".state-box.state-scheduled")
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-body"), "Welcome! We will meet the festival's volunteers on the first day."))
	submitAndWait(b, `#thread form button[type=submit]`, ".thread-list .message")
	b.CheckA11y()
	b.Do(
		chromedp.SendKeys(chromedp.CSS("#f-learned"), "Volunteers from every community plan the festival together."),
		chromedp.SendKeys(chromedp.CSS("#f-will_try"), "A joint programme for the centre's open day."),
	)
	submitAndWait(b, `.step-done button`, ".state-box.state-done")
	agreePublic(b)
	b.Logout()

	// Warsaw links its own practice as adapted from Haifa's and agrees to show it.
	b.Login("en", asker.Email, apw)
	b.Do(chromedp.Navigate(exchangePage), chromedp.WaitVisible(chromedp.CSS(".step-adopted")))
	if s := b.Text(".thread-list"); !strings.Contains(s, "festival's volunteers") {
		t.Errorf("Warsaw does not see Haifa's message: %s", s)
	}
	b.Do(chromedp.SetValue(chromedp.CSS("#f-adapted"), fmt.Sprint(own)))
	submitAndWait(b, `.step-adopted button`, ".state-box.state-adopted")
	b.CheckA11y()
	agreePublic(b)
	b.Logout()

	// The public sees what travelled.
	b.Do(chromedp.Navigate(b.URL(fmt.Sprintf("/en/practices/%d", original))), chromedp.WaitVisible(chromedp.CSS(".adopted-by")))
	if s := b.Text(".adopted-by"); !strings.Contains(s, "Warsaw") {
		t.Errorf("adopted by: %s", s)
	}
	if s := b.Text("main"); strings.Contains(s, "festival's volunteers") || strings.Contains(s, "Ask Haifa") {
		t.Errorf("the public sees the thread or the editors' entry point: %s", s)
	}
	b.Do(chromedp.Navigate(b.URL("/en/exchanges")), chromedp.WaitVisible(chromedp.CSS("svg.exchange-network")))
	if s := b.Text(".public-exchanges"); !strings.Contains(s, "Warsaw → Haifa") {
		t.Errorf("the network: %s", s)
	}
	b.CheckA11y()
	// The exchange's own page stays closed to the public.
	b.Do(chromedp.Navigate(exchangePage), chromedp.WaitVisible(chromedp.CSS("#f-email")))
}

// agreePublic agrees to show the exchange and waits for the page that says
// so: the page before it may show a flash of the step before.
func agreePublic(b *Browser) {
	b.T.Helper()
	b.Do(chromedp.Click(chromedp.CSS(`form[action$="/public"] button`)),
		chromedp.WaitReady(chromedp.CSS(`form[action$="/public"] input[name=agree][value=no]`)))
}
