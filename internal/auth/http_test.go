package auth_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Sign-in, roles, invitations, password changes and resets, through the
// real router on both engines.

func TestSignInSignOut(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, pw := s.User(auth.RoleAdmin, 0)
		c := s.Client()
		c.Get("/en/admin").Expect(t, 303)
		// Wrong password and unknown account get the same answer.
		wrong := c.Post("/en/login", url.Values{"email": {admin.Email}, "password": {"nope nope nope"}}).Expect(t, 401, "The e-mail address or the password is wrong.", `value="`+admin.Email+`"`, `aria-invalid="true"`)
		unknown := c.Post("/en/login", url.Values{"email": {"nobody@example.org"}, "password": {"nope nope nope"}}).Expect(t, 401)
		if strings.ReplaceAll(wrong.Body, admin.Email, "X") != strings.ReplaceAll(unknown.Body, "nobody@example.org", "X") {
			t.Error("unknown and known e-mail addresses get different answers")
		}
		before := sessionCookie(c, s)
		res := c.Post("/de/login", url.Values{"email": {admin.Email}, "password": {pw}}).Expect(t, 303)
		if res.Header.Get("Location") != "/de/admin" {
			t.Errorf("after sign-in: %s", res.Header.Get("Location"))
		}
		ck := findCookie(res, "observatory_session")
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
			t.Fatalf("session cookie: %+v", ck)
		}
		if before != "" && before == ck.Value {
			t.Error("the session id was not renewed at sign-in")
		}
		c.Get("/de/admin").Expect(t, 200, "Verwaltung", string(d.Engine()), "Aktive Konten")
		c.Post("/de/logout", nil).Expect(t, 303)
		c.Get("/de/admin").Expect(t, 303)
	})
}

func sessionCookie(c *testutil.Client, s *testutil.Server) string {
	u, _ := url.Parse(s.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "observatory_session" {
			return ck.Value
		}
	}
	return ""
}

func findCookie(res *testutil.Response, name string) *http.Cookie {
	for _, ck := range res.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func TestRolesAreEnforced(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		editor, pw := s.User(auth.RoleEditor, testCity(t, d))
		c := s.Client()
		c.Login(editor.Email, pw)
		for _, p := range []string{"/en/admin", "/en/admin/users", "/en/admin/audit"} {
			c.Get(p).Expect(t, 403, "Not allowed")
		}
		c.Post("/en/admin/users", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"admin"}}).Expect(t, 403)
		n := testutil.Count(t, d, `SELECT COUNT(*) FROM auth_tokens`)
		if n != 0 {
			t.Errorf("a refused invitation left %d tokens", n)
		}
		mod, mpw := s.User(auth.RoleModerator, 0)
		m := s.Client()
		m.Login(mod.Email, mpw)
		m.Get("/en/admin").Expect(t, 200)
		m.Get("/en/admin/users").Expect(t, 403)
	})
}

