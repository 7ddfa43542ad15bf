package cache

import (
	"bytes"
	"compress/gzip"
	"context"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"

	"observatory/internal/web"
)

// Pages keeps the answers of public GET routes — pages, feeds, API
// answers — in a cache space, keyed by their address, language and the
// data version they were rendered at. Every change the public can see
// advances the version in the database, which each request reads (see
// db.DB.DataVersion), so a kept answer is never stale on any server.
//
// Only visitors without a session or an API token get kept answers: they all see the
// same page, with no name, flash message or editor tools on it. An answer
// is kept when it is a 200 that sets no cookie and says nothing against
// it (Cache-Control private or no-store, a Vary on other headers than the
// language and the encoding); it is compressed once, sent as is to every
// client that takes gzip or zstd, with an ETag (304 when the client has
// it) and a Cache-Control that lets a shared cache in front keep it but
// ask again each time.
type Pages struct {
	space   *Space
	baseURL string
	version func(ctx context.Context) (string, error)
	// MaxAge bounds how long an answer is kept at one data version: some
	// pages follow the clock (a consultation opens, a summit begins)
	// without a write.
	MaxAge time.Duration

	mu    sync.Mutex
	asked map[uint64]struct{} // addresses with a query, answered once and not kept yet
	fills map[fillKey]*fill   // answers being rendered, which others wait for

	fastHits atomic.Uint64 // answered by Fast, for sampling its log
}

// NewPages returns a page cache in a new space of c; baseURL is the
// site's public address, when configured; version reads the data version.
func NewPages(c *Cache, name, baseURL string, version func(ctx context.Context) (string, error)) *Pages {
	return &Pages{space: c.Space(name), baseURL: baseURL, version: version, MaxAge: time.Minute}
}

// maxAsked bounds the addresses remembered as asked once (8 bytes each);
// when full, the memory starts afresh.
const maxAsked = 1 << 15

// again reports whether key was asked for before, and remembers it.
func (c *Pages) again(key []byte) bool {
	h := fnv.New64a()
	h.Write(key)
	k := h.Sum64()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.asked[k]; ok {
		delete(c.asked, k)
		return true
	}
	if c.asked == nil || len(c.asked) >= maxAsked {
		c.asked = map[uint64]struct{}{}
	}
	c.asked[k] = struct{}{}
	return false
}

// page is one kept answer.
type page struct {
	langPage bool        // a page under a language prefix (see Wrap)
	header   http.Header // the handler's, without Content-Length
	etag     string
	at       time.Time
	plain    int    // the body's length uncompressed
	gz       []byte // the body, gzip-compressed
	zst      []byte // the body, zstd-compressed: made when a client first asks
	// The headers a hit answers with, made once: with the gzip body, with
	// the zstd body (once made), and for 304 Not Modified.
	sentGz, sentZst, sent304 http.Header
}

// newPage keeps a body with the handler's own headers.
func newPage(langPage bool, own http.Header, etag string, body []byte) *page {
	p := &page{langPage: langPage, header: own, etag: etag, at: time.Now(), plain: len(body), gz: gzipOf(body)}
	p.sentGz = p.headers("hit", "gzip", len(p.gz))
	p.sent304 = p.headers("hit", "", -1)
	return p
}

// headers is the header set of an answer from p: state for X-Cache
// (none for the answer that filled the cache), the content coding and
// the body's length (-1: none).
func (p *page) headers(state, enc string, length int) http.Header {
	h := make(http.Header, len(p.header)+8)
	for k, v := range p.header {
		h[k] = v[:len(v):len(v)] // shared by every answer: an Add makes a copy
	}
	if state != "" {
		h.Set("X-Cache", state)
	}
	h.Set("ETag", p.etag)
	h.Add("Vary", "Accept-Encoding")
	h.Add("Vary", "Cookie") // a signed-in visitor gets another page
	if !p.langPage {
		h.Add("Vary", "Accept-Language")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "public, no-cache")
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	if length >= 0 {
		h.Set("Content-Length", strconv.Itoa(length))
	}
	for k, v := range h {
		h[k] = v[:len(v):len(v)]
	}
	return h
}

