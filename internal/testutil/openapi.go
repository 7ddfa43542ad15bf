package testutil

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// apiCheck wraps the platform so that every answer under /api/v1 that a
// test provokes is checked against the OpenAPI document: its route,
// method and status must be described there, and its headers and body
// must fit the schemas. What does not fit fails the test at its end.
type apiCheck struct {
	next   http.Handler
	doc    *openapi3.T
	routes []apiRoute

	mu       sync.Mutex
	problems []string
	checked  int
}

type apiRoute struct {
	re   *regexp.Regexp
	path string
	item *openapi3.PathItem
	vars []string
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func newAPICheck(next http.Handler, doc *openapi3.T) *apiCheck {
	c := &apiCheck{next: next, doc: doc}
	for path, item := range doc.Paths.Map() {
		var vars []string
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			vars = append(vars, m[1])
		}
		pattern := "^" + pathParam.ReplaceAllString(strings.NewReplacer(`\{`, "{", `\}`, "}").Replace(regexp.QuoteMeta(path)), "([^/]+)") + "$"
		c.routes = append(c.routes, apiRoute{re: regexp.MustCompile(pattern), path: path, item: item, vars: vars})
	}
	return c
}

// find is the documented route of path: a literal path before a templated one.
func (c *apiCheck) find(path string) (*apiRoute, map[string]string) {
	var best *apiRoute
	var params map[string]string
	for i := range c.routes {
		rt := &c.routes[i]
		m := rt.re.FindStringSubmatch(path)
		if m == nil || best != nil && len(rt.vars) >= len(best.vars) {
			continue
		}
		best, params = rt, map[string]string{}
		for j, v := range rt.vars {
			params[v] = m[j+1]
		}
	}
	return best, params
}

func (c *apiCheck) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.problems) < 50 {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

func (c *apiCheck) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
		c.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	res := rec.Result()
	body := rec.Body.Bytes()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	w.Write(body)
	c.check(r, res, body)
}

func (c *apiCheck) check(r *http.Request, res *http.Response, body []byte) {
	what := r.Method + " " + r.URL.RequestURI()
	rt, params := c.find(r.URL.Path)
	if rt == nil {
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			c.fail("%s: %d, but the OpenAPI document has no such path", what, res.StatusCode)
		}
		return
	}
	op := rt.item.GetOperation(r.Method)
	if r.Method == http.MethodHead {
		op = rt.item.GetOperation(http.MethodGet)
	}
	if op == nil {
		if r.Method != http.MethodOptions && res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
			c.fail("%s: %d, but the OpenAPI document has no %s for %s", what, res.StatusCode, r.Method, rt.path)
		}
		return
	}
	switch res.Header.Get("Content-Encoding") {
	case "", "gzip":
	default: // another coding (zstd) the check cannot read: its status still must be documented
		if op.Responses.Status(res.StatusCode) == nil {
			c.fail("%s: %d, which the OpenAPI document does not list", what, res.StatusCode)
		}
		return
	}
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			c.fail("%s: a gzip answer that does not unpack: %v", what, err)
			return
		}
	}
	route := &routers.Route{Spec: c.doc, Path: rt.path, PathItem: rt.item, Method: r.Method, Operation: op}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  res.StatusCode,
		Header:  res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := err.Error()
		if len(msg) > 1500 {
			msg = msg[:1500] + "…"
		}
		c.fail("%s → %d does not fit the OpenAPI document: %s", what, res.StatusCode, msg)
		return
	}
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
}
