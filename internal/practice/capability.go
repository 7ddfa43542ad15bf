package practice

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// New builds the best-practice library on d: browse and search, pages,
// exports, feeds and API, the editors' and the secretariat's workflow, the
// taxonomies; the city pages' and the figures page's sections; the search
// warm-up at start; and keeps its index in step with renamed cities.
func New(d *db.DB, rd *web.Renderer, ah *auth.Handlers, cat *i18n.Catalog, baseURL string, log *slog.Logger) *Handlers {
	s := NewStore(d)
	s.Notify = &Notifier{Catalog: cat, BaseURL: baseURL}
	return &Handlers{Store: s, Render: rd, Auth: ah, Log: log, BaseURL: baseURL}
}

// Capability is what the library offers the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:           "practice",
		Templates:      tpl,
		Nav:            &web.NavItem{Key: "nav.practices", Path: "/practices"},
		Counts:         []web.Count{{Key: "practice.count.submitted", Path: "/practices/work", Value: h.Store.CountSubmitted}},
		CitySections:   []web.CitySection{h.CitySection},
		CityRenamed:    []func(context.Context, *sql.Tx, int64) error{h.Store.ReindexCity},
		FigureSections: []web.PageSection{h.FiguresSection},
		Jobs:           []web.Job{{Name: "practice.search-warm-up", Run: h.warm, Before: true}},
		HomeSections:   []web.PageSection{h.HomeSection},
		Sitemap:        []web.SitemapSource{h.Sitemap},
		PersonalData:   []web.PersonalData{h.Store.PersonalData()},
		Datasets:       h.Store.Datasets(),
	}
}

// warm loads the search index and the common words, so the first searches
// need not.
func (h *Handlers) warm(ctx context.Context) error {
	start := time.Now()
	if err := h.Store.Warm(ctx); err != nil {
		return fmt.Errorf("warming the practice search: %w", err)
	}
	h.Log.Info("practice search warm", "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// CountSubmitted counts the practices waiting for review.
func (s *Store) CountSubmitted(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM practices WHERE review = 'submitted'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting submitted practices: %w", err)
	}
	return n, nil
}