// apply sets the header set on h, after the Vary that h already has.
func apply(h, set http.Header) {
	vary := h["Vary"]
	for k, v := range set {
		h[k] = v
	}
	if len(vary) > 0 {
		h["Vary"] = append(vary[:len(vary):len(vary)], set["Vary"]...)
	}
}

func (p *page) size() int {
	n := len(p.gz) + len(p.zst) + 160 + 3*512 // and the header sets
	for k, v := range p.header {
		n += len(k) + 32
		for _, s := range v {
			n += len(s) + 16
		}
	}
	return n
}

// cacheable reports whether r may get (and fill) a kept answer.
func cacheable(r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || web.ViewerFrom(r.Context()) != nil ||
		r.Header.Get("Authorization") != "" { // an API token's answer may hold what only its owner sees
		return false
	}
	_, err := r.Cookie(sessionName)
	return err != nil
}

// accepts reports whether the client takes the content coding enc.
func accepts(r *http.Request, enc string) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return !strings.HasPrefix(q, "q=0") || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") != ""
	}
	return false
}

// etagMatches reports whether If-None-Match names etag (weak comparison).
func etagMatches(r *http.Request, etag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	if strings.TrimSpace(inm) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for t := range strings.SplitSeq(inm, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

// serve writes a kept answer in the best coding the client takes; state
// is the X-Cache header ("hit", or none for the answer that filled the
// cache); key is the entry's full key (see appendKey). It returns the
// status and the body's length, for the log.
func (c *Pages) serve(w http.ResponseWriter, r *http.Request, key []byte, version string, p *page, state string) (status, n int) {
	h := w.Header()
	sent := func(enc string, length int) http.Header {
		if state == "hit" {
			switch enc {
			case "gzip":
				return p.sentGz
			case "zstd":
				return p.sentZst
			case "":
				if length < 0 {
					return p.sent304
				}
			}
		}
		return p.headers(state, enc, length)
	}
	if etagMatches(r, p.etag) {
		apply(h, sent("", -1))
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, 0
	}
	if accepts(r, "zstd") {
		if p.zst == nil {
			if zst, err := zstdOf(p.gz); err == nil {
				// Kept with its zstd form, for the next clients that take it.
				q := *p
				q.zst = zst
				q.sentZst = q.headers("hit", "zstd", len(zst))
				c.space.c.Put(string(key), version, &q, q.size())
				p = &q
			}
		}
		if p.zst != nil {
			return c.write(w, r, sent("zstd", len(p.zst)), p.zst)
		}
	}
	if accepts(r, "gzip") {
		return c.write(w, r, sent("gzip", len(p.gz)), p.gz)
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return http.StatusInternalServerError, 0
	}
	apply(h, p.headers(state, "", p.plain))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		m, _ := io.Copy(w, zr)
		n = int(m)
	}
	return http.StatusOK, n
}

// write sends a 200 with the header set and body (not for HEAD), in one
// Write.
func (c *Pages) write(w http.ResponseWriter, r *http.Request, set http.Header, body []byte) (status, n int) {
	apply(w.Header(), set)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		n, _ = w.Write(body)
	}
	return http.StatusOK, n
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return bytes.Clone(buf.Bytes())
}

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdErr  error
)

