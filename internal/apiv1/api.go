// Package apiv1 is the one contract of the JSON API under /api/v1, shared
// by every capability: lists as {"items": […], "next": …} with a bounded
// ?limit= and an opaque ?cursor= (the same next in a Link header),
// absolute addresses, the language from ?lang= or Accept-Language, errors
// as RFC 9457 problem details with a stable type per error, and (in
// Middleware) ETag and If-None-Match, CORS for public reads and rate
// limits with RateLimit-* headers. The OpenAPI document that describes it
// all is kept beside it (openapi.yaml) and served at /api/v1/openapi.json.
package apiv1

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Lang is the language of an answer's labels and messages: ?lang= when it
// names a supported language, else the best match for Accept-Language.
func Lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

// Base is the site's absolute address (the configured public address, else
// the one asked for), for the absolute URLs in every answer.
func Base(r *http.Request, rd *web.Renderer) string { return web.SiteURL(r, rd.BaseURL) }

// JSON writes v as the answer.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Page is one page of a list. Total is given where it is cheap.
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
	Total *int    `json:"total,omitempty"`
}

// Limits of ?limit=.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Query checks r's query parameters: only names in allowed (and limit,
// cursor and lang, which every list takes) are accepted, lang must be a
// supported language, limit a number from 1 to MaxLimit. It answers the
// request itself with a problem and returns false when something is wrong.
func Query(w http.ResponseWriter, r *http.Request, rd *web.Renderer, allowed ...string) (url.Values, bool) {
	q := r.URL.Query()
	for k := range q {
		if k != "limit" && k != "cursor" && k != "lang" && !slices.Contains(allowed, k) {
			Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "unknown-parameter", Parameter: k})
			return nil, false
		}
	}
	if l := q.Get("lang"); q.Has("lang") && !i18n.Supported(l) {
		Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "lang"})
		return nil, false
	}
	if s := q.Get("limit"); q.Has("limit") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "limit"})
			return nil, false
		}
	}
	return q, true
}

// Limit is ?limit= (checked by Query), or def.
func Limit(q url.Values, def int) int {
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n >= 1 && n <= MaxLimit {
		return n
	}
	return def
}

// scope is a short digest of the query's parameters other than cursor and
// limit: a cursor is valid only for the query that made it.
func scope(q url.Values) string {
	var keys []string
	for k := range q {
		if k != "cursor" && k != "limit" && k != "lang" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		for _, v := range q[k] {
			h.Write([]byte(k + "=" + v + "&"))
		}
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:6])
}

type envelope struct {
	Scope string          `json:"s"`
	Value json.RawMessage `json:"v"`
}

// EncodeCursor makes the opaque cursor of the page after v for the query q.
func EncodeCursor(q url.Values, v any) string {
	b, _ := json.Marshal(v)
	e, _ := json.Marshal(envelope{Scope: scope(q), Value: b})
	return base64.RawURLEncoding.EncodeToString(e)
}

// ErrCursor: the cursor was not made by this API for this query.
var ErrCursor = errors.New("the cursor does not belong to this query")

// DecodeCursor reads ?cursor= of q into v; it reports false when there is none.
func DecodeCursor(q url.Values, v any) (bool, error) {
	s := q.Get("cursor")
	if s == "" {
		return false, nil
	}
	if len(s) > 1024 {
		return true, ErrCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var e envelope
	if err == nil {
		err = json.Unmarshal(b, &e)
	}
	if err == nil && e.Scope != scope(q) {
		err = ErrCursor
	}
	if err == nil {
		err = json.Unmarshal(e.Value, v)
	}
	if err != nil {
		return true, ErrCursor
	}
	return true, nil
}

// BadCursor answers a cursor that DecodeCursor refused.
func BadCursor(w http.ResponseWriter, r *http.Request, rd *web.Renderer) {
	Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "bad-cursor", Parameter: "cursor"})
}

// Next is the absolute address of the page that starts at cursor (the
// request's own address with cursor replaced), also given in a Link
// header; nil when cursor is empty (the last page).
func Next(w http.ResponseWriter, r *http.Request, rd *web.Renderer, cursor string) *string {
	if cursor == "" {
		return nil
	}
	q := r.URL.Query()
	q.Set("cursor", cursor)
	u := Base(r, rd) + r.URL.Path + "?" + q.Encode()
	w.Header().Add("Link", "<"+u+`>; rel="next"`)
	return &u
}

// offsetCursor is the cursor of a list read whole and cut in pages.
type offsetCursor struct {
	Offset int `json:"o"`
}

// Slice cuts one page out of a list that is read whole (a few hundred
// items at most): items from ?cursor= on, at most ?limit= of them, and the
// address of the next page. It answers a bad cursor itself (ok false).
func Slice[T any](w http.ResponseWriter, r *http.Request, rd *web.Renderer, q url.Values, all []T) (Page[T], bool) {
	var c offsetCursor
	if _, err := DecodeCursor(q, &c); err != nil || c.Offset < 0 || c.Offset > len(all) {
		BadCursor(w, r, rd)
		return Page[T]{}, false
	}
	limit := Limit(q, DefaultLimit)
	end := min(c.Offset+limit, len(all))
	p := Page[T]{Items: slices.Clone(all[c.Offset:end])}
	if p.Items == nil {
		p.Items = []T{}
	}
	if end < len(all) {
		p.Next = Next(w, r, rd, EncodeCursor(q, offsetCursor{Offset: end}))
	}
	n := len(all)
	p.Total = &n
	return p, true
}

// Offset reads an offset cursor of q (for lists paged by the store with an
// offset); it answers a bad cursor itself (ok false).
func Offset(w http.ResponseWriter, r *http.Request, rd *web.Renderer, q url.Values) (int, bool) {
	var c offsetCursor
	if _, err := DecodeCursor(q, &c); err != nil || c.Offset < 0 {
		BadCursor(w, r, rd)
		return 0, false
	}
	return c.Offset, true
}

// NextOffset is the address of the page that starts at offset, or nil when
// offset is at or past total.
func NextOffset(w http.ResponseWriter, r *http.Request, rd *web.Renderer, q url.Values, offset, total int) *string {
	if offset >= total {
		return nil
	}
	return Next(w, r, rd, EncodeCursor(q, offsetCursor{Offset: offset}))
}

// ID is the path value name as a positive id; it answers a 404 problem
// itself when it is not one.
func ID(w http.ResponseWriter, r *http.Request, rd *web.Renderer, name string) (int64, bool) {
	s := strings.TrimSpace(r.PathValue(name))
	if i := strings.IndexByte(s, '-'); i > 0 {
		s = s[:i] // "24-school-garden" names practice 24, as on the pages
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		NotFound(w, r, rd)
		return 0, false
	}
	return id, true
}
