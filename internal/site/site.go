// Package site makes the platform findable: sitemap.xml (every public page
// in every language, with hreflang alternates and the date it last
// changed; an index of several sitemaps past 50,000 addresses), robots.txt
// naming it, the favicon, the web app manifest and the default image for
// link previews.
package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// MaxPerSitemap is how many addresses one sitemap holds (the protocol's limit).
var MaxPerSitemap = 50000

// Handlers serves the findability files.
type Handlers struct {
	BaseURL  string
	SiteName string
	// Sources are every capability's public pages (the app collects them).
	Sources func() []web.SitemapSource
	// Static pages outside any capability: the home page and the like.
	Static []string

	once sync.Once
	og   []byte
}

type urlset struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	XHTML   string   `xml:"xmlns:xhtml,attr"`
	URLs    []xmlURL `xml:"url"`
}

type xmlURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	Alts    []xmlLink `xml:"xhtml:link"`
}

type xmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []xmlSitemap `xml:"sitemap"`
}

type xmlSitemap struct {
	Loc string `xml:"loc"`
}

// URLs lists every public address (absolute, under site) with its alternates.
func (h *Handlers) urls(ctx context.Context, site string) ([]xmlURL, error) {
	var entries []web.SitemapEntry
	for _, p := range h.Static {
		entries = append(entries, web.SitemapEntry{Path: p})
	}
	if h.Sources != nil {
		for _, src := range h.Sources() {
			es, err := src(ctx)
			if err != nil {
				return nil, err
			}
			entries = append(entries, es...)
		}
	}
	var out []xmlURL
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Path] {
			continue
		}
		seen[e.Path] = true
		paths := map[string]string{}
		for _, l := range i18n.Langs {
			p := e.Path
			if lp, ok := e.LangPaths[l]; ok {
				p = lp
			}
			paths[l] = site + "/" + l + p
		}
		var alts []xmlLink
		for _, l := range i18n.Langs {
			alts = append(alts, xmlLink{Rel: "alternate", Hreflang: l, Href: paths[l]})
		}
		alts = append(alts, xmlLink{Rel: "alternate", Hreflang: "x-default", Href: paths[i18n.Default]})
		mod := ""
		if !e.LastMod.IsZero() {
			mod = e.LastMod.UTC().Format(time.RFC3339)
		}
		for _, l := range i18n.Langs {
			out = append(out, xmlURL{Loc: paths[l], LastMod: mod, Alts: alts})
		}
	}
	return out, nil
}

// Sitemap is GET /sitemap.xml: one sitemap, or the index of the parts
// when there are more addresses than one may hold.
func (h *Handlers) Sitemap(w http.ResponseWriter, r *http.Request) {
	site := web.SiteURL(r, h.BaseURL)
	urls, err := h.urls(r.Context(), site)
	if err != nil {
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	if len(urls) <= MaxPerSitemap {
		writeXML(w, urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml", URLs: urls})
		return
	}
	idx := sitemapIndex{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for i := 0; i*MaxPerSitemap < len(urls); i++ {
		idx.Sitemaps = append(idx.Sitemaps, xmlSitemap{Loc: site + "/sitemaps/" + strconv.Itoa(i+1) + ".xml"})
	}
	writeXML(w, idx)
}

// Part is GET /sitemaps/{n}.xml: the n-th part of a large sitemap.
func (h *Handlers) Part(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("file"), ".xml"))
	site := web.SiteURL(r, h.BaseURL)
	urls, uerr := h.urls(r.Context(), site)
	if uerr != nil {
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	if err != nil || n < 1 || (n-1)*MaxPerSitemap >= len(urls) || len(urls) <= MaxPerSitemap {
		http.NotFound(w, r)
		return
	}
	part := urls[(n-1)*MaxPerSitemap : min(len(urls), n*MaxPerSitemap)]
	writeXML(w, urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml", URLs: part})
}

func writeXML(w http.ResponseWriter, v any) {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(b)
}

// Robots is GET /robots.txt.
func (h *Handlers) Robots(w http.ResponseWriter, r *http.Request) {
	site := web.SiteURL(r, h.BaseURL)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b bytes.Buffer
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/admin", "/account", "/login", "/password/", "/invitation/"} {
		for _, l := range i18n.Langs {
			fmt.Fprintf(&b, "Disallow: /%s%s\n", l, p)
		}
	}
	b.WriteString("Disallow: /api/\n\nSitemap: " + site + "/sitemap.xml\n")
	w.Write(b.Bytes())
}

const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="28" fill="none" stroke="#1d5c8c" stroke-width="6"/><circle cx="32" cy="32" r="11" fill="#1d5c8c"/></svg>`

// Favicon is GET /favicon.svg (and /favicon.ico answers with it too).
func (h *Handlers) Favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write([]byte(favicon))
}

// Manifest is GET /manifest.webmanifest.
func (h *Handlers) Manifest(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	m := map[string]any{
		"name": h.SiteName, "short_name": h.SiteName, "start_url": "/" + lang + "/", "scope": "/", "lang": lang,
		"display": "browser", "background_color": "#ffffff", "theme_color": "#1d5c8c",
		"icons": []map[string]string{{"src": "/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
			{"src": "/og-image.png", "sizes": "1200x630", "type": "image/png"}},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Add("Vary", "Accept-Language")
	json.NewEncoder(w).Encode(m)
}

// OGImage is GET /og-image.png: the preview image of pages without their own.
func (h *Handlers) OGImage(w http.ResponseWriter, r *http.Request) {
	h.once.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 1200, 630))
		blue, light := color.RGBA{0x1d, 0x5c, 0x8c, 0xff}, color.RGBA{0xe8, 0xf0, 0xf7, 0xff}
		for y := 0; y < 630; y++ {
			for x := 0; x < 1200; x++ {
				dx, dy := x-600, y-315
				d := dx*dx + dy*dy
				c := light
				if d < 200*200 && d > 160*160 || d < 70*70 {
					c = blue
				}
				img.Set(x, y, c)
			}
		}
		var b bytes.Buffer
		png.Encode(&b, img)
		h.og = b.Bytes()
	})
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(h.og)
}

// Organization is the schema.org description of the network, for the home page.
func Organization(site, name string) map[string]any {
	return map[string]any{"@context": "https://schema.org", "@type": "Organization", "name": name, "url": site + "/",
		"logo": site + "/og-image.png"}
}
