package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/testutil"
)

// A city editor makes a personal API token on the account page: it is
// shown once, works for a real request that writes a draft, its last use
// shows on the page, and once revoked it is refused.
func TestAPITokenLifecycle(t *testing.T) {
	b := Start(t)
	city := testutil.AddCity(t, b.DB, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe", Lat: 51.2, Lon: 6.8})
	editor, pw := b.Server.User(auth.RoleEditor, city)
	b.Login("en", editor.Email, pw)

	// From the account page to the tokens page.
	b.Do(chromedp.Navigate(b.URL("/en/account")), chromedp.WaitVisible(chromedp.CSS(`a[href="/en/account/tokens"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/en/account/tokens"]`)), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	b.CheckA11y()

	// A token with a scope and an expiry: its secret shown once.
	b.Do(
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Website import"),
		chromedp.Click(chromedp.CSS(`input[name=scope][value="practices:write"]`)),
		chromedp.SetValue(chromedp.CSS("#expires"), "30"),
		chromedp.Click(chromedp.CSS(`form[action="/en/account/tokens"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("code.token-secret")),
	)
	secret := b.Text("code.token-secret")
	if !strings.HasPrefix(secret, auth.TokenPrefix) {
		t.Fatalf("the secret shown: %q", secret)
	}
	b.CheckA11y()
	row := b.Text("tbody tr")
	if !strings.Contains(row, "Website import") || !strings.Contains(row, "practices:write") || strings.Contains(row, "never") || !strings.Contains(row, "active") {
		t.Errorf("the token's row: %q", row)
	}
	b.Do(chromedp.Navigate(b.URL("/en/account/tokens")), chromedp.WaitVisible(chromedp.CSS("tbody tr")))
	if shown := Value(b, chromedp.Evaluate[bool](`document.querySelector(".token-secret") !== null || document.body.innerText.includes(`+"`"+secret+"`"+`)`)); shown {
		t.Error("the secret is shown again")
	}

	// A real request with it writes a draft of the editor's city.
	draft := func() int {
		req, err := http.NewRequest("POST", b.URL("/api/v1/practices"),
			strings.NewReader(`{"language":"de","title":"Nachbarschaftsgarten","summary":"Nachbarn pflanzen gemeinsam.","themes":["public-space"],"start":"2024"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := draft(); st != http.StatusCreated {
		t.Fatalf("creating a draft with the token: %d", st)
	}
	if n := testutil.Count(t, b.DB, `SELECT COUNT(*) FROM practices WHERE city_id = $1 AND state = 'draft'`, city); n != 1 {
		t.Errorf("%d drafts", n)
	}

	// The page shows its last use.
	b.Do(chromedp.Navigate(b.URL("/en/account/tokens")), chromedp.WaitVisible(chromedp.CSS("tbody tr")))
	if used := b.Text("tbody tr td:nth-child(5)"); used == "—" || used == "" {
		t.Errorf("last use: %q", used)
	}

	// Revoked, it is refused.
	b.Do(chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)))
	b.Do(chromedp.WaitVisible(chromedp.CSS("tbody tr .badge.warn")))
	if s := b.Text("tbody tr .badge"); s != "revoked" {
		t.Errorf("state after revoking: %q", s)
	}
	b.CheckA11y()
	if st := draft(); st != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", st)
	}
	if n := testutil.Count(t, b.DB, `SELECT COUNT(*) FROM practices`); n != 1 {
		t.Errorf("%d practices after the refused request", n)
	}
}
