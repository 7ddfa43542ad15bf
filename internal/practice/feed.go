package practice

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"observatory/internal/cache"
	"observatory/internal/search/index"
	"observatory/internal/web"
)

// Feeds of newly published practices: /{lang}/practices/feed.atom, .rss
// and .json take the list page's search parameters (q, theme, group,
// continent, country, city, status, year) and give the newest matches.
// They go through the public search, which knows only published
// practices, so a feed shows nothing a visitor could not find.

// feedSize is how many practices a feed holds.
const feedSize = 50

// Feed formats and the media types they are sent as.
const (
	feedAtom = "atom"
	feedRSS  = "rss"
	feedJSON = "json"
)

var feedTypes = map[string]string{
	feedAtom: "application/atom+xml",
	feedRSS:  "application/rss+xml",
	feedJSON: "application/feed+json",
}

// FeedAtom, FeedRSS and FeedJSON are GET /{lang}/practices/feed.atom, .rss and .json.
func (h *Handlers) FeedAtom(w http.ResponseWriter, r *http.Request) { h.feed(w, r, feedAtom) }
func (h *Handlers) FeedRSS(w http.ResponseWriter, r *http.Request)  { h.feed(w, r, feedRSS) }
func (h *Handlers) FeedJSON(w http.ResponseWriter, r *http.Request) { h.feed(w, r, feedJSON) }

func (h *Handlers) feed(w http.ResponseWriter, r *http.Request, format string) {
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	// Links in a feed are absolute, so the site's address is part of what
	// the answer depends on, besides the path (language, format), the
	// query and the data version.
	key := "feed|" + r.URL.Path + "?" + r.URL.RawQuery
	hash := fnv.New64a()
	hash.Write([]byte(n.Version() + "|" + web.SiteURL(r, h.BaseURL) + key))
	etag := fmt.Sprintf(`W/"%x"`, hash.Sum64())
	w.Header().Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.cached(w, r, key, n.Version(), cache.AtOnce, func(w http.ResponseWriter) { h.writeFeed(w, r, n, format) })
}

// etagMatches reads an If-None-Match header (a list of tags, or *).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// feedParams is the search a feed follows: the list page's filters and
// query, newest first, one page. The order, page and size asked for are
// not the feed's to choose.
func feedParams(v url.Values, lang string) Params {
	p := ParseParams(v, lang)
	p.Sort, p.Page, p.Size = SortNewest, 1, feedSize
	return p
}

// feedQuery is the query string of the feed that follows p, "" when
// nothing is selected; the list page links it.
func feedQuery(p Params) string {
	v := p.Values()
	v.Del("sort")
	return v.Encode()
}

// FeedPath is the address, after the language, of the feed in format
// that follows the list page's search. It is built whole because
// html/template would escape a query string added to a link in parts.
func (d listData) FeedPath(format string) string {
	if q := feedQuery(d.R.Params); q != "" {
		return "/practices/feed." + format + "?" + q
	}
	return "/practices/feed." + format
}

// feedEntry is what the formats add to a generic item, in the same order.
type feedEntry struct {
	published time.Time
	city      string
	cityURL   string
	themes    []feedTheme
	summary   string // plain text
}

type feedTheme struct{ key, name string }

func (h *Handlers) writeFeed(w http.ResponseWriter, r *http.Request, n *index.Snapshot, format string) {
	lang := web.Lang(r)
	p := feedParams(r.URL.Query(), lang)
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	labelFacets(res, h.Render.Catalog.T, lang)
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	site := web.SiteURL(r, h.BaseURL)
	query := feedQuery(p)
	if query != "" {
		query = "?" + query
	}
	self := site + "/" + lang + "/practices/feed." + format + query
	list := site + "/" + lang + "/practices" + query

	f := &feeds.Feed{Title: t("practice.feed.title", "Site", h.Render.SiteName), Link: &feeds.Link{Href: list},
		Description: t("practice.feed.subtitle"), Author: &feeds.Author{Name: h.Render.SiteName}, Id: self}
	if filter := feedFilter(res, t); filter != "" {
		f.Title = t("practice.feed.title_filtered", "Site", h.Render.SiteName, "Filter", filter)
		f.Description = t("practice.feed.subtitle_filtered", "Filter", filter)
	}
	host := site
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	entries := make([]feedEntry, 0, len(res.Items))
	for _, it := range res.Items {
		published, revised := it.PublishedAt.UTC(), it.RevisedAt.UTC()
		if f.Updated.Before(revised) {
			f.Updated = revised
		}
		e := feedEntry{published: published, city: it.City.In(lang), summary: it.Summary.Value,
			cityURL: fmt.Sprintf("%s/%s/cities/%d-%s", site, lang, it.City.ID, it.City.Slug)}
		for _, k := range it.Themes {
			e.themes = append(e.themes, feedTheme{key: k, name: info(n).terms.Name(KindTheme, k, lang)})
		}
		// The id names the practice by number, not by its slug, which may
		// change, and the day it was first published, which does not; the
		// entry is updated when its public version changes.
		f.Add(&feeds.Item{Title: it.Title.Value, Link: &feeds.Link{Href: site + "/" + lang + it.Path()},
			Author: &feeds.Author{Name: e.city}, Description: it.Summary.Value, Created: published, Updated: revised,
			Id: fmt.Sprintf("tag:%s,%s:/%s/practices/%d", host, published.Format("2006-01-02"), lang, it.ID)})
		entries = append(entries, e)
	}
	if f.Updated.IsZero() {
		f.Updated = time.Now().UTC().Truncate(time.Second)
	}
	scheme := func(name string) string { return site + "/" + lang + "/practices?" + name + "=" }

	w.Header().Set("Content-Type", feedTypes[format]+"; charset=utf-8")
	switch format {
	case feedAtom:
		err = writeAtom(w, f, entries, lang, list, self, scheme)
	case feedRSS:
		err = writeRSS(w, f, entries, lang, self)
	default:
		err = writeJSONFeed(w, f, entries, lang, self)
	}
	if err != nil {
		h.Log.Error("practice feed failed", "request_id", web.RequestID(r), "err", err)
	}
}

