// Package web is the shared HTTP plumbing: routes by language, middleware,
// page rendering in one layout, forms, error pages and static assets.
package web

import (
	"context"
	"net"
	"net/http"
	"strings"

	"observatory/internal/i18n"
)

type ctxKey int

const (
	langKey ctxKey = iota
	viewerKey
	infoKey
)

// Viewer is the signed-in person a request acts for; nil means the public.
type Viewer struct {
	ID     int64
	Name   string
	Email  string
	Role   string
	CityID int64 // 0 when the role is not bound to a city
	// Token is the personal API token the request came with (0: a
	// session), with its name and scopes: the API allows it only those.
	Token     int64
	TokenName string
	Scopes    []string
}

// HasScope reports whether the viewer came with a token that has scope.
func (v *Viewer) HasScope(scope string) bool {
	if v == nil || v.Token == 0 {
		return false
	}
	for _, s := range v.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey, v)
}

// ViewerFrom returns the signed-in viewer, or nil.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey).(*Viewer)
	return v
}

// Lang is the request's interface language: the URL's prefix on pages,
// otherwise the best match for the browser's Accept-Language.
func Lang(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	if l, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); i18n.Supported(l) {
		return l
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

// reqInfo is shared by the middleware around one request: inner layers
// fill in what outer layers log.
type reqInfo struct {
	id     string
	route  string
	userID int64
	ip     string
}

func info(r *http.Request) *reqInfo {
	if i, ok := r.Context().Value(infoKey).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// RequestID is the id under which the request is logged.
func RequestID(r *http.Request) string { return info(r).id }

// ClientIP is the address the request came from (the proxy's client when
// the server is told to trust X-Forwarded-For).
func ClientIP(r *http.Request) string {
	if ip := info(r).ip; ip != "" {
		return ip
	}
	return remoteIP(r)
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SetUser records the signed-in user's id for the access log.
func SetUser(r *http.Request, id int64) { info(r).userID = id }
