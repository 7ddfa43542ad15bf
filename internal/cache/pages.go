package cache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"

	"observatory/internal/web"
)

// Pages keeps rendered public pages (practice pages, result lists, API
// answers, feeds) in a cache space, keyed by their address and the data
// version they were rendered at. Every change the public can see bumps
// the version in the database, which each request reads, so a cached
// page is never stale on any server. Only visitors without a session get
// cached pages: they all see the same page, with no name, flash message
// or editor tools on it.
//
// A page kept only when asked for again (see Keep) is remembered as asked
// once in a small bounded set.
type Pages struct {
	space   *Space
	baseURL string

	mu    sync.Mutex
	asked map[string]bool // addresses rendered once, not kept yet
}

// NewPages returns a page cache in a new space of c; baseURL is the
// site's public address, when configured.
func NewPages(c *Cache, name, baseURL string) *Pages {
	return &Pages{space: c.Space(name), baseURL: baseURL}
}

// maxAsked bounds the addresses remembered as asked once; when full, the
// memory starts afresh.
const maxAsked = 1 << 16

// again reports whether key was asked for before, and remembers it.
func (c *Pages) again(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.asked[key] {
		delete(c.asked, key)
		return true
	}
	if c.asked == nil || len(c.asked) >= maxAsked {
		c.asked = map[string]bool{}
	}
	c.asked[key] = true
	return false
}

type page struct {
	status int
	header http.Header
	gz     []byte // the body, gzip-compressed: a fifth of the memory, and sent as is
}

func (p *page) size() int {
	n := len(p.gz) + 64
	for k, v := range p.header {
		n += len(k) + 32
		for _, s := range v {
			n += len(s) + 16
		}
	}
	return n
}

// cacheable reports whether r may get (and fill) a cached page.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || web.ViewerFrom(r.Context()) != nil {
		return false
	}
	_, err := r.Cookie("observatory_session")
	return err != nil
}

// serve writes a cached page, compressed when the client takes gzip.
func (p *page) serve(w http.ResponseWriter, r *http.Request) {
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.Header().Set("X-Cache", "hit")
	w.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(p.status)
		w.Write(p.gz)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(p.status)
	io.Copy(w, zr)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if enc, q, _ := strings.Cut(strings.TrimSpace(part), ";"); enc == "gzip" && !strings.Contains(q, "q=0") {
			return true
		}
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

func compress(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return bytes.Clone(buf.Bytes())
}

// recorder captures what a handler writes, to cache it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
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
	return r.body.Write(b)
}

// Keep says when a page earns its place in the cache.
type Keep int

const (
	// AtOnce is for pages people come back to: practice pages, feeds.
	AtOnce Keep = iota
	// WhenAskedAgain is for searches: most addresses of a search with
	// facets are asked for once, and keeping them would cost compressing
	// them and push out the pages people come back to.
	WhenAskedAgain
)

// Serve answers r from the cache when it can, or runs render and keeps
// its answer when it is a 200 (see Keep). key must hold everything the
// page depends on besides the data version and the site's address (path,
// language).
func (c *Pages) Serve(w http.ResponseWriter, r *http.Request, key, version string, when Keep, render func(w http.ResponseWriter)) {
	if !cacheable(r) {
		render(w)
		return
	}
	// Pages hold absolute links, which follow the address asked for when
	// no public address is configured.
	key = web.SiteURL(r, c.baseURL) + "|" + key
	if p, ok := c.space.Get(key, version); ok {
		p.(*page).serve(w, r)
		return
	}
	if when == WhenAskedAgain && !c.again(key) {
		render(w)
		return
	}
	rec := &recorder{header: w.Header().Clone()}
	render(rec)
	if rec.status == http.StatusOK {
		p := &page{status: rec.status, header: rec.header, gz: compress(rec.body.Bytes())}
		c.space.Put(key, version, p, p.size())
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}
