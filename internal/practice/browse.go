package practice

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

type listData struct {
	R          *Results
	Cards      []card
	Facets     []facetView
	FacetsHTML template.HTML
	Chips      []chip
	Sorts      []sortLink
	Pager      web.Pager
	Export     string // query string for the export links
	Filtered   bool
	CanCreate  bool
	PageLang   string
}

// Name is a language's name in the page's language.
func (d listData) Name(code string) string { return i18n.LanguageName(d.PageLang, code) }

type facetView struct {
	Name     string
	TitleKey string
	Shown    []facetLink
	More     []facetLink // the rest, behind a disclosure
}

type facetLink struct {
	Label    string
	Count    int
	Selected bool
	URL      string
}

type chip struct {
	Label string
	URL   string
}

type sortLink struct {
	Key     string
	URL     string
	Current bool
}

// facetShown is how many values a facet lists before "more".
const facetShown = 8

// List is the library's search and browse page.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	n, err := h.Store.index.current(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.cached(w, r, "list|"+r.URL.Path+"?"+r.URL.RawQuery, n.version, keepWhenAskedAgain, func(w http.ResponseWriter) { h.list(w, r, n) })
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request, n *snapshot) {
	lang := web.Lang(r)
	p := ParseParams(r.URL.Query(), lang)
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	labelFacets(res, h.Render.Catalog.T, lang)
	base := r.URL.Path
	d := listData{R: res, Filtered: p.Filtered(), CanCreate: mayCreate(web.ViewerFrom(r.Context())), PageLang: lang}
	link := func(v url.Values) string {
		v.Del("page")
		if s := v.Encode(); s != "" {
			return base + "?" + s
		}
		return base
	}
	for _, f := range res.Facets {
		fv := facetView{Name: f.Name, TitleKey: "practice.facet." + f.Name}
		for i, val := range f.Values {
			v := p.Values()
			toggle(v, f.Name, val.Value)
			fl := facetLink{Label: val.Label, Count: val.Count, Selected: val.Selected, URL: link(v)}
			if val.Selected {
				d.Chips = append(d.Chips, chip{Label: val.Label, URL: fl.URL})
			}
			if i < facetShown || val.Selected {
				fv.Shown = append(fv.Shown, fl)
			} else {
				fv.More = append(fv.More, fl)
			}
		}
		if len(fv.Shown)+len(fv.More) > 0 {
			d.Facets = append(d.Facets, fv)
		}
	}
	for _, s := range []string{SortRelevance, SortNewest, SortTitle} {
		if s == SortRelevance && !res.Query.HasPositive() {
			continue
		}
		v := p.Values()
		v.Set("sort", s)
		d.Sorts = append(d.Sorts, sortLink{Key: "practice.sort." + s, URL: link(v), Current: res.Sort == s})
	}
	d.Cards = cards(res.Items, lang, h.Render.Catalog.T)
	d.FacetsHTML = facetsHTML(d.Facets, func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) })
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

// facetsHTML writes the facet lists. They are the largest part of a
// result page (a hundred links or more) and are built here rather than in
// the template because html/template's per-value escaping made them most
// of the page's rendering time; every value is escaped all the same.
func facetsHTML(facets []facetView, t func(key string, args ...any) string) template.HTML {
	var b strings.Builder
	esc := html.EscapeString
	link := func(l facetLink) {
		b.WriteString(`<li><a href="`)
		b.WriteString(esc(l.URL))
		b.WriteString(`"`)
		if l.Selected {
			b.WriteString(` aria-current="true" class="selected"><span><span aria-hidden="true">✓ </span>`)
		} else {
			b.WriteString(`><span>`)
		}
		b.WriteString(esc(l.Label))
		b.WriteString(`</span> <span class="count">`)
		b.WriteString(strconv.Itoa(l.Count))
		b.WriteString("</span></a></li>")
	}
	for _, f := range facets {
		b.WriteString("<section class=\"facet\">\n<h3>")
		b.WriteString(esc(t(f.TitleKey)))
		b.WriteString("</h3>\n<ul>")
		for _, l := range f.Shown {
			link(l)
		}
		b.WriteString("</ul>\n")
		if len(f.More) > 0 {
			b.WriteString("<details><summary>")
			b.WriteString(esc(t("practice.facets.more", "Count", len(f.More))))
			b.WriteString("</summary><ul>")
			for _, l := range f.More {
				link(l)
			}
			b.WriteString("</ul></details>\n")
		}
		b.WriteString("</section>\n")
	}
	return template.HTML(b.String())
}

// toggle adds value to the URL parameter name, or removes it when present.
func toggle(v url.Values, name, value string) {
	vals := v[name]
	if i := slices.Index(vals, value); i >= 0 {
		v[name] = slices.Delete(slices.Clone(vals), i, i+1)
		return
	}
	v.Add(name, value)
}

// labelFacets fills in the labels that come from the catalog.
func labelFacets(res *Results, t func(lang, key string, args ...any) string, lang string) {
	for i := range res.Facets {
		for j := range res.Facets[i].Values {
			if v := &res.Facets[i].Values[j]; v.Label == "" && v.Key != "" {
				v.Label = t(lang, v.Key)
			}
		}
	}
}

func pager(r *http.Request, res *Results) web.Pager {
	return web.PagerAt(r, res.Params.Page, res.Params.Size, res.Total)
}
