package practice

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/search/index"
	"observatory/internal/search/results"
)

// The JSON API answers the same questions as the pages: GET
// /api/v1/practices takes the list page's query parameters (q, theme,
// group, continent, country, city, status, year, sort, page, size) plus
// lang for labels and titles; GET /api/v1/practices/{id} is one practice
// in the exchange format. Only published practices exist here, but for a
// token with read:private: its owner sees what the pages show them signed
// in (the workspace's practices in the list's work, an unpublished
// practice they may work on through its working copy).

type apiList struct {
	Items  []apiItem                      `json:"items"`
	Next   *string                        `json:"next"`
	Total  int                            `json:"total"`
	Sort   string                         `json:"sort"`
	Query  string                         `json:"query,omitempty"`
	Lang   string                         `json:"lang"`
	Facets map[string][]results.JSONValue `json:"facets"`
	// Work is what the workspace page lists for the token's owner, on the
	// first page of an answer to a read:private token.
	Work *[]apiWorkItem `json:"work,omitempty"`
}

// apiWorkItem is one practice of the workspace.
type apiWorkItem struct {
	ID        int64     `json:"id"`
	State     string    `json:"state"`
	Review    string    `json:"review"`
	Title     string    `json:"title"`
	TitleLang string    `json:"title_lang"`
	City      apiCity   `json:"city"`
	UpdatedAt time.Time `json:"updated_at"`
	URL       string    `json:"url"` // the working page
	API       string    `json:"api"` // the working copy
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

// apiParams are the list page's filters; page and size are the API's
// limit and cursor.
var apiParams = []string{"q", "theme", "group", "continent", "country", "city", "status", "year", "sort"}

// APIList is GET /api/v1/practices.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render, apiParams...)
	if !ok {
		return
	}
	if apiv1.Limit(q, DefaultPageSize) > MaxPageSize {
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "limit"})
		return
	}
	from, ok := apiv1.Offset(w, r, h.Render, q)
	if !ok {
		return
	}
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	h.apiList(w, r, n, q, from)
}

func (h *Handlers) apiList(w http.ResponseWriter, r *http.Request, n *index.Snapshot, q url.Values, from int) {
	lang := apiv1.Lang(r)
	p := ParseParams(q, lang)
	p.Size, p.From = apiv1.Limit(q, DefaultPageSize), from
	res, err := h.Store.searchAt(r.Context(), n, p)
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	base := apiv1.Base(r, h.Render)
	out := apiList{Total: res.Total, Sort: res.Sort, Query: p.Q, Lang: lang, Items: []apiItem{}, Facets: results.JSON(res.Facets)}
	for _, it := range res.Items {
		out.Items = append(out.Items, apiItem{ID: it.ID, URL: base + "/" + lang + it.Path(), API: base + "/api/v1/practices/" + strconv.FormatInt(it.ID, 10),
			Title: it.Title.Value, TitleLang: it.Title.Lang, Summary: it.Summary.Value, SummaryLang: it.Summary.Lang,
			Snippet: it.Snippet, SnippetLang: it.SnippetLang, Themes: it.Themes, Status: it.Status, Start: it.Start, PublishedAt: it.PublishedAt,
			City: apiCity{ID: it.City.ID, Slug: it.City.Slug, Name: it.City.In(lang), Country: it.City.Country, Continent: it.City.Continent}})
	}
	if len(res.Items) > 0 && from+len(res.Items) < res.Total {
		out.Next = apiv1.NextOffset(w, r, h.Render, q, from+len(res.Items), res.Total)
	}
	if v := auth.PrivateReader(r); v != nil && mayCreate(v) && from == 0 {
		items, err := h.Store.WorkList(r.Context(), workFilter(v, false))
		if err != nil {
			apiv1.Internal(w, r, h.Render, err)
			return
		}
		work := []apiWorkItem{}
		for _, it := range items {
			id := strconv.FormatInt(it.ID, 10)
			work = append(work, apiWorkItem{ID: it.ID, State: it.State, Review: it.Review, Title: it.Title, TitleLang: it.Lang,
				City:      apiCity{ID: it.City.ID, Slug: it.City.Slug, Name: it.City.In(lang), Country: it.City.Country, Continent: it.City.Continent},
				UpdatedAt: it.UpdatedAt.UTC(), URL: base + workPath(lang, it.ID), API: base + "/api/v1/practices/" + id + "/work"})
		}
		out.Work = &work
	}
	apiv1.JSON(w, http.StatusOK, out)
}

// APIGet is GET /api/v1/practices/{id}.
func (h *Handlers) APIGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	id, ok := apiv1.ID(w, r, h.Render, "id")
	if !ok {
		return
	}
	rows, err := h.Store.published(r.Context(), []int64{id})
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	if len(rows) == 0 {
		// As on the pages, whoever may work on an unpublished practice is
		// taken to its working copy.
		if v := auth.PrivateReader(r); v != nil {
			if city, err := h.Store.CityOf(r.Context(), id); err == nil && canWrite(v, city) {
				w.Header().Set("Location", apiv1.Base(r, h.Render)+"/api/v1/practices/"+strconv.FormatInt(id, 10)+"/work")
				w.WriteHeader(http.StatusSeeOther)
				return
			}
		}
		apiv1.NotFound(w, r, h.Render)
		return
	}
	x := rows[0]
	apiv1.JSON(w, http.StatusOK, export(x.id, x.uid, x.rec, x.city, x.published, h.absolute(r, practicePath(apiv1.Lang(r), x.id, x.slug))))
}
