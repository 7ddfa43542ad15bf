package app_test

import (
	"net/url"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// After sign-in the browser goes only to a page on this site, whatever
// "next" says.
func TestSignInRedirectStaysOnTheSite(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, pw := s.User(auth.RoleDelegate, testCity(t, d))
		for _, next := range []string{"/\t/evil.example/", "/\\evil.example", "//evil.example", "/%2F/evil.example", "https://evil.example/"} {
			c := s.Client()
			c.Get("/en/login?next="+url.QueryEscape(next)).Expect(t, 200, `name="next" value=""`)
			res := c.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}, "next": {next}}).Expect(t, 303)
			if loc := res.Header.Get("Location"); strings.Contains(loc, "evil") || loc != "/en/account" {
				t.Errorf("next=%q: signed in and sent to %q, want /en/account", next, loc)
			}
		}
		c := s.Client()
		res := c.Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}, "next": {"/en/cities?page=2"}}).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/en/cities?page=2" {
			t.Errorf("a local next: sent to %q", loc)
		}
	})
}