// zstdOf recompresses a gzip body as zstd.
func zstdOf(gz []byte) ([]byte, error) {
	zstdOnce.Do(func() {
		zstdEnc, zstdErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
	})
	if zstdErr != nil {
		return nil, zstdErr
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return zstdEnc.EncodeAll(plain, make([]byte, 0, len(gz))), nil
}

// ETag is the entity tag of an answer's body, as kept answers carry it, so
// that an answer made afresh and the same answer from the cache match.
func ETag(b []byte) string { return etagOf(b) }

func etagOf(b []byte) string {
	h := fnv.New64a()
	h.Write(b)
	return `W/"` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// maxRecorded is the largest answer kept: a longer one (an export of the
// whole library) goes to the client as it is written, unkept.
const maxRecorded = 1 << 20

// recorder captures what a handler writes, to keep it; past maxRecorded
// it passes everything on to the client.
type recorder struct {
	w      http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
	passed bool // writing through to w
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.passed {
		return r.w.Write(b)
	}
	if r.body.Len()+len(b) > maxRecorded {
		r.pass()
		return r.w.Write(b)
	}
	return r.body.Write(b)
}

// pass sends what was recorded and lets the rest through.
func (r *recorder) pass() {
	r.passed = true
	r.copyHeader()
	r.w.WriteHeader(r.status)
	r.w.Write(r.body.Bytes())
	r.body = bytes.Buffer{}
}

// copyHeader makes the client's header what the handler made it.
func (r *recorder) copyHeader() {
	h := r.w.Header()
	for k := range h {
		if _, ok := r.header[k]; !ok {
			delete(h, k)
		}
	}
	for k, v := range r.header {
		h[k] = v
	}
}

// own is what the handler set besides what every answer carries (the
// request's id, the security headers): what is kept with the page.
func (r *recorder) own() http.Header {
	out := http.Header{}
	base := r.w.Header()
	for k, v := range r.header {
		if !slices.Equal(v, base[k]) {
			out[k] = v
		}
	}
	out.Del("Content-Length")
	return out
}

// Flush passes what was recorded on: a handler that flushes streams.
func (r *recorder) Flush() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if !r.passed {
		r.pass()
	}
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

// keepable reports whether a recorded answer may be kept and given to
// every anonymous visitor.
func (r *recorder) keepable() bool {
	if r.passed || r.status != http.StatusOK || len(r.header.Values("Set-Cookie")) > 0 {
		return false
	}
	cc := strings.ToLower(r.header.Get("Cache-Control"))
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
		return false
	}
	for _, v := range r.header.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			switch strings.ToLower(strings.TrimSpace(f)) {
			case "accept-encoding", "accept-language", "cookie", "":
				// Cookie: only requests without a session get kept answers.
			default:
				return false
			}
		}
	}
	return r.header.Get("Content-Encoding") == ""
}

// Front answers a request from a kept answer before the session is
// loaded (which would buffer the answer and could write a cookie), when
// it can: a GET without a session cookie whose address is kept at the
// current version. Everything else goes on to next, where Wrap keeps
// answers. Kept answers come only from routes Wrap serves: the key of
// another address is never filled.
func (c *Pages) Front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = withVersionMemo(r)
		if !cacheable(r) || !c.lookup(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// versionMemo keeps the data version read for one request, so that the
// front of the chain and the route's Wrap ask the database once: a
// version read when the request arrived counts every write acknowledged
// before it.
type versionMemo struct {
	read bool
	v    string
	err  error
}

type versionMemoKey struct{}

// withVersion gives r its data version, read when it arrived.
func withVersion(r *http.Request, v string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), versionMemoKey{}, &versionMemo{read: true, v: v}))
}

// withVersionMemo gives r a place for its data version, once.
func withVersionMemo(r *http.Request) *http.Request {
	if _, ok := r.Context().Value(versionMemoKey{}).(*versionMemo); ok {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), versionMemoKey{}, &versionMemo{}))
}

// versionOf returns the data version for r, read once per request.
func (c *Pages) versionOf(r *http.Request) (string, error) {
	m, ok := r.Context().Value(versionMemoKey{}).(*versionMemo)
	if !ok {
		return c.version(r.Context())
	}
	if !m.read {
		m.v, m.err = c.version(r.Context())
		m.read = m.err == nil
	}
	return m.v, m.err
}

// lookup answers r from a kept answer and reports whether it did.
func (c *Pages) lookup(w http.ResponseWriter, r *http.Request) bool {
	kb := keyBufs.Get().(*[]byte)
	defer keyBufs.Put(kb)
	p, version, ok := c.find(r, kb)
	if !ok {
		return false
	}
	c.serve(w, r, *kb, version, p, "hit")
	return true
}

