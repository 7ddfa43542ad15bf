package summit

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// New builds the summits on d: public pages, feeds and API, the cities'
// registrations and bids, the secretariat's tools, and the job that moves
// the waiting lists on when an offered place's deadline passes. keepDays
// is how long delegations' personal details are kept (Store.KeepDays).
func New(d *db.DB, rd *web.Renderer, ah *auth.Handlers, cat *i18n.Catalog, baseURL string, keepDays int, log *slog.Logger) *Handlers {
	st := &Store{DB: d, Catalog: cat, BaseURL: baseURL, KeepDays: keepDays}
	return &Handlers{Store: st, Render: rd, Auth: ah, BaseURL: baseURL, Log: log}
}

// Capability is what the summits offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	st := h.Store
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:      "summit",
		Templates: tpl,
		Nav:       &web.NavItem{Key: "nav.summits", Path: "/summits"},
		Counts:    []web.Count{{Key: "summit.admin.count_pending", Path: "/admin/summits", Value: st.CountPending}},
		// Every change of a registration moves the waiting list on; this
		// catches deadlines that pass in quiet times, on one server.
		Jobs: []web.Job{{Name: "summit.waiting-lists", Every: time.Minute, Once: true, Run: st.Tick},
			// The delegations' personal details go once the retention
			// after a summit has passed (the registration form says when).
			{Name: "summit.retention", Every: time.Hour, Once: true, Run: func(ctx context.Context) error {
				_, err := st.ErasePersonalData(ctx, st.now(), st.Keep())
				return err
			}}},
		// The next summit on the home page; summits and sessions in the calendar.
		HomeSections: []web.PageSection{h.HomeSection},
		Dates:        []web.DateSource{st.DateSource},
		Sitemap:      []web.SitemapSource{st.Sitemap},
		PersonalData: []web.PersonalData{st.PersonalData()},
		Datasets:     st.Datasets(),
	}
}

// CountPending counts the registrations waiting for the secretariat.
func (st *Store) CountPending(ctx context.Context) (int64, error) {
	var n int64
	if err := st.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE state = 'pending'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting pending registrations: %w", err)
	}
	return n, nil
}
