package voice

import (
	"context"
	"crypto/hmac"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/web"
)

//go:embed templates
var templateFiles embed.FS

// Handlers serves the voice pages, the moderators' tools and the API.
type Handlers struct {
	Store   *Store
	Writer  *Writer
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string // the configured public address: the only base of links sent by e-mail
	// PowBase is the proof of work's maxnumber for a quiet network prefix.
	PowBase int64
	// Limit is the number of ideas one network prefix may give per hour.
	Limit int
}

// Config holds the settings of the residents' voice.
type Config struct {
	BaseURL string // the public address (the only base of links sent by e-mail)
	PowBase int64  // proof-of-work maxnumber for a quiet network; 0: 50,000
	Limit   int    // ideas per network prefix and hour; 0: 30
}

// New builds the residents' voice on d: its store, its writer (running
// until ctx ends) and its handlers.
func New(ctx context.Context, d *db.DB, rd *web.Renderer, ah *auth.Handlers, cfg Config, log *slog.Logger) *Handlers {
	s := &Store{DB: d}
	h := &Handlers{Store: s, Writer: NewWriter(ctx, s), Render: rd, Auth: ah, Log: log, BaseURL: strings.TrimRight(cfg.BaseURL, "/"),
		PowBase: cfg.PowBase, Limit: cfg.Limit}
	if h.PowBase <= 0 {
		h.PowBase = 50000
	}
	if h.Limit <= 0 {
		h.Limit = 30
	}
	return h
}

// Capability is what the residents' voice offers the app (see
// web.Capability).
func (h *Handlers) Capability() web.Capability {
	s := h.Store
	sub, _ := fs.Sub(templateFiles, "templates")
	return web.Capability{
		Name:      "voice",
		Templates: sub,
		Nav:       &web.NavItem{Key: "nav.ideas", Path: "/ideas"},
		Counts: []web.Count{{Key: "voice.count.waiting", Path: "/admin/ideas", Value: func(ctx context.Context) (int64, error) {
			return s.Waiting(ctx, 0)
		}}},
		CitySections: []web.CitySection{h.CitySection},
		Jobs: []web.Job{
			{Name: "voice.retention", Every: 6 * time.Hour, Once: true, Run: func(ctx context.Context) error {
				_, err := s.Retention(ctx, time.Now().UTC())
				if err == nil {
					err = s.PruneSpent(ctx, time.Now().UTC())
				}
				return err
			}},
			{Name: "voice.rotate-keys", Every: time.Hour, Once: true, Run: s.RotateKeys},
		},
		Dates:        []web.DateSource{s.Dates},
		Sitemap:      []web.SitemapSource{s.Sitemap},
		PersonalData: []web.PersonalData{s.PersonalData()},
		Datasets:     s.Datasets(),
	}
}

// consultation loads {ref} or answers 404.
func (h *Handlers) consultation(w http.ResponseWriter, r *http.Request) (*Consultation, bool) {
	c, err := h.Store.Consultation(r.Context(), r.PathValue("ref"))
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return nil, false
	}
	return c, true
}

// scope is the city a moderator acts for: 0 for the secretariat and for
// moderators bound to no city.
func scope(v *web.Viewer) int64 {
	if v == nil || v.Role == auth.RoleAdmin {
		return 0
	}
	return v.CityID
}

// mayModerate: a moderator of the idea's city (or of every city).
func mayModerate(v *web.Viewer, city int64) bool {
	return auth.Can(v, auth.VoiceModerate) && (scope(v) == 0 || scope(v) == city)
}

// mayManage: the secretariat, and a city's editors for their city.
func mayManage(v *web.Viewer, city int64) bool {
	return auth.CanForCity(v, auth.VoiceManageOwn, auth.VoiceManageAny, city)
}

func (h *Handlers) flash(r *http.Request, key string, args ...any) {
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), key, args...))
}

func pathInt(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// The device cookie lets a browser support an idea once without an
// account: a random id and the server's signature over it.
const deviceCookie = "voice_device"

func (h *Handlers) device(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(deviceCookie); err == nil {
		id, sig, ok := strings.Cut(c.Value, ".")
		if ok && len(id) >= 16 {
			want, err := h.Store.sign(r.Context(), "device", id)
			if err != nil {
				return "", err
			}
			if hmac.Equal([]byte(want), []byte(sig)) {
				return id, nil
			}
		}
	}
	id := randomToken(15)
	sig, err := h.Store.sign(r.Context(), "device", id)
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: id + "." + sig, Path: "/", MaxAge: 400 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return id, nil
}

// formStamp signs the time a form was shown, to tell its fill time.
func (h *Handlers) formStamp(ctx context.Context, now time.Time) string {
	t := strconv.FormatInt(now.Unix(), 10)
	sig, err := h.Store.sign(ctx, "form", t)
	if err != nil {
		return ""
	}
	return t + "." + sig
}

// fillTime reads a form stamp; 0 when it is missing or forged.
func (h *Handlers) fillTime(ctx context.Context, stamp string, now time.Time) time.Duration {
	t, sig, ok := strings.Cut(stamp, ".")
	if !ok {
		return 0
	}
	want, err := h.Store.sign(ctx, "form", t)
	if err != nil || !hmac.Equal([]byte(want), []byte(sig)) {
		return 0
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0
	}
	d := now.Sub(time.Unix(n, 0))
	if d <= 0 {
		return time.Millisecond
	}
	return d
}
