package testutil

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"observatory/internal/app"
	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/db"
)

// Server is a whole platform instance behind a real HTTP server.
type Server struct {
	*httptest.Server
	App *app.App
	t   testing.TB
}

// NewServer builds the platform on d and serves it on a local port.
func NewServer(t testing.TB, d *db.DB) *Server {
	t.Helper()
	return NewServerWith(t, d, nil)
}

// NoAPILimit turns the API's rate limit off, for tests that count the
// statements a request runs: the limit reserves an address's requests
// from the database with a statement now and then.
func NoAPILimit(c *config.Config) { c.APILimit = -1 }

// NewServerWith is NewServer with settings changed by configure (such as
// --second-factor-admins, off in other tests, or --secret-key).
func NewServerWith(t testing.TB, d *db.DB, configure func(*config.Config)) *Server {
	t.Helper()
	// The server knows the address it listens on, so links in mail lead
	// back to it (config.LinkBase) while no --base-url is set.
	hs := httptest.NewUnstartedServer(nil)
	cfg := &config.Config{DB: d.Target, LogFormat: "text", Addr: hs.Listener.Addr().String(), APILimit: 1_000_000}
	if configure != nil {
		configure(cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.Build(cfg, d, log)
	if err != nil {
		t.Fatal(err)
	}
	// A page that asks for a string some language lacks fails the test.
	var mu sync.Mutex
	var missing []string
	a.Catalog.OnMissing = func(lang, key string) {
		mu.Lock()
		missing = append(missing, lang+": "+key)
		mu.Unlock()
	}
	check := newAPICheck(a.Handler, a.APIDoc.T)
	hs.Config.Handler = check
	hs.Start()
	s := &Server{Server: hs, App: a, t: t}
	t.Cleanup(func() {
		s.Close()
		for _, p := range check.problems {
			t.Errorf("API: %s", p)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, m := range missing {
			t.Errorf("a page asked for a string with no translation: %s", m)
		}
	})
	return s
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

var userSeq atomic.Int64

// User creates an account with a known password and returns it.
func (s *Server) User(role string, city int64) (*auth.User, string) {
	s.t.Helper()
	n := userSeq.Add(1)
	pw := "correct horse battery staple"
	u, err := s.App.Users.Create(context.Background(), auth.NewUser{
		Email: fmt.Sprintf("%s%d@example.org", role, n), Name: fmt.Sprintf("Test %s %d", role, n), Role: role, CityID: city, Password: pw})
	if err != nil {
		s.t.Fatal(err)
	}
	return u, pw
}

// Client is a browser-like client with its own cookies.
type Client struct {
	*http.Client
	s *Server
	t testing.TB
}

// Client returns a new client without cookies that does not follow redirects.
func (s *Server) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, s: s, t: s.t}
}

// Response is a finished request with its body read.
type Response struct {
	*http.Response
	Body string
}

func (c *Client) do(req *http.Request) *Response {
	c.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &Response{Response: res, Body: string(b)}
}

// Get requests path (relative to the server, or an absolute address the
// server gave) with header name, value pairs; "Host" sets the address
// asked for.
func (c *Client) Get(path string, header ...string) *Response {
	c.t.Helper()
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		path = c.s.URL + path
	}
	req, err := http.NewRequest("GET", path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// Post sends a form the way a browser on this site does (same origin).
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// Login signs in and fails the test if that does not work.
func (c *Client) Login(email, password string) {
	c.t.Helper()
	res := c.Post("/en/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign-in as %s: status %d\n%s", email, res.StatusCode, res.Body)
	}
}

// Expect fails the test unless the response has status and contains every text.
func (r *Response) Expect(t testing.TB, status int, texts ...string) *Response {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, excerpt(r.Body))
	}
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: body lacks %q\n%s", r.Request.Method, r.Request.URL.Path, s, excerpt(r.Body))
		}
	}
	return r
}

// Lacks fails the test if the response contains any of texts.
func (r *Response) Lacks(t testing.TB, texts ...string) *Response {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: body contains %q, which it must not", r.Request.Method, r.Request.URL.Path, s)
		}
	}
	return r
}

func excerpt(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
