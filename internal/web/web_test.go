package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

func renderer(t *testing.T, logs io.Writer) *web.Renderer {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := web.NewRenderer(cat, assets, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// A panic in a handler becomes the 500 page in the visitor's language,
// logged with the request id the page shows.
func TestRecoverShowsErrorPage(t *testing.T) {
	var logs bytes.Buffer
	rd := renderer(t, &logs)
	rt := web.NewRouter(prometheus.NewRegistry())
	rt.Page("GET /boom", func(http.ResponseWriter, *http.Request) { panic("broken") })
	h := web.Chain(rt.Mux, web.RequestLog(slog.New(slog.NewTextHandler(&logs, nil)), false), web.Recover(rd))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/fr/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	id := res.Header.Get("X-Request-Id")
	if res.StatusCode != 500 || !strings.Contains(string(body), "Un problème est survenu de notre côté") || !strings.Contains(string(body), id) {
		t.Fatalf("status %d, body %s", res.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "panic=broken") || !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log lacks the panic or the request id:\n%s", logs.String())
	}
}

func TestHSTSOnlyUnderTLS(t *testing.T) {
	h := web.SecurityHeaders(true)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS over TLS")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a trusted TLS proxy")
	}
	rec = httptest.NewRecorder()
	web.SecurityHeaders(false)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, req)
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from an untrusted X-Forwarded-Proto")
	}
}

func TestPager(t *testing.T) {
	req := httptest.NewRequest("GET", "/en/cities?country=DE&page=2", nil)
	p := web.NewPager(req, 20, 45)
	if p.Page != 2 || p.Pages != 3 || p.Offset() != 20 || p.Prev != "/en/cities?country=DE" || p.Next != "/en/cities?country=DE&page=3" {
		t.Errorf("%+v", p)
	}
	p = web.NewPager(httptest.NewRequest("GET", "/en/cities?page=99", nil), 20, 45)
	if p.Page != 3 || p.Next != "" {
		t.Errorf("past the end: %+v", p)
	}
	p = web.NewPager(httptest.NewRequest("GET", "/en/cities?page=-1", nil), 20, 0)
	if p.Page != 1 || p.Pages != 1 || p.Prev != "" || p.Next != "" {
		t.Errorf("empty: %+v", p)
	}
}

func TestFormKeepsInputAndMarksFields(t *testing.T) {
	req := httptest.NewRequest("POST", "/", strings.NewReader("name=+Jana+&email="))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f, err := web.ParseForm(httptest.NewRecorder(), req)
	if err != nil {
		t.Fatal(err)
	}
	f.Required("name", "email")
	f.MaxLen("name", 3)
	if f.Valid() || f.Error("email") != "form.required" || f.Error("name") != "form.too_long" || f.Value("name") != " Jana " || f.Get("name") != "Jana" {
		t.Errorf("%+v", f)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Düsseldorf": "dusseldorf", "Porto-Novo": "porto-novo", "Montréal": "montreal", "Warszawa (Łódź)": "warszawa-lodz",
		"  --  ": "x", "Straße der Städte": "strasse-der", "Москва": "москва",
		"A very long title that goes on and on": "a-very-long",
	} {
		if got := web.Slug(in, 14, "x"); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "+1", "-4.02": "-4.02", "-1e5": "'-1e5", "@SUM(A1)": "'@SUM(A1)",
		"-cmd": "'-cmd", "\tx": "'\tx", "Düsseldorf": "Düsseldorf", "": "",
	} {
		if got := web.CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRef(t *testing.T) {
	for ref, want := range map[string]struct {
		id   int64
		slug string
		ok   bool
	}{
		"12-some-slug": {12, "some-slug", true}, "12": {12, "", true}, "dusseldorf": {0, "", false},
		"0-x": {0, "", false}, "-3": {0, "", false}, "": {0, "", false},
	} {
		id, slug, ok := web.ParseRef(ref)
		if id != want.id || slug != want.slug || ok != want.ok {
			t.Errorf("ParseRef(%q) = %d, %q, %v; want %+v", ref, id, slug, ok, want)
		}
	}
}
