package practice

import (
	"log/slog"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// NewHandlers builds the library on d: its store (with the e-mail
// notifier and the search cache) and its handlers.
func NewHandlers(d *db.DB, rd *web.Renderer, ah *auth.Handlers, cat *i18n.Catalog, baseURL string, log *slog.Logger) *Handlers {
	s := NewStore(d)
	s.Notify = &Notifier{Catalog: cat, BaseURL: baseURL}
	return &Handlers{Store: s, Render: rd, Auth: ah, Log: log, BaseURL: baseURL}
}