// find returns the kept answer for r, if any, with the data version it
// was looked up at; its key is left in *kb.
func (c *Pages) find(r *http.Request, kb *[]byte) (*page, string, bool) {
	version, err := c.versionOf(r)
	if err != nil {
		return nil, "", false
	}
	p, ok := c.findAt(r, kb, version)
	return p, version, ok
}

// findAt returns the kept answer for r at version, if any; its key is
// left in *kb.
func (c *Pages) findAt(r *http.Request, kb *[]byte, version string) (*page, bool) {
	*kb = c.appendKey((*kb)[:0], r)
	v, ok := c.space.c.getBytes(*kb, version)
	if !ok {
		return nil, false
	}
	p := v.(*page)
	if time.Since(p.at) >= c.MaxAge {
		return nil, false
	}
	return p, true
}

var keyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// A Gate lets Fast answer the requests under Prefix, which need what a
// middleware under Fast does before their answer (such as the API's rate
// limit): Admit does it for a request Fast has a kept answer for, setting
// that middleware's headers, and reports whether the answer may follow.
// When not, it has set no header, and Fast passes the request it returns
// on down the chain, which answers it.
type Gate struct {
	Prefix string
	Admit  func(w http.ResponseWriter, r *http.Request) (*http.Request, bool)
}

// Fast answers kept answers ahead of every other middleware, so that a
// hit costs a version check, a lookup and one write: a GET or HEAD with
// no session cookie and no Authorization; under a gate's prefix only
// once the gate admits it. The answer carries what the chain would have
// set: the security headers and a request id. Hits are logged one in
// logEvery (with "sampled" saying so) to keep the log's cost off the hot
// path; the cache's figures count them all. Everything else, and every
// miss, goes on to next.
func (c *Pages) Fast(log *slog.Logger, trustProxy bool, logEvery uint64, gates ...Gate) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) || sessionCookie(r) || len(r.Header["Authorization"]) > 0 {
				next.ServeHTTP(w, r)
				return
			}
			var admit func(http.ResponseWriter, *http.Request) (*http.Request, bool)
			for _, g := range gates {
				if strings.HasPrefix(r.URL.Path, g.Prefix) {
					admit = g.Admit
					break
				}
			}
			start := time.Now()
			version, err := c.version(r.Context())
			if err != nil {
				next.ServeHTTP(w, r)
				return
			}
			kb := keyBufs.Get().(*[]byte)
			defer keyBufs.Put(kb)
			p, ok := c.findAt(r, kb, version)
			if !ok {
				next.ServeHTTP(w, withVersion(r, version)) // read once for the whole chain
				return
			}
			if admit != nil {
				if r2, ok := admit(w, r); !ok {
					next.ServeHTTP(w, r2)
					return
				}
			}
			id := web.NewRequestID(r)
			h := w.Header()
			web.SetSecurityHeaders(h, web.IsTLS(r, trustProxy))
			h["X-Request-Id"] = []string{id}
			status, n := c.serve(w, r, *kb, version, p, "hit")
			if log != nil && (logEvery <= 1 || c.fastHits.Add(1)%logEvery == 1) {
				web.LogRequest(r.Context(), log, r, trustProxy, id, status, n, time.Since(start),
					slog.String("cache", "hit"), slog.Uint64("sampled", max(logEvery, 1)))
			}
		})
	}
}

// sessionCookie reports whether the request may carry a session cookie:
// any mention of its name counts (a hit must never go to a signed-in
// visitor; Front looks closer).
func sessionCookie(r *http.Request) bool {
	for _, v := range r.Header["Cookie"] {
		if strings.Contains(v, sessionName) {
			return true
		}
	}
	return false
}

const sessionName = "observatory_session"

