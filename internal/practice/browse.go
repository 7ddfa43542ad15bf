package practice

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"observatory/internal/i18n"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
	"observatory/internal/web"
)

type listData struct {
	R          *Results
	Cards      []card
	Facets     []results.View
	FacetsHTML template.HTML
	Chips      []results.Chip
	Sorts      []sortLink
	Pager      web.Pager
	Export     string // query string for the export links
	Filtered   bool
	CanCreate  bool
	web.LangNames
}

type sortLink struct {
	Key     string
	URL     string
	Current bool
}

// List is the library's search and browse page.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.list(w, r, n)
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request, n *index.Snapshot) {
	lang := web.Lang(r)
	p := ParseParams(r.URL.Query(), lang)
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	base := r.URL.Path
	d := listData{R: res, Filtered: p.Filtered(), CanCreate: mayCreate(web.ViewerFrom(r.Context())), LangNames: web.LangNames{PageLang: lang}}
	link := func(v url.Values) string {
		v.Del("page")
		if s := v.Encode(); s != "" {
			return base + "?" + s
		}
		return base
	}
	d.Facets, d.Chips = results.Views(res.Facets, "practice.facet.", func() url.Values { return p.Values() }, link)
	for _, s := range []string{SortRelevance, SortNewest, SortTitle} {
		if s == SortRelevance && !res.Query.HasPositive() {
			continue
		}
		v := p.Values()
		v.Set("sort", s)
		d.Sorts = append(d.Sorts, sortLink{Key: "practice.sort." + s, URL: link(v), Current: res.Sort == s})
	}
	d.Cards = cards(res.Items, lang, h.Render.Catalog.T)
	d.FacetsHTML = results.HTML(d.Facets, "practice.facets.more", func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) })
	d.Pager = pager(r, res)
	d.Export = p.Values().Encode()
	pg := h.Render.NewPage(r, "", d)
	pg.Title = pg.T("practice.list.title")
	if p.Q != "" {
		pg.Title = pg.T("practice.list.title_query", "Query", p.Q)
	}
	// Result pages are for people; let robots index the plain library.
	pg.NoIndex = p.Q != "" || p.Filtered() || p.Page > 1
	pg.Description = pg.T("practice.list.lead")
	if !pg.NoIndex {
		// The library is also open data: its exports, described for search engines.
		pg.JSONLD = append(pg.JSONLD, map[string]any{"@context": "https://schema.org", "@type": "Dataset",
			"name": pg.Title, "description": pg.Description, "url": pg.Canonical(), "inLanguage": []string{"de", "en", "fr"},
			"creator": map[string]any{"@type": "Organization", "name": pg.Site(), "url": pg.SiteURL + "/"},
			"distribution": []map[string]any{
				{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": pg.SiteURL + "/" + lang + "/practices/export.csv"},
				{"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": pg.SiteURL + "/api/v1/practices/export.json"},
			}})
	}
	h.Render.HTML(w, r, http.StatusOK, "practice/list", pg)
}

// card is a result as the list shows it, its labels looked up once per
// page rather than by the template for every card.
type card struct {
	URL         string
	Title       i18n.Resolved
	Summary     i18n.Resolved
	Meta        string // city, country, since when
	Status      string
	StatusLabel string
	LangNote    string // "in German" when the title is not in the reader's language
	Snippet     template.HTML
	SnippetLang string // set when not the page's language
}

func cards(items []ListItem, lang string, t func(lang, key string, args ...any) string) []card {
	memo := map[string]string{}
	label := func(key string, args ...any) string {
		k := key + fmt.Sprint(args...)
		if v, ok := memo[k]; ok {
			return v
		}
		var v string
		if key == "\x00country" {
			v = i18n.CountryName(lang, args[0].(string))
		} else {
			v = t(lang, key, args...)
		}
		memo[k] = v
		return v
	}
	out := make([]card, len(items))
	for i, it := range items {
		c := card{URL: "/" + lang + it.Path(), Title: it.Title, Summary: it.Summary, Status: it.Status, Snippet: it.Snippet}
		c.Meta = it.City.In(lang) + ", " + label("\x00country", it.City.Country)
		if len(it.Start) >= 4 {
			c.Meta += " · " + label("practice.since", "Start", it.Start[:4])
		}
		if it.Status != "" {
			c.StatusLabel = label("practice.status." + it.Status)
		}
		if it.Title.FellBack {
			c.LangNote = label("practice.in_language", "Language", i18n.LanguageName(lang, it.Title.Lang))
		} else if it.Summary.FellBack && it.Snippet == "" {
			c.LangNote = label("practice.summary_in", "Language", i18n.LanguageName(lang, it.Summary.Lang))
		}
		if it.SnippetLang != lang {
			c.SnippetLang = it.SnippetLang
		}
		out[i] = c
	}
	return out
}

func pager(r *http.Request, res *Results) web.Pager {
	return web.PagerAt(r, res.Params.Page, res.Params.Size, res.Total)
}
