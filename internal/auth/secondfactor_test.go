package auth_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

var (
	shownKey      = regexp.MustCompile(`id="second-factor-key">([A-Z2-7 ]+)<`)
	recoveryShown = regexp.MustCompile(`<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>`)
)

func b32(secret []byte) string { return strings.ReplaceAll(auth.TOTPKey(secret), " ", "") }

// setUpSecondFactor turns the signed-in client's second factor on through
// the account pages and returns the secret shown and the recovery codes.
func setUpSecondFactor(t *testing.T, c *testutil.Client) ([]byte, []string) {
	t.Helper()
	page := c.Get("/en/account/two-factor").Expect(t, 200, "Scan this QR code", `src="data:image/png;base64,`)
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the set-up page may be cached: Cache-Control %q", cc)
	}
	m := shownKey.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no key on the set-up page:\n%s", page.Body)
	}
	secret, err := auth.ParseTOTPKey(m[1])
	if err != nil {
		t.Fatal(err)
	}
	// The same key until it is confirmed (a reload does not change it).
	c.Get("/en/account/two-factor").Expect(t, 200, m[1])
	c.Post("/en/account/two-factor", url.Values{"do": {"confirm"}, "code": {"12345"}}).Expect(t, 422, "This code is wrong")
	wrong := auth.TOTPCode(secret, time.Now().Add(-5*time.Minute))
	c.Post("/en/account/two-factor", url.Values{"do": {"confirm"}, "code": {wrong}}).Expect(t, 422, "This code is wrong")
	res := c.Post("/en/account/two-factor", url.Values{"do": {"confirm"}, "code": {auth.TOTPCode(secret, time.Now())}}).
		Expect(t, 200, "Your recovery codes", "On").Lacks(t, m[1])
	codes := recoveryShown.FindAllStringSubmatch(res.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	// Never shown again.
	c.Get("/en/account/two-factor").Expect(t, 200, "10 recovery codes left").Lacks(t, m[1], out[0], "data:image/png")
	return secret, out
}

