package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// postAs sends a same-origin form naming host in the Host header, as an
// attacker's curl can.
func postAs(t *testing.T, c *testutil.Client, s *testutil.Server, host, path string, form url.Values) int {
	t.Helper()
	req, err := http.NewRequest("POST", s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	// The client files cookies under the Host asked for; send this site's.
	for _, ck := range c.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

var mailLink = regexp.MustCompile(`\S*/(?:en|de|fr)/\S*`)

// Links in mail come from the configured base URL, never from the address a
// request names, and every one of them is absolute.
func TestMailLinksComeFromTheBaseURL(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		city := testCity(t, d)
		u, _ := s.User(auth.RoleDelegate, city)
		admin, apw := s.User(auth.RoleAdmin, 0)
		c := s.Client()
		if st := postAs(t, c, s, "evil.example", "/en/password/forgot", url.Values{"email": {u.Email}}); st != http.StatusSeeOther {
			t.Fatalf("forgot: %d", st)
		}
		ad := s.Client()
		ad.Login(admin.Email, apw)
		if st := postAs(t, ad, s, "evil.example", "/en/admin/users", url.Values{"email": {"new@example.org"}, "name": {"New"},
			"role": {"editor"}, "city": {itoa(city)}}); st != http.StatusOK {
			t.Fatalf("invite: %d", st)
		}
		rows, err := d.R.Query(`SELECT recipient, body FROM mail_outbox`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var to, body string
			rows.Scan(&to, &body)
			n++
			links := mailLink.FindAllString(body, -1)
			if len(links) == 0 {
				t.Errorf("mail to %s has no link:\n%s", to, body)
			}
			for _, l := range links {
				if !strings.HasPrefix(l, s.URL+"/") {
					t.Errorf("mail to %s links to %q, want an address under %s", to, l, s.URL)
				}
			}
		}
		if n != 2 {
			t.Errorf("%d mails queued, want 2", n)
		}
	})
}
