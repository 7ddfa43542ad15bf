// Package sitecopy writes a site's public pages as static files: it
// crawls an http.Handler in process (no network, no server listening)
// from the home pages and the sitemap, keeps what answers 200, rewrites
// every link between the files to a relative one, and writes index.html
// for directory-like paths, so that a plain file server (or a browser
// opening the files) shows the site without a database.
//
// What needs the server is marked: forms are hidden and carry
// data-needs-server; a link whose target cannot be a file (a search, a
// filter, another language not exported) goes to the live site's address.
package sitecopy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Options say what to copy.
type Options struct {
	// Base is the live site's address (e.g. https://observatory.example.org):
	// absolute links to it become relative, links that cannot be copied
	// point to it.
	Base string
	// Langs are the interface languages to copy; Skip the others.
	Langs, Skip []string
	// Start are the paths to crawl from besides each language's home page
	// and the sitemap.
	Start []string
	// MaxPages bounds the crawl (0: 50000).
	MaxPages int
}

// Result says what was written.
type Result struct {
	Files, Pages, Redirects int
}

type page struct {
	status   int
	ctype    string
	body     []byte
	location string // of a redirect
	file     string // where it goes, relative to the directory
}

type crawler struct {
	h     http.Handler
	opt   Options
	base  *url.URL
	pages map[string]*page // by path and query
	queue []string
}

var (
	linkRe    = regexp.MustCompile(`(?i)\b(href|src|action)="([^"]*)"`)
	formRe    = regexp.MustCompile(`(?i)<form\b`)
	locRe     = regexp.MustCompile(`<loc>([^<]+)</loc>`)
	cssURLRe  = regexp.MustCompile(`url\((['"]?)(/[^)'"]*)(['"]?)\)`)
	langRe    = regexp.MustCompile(`^/([a-z]{2})(/|$)`)
	pageQuery = regexp.MustCompile(`^page=([0-9]{1,4})$`)
	unsafeRe  = regexp.MustCompile(`[^A-Za-z0-9._]+`)
)

// Copy crawls h and writes the public site into dir.
func Copy(ctx context.Context, h http.Handler, dir string, opt Options) (Result, error) {
	if opt.MaxPages == 0 {
		opt.MaxPages = 50000
	}
	if opt.Base == "" {
		opt.Base = "http://localhost"
	}
	base, err := url.Parse(strings.TrimRight(opt.Base, "/"))
	if err != nil || base.Host == "" {
		return Result{}, fmt.Errorf("the site's address %q is not an absolute URL", opt.Base)
	}
	c := &crawler{h: h, opt: opt, base: base, pages: map[string]*page{}}
	for _, l := range opt.Langs {
		c.enqueue("/" + l + "/")
	}
	c.enqueue("/sitemap.xml")
	for _, s := range opt.Start {
		c.enqueue(s)
	}
	for len(c.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if len(c.pages) > opt.MaxPages {
			return Result{}, fmt.Errorf("more than %d pages: stopped", opt.MaxPages)
		}
		p := c.queue[0]
		c.queue = c.queue[1:]
		if err := c.fetch(p); err != nil {
			return Result{}, err
		}
	}
	return c.write(dir)
}

// local turns a link into a path (and page query) of this site to copy,
// or "" when it is not one.
func (c *crawler) local(from, link string) (string, bool) {
	u, err := url.Parse(strings.ReplaceAll(link, "&amp;", "&"))
	if err != nil || u.Scheme == "mailto" || u.Scheme == "data" || u.Scheme == "javascript" {
		return "", false
	}
	if u.IsAbs() || u.Host != "" {
		if u.Host != c.base.Host {
			return "", false
		}
	}
	if u.Path == "" && u.RawQuery == "" {
		return "", false // a fragment of the same page
	}
	p := u.Path
	if p == "" {
		p, _, _ = strings.Cut(from, "?")
	} else if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(from), p)
	}
	if m := langRe.FindStringSubmatch(p); m != nil && slices.Contains(c.opt.Skip, m[1]) {
		return "", false
	}
	// A page of a list, and a data file or an API answer asked with a
	// query, are copied as files of their own; a search or filter of a
	// page is not (its unfiltered page stands in).
	if u.RawQuery != "" && (pageQuery.MatchString(u.RawQuery) || strings.HasPrefix(p, "/api/") || path.Ext(p) != "") {
		return p + "?" + u.RawQuery, true
	}
	return p, true
}

func (c *crawler) enqueue(p string) {
	if _, seen := c.pages[p]; !seen {
		c.pages[p] = nil
		c.queue = append(c.queue, p)
	}
}

