package practice

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
	"observatory/internal/web"
)

// The JSON API answers the same questions as the pages: GET
// /api/v1/practices takes the list page's query parameters (q, theme,
// group, continent, country, city, status, year, sort, page, size) plus
// lang for labels and titles; GET /api/v1/practices/{id} is one practice
// in the exchange format. Only published practices exist here.

type apiList struct {
	Total  int                      `json:"total"`
	Page   int                      `json:"page"`
	Pages  int                      `json:"pages"`
	Size   int                      `json:"size"`
	Sort   string                   `json:"sort"`
	Query  string                   `json:"query,omitempty"`
	Lang   string                   `json:"lang"`
	Items  []apiItem                `json:"items"`
	Facets map[string][]apiFacetVal `json:"facets"`
}

type apiItem struct {
	ID          int64         `json:"id"`
	URL         string        `json:"url"`
	API         string        `json:"api"`
	Title       string        `json:"title"`
	TitleLang   string        `json:"title_lang"`
	Summary     string        `json:"summary"`
	SummaryLang string        `json:"summary_lang"`
	Snippet     template.HTML `json:"snippet,omitempty"`
	SnippetLang string        `json:"snippet_lang,omitempty"`
	City        apiCity       `json:"city"`
	Themes      []string      `json:"themes"`
	Status      string        `json:"status"`
	Start       string        `json:"start"`
	PublishedAt time.Time     `json:"published_at"`
}

type apiCity struct {
	ID        int64  `json:"id"`
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Country   string `json:"country"`
	Continent string `json:"continent"`
}

type apiFacetVal struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
}

// apiLang is ?lang=, else the browser's language.
func apiLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return web.Lang(r)
}

// APIList is GET /api/v1/practices.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	h.apiList(w, r, n)
}

func (h *Handlers) apiList(w http.ResponseWriter, r *http.Request, n *index.Snapshot) {
	lang := apiLang(r)
	p := ParseParams(r.URL.Query(), lang)
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	out := apiList{Total: res.Total, Page: res.Params.Page, Pages: res.Pages, Size: p.Size, Sort: res.Sort, Query: p.Q, Lang: lang,
		Items: []apiItem{}, Facets: map[string][]apiFacetVal{}}
	for _, it := range res.Items {
		out.Items = append(out.Items, apiItem{ID: it.ID, URL: h.absolute(r, "/"+lang+it.Path()), API: "/api/v1/practices/" + strconv.FormatInt(it.ID, 10),
			Title: it.Title.Value, TitleLang: it.Title.Lang, Summary: it.Summary.Value, SummaryLang: it.Summary.Lang,
			Snippet: it.Snippet, SnippetLang: it.SnippetLang, Themes: it.Themes, Status: it.Status, Start: it.Start, PublishedAt: it.PublishedAt,
			City: apiCity{ID: it.City.ID, Slug: it.City.Slug, Name: it.City.In(lang), Country: it.City.Country, Continent: it.City.Continent}})
	}
	for _, f := range res.Facets {
		vals := []apiFacetVal{}
		for _, v := range f.Values {
			vals = append(vals, apiFacetVal{Value: v.Value, Label: v.Label, Count: v.Count, Selected: v.Selected})
		}
		out.Facets[f.Name] = vals
	}
	writeJSON(w, http.StatusOK, out)
}

// APIGet is GET /api/v1/practices/{id}.
func (h *Handlers) APIGet(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	rows, err := h.Store.published(r.Context(), []int64{id})
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	if len(rows) == 0 {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	x := rows[0]
	writeJSON(w, http.StatusOK, export(x.id, x.uid, x.rec, x.city, x.published, h.absolute(r, practicePath(apiLang(r), x.id, x.slug))))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (h *Handlers) apiError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 {
		h.Log.Error("api request failed", "request_id", web.RequestID(r), "path", r.URL.Path, "err", err)
	}
	msg := h.Render.Catalog.T(apiLang(r), "error."+strconv.Itoa(status)+".title")
	if err != nil && status < 500 && !errors.Is(err, ErrNotFound) {
		msg = err.Error()
	}
	writeJSON(w, status, map[string]any{"error": msg, "status": status})
}
