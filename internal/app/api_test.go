package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"observatory/internal/apiv1"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Every /api/v1 route of the route table is described in the OpenAPI
// document, with its method; the document served is valid and names this
// site as its server.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s := testutil.NewServer(t, testutil.NewSQLite(t))
	doc := s.App.APIDoc.T
	n := 0
	for _, rt := range s.App.Router.Routes {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		n++
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is a route but not in the OpenAPI document", rt.Pattern)
		}
	}
	if n < 20 {
		t.Fatalf("only %d API routes found", n)
	}
	c := s.Client()
	res := c.Get("/api/v1/openapi.json").Expect(t, 200, `"openapi":"3.1.0"`)
	served, err := apiv1.Load([]byte(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	if len(served.Servers) != 1 || served.Servers[0].URL != s.URL {
		t.Errorf("servers %+v, want %s", served.Servers, s.URL)
	}
}

// The check of answers against the document fails on an answer that does
// not fit: a city list whose items are not objects.
func TestOpenAPICheckRefusesWhatDoesNotFit(t *testing.T) {
	s := testutil.NewServer(t, testutil.NewSQLite(t))
	doc := s.App.APIDoc.T
	item := doc.Paths.Value("/api/v1/cities")
	req := httptest.NewRequest("GET", "/api/v1/cities", nil)
	check := func(status int, body string) error {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req,
				Route: &routers.Route{Spec: doc, Path: "/api/v1/cities", PathItem: item, Method: "GET", Operation: item.Get}},
			Status: status, Header: http.Header{"Content-Type": {"application/json"}},
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes([]byte(body))
		return openapi3filter.ValidateResponse(t.Context(), in)
	}
	if err := check(200, `{"items":[],"next":null,"total":0}`); err != nil {
		t.Fatalf("a good answer refused: %v", err)
	}
	for _, bad := range []string{`{"items":[1],"next":null}`, `{"data":[],"next":null}`, `{"items":[],"next":5}`} {
		if check(200, bad) == nil {
			t.Errorf("%s passed the check", bad)
		}
	}
	if check(418, `{}`) == nil {
		t.Error("an undocumented status passed the check")
	}
}

// The contract's headers: ETag and 304, CORS for reads and preflights, the
// language, Link to the next page, rate limits, and problems with a type
// that leads to their description.
func TestAPIContract(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		for i, slug := range []string{"aachen", "bonn", "celle"} {
			testutil.AddCity(t, d, testutil.City{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:], Country: "DE", Continent: "europe", Population: int64(1000 * (i + 1))})
		}
		c := s.Client()
		res := c.Get("/api/v1/cities?limit=2", "Origin", "https://elsewhere.example").Expect(t, 200)
		tag := res.Header.Get("ETag")
		if tag == "" || res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Fatalf("headers: %v", res.Header)
		}
		var page struct {
			Items []struct{ Slug, URL string }
			Next  *string
			Total int
		}
		if err := json.Unmarshal([]byte(res.Body), &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Next == nil || page.Total != 3 || !strings.HasPrefix(page.Items[0].URL, s.URL+"/en/cities/") {
			t.Fatalf("page: %+v", page)
		}
		if link := res.Header.Get("Link"); link != "<"+*page.Next+`>; rel="next"` {
			t.Errorf("Link %q, next %q", link, *page.Next)
		}
		if !strings.HasPrefix(*page.Next, s.URL+"/api/v1/cities?") {
			t.Errorf("next is not absolute: %s", *page.Next)
		}
		c.Get("/api/v1/cities?limit=2", "If-None-Match", tag).Expect(t, http.StatusNotModified)
		c.Get("/api/v1/cities?limit=2", "If-None-Match", `"other"`).Expect(t, 200)
		// The language of addresses and messages.
		fr := c.Get("/api/v1/cities?limit=1&lang=fr").Expect(t, 200, s.URL+"/fr/cities/")
		if fr.Header.Get("ETag") == tag {
			t.Error("another language, the same ETag")
		}
		c.Get("/api/v1/cities?limit=1", "Accept-Language", "de").Expect(t, 200, s.URL+"/de/cities/")
		// A preflight from another site is answered; writes are not offered.
		req, _ := http.NewRequest("OPTIONS", s.URL+"/api/v1/cities", nil)
		req.Header.Set("Origin", "https://elsewhere.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "if-none-match")
		pre, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		pre.Body.Close()
		if pre.StatusCode != 204 || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "If-None-Match") || strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
		}
		// Problems: the type per error leads to its description, in the caller's language.
		bad := c.Get("/api/v1/cities?colour=red", "Accept-Language", "fr").Expect(t, 400, `"code":"unknown-parameter"`, `"parameter":"colour"`, "ne connaît pas")
		if ct := bad.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("problem as %s", ct)
		}
		var p struct{ Type string }
		json.Unmarshal([]byte(bad.Body), &p)
		if p.Type != s.URL+"/api/v1/problems/unknown-parameter" {
			t.Errorf("type %q", p.Type)
		}
		loc := c.Get(strings.TrimPrefix(p.Type, s.URL)).Expect(t, 302).Header.Get("Location")
		c.Get(loc).Expect(t, 200, `id="problem-unknown-parameter"`)
		c.Get("/api/v1/problems/nonsense").Expect(t, 404, `"code":"not-found"`)
		c.Get("/api/v1/nowhere").Expect(t, 404, `"code":"not-found"`)
		c.Get("/api/v1/cities?cursor=garbage").Expect(t, 400, `"code":"bad-cursor"`)
		// A cursor of another query is refused.
		c.Get("/api/v1/cities?country=FR&"+(*page.Next)[strings.Index(*page.Next, "cursor="):]).Expect(t, 400, `"code":"bad-cursor"`)

		// Rate limits: the headers on every answer, 429 past the limit.
		s = testutil.NewServerWith(t, d, func(c *config.Config) { c.APILimit = 3 })
		s.App.APILimit.Window = 24 * time.Hour // no new window during the test
		c = s.Client()
		var last *testutil.Response
		for range 4 {
			last = c.Get("/api/v1/figures")
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" || last.Header.Get("RateLimit-Remaining") != "0" || last.Header.Get("RateLimit-Limit") != "3" {
			t.Errorf("past the limit: %d %v", last.StatusCode, last.Header)
		}
		if !strings.Contains(last.Body, `"code":"rate-limited"`) {
			t.Errorf("429 body: %s", last.Body)
		}
		c.Get("/en/cities").Expect(t, 200) // pages are not counted
	})
}

