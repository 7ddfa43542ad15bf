package news

import (
	"context"
	"database/sql"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Deps is what the news capability needs from the app.
type Deps struct {
	DB      *db.DB
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string
	// Dates gives every capability's date sources once all are wired.
	Dates func() []web.DateSource
}

// New builds the news capability.
func New(d Deps) *Handlers {
	return &Handlers{Store: &Store{DB: d.DB}, Render: d.Render, Auth: d.Auth, Log: d.Log, BaseURL: d.BaseURL, Dates: d.Dates}
}

// Capability is what the news offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	return web.Capability{
		Name:      "news",
		Templates: templatesFS(),
		Nav:       &web.NavItem{Key: "nav.news", Path: "/news"},
		Counts: []web.Count{
			{Key: "news.count.scheduled", Path: "/news/work", Value: func(ctx context.Context) (int64, error) { return h.Store.Count(ctx, StateScheduled) }},
			{Key: "news.count.drafts", Path: "/news/work", Value: func(ctx context.Context) (int64, error) { return h.Store.Count(ctx, StateDraft) }},
		},
		CitySections: []web.CitySection{h.CitySection},
		CityRenamed:  []func(context.Context, *sql.Tx, int64) error{h.Store.ReindexCity},
		HomeSections: []web.PageSection{h.HomeNews, h.HomeDates},
		Jobs: []web.Job{{Name: "news.publish", Every: time.Minute, Once: true, Run: func(ctx context.Context) error {
			_, err := h.Store.PublishDue(ctx, db.Now())
			return err
		}}},
		Dates:        []web.DateSource{h.Store.DateSource},
		Sitemap:      []web.SitemapSource{h.Sitemap},
		Datasets:     h.Store.Datasets(),
		PersonalData: []web.PersonalData{h.Store.PersonalData()},
	}
}

type homeNews struct {
	Items    []card
	PageLang string
}

// HomeNews is the home page's newest items.
func (h *Handlers) HomeNews(r *http.Request) (template.HTML, error) {
	items, _, err := h.Store.List(r.Context(), Filter{Limit: 4})
	if err != nil || len(items) == 0 {
		return "", err
	}
	d := homeNews{PageLang: web.Lang(r)}
	for _, it := range items {
		d.Items = append(d.Items, cardOf(it, d.PageLang))
	}
	return h.section(r, "home-news", d)
}

type homeDates struct {
	Dates    []occurrence
	PageLang string
}

// HomeDates is the home page's next dates.
func (h *Handlers) HomeDates(r *http.Request) (template.HTML, error) {
	now := h.Store.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	ds, err := h.collect(r.Context(), from, to, "", 0)
	if err != nil {
		return "", err
	}
	occ := expand(ds, from, to, web.Lang(r))
	if len(occ) > 5 {
		occ = occ[:5]
	}
	if len(occ) == 0 {
		return "", nil
	}
	return h.section(r, "home-dates", homeDates{Dates: occ, PageLang: web.Lang(r)})
}

type cityNews struct {
	Items    []card
	CityID   int64
	PageLang string
}

// CitySection is the city's newest news on its page.
func (h *Handlers) CitySection(r *http.Request, cityID int64) (template.HTML, error) {
	items, _, err := h.Store.List(r.Context(), Filter{CityID: cityID, Limit: 3})
	if err != nil || len(items) == 0 {
		return "", err
	}
	d := cityNews{CityID: cityID, PageLang: web.Lang(r)}
	for _, it := range items {
		d.Items = append(d.Items, cardOf(it, d.PageLang))
	}
	return h.section(r, "city-news", d)
}

// Sitemap lists the public pages of news, calendar and press.
func (h *Handlers) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	items, err := h.Store.Sitemap(ctx)
	if err != nil {
		return nil, err
	}
	var newest time.Time
	out := []web.SitemapEntry{}
	for _, it := range items {
		if it.UpdatedAt.After(newest) {
			newest = it.UpdatedAt
		}
		e := web.SitemapEntry{Path: it.Path(i18n.Default), LastMod: it.UpdatedAt, LangPaths: map[string]string{}}
		for _, l := range i18n.Langs {
			e.LangPaths[l] = it.Path(l)
		}
		out = append(out, e)
	}
	out = append(out, web.SitemapEntry{Path: "/news", LastMod: newest}, web.SitemapEntry{Path: "/calendar", LastMod: newest},
		web.SitemapEntry{Path: "/press", LastMod: newest})
	obs, err := h.Store.Observances(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range obs {
		out = append(out, web.SitemapEntry{Path: o.Path(), LastMod: o.UpdatedAt})
	}
	press, err := h.Store.PressPages(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range press {
		out = append(out, web.SitemapEntry{Path: p, LastMod: newest})
	}
	owners, err := h.Store.Galleries(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range owners {
		out = append(out, web.SitemapEntry{Path: g.Path(), LastMod: newest})
	}
	return out, nil
}
