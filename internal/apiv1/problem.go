package apiv1

import (
	"encoding/json"
	"net/http"
	"slices"

	"observatory/internal/web"
)

// Problem is an error answer (RFC 9457, application/problem+json). Code
// is the stable name of the error; its type is the absolute address
// {site}/api/v1/problems/{code}, which leads to its description.
type Problem struct {
	Status    int
	Code      string
	Detail    string       // overrides the standard explanation
	Parameter string       // the query or path parameter at fault
	Errors    []FieldError // the body's fields at fault
	Err       error        // logged for 5xx, never shown
}

// FieldError is one field of a request body that was refused, with the
// reason in the caller's language.
type FieldError struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Codes lists every problem the API answers, for the reference page and
// the redirect of each type's address.
var Codes = []string{
	"bad-parameter", "unknown-parameter", "bad-cursor", "not-found", "method-not-allowed",
	"unauthorized", "forbidden", "invalid-body", "validation", "conflict", "state",
	"idempotency-conflict", "idempotency-in-progress", "rate-limited", "internal",
	// Residents' ideas.
	"pow", "station", "limit",
}

type problemBody struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	Code      string       `json:"code"`
	Parameter string       `json:"parameter,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
}

// Fail answers r with p in the caller's language.
func Fail(w http.ResponseWriter, r *http.Request, rd *web.Renderer, p Problem) {
	if p.Status >= 500 {
		rd.Log.Error("api request failed", "request_id", web.RequestID(r), "method", r.Method, "path", r.URL.Path, "err", p.Err)
		if p.Code == "" {
			p.Code = "internal"
		}
	}
	if !slices.Contains(Codes, p.Code) {
		p.Code = "internal"
	}
	lang := Lang(r)
	b := problemBody{Type: Base(r, rd) + Prefix + "/problems/" + p.Code, Title: rd.Catalog.T(lang, "api.problem."+p.Code),
		Status: p.Status, Detail: p.Detail, Instance: r.URL.Path, Code: p.Code, Parameter: p.Parameter, Errors: p.Errors,
		RequestID: web.RequestID(r)}
	if b.Detail == "" && p.Parameter != "" {
		b.Detail = rd.Catalog.T(lang, "api.problem.parameter", "Name", p.Parameter)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(b)
}

// NotFound answers 404.
func NotFound(w http.ResponseWriter, r *http.Request, rd *web.Renderer) {
	Fail(w, r, rd, Problem{Status: http.StatusNotFound, Code: "not-found"})
}

// Internal answers 500 and logs err.
func Internal(w http.ResponseWriter, r *http.Request, rd *web.Renderer, err error) {
	Fail(w, r, rd, Problem{Status: http.StatusInternalServerError, Code: "internal", Err: err})
}