// Any account can turn on a second factor; then signing in asks for a
// code after the password; each code works once; the code step is
// limited like the password.
func TestSecondFactorSignIn(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, func(c *config.Config) {
			c.SecretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		})
		u, pw := s.User(auth.RoleEditor, testCity(t, d))
		c := s.Client()
		c.Login(u.Email, pw)
		secret, recovery := setUpSecondFactor(t, c)

		// At rest the secret is sealed with the server's key, and recovery codes are hashes.
		var stored string
		d.R.QueryRow(`SELECT secret FROM second_factors WHERE user_id = $1`, u.ID).Scan(&stored)
		if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, strings.ReplaceAll(auth.TOTPKey(secret), " ", "")) {
			t.Errorf("stored secret %q is not sealed", stored)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND code_hash = $2`, u.ID, recovery[0]); n != 0 {
			t.Error("a recovery code is stored as it is")
		}
		c.Get("/en/account").Expect(t, 200, "Second factor", "10 recovery codes left")
		// The person's download says a second factor is on, never its secret or codes.
		c.Get("/en/account/data.json").Expect(t, 200, "\"second_factor\": {\n", "\"on\": true,", "\"recovery_codes_left\": 10").
			Lacks(t, stored, b32(secret), recovery[0])

		// The password alone does not sign in.
		c.Post("/en/logout", nil).Expect(t, 303)
		c.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303).Header.Get("Location")
		c.Get("/en/account").Expect(t, 303)
		c.Get("/en/login/code").Expect(t, 200, "six-digit code")
		c.Post("/en/login/code", url.Values{"code": {"000000"}}).Expect(t, 401, "This code is wrong or was already used")
		c.Post("/fr/login/code", url.Values{"code": {"000000"}}).Expect(t, 401, "Ce code est faux ou a déjà été utilisé")
		next := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
		res := c.Post("/en/login/code", url.Values{"code": {next}}).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/en/account" {
			t.Errorf("after the code: %s", loc)
		}
		c.Get("/en/account").Expect(t, 200)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND actor_id = $1 AND detail = 'second factor'`, u.ID); n != 1 {
			t.Errorf("sign-ins with the second factor in the audit log: %d, want 1", n)
		}

		// The same code again: refused (its step is used up).
		c2 := s.Client()
		c2.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		c2.Post("/en/login/code", url.Values{"code": {next}}).Expect(t, 401, "already used")
		// A recovery code works, once.
		c2.Post("/en/login/code", url.Values{"code": {strings.ToUpper(recovery[3])}}).Expect(t, 303)
		c2.Get("/en/account").Expect(t, 200, "9 recovery codes left")

		// New recovery codes and turning off need a code; wrong ones change nothing.
		c.Post("/en/account/two-factor", url.Values{"do": {"off"}, "code": {"999999"}}).Expect(t, 422)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM second_factors WHERE user_id = $1`, u.ID); n != 1 {
			t.Fatal("a wrong code turned the second factor off")
		}
		c.Post("/en/account/two-factor", url.Values{"do": {"off"}, "code": {recovery[5]}}).Expect(t, 303)
		c.Get("/en/account/two-factor").Expect(t, 200, "Scan this QR code")
		secret, _ = setUpSecondFactor(t, c)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'auth.second_factor.%' AND actor_id = $1`, u.ID); n != 3 {
			t.Errorf("second-factor changes in the audit log: %d, want 3 (on, off, on)", n)
		}
		c3 := s.Client()
		c3.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 303)
		c3.Post("/en/login/code", url.Values{"code": {recovery[3]}}).Expect(t, 401)
		// A used recovery code is wrong; five wrong codes go through, then
		// the wait, for the right code too.
		for range 4 {
			c3.Post("/en/login/code", url.Values{"code": {"111111"}}).Expect(t, 401)
		}
		c3.Post("/en/login/code", url.Values{"code": {auth.TOTPCode(secret, time.Now().Add(60*time.Second))}}).Expect(t, 429, "Too many wrong codes")
		// The account holder hears that someone knows the password, once.
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 AND subject LIKE 'Wrong codes%'`, u.Email); n != 1 {
			t.Errorf("notices about wrong codes: %d, want 1", n)
		}
		// Without a password first there is no code step.
		s.Client().Post("/en/login/code", url.Values{"code": {"123456"}}).Expect(t, 303)
	})
}

// Administrators must set up a second factor before anything else (the
// default of --second-factor-admins), cannot turn it off, and the
// secretariat can reset someone's lost one.
func TestSecondFactorRequiredForAdmins(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, func(c *config.Config) { c.SecondFactorAdmins = true })
		admin, pw := s.User(auth.RoleAdmin, 0)
		editor, epw := s.User(auth.RoleEditor, testCity(t, d))
		c := s.Client()
		c.Login(admin.Email, pw)
		res := c.Get("/en/admin/users").Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/en/account/two-factor" {
			t.Fatalf("an administrator without a second factor was sent to %q", loc)
		}
		c.Get("/en/account").Expect(t, 303)
		c.Get("/en/account/two-factor").Expect(t, 200, "Your role requires a second factor")
		secret, _ := setUpSecondFactor(t, c)
		c.Get("/en/admin/users").Expect(t, 200)
		c.Post("/en/account/two-factor", url.Values{"do": {"off"}, "code": {auth.TOTPCode(secret, time.Now().Add(30*time.Second))}}).
			Expect(t, 422, "it cannot be turned off")
		// Editors are not asked.
		e := s.Client()
		e.Login(editor.Email, epw)
		e.Get("/en/account").Expect(t, 200, "Set up a second factor")

		// Resetting ends the person's sessions and asks for a new set-up.
		other, opw := s.User(auth.RoleEditor, testCity(t, d))
		o := s.Client()
		o.Login(other.Email, opw)
		setUpSecondFactor(t, o)
		c.Post("/en/admin/users/"+strconv.FormatInt(other.ID, 10)+"/second-factor/reset", nil).Expect(t, 303)
		o.Get("/en/account").Expect(t, 303)
		o.Login(other.Email, opw)
		o.Get("/en/account").Expect(t, 200, "Set up a second factor")
		e.Post("/en/admin/users/"+strconv.FormatInt(other.ID, 10)+"/second-factor/reset", nil).Expect(t, 403)

		// A new administrator who accepts an invitation is signed in straight to the set-up.
		res = c.Post("/en/admin/users", url.Values{"name": {"New Admin"}, "email": {"new.admin@example.org"}, "role": {"admin"}, "lang": {"de"}}).Expect(t, 200)
		link := regexp.MustCompile(`/de/invitation/[A-Za-z0-9_-]+`).FindString(res.Body)
		n := s.Client()
		n.Post(link, url.Values{"password": {"a long new password"}, "password2": {"a long new password"}}).Expect(t, 303)
		res = n.Get("/de/account").Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/de/account/two-factor" {
			t.Errorf("a new administrator was sent to %q", loc)
		}
		n.Get("/de/account/two-factor").Expect(t, 200, "Richten Sie zuerst einen zweiten Faktor ein", "QR-Code")
	})
}

// TOTP matches RFC 6238's test vectors (SHA-1, eight digits cut to six).
func TestTOTPVectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037"} {
		if got := auth.TOTPCode(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("T=%d: %s, want %s", unix, got, want)
		}
	}
	if _, err := auth.NewSealer("too short"); err == nil {
		t.Error("a short --secret-key was accepted")
	}
}
