package auth_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

const testSecretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// Secrets set up while the server had no --secret-key are sealed when a
// server starts with one: at start, every one of them, so none waits for
// its owner's next sign-in. The second factor keeps working.
func TestSecretKeyAddedLaterSealsStoredSecrets(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		plain := testutil.NewServer(t, d)
		u, pw := plain.User(auth.RoleEditor, testCity(t, d))
		c := plain.Client()
		c.Login(u.Email, pw)
		secret, _ := setUpSecondFactor(t, c)
		stored := func() string {
			var s string
			if err := d.R.QueryRow(`SELECT secret FROM second_factors WHERE user_id = $1`, u.ID).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := stored(); !strings.HasPrefix(s, "plain:") {
			t.Fatalf("without a key the secret is stored as %q", s)
		}

		sealed := testutil.NewServerWith(t, d, func(c *config.Config) { c.SecretKey = testSecretKey })
		s := stored()
		if !strings.HasPrefix(s, "v1:") || strings.Contains(s, b32(secret)) {
			t.Fatalf("after a start with a key the secret is stored as %q", s)
		}
		// The same app code works on the server with the key.
		n := sealed.Client()
		n.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		n.Post("/en/login/code", url.Values{"code": {auth.TOTPCode(secret, time.Now().Add(30*time.Second))}}).Expect(t, 303)
		n.Get("/en/account").Expect(t, 200, "10 recovery codes left")
		// A second start changes nothing more.
		testutil.NewServerWith(t, d, func(c *config.Config) { c.SecretKey = testSecretKey })
		if again := stored(); again != s {
			t.Error("a second start sealed the secret again")
		}
	})
}

// A recovery code spent on signing in is told to the account holder by
// mail, in their language, with a link from the configured address; a code
// from the app is not.
func TestRecoveryCodeUseMailsTheAccountHolder(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, func(c *config.Config) { c.BaseURL = "http://links.example.org" })
		u, pw := s.User(auth.RoleEditor, testCity(t, d))
		if _, err := d.W.Exec(`UPDATE users SET lang = 'de' WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		c.Login(u.Email, pw)
		secret, recovery := setUpSecondFactor(t, c)
		notices := func() (n int64) {
			return testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 AND subject LIKE '%Wiederherstellungscode%'`, u.Email)
		}

		a := s.Client()
		a.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		a.Post("/en/login/code", url.Values{"code": {auth.TOTPCode(secret, time.Now().Add(30*time.Second))}}).Expect(t, 303)
		if n := notices(); n != 0 {
			t.Fatalf("a code from the app sent %d notices", n)
		}
		b := s.Client()
		b.Post("/fr/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		b.Post("/fr/login/code", url.Values{"code": {recovery[2]}}).Expect(t, 303)
		if n := notices(); n != 1 {
			t.Fatalf("notices after a recovery code: %d, want 1", n)
		}
		var body string
		if err := d.R.QueryRow(`SELECT body FROM mail_outbox WHERE recipient = $1 AND subject LIKE '%Wiederherstellungscode%'`, u.Email).Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Hallo " + u.Name, "http://links.example.org/de/account/two-factor", "http://links.example.org/de/account/password", "9"} {
			if !strings.Contains(body, want) {
				t.Errorf("the notice lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, s.URL) || strings.Contains(body, "127.0.0.1") {
			t.Errorf("the notice links to the address the request named:\n%s", body)
		}
		// A wrong recovery code sends nothing.
		w := s.Client()
		w.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		w.Post("/en/login/code", url.Values{"code": {"aaaa-bbbb-cccc-dddd"}}).Expect(t, 401)
		if n := notices(); n != 1 {
			t.Errorf("notices after a wrong recovery code: %d, want 1", n)
		}
	})
}