func TestInvitationAndPasswordChange(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, pw := s.User(auth.RoleAdmin, 0)
		c := s.Client()
		c.Login(admin.Email, pw)
		// Bad input: kept and marked, nothing stored.
		c.Post("/fr/admin/users", url.Values{"email": {"not-an-address"}, "name": {"Jana"}, "role": {"editor"}, "city": {"3"}}).
			Expect(t, 422, "Saisissez une adresse e-mail valable", `value="Jana"`)
		c.Post("/en/admin/users", url.Values{"email": {"jana@example.org"}, "name": {"Jana"}, "role": {"editor"}}).
			Expect(t, 422, "City editors and delegates must belong to a city")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM auth_tokens`); n != 0 {
			t.Fatalf("bad invitations stored %d tokens", n)
		}
		res := c.Post("/en/admin/users", url.Values{"email": {"Jana@Example.org"}, "name": {"Jana H."}, "role": {"editor"}, "city": {itoa(testCity(t, d))}}).Expect(t, 200)
		link := regexp.MustCompile(`http://[^<"]+/en/invitation/[A-Za-z0-9_-]+`).FindString(res.Body)
		if link == "" {
			t.Fatal("the invitation link is not shown")
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'jana@example.org'`); n != 1 {
			t.Errorf("invitation mails queued: %d", n)
		}
		path := strings.TrimPrefix(link, s.URL)
		inv := s.Client()
		inv.Get(path).Expect(t, 200, "jana@example.org", "City editor")
		inv.Post(path, url.Values{"name": {"Jana H."}, "password": {"short"}, "password2": {"short"}}).Expect(t, 422, "at least 10 characters")
		inv.Post(path, url.Values{"name": {"Jana H."}, "password": {"a long enough secret"}, "password2": {"a long enough secret"}}).Expect(t, 303)
		inv.Get(path).Expect(t, 404, "not valid any more")
		inv.Login("jana@example.org", "a long enough secret")
		other := s.Client()
		other.Login("jana@example.org", "a long enough secret")
		other.Get("/en/account/password").Expect(t, 200)
		// Changing the password ends the other session, keeps this one.
		inv.Post("/en/account/password", url.Values{"current": {"a long enough secret"}, "password": {"another long secret"}, "password2": {"another long secret"}}).Expect(t, 303)
		inv.Get("/en/account/password").Expect(t, 200, "Your password has been changed")
		other.Get("/en/account/password").Expect(t, 303)
		// Disabling ends every session.
		u, err := s.App.Users.ByEmail(context.Background(), "jana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		c.Post("/en/admin/users/"+itoa(u.ID)+"/disable", nil).Expect(t, 303)
		inv.Get("/en/account/password").Expect(t, 303)
		inv.Post("/en/login", url.Values{"email": {"jana@example.org"}, "password": {"another long secret"}}).Expect(t, 401)
		c.Get("/en/admin/audit").Expect(t, 200, "user.invite", "user.disable", "auth.invite.redeem")
		// The log names what an action concerned and links its page; the
		// filter offers what the log holds, in the page's language.
		c.Get("/en/admin/audit").Expect(t, 200, `<a href="/en/admin/users">Jana H. &lt;jana@example.org&gt;</a>`,
			`<optgroup label="Accounts">`, `<option value="user">Accounts: everything</option>`, `<option value="user.disable">disable</option>`,
			`<option value="user">Accounts</option>`)
		c.Get("/de/admin/audit").Expect(t, 200, `<option value="user">Konten</option>`)
		c.Get("/en/admin/audit?kind=user").Expect(t, 200, "<code>user.disable</code>", `<option value="user" selected>Accounts</option>`).Lacks(t, "<code>user.invite</code>")
		c.Get("/en/admin/audit?action=user.invite").Expect(t, 200, "user.invite").Lacks(t, "<code>user.disable</code>")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPasswordReset(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, pw := s.User(auth.RoleDelegate, testCity(t, d))
		old := s.Client()
		old.Login(u.Email, pw)
		// The mail speaks the account's language, whatever page asked for it.
		if err := s.App.Users.SetLang(context.Background(), audit.System("test"), u.ID, "de"); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		c.Post("/fr/password/forgot", url.Values{"email": {"unknown@example.org"}}).Expect(t, 303)
		c.Post("/fr/password/forgot", url.Values{"email": {u.Email}}).Expect(t, 303)
		c.Get("/fr/password/forgot").Expect(t, 200, "Si un compte existe")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox`); n != 1 {
			t.Fatalf("reset mails queued: %d, want 1 (none for the unknown address)", n)
		}
		var body string
		d.R.QueryRow(`SELECT body FROM mail_outbox`).Scan(&body)
		link := regexp.MustCompile(`/de/password/reset/[A-Za-z0-9_-]+`).FindString(body)
		if link == "" || !strings.Contains(body, "Hallo") {
			t.Fatalf("reset mail: %q", body)
		}
		c.Post(link, url.Values{"password": {"brand new password"}, "password2": {"brand new password"}}).Expect(t, 303)
		c.Post(link, url.Values{"password": {"brand new password 2"}, "password2": {"brand new password 2"}}).Expect(t, 404)
		old.Get("/en/account/password").Expect(t, 303)
		c.Login(u.Email, "brand new password")
	})
}

func TestSignInIsRateLimited(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, pw := s.User(auth.RoleAdmin, 0)
		c := s.Client()
		for i := 0; i < 5; i++ {
			c.Post("/en/login", url.Values{"email": {u.Email}, "password": {"wrong wrong wrong"}}).Expect(t, 401)
		}
		c.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 429, "Too many failed attempts")
		for i := 0; i < 5; i++ {
			c.Post("/en/login", url.Values{"email": {"ghost@example.org"}, "password": {"wrong wrong wrong"}}).Expect(t, 401)
		}
		c.Post("/en/login", url.Values{"email": {"ghost@example.org"}, "password": {"wrong"}}).Expect(t, 429, "Too many failed attempts")
	})
}

// Two app servers on one database share sessions: signed in on one, the
// visitor is signed in on the other; signed out on one, out on both.
func TestServersShareSessions(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		a, b := testutil.NewServer(t, d), testutil.NewServer(t, d)
		admin, pw := a.User(auth.RoleAdmin, 0)
		c := a.Client()
		c.Login(admin.Email, pw)
		au, _ := url.Parse(a.URL)
		bu, _ := url.Parse(b.URL)
		c.Jar.SetCookies(bu, c.Jar.Cookies(au))
		req, _ := http.NewRequest("GET", b.URL+"/en/admin", nil)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("the second server does not know the session: %d", res.StatusCode)
		}
		c.Post("/en/logout", nil).Expect(t, 303)
		res, _ = c.Do(req)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out on one server, still in on the other: %d", res.StatusCode)
		}
	})
}

// testCity adds the city accounts of city roles belong to.
func testCity(t *testing.T, d *db.DB) int64 {
	t.Helper()
	c := &city.City{Name: "Düsseldorf", Country: "DE", Continent: "europe", Lat: 51.2277, Lon: 6.7735,
		Timezone: "Europe/Berlin", DescriptionLang: "de", Membership: city.Member}
	err := d.Tx(context.Background(), func(tx *sql.Tx) error { return city.Create(context.Background(), tx, c) })
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
