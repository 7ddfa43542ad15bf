package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/app"
	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

func TestHomeInThreeLanguages(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		c := s.Client()
		for lang, title := range map[string]string{"de": "Zusammenleben in der Stadt", "en": "Living together in the city", "fr": "Vivre ensemble en ville"} {
			res := c.Get("/"+lang+"/").Expect(t, 200, `<html lang="`+lang+`">`, title,
				`<link rel="alternate" hreflang="de" href="`+s.URL+`/de/">`, `hreflang="fr" href="`+s.URL+`/fr/"`, `hreflang="en" href="`+s.URL+`/en/"`,
				`<link rel="canonical" href="`+s.URL+`/`+lang+`/">`)
			if strings.Contains(res.Body, "nav.") || strings.Contains(res.Body, "home.") {
				t.Errorf("%s home page shows an untranslated key", lang)
			}
		}
		for accept, want := range map[string]string{"fr-CA,fr;q=0.9": "/fr/", "de-AT": "/de/", "ja": "/en/", "": "/en/"} {
			res := c.Get("/", "Accept-Language", accept)
			if res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
				t.Errorf("Accept-Language %q: %d → %q, want %s", accept, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
	})
}

func TestErrorPagesSpeakTheVisitorsLanguage(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		c := testutil.NewServer(t, d).Client()
		c.Get("/fr/nowhere").Expect(t, 404, "Page introuvable")
		c.Get("/de/nowhere").Expect(t, 404, "Seite nicht gefunden")
		c.Get("/nowhere", "Accept-Language", "de").Expect(t, 404, "Seite nicht gefunden")
		c.Get("/xx/").Expect(t, 404, "Page not found")
	})
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		c := testutil.NewServer(t, d).Client()
		res := c.Get("/en/")
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("headers: %v", res.Header)
		}
		css := regexp.MustCompile(`/static/style\.[0-9a-f]{12}\.css`).FindString(res.Body)
		if css == "" {
			t.Fatal("no hashed stylesheet link on the page")
		}
		a := c.Get(css).Expect(t, 200, "font-family")
		if !strings.Contains(a.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/css") {
			t.Errorf("asset headers: %v", a.Header)
		}
		c.Get("/static/style.css").Expect(t, 404)
	})
}

func TestCrossSitePostIsRefused(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, pw := s.User(auth.RoleAdmin, 0)
		c := s.Client()
		c.Login(admin.Email, pw)
		form := url.Values{"email": {"victim@example.org"}, "name": {"V"}, "role": {"admin"}}
		for _, hdr := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			req, _ := http.NewRequest("POST", s.URL+"/en/admin/users", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(hdr[0], hdr[1])
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s → %d, want 403", hdr[0], hdr[1], res.StatusCode)
			}
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM auth_tokens`); n != 0 {
			t.Errorf("a cross-site request created %d invitations", n)
		}
		c.Post("/en/admin/users", form).Expect(t, 200, "/en/invitation/")
	})
}

func TestOperations(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		c := s.Client()
		c.Get("/healthz").Expect(t, 200, "ok")
		c.Get("/readyz").Expect(t, 200, "ok")
		c.Get("/en/")
		rec := httptest.NewRecorder()
		s.App.Metrics.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		(&testutil.Response{Response: rec.Result(), Body: rec.Body.String()}).Expect(t, 200,
			`observatory_http_requests_total{code="200",method="GET",route="GET /{lang}/"}`,
			"observatory_http_request_duration_seconds_bucket", `go_sql_open_connections{db_name="writer"}`)
	})
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	d := testutil.NewSQLite(t)
	s := testutil.NewServer(t, d)
	d.Close()
	s.Client().Get("/readyz").Expect(t, 503)
	s.Client().Get("/healthz").Expect(t, 200)
}

// After signing in, a city's editor or delegate lands on their account
// page, which leads to the tools their role gives them and no others.
func TestAccountPageLeadsToTheRolesTools(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		city := testCity(t, d)
		editor, pw := s.User(auth.RoleEditor, city)
		c := s.Client()
		res := c.Post("/de/login", url.Values{"email": {editor.Email}, "password": {pw}}).Expect(t, 303)
		if res.Header.Get("Location") != "/de/account" {
			t.Fatalf("an editor lands on %s", res.Header.Get("Location"))
		}
		c.Get("/de/account").Expect(t, 200, "Ihr Konto", "für Düsseldorf", `<a href="/de/cities/`+itoa(city)+`"><strong>`,
			`<a href="/de/practices/work"><strong>`, `<a href="/de/summits"><strong>`, `<a href="/de/account/password"><strong>`).
			Lacks(t, `<a href="/de/admin"><strong>`, `<a href="/de/declarations"><strong>`)
		delegate, dpw := s.User(auth.RoleDelegate, city)
		dc := s.Client()
		dc.Login(delegate.Email, dpw)
		dc.Get("/fr/account").Expect(t, 200, "Votre compte", `<a href="/fr/declarations"><strong>`, `<a href="/fr/summits"><strong>`).
			Lacks(t, `<a href="/fr/practices/work"><strong>`)
		s.Client().Get("/en/account").Expect(t, 303)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A capability whose constructor fails stops the start and says why (its
// capability's Err), rather than serving without it.
func TestCapabilityThatCannotBeBuiltStopsTheStart(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		cfg := &config.Config{DB: d.Target, LogFormat: "text", DataLicense: "no-such-licence"}
		a, err := app.Build(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err == nil || a != nil || !strings.Contains(err.Error(), `unknown licence "no-such-licence"`) {
			t.Fatalf("Build with an unknown licence: %v, %v", a, err)
		}
	})
}
