package apiv1

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"observatory/internal/cache"
	"observatory/internal/web"
)

// Limiter counts each client address's API requests in fixed windows. It
// is kept per server: behind several servers a client may make up to
// Limit requests per window on each of them. Its memory is bounded: the
// counts start afresh with each window.
type Limiter struct {
	Limit  int           // requests per window and address
	Window time.Duration // a minute when zero

	mu    sync.Mutex
	start time.Time
	n     map[string]int
	now   func() time.Time
}

// take counts one request of key and returns how many are left in the
// window (negative: over the limit) and the seconds until it ends.
func (l *Limiter) take(key string) (left int, reset int) {
	win := l.Window
	if win <= 0 {
		win = time.Minute
	}
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == nil || now.Sub(l.start) >= win {
		l.start, l.n = now.Truncate(win), map[string]int{}
	}
	l.n[key]++
	reset = int(l.start.Add(win).Sub(now).Seconds() + 0.999)
	return l.Limit - l.n[key], max(reset, 1)
}

// maxTagged bounds the answer kept to compute its ETag; a longer answer
// streams without one.
const maxTagged = 4 << 20

// exposed are the headers a page on another site may read.
const exposed = "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, X-Request-Id"

// Middleware gives every answer under /api/v1 the contract's headers: rate
// limits (429 past the limit), CORS for reads (any origin, no credentials;
// preflights answered), Vary on the language, a cache lifetime, and an
// ETag on successful reads with 304 for a matching If-None-Match.
func Middleware(rd *web.Renderer, l *Limiter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != Prefix && !strings.HasPrefix(r.URL.Path, Prefix+"/") {
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			read := r.Method == http.MethodGet || r.Method == http.MethodHead
			if read || r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Origin", "*")
				h.Set("Access-Control-Expose-Headers", exposed)
			}
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD")
				h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
				h.Set("Access-Control-Max-Age", "86400")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			if l != nil && l.Limit > 0 {
				left, reset := l.take(web.ClientIP(r))
				h.Set("RateLimit-Limit", strconv.Itoa(l.Limit))
				h.Set("RateLimit-Remaining", strconv.Itoa(max(left, 0)))
				h.Set("RateLimit-Reset", strconv.Itoa(reset))
				h.Set("RateLimit-Policy", strconv.Itoa(l.Limit)+";w="+strconv.Itoa(int(max(l.Window, time.Minute).Seconds())))
				if left < 0 {
					h.Set("Retry-After", strconv.Itoa(reset))
					Fail(w, r, rd, Problem{Status: http.StatusTooManyRequests, Code: "rate-limited"})
					return
				}
			}
			h.Add("Vary", "Accept-Language")
			if !read {
				next.ServeHTTP(w, r)
				return
			}
			tw := &tagWriter{w: w}
			next.ServeHTTP(tw, r)
			tw.finish(r)
		})
	}
}

// tagWriter keeps a read's answer to give it an ETag, up to maxTagged
// bytes; past that it streams the answer untagged.
type tagWriter struct {
	w       http.ResponseWriter
	status  int
	buf     bytes.Buffer
	through bool // streaming: the headers were sent
}

func (t *tagWriter) Header() http.Header { return t.w.Header() }

func (t *tagWriter) WriteHeader(s int) {
	if t.status == 0 {
		t.status = s
	}
}

func (t *tagWriter) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	if t.through {
		return t.w.Write(b)
	}
	if t.status != http.StatusOK || t.buf.Len()+len(b) > maxTagged {
		t.through = true
		t.defaults()
		t.w.WriteHeader(t.status)
		if t.buf.Len() > 0 {
			if _, err := t.w.Write(t.buf.Bytes()); err != nil {
				return 0, err
			}
			t.buf.Reset()
		}
		return t.w.Write(b)
	}
	return t.buf.Write(b)
}

func (t *tagWriter) Unwrap() http.ResponseWriter { return t.w }

// defaults sets the cache lifetime an answer did not set itself: a minute
// for the public, none for answers to a token or a session.
func (t *tagWriter) defaults() {
	h := t.w.Header()
	if h.Get("Cache-Control") == "" && t.status == http.StatusOK {
		h.Set("Cache-Control", "public, max-age=60")
	}
}

func (t *tagWriter) finish(r *http.Request) {
	if t.through {
		return
	}
	if t.status == 0 {
		t.status = http.StatusOK
	}
	h := t.w.Header()
	if r.Header.Get("Authorization") != "" || hasSession(r) {
		h.Set("Cache-Control", "private, no-cache")
	}
	t.defaults()
	if t.status == http.StatusOK {
		tag := h.Get("ETag")
		if tag == "" {
			tag = cache.ETag(t.buf.Bytes())
			h.Set("ETag", tag)
		}
		if matches(r.Header.Get("If-None-Match"), tag) {
			for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Content-Disposition"} {
				h.Del(k)
			}
			t.w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	t.w.WriteHeader(t.status)
	t.w.Write(t.buf.Bytes())
}

func hasSession(r *http.Request) bool {
	_, err := r.Cookie("observatory_session")
	return err == nil
}

// matches reports whether an If-None-Match header names tag (weak
// comparison, RFC 9110 13.1.2).
func matches(header, tag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	tag = strings.TrimPrefix(tag, "W/")
	for _, part := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(part), "W/") == tag {
			return true
		}
	}
	return false
}
