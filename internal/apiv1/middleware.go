package apiv1

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"observatory/internal/cache"
	"observatory/internal/db"
	"observatory/internal/web"
)

// Limiter counts each client address's API requests in fixed windows (a
// minute by default), across every app server on one database.
//
// The counts are kept in the database (api_limits): a server reserves a
// block of requests for an address with one statement, which never hands
// out more than Limit in a window over all servers, and counts them off
// in memory; only when its block is used up does it ask for the next one.
// An address that sends requests to one server costs one write per block
// (Block, Limit/60 by default: at most one a second at the full rate).
// The limit is never exceeded; the error goes the other way: requests a
// server reserved and was not sent stay unused, so behind N servers an
// address may be refused after Limit − (N−1)·(Block−1) requests at worst.
// Without a database (DB nil) the counts are this server's alone. Memory
// is bounded: the counts start afresh with each window.
type Limiter struct {
	Limit  int           // requests per window and address
	Window time.Duration // a minute when zero
	Block  int           // requests reserved at once; Limit/60 (at least 1) when zero
	DB     *db.DB

	mu    sync.Mutex
	start time.Time
	n     map[string]*allowance
	now   func() time.Time
}

// allowance is what this server holds of an address's window.
type allowance struct {
	left int  // reserved and not used yet
	used int  // reserved in the window by all servers, as last read
	out  bool // the window's requests are all reserved: refuse until it ends
}

func (l *Limiter) window() time.Duration {
	if l.Window <= 0 {
		return time.Minute
	}
	return l.Window
}

func (l *Limiter) block() int {
	if l.Block > 0 {
		return min(l.Block, l.Limit)
	}
	return max(l.Limit/60, 1)
}

// take counts one request of key and returns how many are left in the
// window (negative: over the limit) and the seconds until it ends.
func (l *Limiter) take(r *http.Request, key string) (left int, reset int) {
	win := l.window()
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	l.mu.Lock()
	if l.n == nil || now.Sub(l.start) >= win {
		l.start, l.n = now.Truncate(win), map[string]*allowance{}
	}
	start := l.start
	reset = max(int(start.Add(win).Sub(now).Seconds()+0.999), 1)
	a := l.n[key]
	if a == nil {
		a = &allowance{}
		l.n[key] = a
	}
	if a.left == 0 && !a.out {
		// Reserve the next block, without holding the lock during the
		// statement; a request that meets the block used up at the same
		// time reserves one more, which the database still bounds.
		l.mu.Unlock()
		got, used := l.reserve(r, key, start)
		l.mu.Lock()
		if l.start.Equal(start) {
			a.left += got
			a.used = max(a.used, used)
			a.out = got == 0
		} else {
			a.left = got // the window ended meanwhile: a request of the old one
		}
	}
	defer l.mu.Unlock()
	if a.left == 0 {
		return -1, reset
	}
	a.left--
	return l.Limit - a.used + a.left, reset
}

// reserve takes up to a block of key's requests in the window that began
// at start (a server whose clock lags counts in the newer window the
// others began): it returns how many it got (0: none left) and how many the
// servers reserved in the window in all.
func (l *Limiter) reserve(r *http.Request, key string, start time.Time) (got, used int) {
	b := l.block()
	if l.DB == nil {
		return b, b
	}
	ms := start.UnixMilli()
	var total int
	err := l.DB.W.QueryRowContext(r.Context(), `INSERT INTO api_limits (key, window_ms, used) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET
			used = CASE WHEN api_limits.window_ms < $2 THEN $3 ELSE api_limits.used + $3 END,
			window_ms = CASE WHEN api_limits.window_ms < $2 THEN $2 ELSE api_limits.window_ms END
		WHERE api_limits.window_ms < $2 OR api_limits.used < $4
		RETURNING used`, key, ms, b, l.Limit).Scan(&total)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, l.Limit // every request of the window is reserved
	}
	if err != nil {
		// The database is unreachable: the API's reads fail on their own;
		// the limit lets this block through rather than refuse everyone.
		return b, b
	}
	return min(b, l.Limit-(total-b)), min(total, l.Limit)
}

// Prune removes the counts of windows that ended.
func (l *Limiter) Prune(ctx context.Context) error {
	if l.DB == nil {
		return nil
	}
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM api_limits WHERE window_ms < $1`, time.Now().Add(-l.window()).UnixMilli())
	if err != nil {
		return fmt.Errorf("pruning API limits: %w", err)
	}
	return nil
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
				c, _ := r.Context().Value(chargedKey{}).(charged)
				left, reset := c.left, c.reset
				if !c.set {
					left, reset = l.take(r, web.ClientIP(r))
				}
				l.setHeaders(h, left, reset)
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

// setHeaders sets the RateLimit-* headers of an answer: left requests
// in the window (negative: over the limit), which ends in reset seconds.
func (l *Limiter) setHeaders(h http.Header, left, reset int) {
	h["Ratelimit-Limit"] = []string{strconv.Itoa(l.Limit)}
	h["Ratelimit-Remaining"] = []string{strconv.Itoa(max(left, 0))}
	h["Ratelimit-Reset"] = []string{strconv.Itoa(reset)}
	h["Ratelimit-Policy"] = []string{strconv.Itoa(l.Limit) + ";w=" + strconv.Itoa(int(max(l.Window, time.Minute).Seconds()))}
}

// charged is a request already counted toward the limit by Admit, which
// refused it: Middleware answers 429 without counting it again.
type charged struct {
	set         bool
	left, reset int
}

type chargedKey struct{}

// Admit does for a public read under Prefix what Middleware does before
// the handler, for an answer given ahead of the middleware chain (see
// cache.Pages.Fast): it counts the request toward the rate limit of its
// client address (the proxy's client when trustProxy) and sets the
// headers Middleware sets. It reports whether the answer may follow; when
// not (over the limit), it has set no header, and the request it returns
// carries its count, for Middleware to answer 429 without counting it
// twice.
func Admit(l *Limiter, trustProxy bool) func(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	allowOrigin, expose, vary := []string{"*"}, []string{exposed}, "Accept-Language"
	return func(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.Path != Prefix && !strings.HasPrefix(r.URL.Path, Prefix+"/") {
			return r, false
		}
		h := w.Header()
		if l != nil && l.Limit > 0 {
			left, reset := l.take(r, web.ClientIPOf(r, trustProxy))
			if left < 0 {
				return r.WithContext(context.WithValue(r.Context(), chargedKey{}, charged{true, left, reset})), false
			}
			l.setHeaders(h, left, reset)
		}
		h["Access-Control-Allow-Origin"] = allowOrigin
		h["Access-Control-Expose-Headers"] = expose
		h["Vary"] = append(h["Vary"], vary)
		return r, true
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
