package practice

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"observatory/internal/feed"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
	"observatory/internal/web"
)

// Feeds of newly published practices: /{lang}/practices/feed.atom, .rss
// and .json take the list page's search parameters (q, theme, group,
// continent, country, city, status, year) and give the newest matches.
// They go through the public search, which knows only published
// practices, so a feed shows nothing a visitor could not find.

// feedSize is how many practices a feed holds.
const feedSize = 50

// FeedAtom, FeedRSS and FeedJSON are GET /{lang}/practices/feed.atom, .rss and .json.
func (h *Handlers) FeedAtom(w http.ResponseWriter, r *http.Request) { h.feed(w, r, feed.Atom) }
func (h *Handlers) FeedRSS(w http.ResponseWriter, r *http.Request)  { h.feed(w, r, feed.RSS) }
func (h *Handlers) FeedJSON(w http.ResponseWriter, r *http.Request) { h.feed(w, r, feed.JSON) }

func (h *Handlers) feed(w http.ResponseWriter, r *http.Request, format string) {
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	// Links in a feed are absolute, so the site's address is part of what
	// the answer depends on, besides the path (language, format), the
	// query and the data version.
	if !feed.Revalidate(w, r, n.Key()+"|"+web.SiteURL(r, h.BaseURL)+"feed|"+r.URL.Path+"?"+r.URL.RawQuery) {
		h.writeFeed(w, r, n, format)
	}
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

func (h *Handlers) writeFeed(w http.ResponseWriter, r *http.Request, n *index.Snapshot, format string) {
	lang := web.Lang(r)
	p := feedParams(r.URL.Query(), lang)
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	site := web.SiteURL(r, h.BaseURL)
	query := feedQuery(p)
	if query != "" {
		query = "?" + query
	}
	f := feed.Feed{Title: t("practice.feed.title", "Site", h.Render.SiteName), Description: t("practice.feed.subtitle"),
		Site: h.Render.SiteName, Lang: lang, List: site + "/" + lang + "/practices" + query,
		Self: site + "/" + lang + "/practices/feed." + format + query, Scheme: site + "/" + lang + "/practices?theme="}
	if filter := feedFilter(res, t); filter != "" {
		f.Title = t("practice.feed.title_filtered", "Site", h.Render.SiteName, "Filter", filter)
		f.Description = t("practice.feed.subtitle_filtered", "Filter", filter)
	}
	for _, it := range res.Items {
		// The id names the practice by number, not by its slug, which may
		// change, and the day it was first published, which does not; the
		// entry is updated when its public version changes.
		e := feed.Item{Title: it.Title.Value, Link: site + "/" + lang + it.Path(), Summary: it.Summary.Value,
			ID: feed.TagID(site, it.PublishedAt.UTC(), fmt.Sprintf("/%s/practices/%d", lang, it.ID)), Published: it.PublishedAt,
			Updated: it.RevisedAt, Author: it.City.In(lang), AuthorURL: fmt.Sprintf("%s/%s/cities/%d-%s", site, lang, it.City.ID, it.City.Slug)}
		for _, k := range it.Themes {
			e.Categories = append(e.Categories, feed.Category{Term: k, Label: info(n).terms.Name(KindTheme, k, lang)})
		}
		f.Items = append(f.Items, e)
	}
	if err := feed.Write(w, format, f); err != nil {
		h.Log.Error("practice feed failed", "request_id", web.RequestID(r), "err", err)
	}
}

// feedFilter describes the search a feed follows in the reader's
// language: the query, then the selected values facet by facet, with the
// names the list page shows for them (a value no practice has is shown
// as given).
func feedFilter(res *Results, t func(key string, args ...any) string) string {
	p := res.Params
	label := results.LabelOf(res.Facets)
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
			parts = append(parts, label(f.name, v))
		}
	}
	return strings.Join(parts, ", ")
}