func (c *crawler) fetch(p string) error {
	req := httptest.NewRequest(http.MethodGet, c.base.Scheme+"://"+c.base.Host+p, nil)
	req.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	pg := &page{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: body}
	c.pages[p] = pg
	switch {
	case res.StatusCode >= 300 && res.StatusCode < 400:
		if loc, ok := c.local(p, res.Header.Get("Location")); ok {
			pg.location = loc
			c.enqueue(loc)
		}
		pg.ctype = "text/html; charset=utf-8"
	case res.StatusCode != http.StatusOK:
		return nil
	}
	pg.file = c.fileFor(p, pg.ctype)
	mt, _, _ := mime.ParseMediaType(pg.ctype)
	switch {
	case mt == "text/html" && pg.location == "":
		for _, m := range linkRe.FindAllStringSubmatch(string(body), -1) {
			if strings.EqualFold(m[1], "action") {
				continue
			}
			if l, ok := c.local(p, m[2]); ok {
				c.enqueue(l)
			}
		}
	case mt == "text/css":
		for _, m := range cssURLRe.FindAllStringSubmatch(string(body), -1) {
			c.enqueue(m[2])
		}
	case strings.HasSuffix(mt, "xml"):
		for _, m := range locRe.FindAllStringSubmatch(string(body), -1) {
			if l, ok := c.local(p, m[1]); ok {
				c.enqueue(l)
			}
		}
	}
	return nil
}

// fileFor is where a path's answer is written: index.html for pages,
// the path itself for a file with an extension, index.EXT for data at a
// directory-like path; a page of a list beside its first page.
func (c *crawler) fileFor(p, ctype string) string {
	p, q, _ := strings.Cut(p, "?")
	suffix := ""
	if m := pageQuery.FindStringSubmatch(q); m != nil {
		suffix = "-page-" + m[1]
	} else if q != "" {
		suffix = "-q-" + unsafeRe.ReplaceAllString(q, "-")
		if len(suffix) > 80 {
			sum := sha256.Sum256([]byte(q))
			suffix = suffix[:60] + "-" + hex.EncodeToString(sum[:6])
		}
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	clean := strings.TrimPrefix(path.Clean("/"+p), "/")
	ext := path.Ext(clean)
	switch {
	case mt == "text/html" && ext != ".html":
		return path.Join(clean, "index"+suffix+".html")
	case ext != "" && suffix == "":
		return clean
	case ext != "":
		return strings.TrimSuffix(clean, ext) + suffix + ext
	}
	exts, _ := mime.ExtensionsByType(mt)
	e := ".bin"
	switch {
	case strings.Contains(mt, "json"):
		e = ".json"
	case strings.Contains(mt, "xml"):
		e = ".xml"
	case len(exts) > 0:
		e = exts[0]
	}
	return path.Join(clean, "index"+suffix+e)
}

// rewrite makes a link relative to the file from, to the file of its
// target; a target that was not copied goes to the live site.
func (c *crawler) rewrite(fromPath, fromFile, link string) string {
	target, ok := c.local(fromPath, link)
	u, _ := url.Parse(strings.ReplaceAll(link, "&amp;", "&"))
	if u == nil {
		return link
	}
	if !ok {
		if u.Host == "" && strings.HasPrefix(u.Path, "/") {
			return c.base.String() + link // another language, not copied
		}
		return link
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.Fragment
	}
	pg := c.pages[target]
	if pg == nil || pg.file == "" {
		if pg2 := c.pages[u.Path]; u.RawQuery != "" && pg2 != nil && pg2.file != "" {
			pg = pg2 // a filtered list: its unfiltered first page
		} else {
			return c.base.String() + u.Path + queryOf(u) + frag
		}
	}
	rel, err := filepath.Rel(filepath.Dir(filepath.FromSlash(fromFile)), filepath.FromSlash(pg.file))
	if err != nil {
		return link
	}
	return filepath.ToSlash(rel) + frag
}

func queryOf(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

func (c *crawler) write(dir string) (Result, error) {
	var res Result
	written := map[string]string{}
	for p, pg := range c.pages {
		if pg == nil || pg.file == "" {
			continue
		}
		if other, dup := written[pg.file]; dup {
			return res, fmt.Errorf("%s and %s would both be %s", other, p, pg.file)
		}
		written[pg.file] = p
		body := pg.body
		mt, _, _ := mime.ParseMediaType(pg.ctype)
		switch {
		case pg.location != "":
			target := c.rewrite(p, pg.file, pg.location)
			body = []byte(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=` + target +
				`"><link rel="canonical" href="` + target + `"><a href="` + target + `">` + target + `</a>`)
			res.Redirects++
		case mt == "text/html":
			body = linkRe.ReplaceAllFunc(body, func(m []byte) []byte {
				sub := linkRe.FindSubmatch(m)
				return []byte(string(sub[1]) + `="` + c.rewrite(p, pg.file, string(sub[2])) + `"`)
			})
			body = formRe.ReplaceAll(body, []byte(`<form hidden data-needs-server`))
			res.Pages++
		case mt == "text/css":
			body = cssURLRe.ReplaceAllFunc(body, func(m []byte) []byte {
				sub := cssURLRe.FindSubmatch(m)
				return []byte("url(" + string(sub[1]) + c.rewrite(p, pg.file, string(sub[2])) + string(sub[3]) + ")")
			})
		}
		full := filepath.Join(dir, filepath.FromSlash(pg.file))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return res, err
		}
		if err := os.WriteFile(full, bytes.Clone(body), 0o644); err != nil {
			return res, err
		}
		res.Files++
	}
	return res, nil
}
