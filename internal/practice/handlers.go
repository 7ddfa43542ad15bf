package practice

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// Handlers serves the library's pages, exports and API.
type Handlers struct {
	Store   *Store
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string // the public address, for absolute links in exports and the API
	// Sections are other capabilities' parts of a published practice's
	// page, below the practice (see Section).
	Sections []Section
}

// Section renders another capability's part of a practice's public page
// (empty when it has nothing to show).
type Section struct {
	Render func(r *http.Request, practiceID, cityID int64) (template.HTML, error)
}

func (h *Handlers) actor(r *http.Request) Actor { return audit.ActorFrom(r) }

// canWrite: the city's editors and the secretariat may work on its practices.
func canWrite(v *web.Viewer, city int64) bool {
	return auth.CanForCity(v, auth.PracticeWriteOwn, auth.PracticeReview, city)
}

func canReview(v *web.Viewer) bool { return auth.Can(v, auth.PracticeReview) }

// mayCreate: city editors (for their city) and the secretariat.
func mayCreate(v *web.Viewer) bool {
	return auth.Can(v, auth.PracticeWriteOwn) || auth.Can(v, auth.PracticeReview)
}

// signedIn sends the public to the sign-in page and reports whether the
// request may go on.
func (h *Handlers) signedIn(w http.ResponseWriter, r *http.Request) (*web.Viewer, bool) {
	v := web.ViewerFrom(r.Context())
	if v == nil {
		http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+strings.ReplaceAll(r.URL.RequestURI(), "&", "%26"), http.StatusSeeOther)
		return nil, false
	}
	return v, true
}

// creator is the signed-in viewer who may write practices; anyone else is
// sent to sign in or refused, and ok is false.
func (h *Handlers) creator(w http.ResponseWriter, r *http.Request) (v *web.Viewer, ok bool) {
	if v, ok = h.signedIn(w, r); ok && !mayCreate(v) {
		h.Auth.Forbidden(w, r, "practice.write.own")
		return nil, false
	}
	return v, ok
}

// workTarget loads the city of practice {id} and checks that the viewer
// may work on it; it answers the request itself when not.
func (h *Handlers) workTarget(w http.ResponseWriter, r *http.Request, action string) (int64, *web.Viewer, bool) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return 0, nil, false
	}
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		h.Render.NotFound(w, r)
		return 0, nil, false
	}
	city, err := h.Store.CityOf(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return 0, nil, false
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return 0, nil, false
	}
	allowed := canWrite(v, city)
	if action == auth.PracticeReview {
		allowed = canReview(v)
	}
	if !allowed {
		h.Auth.Forbidden(w, r, action)
		return 0, nil, false
	}
	return id, v, true
}

// practicePath is a practice's canonical address for lang.
func practicePath(lang string, id int64, slug string) string {
	return fmt.Sprintf("/%s/practices/%d-%s", lang, id, slug)
}

func workPath(lang string, id int64) string { return fmt.Sprintf("/%s/practices/%d/work", lang, id) }

// flash shows a one-time message on the next page, in the visitor's language.
func (h *Handlers) flash(r *http.Request, key string, args ...any) {
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), key, args...))
}

// absolute turns a site path into a full address when the public address is known.
func (h *Handlers) absolute(r *http.Request, path string) string {
	return web.SiteURL(r, h.BaseURL) + path
}
