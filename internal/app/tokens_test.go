package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// People make personal API tokens on their account: the secret is shown
// once and stored only hashed, the list shows scopes, expiry, last use and
// state, and a revoked token stops working at once.
func TestAccountTokens(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		city := testutil.AddCity(t, d, testutil.City{Slug: "bonn", Name: "Bonn", Country: "DE", Continent: "europe"})
		ed, pw := s.User(auth.RoleEditor, city)
		c := s.Client()
		c.Login(ed.Email, pw)
		c.Get("/en/account").Expect(t, 200, `href="/en/account/tokens"`)
		c.Get("/de/account/tokens").Expect(t, 200, "API-Schlüssel", "practices:write", "read:private")
		// Bad input: the form again, nothing stored.
		c.Post("/en/account/tokens", url.Values{"name": {""}, "scope": {"read:private"}, "expires": {"90"}}).Expect(t, 422, "Give the token a name")
		c.Post("/en/account/tokens", url.Values{"name": {"x"}, "scope": {"admin:all"}, "expires": {"90"}}).Expect(t, 422, "Choose at least one")
		c.Post("/en/account/tokens", url.Values{"name": {"x"}, "scope": {"read:private"}, "expires": {"7"}}).Expect(t, 422, "Choose when the token expires")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM api_tokens`); n != 0 {
			t.Fatalf("%d tokens after refused forms", n)
		}
		res := c.Post("/en/account/tokens", url.Values{"name": {"Website import"}, "scope": {"practices:write", "read:private"}, "expires": {"90"}}).
			Expect(t, http.StatusCreated, "shown only this once", "Website import")
		secret := regexp.MustCompile(`obs_[A-Za-z0-9_-]{40,}`).FindString(res.Body)
		if secret == "" {
			t.Fatal("the secret is not shown")
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM api_tokens WHERE hash = $1 OR hint = $1`, secret); n != 0 {
			t.Fatal("the secret is stored as it is")
		}
		list := c.Get("/en/account/tokens").Expect(t, 200, "Website import", "practices:write", "active").Lacks(t, secret)
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the secret may be kept: %q", res.Header.Get("Cache-Control"))
		}
		// It works, and its use shows.
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/practices/1/work", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("with the token: %d", r.StatusCode)
		}
		c.Get("/en/account/tokens").Expect(t, 200).Lacks(t, "<td>—</td>") // last used: now
		// Another person cannot revoke it; its owner can.
		other, opw := s.User(auth.RoleDelegate, city)
		oc := s.Client()
		oc.Login(other.Email, opw)
		var id string
		if m := regexp.MustCompile(`/account/tokens/(\d+)/revoke`).FindStringSubmatch(list.Body); m != nil {
			id = m[1]
		}
		oc.Post("/en/account/tokens/"+id+"/revoke", nil).Expect(t, 404)
		c.Post("/en/account/tokens/"+id+"/revoke", nil).Expect(t, 303)
		c.Get("/en/account/tokens").Expect(t, 200, "revoked")
		r, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", r.StatusCode)
		}
		// Both steps are in the audit log.
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('token.create', 'token.revoke')`); n != 2 {
			t.Errorf("%d audit entries for the token", n)
		}
		// A delegate is not offered a token that writes practices.
		oc.Get("/en/account/tokens").Expect(t, 200, "read:private").Lacks(t, `value="practices:write"`)
	})
}
