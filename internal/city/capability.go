package city

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/media"
	"observatory/internal/web"
)

// New builds the member cities on d: the directory, map and city pages,
// the editing pages, CSV and API; and tells the accounts which cities there
// are (a city-bound account names one).
func New(d *db.DB, rd *web.Renderer, ah *auth.Handlers, m *media.Store, log *slog.Logger) *Handlers {
	st := &Store{DB: d}
	ah.CityName = st.NameIn
	ah.Cities = st.AccountOptions
	return &Handlers{Store: st, Media: m, Render: rd, Auth: ah, Log: log}
}

// Capability is what the member cities offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	st := h.Store
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:         "city",
		Templates:    tpl,
		Nav:          &web.NavItem{Key: "nav.cities", Path: "/cities"},
		Counts:       []web.Count{{Key: "city.count.members", Path: "/admin/cities", Value: st.CountMembers}},
		PersonalData: []web.PersonalData{st.PersonalData()},
		Datasets:     st.Datasets(),
	}
}

// AccountOptions lists the cities for the accounts' city select, sorted in
// lang.
func (s *Store) AccountOptions(ctx context.Context, lang string) ([]auth.CityOption, error) {
	opts, err := s.Options(ctx)
	SortOptions(opts, lang)
	out := make([]auth.CityOption, len(opts))
	for i, o := range opts {
		out[i] = auth.CityOption{ID: o.ID, Name: o.DisplayName(lang)}
	}
	return out, err
}

// CountMembers counts the cities that are members now.
func (s *Store) CountMembers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE membership = 'member'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting member cities: %w", err)
	}
	return n, nil
}
