package practice

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"

	"observatory/internal/web"
)

// pageCache keeps rendered public pages (practice pages, result lists,
// API answers) keyed by their address and the data version they were
// rendered at. Every change the public can see bumps the version in the
// database, which each request reads, so a cached page is never stale on
// any server. Only visitors without a session get cached pages: they all
// see the same page, with no name, flash message or editor tools on it.
//
// A search is kept from its second request on (see keep).
type pageCache struct {
	mu    sync.Mutex
	pages map[string]*cachedPage
	order []string
	size  int
	asked map[string]bool // addresses rendered once, not kept yet
}

// maxAsked bounds the addresses remembered as asked once; when full, the
// memory starts afresh.
const maxAsked = 1 << 16

// again reports whether key was asked for before, and remembers it.
func (c *pageCache) again(key string) bool {
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

type cachedPage struct {
	version string
	status  int
	header  http.Header
	gz      []byte // the body, gzip-compressed: a fifth of the memory, and sent as is
}

// pageCacheBytes bounds the cache (compressed); when full, the oldest half goes.
const pageCacheBytes = 192 << 20

// cacheable reports whether r may get (and fill) a cached page.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || web.ViewerFrom(r.Context()) != nil {
		return false
	}
	_, err := r.Cookie("observatory_session")
	return err != nil
}

func (c *pageCache) get(key, version string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pages[key]; ok && p.version == version {
		return p
	}
	return nil
}

func (c *pageCache) put(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = map[string]*cachedPage{}
	}
	if old, ok := c.pages[key]; ok {
		c.size -= len(old.gz)
	} else {
		c.order = append(c.order, key)
	}
	c.pages[key] = p
	c.size += len(p.gz)
	if c.size > pageCacheBytes {
		drop := c.order[:len(c.order)/2]
		for _, k := range drop {
			if old, ok := c.pages[k]; ok {
				c.size -= len(old.gz)
				delete(c.pages, k)
			}
		}
		c.order = append([]string(nil), c.order[len(drop):]...)
	}
}

// serve writes a cached page, compressed when the client takes gzip.
func (p *cachedPage) serve(w http.ResponseWriter, r *http.Request) {
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
	return buf.Bytes()
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

// keep says when a page earns its place in the cache.
type keep int

const (
	// keepAtOnce is for pages people come back to: practice pages, feeds.
	keepAtOnce keep = iota
	// keepWhenAskedAgain is for searches: most addresses of a search with
	// facets are asked for once, and keeping them would cost compressing
	// them and push out the pages people come back to.
	keepWhenAskedAgain
)

// cached answers r from the cache when it can, or runs render and keeps
// its answer when it is a 200 (see keep). key must hold everything the
// page depends on besides the data version and the site's address (path,
// language).
func (h *Handlers) cached(w http.ResponseWriter, r *http.Request, key, version string, when keep, render func(w http.ResponseWriter)) {
	if !cacheable(r) {
		render(w)
		return
	}
	// Pages hold absolute links, which follow the address asked for when
	// no public address is configured.
	key = web.SiteURL(r, h.BaseURL) + "|" + key
	if p := h.pages.get(key, version); p != nil {
		p.serve(w, r)
		return
	}
	if when == keepWhenAskedAgain && !h.pages.again(key) {
		render(w)
		return
	}
	rec := &recorder{header: w.Header().Clone()}
	render(rec)
	if rec.status == http.StatusOK {
		h.pages.put(key, &cachedPage{version: version, status: rec.status, header: rec.header, gz: compress(rec.body.Bytes())})
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}
