package exchange

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

//go:embed templates section
var files embed.FS

// Handlers serves the exchanges' pages, files, export and API.
type Handlers struct {
	Store   *Store
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string
	// Now is the clock of the background jobs (time.Now when nil).
	Now func() time.Time
}

// New builds the exchanges on d.
func New(d *db.DB, rd *web.Renderer, ah *auth.Handlers, cat *i18n.Catalog, baseURL string, log *slog.Logger) *Handlers {
	return &Handlers{Store: &Store{DB: d, Catalog: cat, BaseURL: baseURL}, Render: rd, Auth: ah, Log: log, BaseURL: baseURL}
}

// Capability is what the exchanges offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	pages, err := fs.Sub(files, "templates")
	if err != nil {
		panic(err) // embedded at build time
	}
	return web.Capability{
		Name:      "exchange",
		Templates: pages,
		Nav:       &web.NavItem{Key: "nav.exchanges", Path: "/exchanges"},
		Counts: []web.Count{
			{Key: "exchange.count.waiting", Path: "/admin/exchanges", Value: h.Store.Waiting},
		},
		CitySections:   []web.CitySection{h.CitySection},
		FigureSections: []web.PageSection{h.FigureSection},
		Jobs: []web.Job{
			{Name: "exchange.remind", Every: time.Hour, Once: true, Run: func(ctx context.Context) error {
				_, err := h.Store.Remind(ctx, h.now())
				return err
			}},
			{Name: "exchange.followup", Every: time.Hour, Once: true, Run: func(ctx context.Context) error {
				_, err := h.Store.FollowUp(ctx, h.now())
				return err
			}},
		},
		Sitemap:      []web.SitemapSource{h.sitemap},
		PersonalData: []web.PersonalData{h.Store.PersonalData()},
	}
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now().UTC()
	}
	return time.Now().UTC()
}

func (h *Handlers) sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	list, err := h.Store.Public(ctx)
	var last time.Time
	for _, e := range list {
		if e.UpdatedAt.After(last) {
			last = e.UpdatedAt
		}
	}
	return []web.SitemapEntry{{Path: "/exchanges", LastMod: last}, {Path: "/exchanges/network", LastMod: last}}, err
}

// who is the viewer as the store sees them.
func who(v *web.Viewer) Who {
	if v == nil {
		return Who{}
	}
	w := Who{Secretariat: auth.Can(v, auth.ExchangeManage)}
	if auth.Can(v, auth.ExchangeOwn) {
		w.CityID = v.CityID
	}
	return w
}

func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// load reads exchange {id} for the viewer, answering 404 itself when the
// viewer may not see it.
func (h *Handlers) load(w http.ResponseWriter, r *http.Request) (*Exchange, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		h.Render.NotFound(w, r)
		return nil, false
	}
	e, err := h.Store.Get(r.Context(), who(web.ViewerFrom(r.Context())), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return nil, false
	}
	return e, true
}

func (h *Handlers) flash(r *http.Request, key string, args ...any) {
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), key, args...))
}

func exchangePath(lang string, id int64) string { return fmt.Sprintf("/%s/exchanges/%d", lang, id) }

func actor(r *http.Request) audit.Actor { return audit.ActorFrom(r) }