// feedFilter describes the search a feed follows in the reader's
// language: the query, then the selected values facet by facet, with the
// names the list page shows for them (a value no practice has is shown
// as given).
func feedFilter(res *Results, t func(key string, args ...any) string) string {
	p := res.Params
	labels := map[string]string{}
	for _, f := range res.Facets {
		for _, v := range f.Values {
			if v.Selected {
				labels[f.Name+"\x00"+strings.ToLower(v.Value)] = v.Label
			}
		}
	}
	var parts []string
	if p.Q != "" {
		parts = append(parts, t("practice.feed.query", "Query", p.Q))
	}
	years := make([]string, len(p.Years))
	for i, y := range p.Years {
		years[i] = strconv.Itoa(y)
	}
	for _, f := range []struct {
		name   string
		values []string
	}{{"theme", p.Themes}, {"group", p.Groups}, {"continent", p.Continents}, {"country", p.Countries},
		{"city", p.Cities}, {"status", p.Statuses}, {"year", years}} {
		for _, v := range f.values {
			if l, ok := labels[f.name+"\x00"+strings.ToLower(v)]; ok && l != "" {
				v = l
			}
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ", ")
}

// Atom: gorilla/feeds writes the standard elements; the wrappers add the
// language, the self link and a category per theme.

type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

func writeAtom(w http.ResponseWriter, f *feeds.Feed, entries []feedEntry, lang, list, self string, scheme func(string) string) error {
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	generic := af.Entries
	af.Id, af.Link, af.Entries = self, nil, nil
	out := atomFeed{AtomFeed: af, Lang: lang, Links: []feeds.AtomLink{
		{Href: list, Rel: "alternate", Type: "text/html"},
		{Href: self, Rel: "self", Type: feedTypes[feedAtom]},
	}}
	for i, e := range entries {
		ae := &atomEntry{AtomEntry: generic[i]}
		ae.Published = e.published.Format(time.RFC3339)
		ae.Links[0].Type = "text/html"
		ae.Summary = nil
		if e.summary != "" {
			ae.Summary = &feeds.AtomSummary{Content: e.summary, Type: "text"}
		}
		if ae.Author != nil {
			ae.Author.Uri = e.cityURL
		}
		for _, th := range e.themes {
			ae.Categories = append(ae.Categories, atomCategory{Term: th.key, Label: th.name, Scheme: scheme("theme")})
		}
		out.Entries = append(out.Entries, ae)
	}
	return writeXML(w, out)
}

// RSS 2.0: the author element takes an e-mail address, so the city is
// named with dc:creator and as the first category, the themes after it.

type rssRoot struct {
	XMLName xml.Name    `xml:"rss"`
	Version string      `xml:"version,attr"`
	Atom    string      `xml:"xmlns:atom,attr"`
	DC      string      `xml:"xmlns:dc,attr"`
	Channel *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	Self  rssSelf    `xml:"atom:link"`
	Items []*rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
}

func writeRSS(w http.ResponseWriter, f *feeds.Feed, entries []feedEntry, lang, self string) error {
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	ch.Language, ch.ManagingEditor = lang, ""
	items := ch.Items
	ch.Items = nil
	out := rssRoot{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{RssFeed: ch, Self: rssSelf{Href: self, Rel: "self", Type: feedTypes[feedRSS]}}}
	for i, it := range items {
		e := entries[i]
		it.Author, it.Description = "", html.EscapeString(e.summary) // read as HTML by most readers
		it.Guid.IsPermaLink = "false"
		ri := &rssItem{RssItem: it, Creator: e.city, Categories: []string{e.city}}
		for _, th := range e.themes {
			ri.Categories = append(ri.Categories, th.name)
		}
		out.Channel.Items = append(out.Channel.Items, ri)
	}
	return writeXML(w, out)
}

func writeXML(w http.ResponseWriter, v any) error {
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write([]byte("\n"))
	return err
}

// JSON Feed 1.1: the generic feed plus the language, the feed's own
// address, the city as author and the themes as tags. An item needs a
// content field; a practice's is its summary.
func writeJSONFeed(w http.ResponseWriter, f *feeds.Feed, entries []feedEntry, lang, self string) error {
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.Language, jf.FeedUrl = lang, self
	for i, it := range jf.Items {
		e := entries[i]
		it.Summary, it.ContentText = e.summary, e.summary
		if it.ContentText == "" {
			it.ContentText = it.Title
		}
		author := &feeds.JSONAuthor{Name: e.city, Url: e.cityURL}
		it.Author, it.Authors = author, []*feeds.JSONAuthor{author}
		for _, th := range e.themes {
			it.Tags = append(it.Tags, th.name)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jf)
}
