package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/testutil"
)

// A French-speaking editor sets up a second factor from the account page
// (QR code and the key to type), signs out, and signs in again with a code
// computed from the key shown; a wrong code is refused in French.
func TestSecondFactorInTheBrowser(t *testing.T) {
	b := Start(t)
	lyon := testutil.AddCity(t, b.DB, testutil.City{Slug: "lyon", Name: "Lyon", Country: "FR", Continent: "europe"})
	u, pw := b.Server.User(auth.RoleEditor, lyon)
	if err := b.Server.App.Users.SetLang(context.Background(), audit.System("test"), u.ID, "fr"); err != nil {
		t.Fatal(err)
	}
	b.Login("fr", u.Email, pw)
	b.Do(
		chromedp.Navigate(b.URL("/fr/account")),
		chromedp.WaitVisible(chromedp.CSS(`#account-security`)),
		chromedp.Click(chromedp.CSS(`.account-security a[href="/fr/account/two-factor"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#second-factor-key`)),
		chromedp.WaitVisible(chromedp.CSS(`img[src^="data:image/png"]`)),
	)
	b.CheckA11y()
	secret, err := auth.ParseTOTPKey(b.Text(`#second-factor-key`))
	if err != nil {
		t.Fatal(err)
	}
	b.Do(
		chromedp.SendKeys(chromedp.CSS(`#f-code`), auth.TOTPCode(secret, time.Now())),
		chromedp.Submit(chromedp.CSS(`#f-code`)),
		chromedp.WaitVisible(chromedp.CSS(`.recovery-codes`)),
	)
	if n := strings.Count(b.Text(`.recovery-codes`), "-"); n != 30 {
		t.Errorf("recovery codes shown: %q", b.Text(`.recovery-codes`))
	}
	if got := b.Text(`#second-factor-state`); !strings.Contains(got, "Activé") {
		t.Errorf("state after set-up: %q", got)
	}
	b.Logout()

	// The password, then the code: a wrong one is refused in French.
	b.Do(
		chromedp.Navigate(b.URL("/fr/login")),
		chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), pw),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
	)
	b.WaitLocation("/fr/login/code")
	b.Do(
		chromedp.WaitVisible(chromedp.CSS(`#f-code`)),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), "000000"),
		chromedp.Submit(chromedp.CSS(`#f-code`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-code-err`)),
	)
	if got := b.Text(`#f-code-err`); !strings.Contains(got, "Ce code est faux ou a déjà été utilisé") {
		t.Errorf("wrong code: %q", got)
	}
	b.CheckA11y()
	// The next step's code (the one used to set up is spent).
	b.Do(
		chromedp.SendKeys(chromedp.CSS(`#f-code`), auth.TOTPCode(secret, time.Now().Add(30*time.Second))),
		chromedp.Submit(chromedp.CSS(`#f-code`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/logout"]`)),
	)
	b.WaitLocation("/fr/account")
	if got := b.Text(`.account-security`); !strings.Contains(got, "Activé") {
		t.Errorf("account page after signing in with the code: %q", got)
	}
}
