package declaration

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/web"
)

// New builds the declarations on d: texts, signatories, signing and
// withdrawal, verification, the secretariat's tools, the API and the public
// keys; each city's page lists what the city signed. The signing key is
// created on first start.
//
// When the key cannot be created, its capability says why (Err).
func New(ctx context.Context, d *db.DB, rd *web.Renderer, ah *auth.Handlers, baseURL string, log *slog.Logger) *Handlers {
	st := &Store{DB: d}
	h := &Handlers{Store: st, Render: rd, Auth: ah, Log: log, BaseURL: baseURL}
	if err := st.EnsureKey(ctx); err != nil {
		h.err = fmt.Errorf("creating the signing key: %w", err)
	}
	return h
}

// Capability is what the declarations offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	if h.err != nil {
		return web.Capability{Name: "declaration", Err: h.err}
	}
	st := h.Store
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:         "declaration",
		Templates:    tpl,
		Nav:          &web.NavItem{Key: "nav.declarations", Path: "/declarations"},
		Counts:       []web.Count{{Key: "declaration.admin.count_signatures", Path: "/admin/declarations", Value: st.CountSignatures}},
		CitySections: []web.CitySection{h.CitySection},
		PersonalData: []web.PersonalData{st.PersonalData()},
		Datasets:     st.Datasets(),
	}
}

// CountSignatures counts the signatures in force.
func (s *Store) CountSignatures(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM declaration_signatures WHERE withdrawn_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting signatures: %w", err)
	}
	return n, nil
}