// The API's rate limit holds for an address across several app servers on
// one database: they reserve its requests from one count. With blocks of
// B requests, N servers let through at most the limit and at least
// limit − (N−1)·(B−1).
func TestAPIRateLimitIsShared(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, block := range []int{1, 3} {
			limit := 9
			var servers []*testutil.Server
			for range 2 {
				s := testutil.NewServerWith(t, d, func(c *config.Config) { c.APILimit = limit })
				s.App.APILimit.Block = block
				s.App.APILimit.Window = 24 * time.Hour // no new window during the test
				servers = append(servers, s)
			}
			d.W.Exec(`DELETE FROM api_limits`) // the block before
			ok, refused := 0, map[int]bool{}
			for i := range 4 * limit {
				k := i % 2
				res := servers[k].Client().Get("/api/v1/figures")
				switch res.StatusCode {
				case http.StatusOK:
					if refused[k] {
						t.Fatalf("block %d: server %d let a request through after refusing one", block, k)
					}
					ok++
				case http.StatusTooManyRequests:
					refused[k] = true
				default:
					t.Fatalf("status %d", res.StatusCode)
				}
			}
			if ok > limit || ok < limit-(block-1) || !refused[0] || !refused[1] {
				t.Errorf("block %d: %d requests let through by two servers with a limit of %d (refused %v)", block, ok, limit, refused)
			}
			// The count of the window is in the database, reserved up to the limit.
			if n := testutil.Count(t, d, `SELECT used FROM api_limits`); n < int64(limit) {
				t.Errorf("block %d: %d reserved", block, n)
			}
		}
	})
}

// The reference page is in every language, lists every documented
// operation and links the document.
func TestAPIReferencePage(t *testing.T) {
	s := testutil.NewServer(t, testutil.NewSQLite(t))
	c := s.Client()
	ops := 0
	for _, item := range s.App.APIDoc.T.Paths.Map() {
		ops += len(item.Operations())
	}
	for lang, title := range map[string]string{"en": "API reference", "de": "API-Referenz", "fr": "Référence de l’API"} {
		res := c.Get("/"+lang+"/data/api").Expect(t, 200, title, s.URL+"/api/v1/openapi.json", "GET /api/v1/practices", "PATCH /api/v1/practices/{id}", "Idempotency-Key")
		if n := len(regexp.MustCompile(`<article class="api-op"`).FindAllString(res.Body, -1)); n != ops {
			t.Errorf("%s: %d operations shown, the document has %d", lang, n, ops)
		}
	}
	c.Get("/en/cities").Expect(t, 200, `href="/en/data/api"`)
}