// appendKey appends to b the full key (with the space's prefix) that a
// kept answer is found by. Pages hold absolute links, which follow the
// address asked for when no public address is configured (as
// web.SiteURL); a page's language is its address's, other routes answer
// in the one the client asks for.
func (c *Pages) appendKey(b []byte, r *http.Request) []byte {
	b = append(b, c.space.prefix...)
	if c.baseURL != "" {
		b = append(b, strings.TrimSuffix(c.baseURL, "/")...)
	} else {
		if r.TLS != nil {
			b = append(b, "https://"...)
		} else {
			b = append(b, "http://"...)
		}
		b = append(b, r.Host...)
	}
	b = append(b, '|')
	b = append(b, web.Lang(r)...)
	b = append(b, '|')
	b = append(b, r.URL.Path...)
	b = append(b, '?')
	return append(b, r.URL.RawQuery...)
}

// Wrap puts h behind the cache. langPage says whether the route is a page
// under a language prefix (its language is in the address); other routes
// may answer in the language the client asks for (Accept-Language).
// A request with a query is kept when asked for a second time: most
// searches with facets are asked for once, and keeping them would push
// out the pages people come back to.
func (c *Pages) Wrap(h http.Handler, langPage bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			if r.Method == http.MethodGet {
				// A page for a signed-in person: no shared cache keeps it.
				w.Header().Set("Cache-Control", "private, no-cache")
			}
			h.ServeHTTP(w, r)
			return
		}
		version, err := c.versionOf(r)
		if err != nil {
			h.ServeHTTP(w, r) // the handler meets the same database and says what is wrong
			return
		}
		if c.lookup(w, r) {
			return
		}
		key := c.appendKey(nil, r)
		if r.Method == http.MethodHead || r.URL.RawQuery != "" && !c.again(key) {
			h.ServeHTTP(w, r)
			return
		}
		// One request renders an answer at a version; the others that
		// want it meanwhile wait for it (their version is the same: what
		// they must see, it counts) rather than all render it at once.
		done, first := c.filling(key, version)
		if !first {
			select {
			case <-done:
			case <-r.Context().Done():
				return
			}
			if c.lookup(w, r) {
				return
			}
		} else {
			defer c.filled(key, version, done)
		}
		rec := recorders.Get().(*recorder)
		defer func() {
			rec.w, rec.header, rec.status, rec.passed = nil, nil, 0, false
			if rec.body.Cap() <= 256<<10 {
				rec.body.Reset()
				recorders.Put(rec)
			}
		}()
		rec.w, rec.header = w, w.Header().Clone()
		h.ServeHTTP(rec, r)
		if rec.passed {
			return
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if !rec.keepable() {
			rec.copyHeader()
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
			return
		}
		body := rec.body.Bytes()
		etag := rec.header.Get("ETag")
		if etag == "" {
			etag = etagOf(body)
		}
		p := newPage(langPage, rec.own(), etag, body)
		c.space.c.Put(string(key), version, p, p.size())
		c.serve(w, r, key, version, p, "")
	})
}

// fillKey names an answer being rendered at a version.
type fillKey struct{ key, version string }

// fill is an answer being rendered.
type fill struct {
	done    chan struct{} // closed when it is
	waiting int           // requests waiting for it
}

// filling reports whether the caller is the first to render key at
// version, and the channel closed when that render is done.
func (c *Pages) filling(key []byte, version string) (done chan struct{}, first bool) {
	k := fillKey{string(key), version}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.fills[k]; ok {
		f.waiting++
		return f.done, false
	}
	if c.fills == nil {
		c.fills = map[fillKey]*fill{}
	}
	f := &fill{done: make(chan struct{})}
	c.fills[k] = f
	return f.done, true
}

// filled ends the render that filling let start.
func (c *Pages) filled(key []byte, version string, done chan struct{}) {
	c.mu.Lock()
	delete(c.fills, fillKey{string(key), version})
	c.mu.Unlock()
	close(done)
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// Clear drops every kept answer: for what changes pages without a write
// (a test's clock, a setting changed in the running process).
func (c *Pages) Clear() { c.space.Clear() }
