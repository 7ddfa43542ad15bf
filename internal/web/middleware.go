package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// Chain wraps h in middleware, the first listed outermost.
func Chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// RequestLog gives each request an id (kept from X-Request-Id when it is
// sane), works out the client's address, and writes one access log line.
func RequestLog(log *slog.Logger, trustProxy bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			id := NewRequestID(r)
			ri := &reqInfo{id: id, ip: clientIP(r, trustProxy)}
			w.Header().Set("X-Request-Id", id)
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey, ri)))
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("route", ri.route), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)), slog.String("ip", ri.ip), slog.Int64("user", ri.userID))
		})
	}
}

// NewRequestID is the id a request is logged under: the client's
// X-Request-Id when it is sane, else a new random one.
func NewRequestID(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if len(id) < 8 || len(id) > 64 || strings.ContainsAny(id, " \t\r\n\"") {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	return id
}

// ClientIPOf is the address r came from, as RequestLog records it, for
// what answers before it (see cache.Pages.Fast).
func ClientIPOf(r *http.Request, trustProxy bool) string { return clientIP(r, trustProxy) }

// clientIP is the address the request came from: the first of
// X-Forwarded-For when the proxy in front is trusted.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			return strings.TrimSpace(first)
		}
	}
	return remoteIP(r)
}

// LogRequest writes the access log line of a request answered before
// RequestLog (see cache.Pages.Fast), with the same fields; the route is
// not known there.
func LogRequest(ctx context.Context, log *slog.Logger, r *http.Request, trustProxy bool, id string, status, bytes int, d time.Duration, extra ...slog.Attr) {
	attrs := []slog.Attr{slog.String("id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.Int("bytes", bytes), slog.Duration("duration", d), slog.String("ip", clientIP(r, trustProxy))}
	log.LogAttrs(ctx, slog.LevelInfo, "request", append(attrs, extra...)...)
}

// RefuseNUL answers 400 to a request whose path or query holds a NUL
// byte (raw or percent-encoded): no page, form or store accepts one, and
// PostgreSQL cannot store it in text. Forms are checked by ParseForm.
func RefuseNUL(rd *Renderer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if HasNUL(r.URL.Path) || HasNUL(r.URL.RawPath) || HasNUL(r.URL.RawQuery) || strings.Contains(strings.ToLower(r.URL.RawQuery), "%00") {
				rd.Error(w, r, http.StatusBadRequest, errors.New("NUL byte in the address"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// HasNUL reports whether s holds a NUL byte.
func HasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// Recover turns a panic into the 500 page in the visitor's language and
// logs the stack with the request id.
func Recover(rd *Renderer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					rd.Log.Error("panic", "request_id", RequestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					rd.Error(w, r, http.StatusInternalServerError, fmt.Errorf("panic: %v", v))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// csp allows only the site's own scripts, styles and images; no inline code.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// SecurityHeaders sets the headers every answer carries; HSTS only when
// the request came over TLS (directly or, behind a trusted proxy, as said).
func SecurityHeaders(trustProxy bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			SetSecurityHeaders(w.Header(), IsTLS(r, trustProxy))
			next.ServeHTTP(w, r)
		})
	}
}

// securityHeaders are the values every answer carries, made once; each
// value's slice is full (len == cap), so an Add copies it.
var (
	securityHeaders = http.Header{
		"Content-Security-Policy":    {csp},
		"X-Content-Type-Options":     {"nosniff"},
		"X-Frame-Options":            {"DENY"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
	}
	hsts = []string{"max-age=63072000; includeSubDomains"}
)

// SetSecurityHeaders sets the headers of SecurityHeaders on h; HSTS when
// the connection is encrypted.
func SetSecurityHeaders(h http.Header, tls bool) {
	for k, v := range securityHeaders {
		h[k] = v
	}
	if tls {
		h["Strict-Transport-Security"] = hsts
	}
}

// IsTLS reports whether the visitor's connection is encrypted.
func IsTLS(r *http.Request, trustProxy bool) bool {
	return r.TLS != nil || trustProxy && r.Header.Get("X-Forwarded-Proto") == "https"
}

// CrossOrigin refuses state-changing requests from other sites with the
// 403 page: GET, HEAD and OPTIONS pass, anything else must come from this origin.
func CrossOrigin(rd *Renderer) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rd.Log.Warn("cross-origin request refused", "request_id", RequestID(r), "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		rd.Error(w, r, http.StatusForbidden, nil)
	}))
	return cop.Handler
}
