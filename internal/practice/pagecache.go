package practice

import (
	"bytes"
	"net/http"
	"sync"

	"observatory/internal/web"
)

// pageCache keeps rendered public pages (practice pages, result lists,
// API answers) keyed by their address and the data version they were
// rendered at. Every change the public can see bumps the version in the
// database, which each request reads, so a cached page is never stale on
// any server. Only visitors without a session get cached pages: they all
// see the same page, with no name, flash message or editor tools on it.
type pageCache struct {
	mu    sync.Mutex
	pages map[string]*cachedPage
	order []string
	size  int
}

type cachedPage struct {
	version string
	status  int
	header  http.Header
	body    []byte
}

// pageCacheBytes bounds the cache; when full, the oldest half goes.
const pageCacheBytes = 64 << 20

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
		c.size -= len(old.body)
	} else {
		c.order = append(c.order, key)
	}
	c.pages[key] = p
	c.size += len(p.body)
	if c.size > pageCacheBytes {
		drop := c.order[:len(c.order)/2]
		for _, k := range drop {
			if old, ok := c.pages[k]; ok {
				c.size -= len(old.body)
				delete(c.pages, k)
			}
		}
		c.order = append([]string(nil), c.order[len(drop):]...)
	}
}

// serve writes a cached page.
func (p *cachedPage) serve(w http.ResponseWriter) {
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.Header().Set("X-Cache", "hit")
	w.WriteHeader(p.status)
	w.Write(p.body)
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

// cached answers r from the cache when it can, or runs render and keeps
// its answer when it is a 200. key must hold everything the page depends
// on besides the data version (address, language).
func (h *Handlers) cached(w http.ResponseWriter, r *http.Request, key, version string, render func(w http.ResponseWriter)) {
	if !cacheable(r) {
		render(w)
		return
	}
	if p := h.pages.get(key, version); p != nil {
		p.serve(w)
		return
	}
	rec := &recorder{header: w.Header().Clone()}
	render(rec)
	p := &cachedPage{version: version, status: rec.status, header: rec.header, body: rec.body.Bytes()}
	if p.status == http.StatusOK {
		h.pages.put(key, p)
	}
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.WriteHeader(p.status)
	w.Write(p.body)
}
