package app_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A NUL byte in a path, a query or a form is bad input (400) on both
// engines, never a server error.
func TestNULBytesAreBadInput(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		c := s.Client()
		c.Get("/en/cities/%00").Expect(t, 400)
		c.Get("/en/practices?q=%00").Expect(t, 400)
		c.Get("/feeds/summit-delegates/"+strings.Repeat("a", 24)+"%00.ics").Expect(t, 400)
		c.Post("/en/login", url.Values{"email": {"someone\x00@example.org"}, "password": {"wrong wrong wrong"}}).Expect(t, 400)
		c.Post("/en/password/forgot", url.Values{"email": {"someone\x00@example.org"}}).Expect(t, 400)
	})
}

// The dashboard names the database engine and host, never its address
// with a password, and only to administrators.
func TestDashboardShowsNoDatabaseSecret(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		target := d.Target
		d.Target = "postgres://obs@db.internal.example:5432/observatory?sslmode=disable&password=hunter2"
		t.Cleanup(func() { d.Target = target })
		admin, apw := s.User(auth.RoleAdmin, 0)
		mod, mpw := s.User(auth.RoleModerator, 0)
		a, m := s.Client(), s.Client()
		a.Login(admin.Email, apw)
		m.Login(mod.Email, mpw)
		a.Get("/en/admin").Expect(t, 200, string(d.Engine())).Lacks(t, "hunter2", "password=", "obs@")
		m.Get("/en/admin").Expect(t, 200).Lacks(t, "hunter2", "db.internal.example", "obs@")
	})
}

// Metrics are not served to the public; the private debug address has them.
func TestMetricsAreNotPublic(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		c := s.Client()
		c.Get("/en/")
		c.Get("/metrics").Expect(t, 404)
		rec := httptest.NewRecorder()
		s.App.Metrics.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "observatory_http_requests_total") {
			t.Errorf("metrics on the debug address: %d\n%.300s", rec.Code, body)
		}
	})
}

// Asking for a reset link does the same work whether or not the address
// has an account, so the answer's timing tells nothing.
func TestPasswordForgotDoesTheSameWorkForUnknownAddresses(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, _ := s.User(auth.RoleEditor, testCity(t, d))
		c := s.Client()
		c.Get("/en/password/forgot")
		run := func(email string) int64 {
			before := testutil.Statements(d)
			c.Post("/en/password/forgot", url.Values{"email": {email}}).Expect(t, 303)
			return testutil.Statements(d) - before
		}
		run("warm@example.org")
		known, unknown := run(u.Email), run("nobody@example.org")
		if known != unknown {
			t.Errorf("statements for a known address %d, for an unknown one %d; want the same", known, unknown)
		}
	})
}
