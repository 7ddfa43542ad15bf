package city

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

// Section is a block another capability adds to a city's page (its
// practices, the summits it hosted, the declarations it signed). It returns
// its own HTML, heading included, in the request's language; empty HTML
// adds nothing.
type Section func(r *http.Request, cityID int64) (template.HTML, error)

// Handlers serves the city pages, the editing pages and the API.
type Handlers struct {
	Store    *Store
	Media    *media.Store
	Render   *web.Renderer
	Auth     *auth.Handlers
	Log      *slog.Logger
	Sections []Section
	// Now is the clock (anniversaries, current terms); time.Now when nil.
	Now func() time.Time
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.Render.Fail(w, r, err, ErrNotFound)
}

// pathCity loads the city named by the {id} path value; false when the
// answer (404 or 500) has been given.
func (h *Handlers) pathCity(w http.ResponseWriter, r *http.Request) (*City, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.Render.NotFound(w, r)
		return nil, false
	}
	c, err := h.Store.ByID(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// mayEdit lets through admins and the city's own editors. The public is
// sent to sign in; anyone else gets 403, which is logged.
func (h *Handlers) mayEdit(w http.ResponseWriter, r *http.Request, cityID int64) bool {
	v := web.ViewerFrom(r.Context())
	if v == nil {
		http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+r.URL.Path, http.StatusSeeOther)
		return false
	}
	if !auth.CanForCity(v, auth.CityEditOwn, auth.CityEditAny, cityID) {
		h.Auth.Forbidden(w, r, auth.CityEditOwn)
		return false
	}
	return true
}

// editable loads the {id} city and checks that the viewer may edit it.
func (h *Handlers) editable(w http.ResponseWriter, r *http.Request) (*City, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.Render.NotFound(w, r)
		return nil, false
	}
	// Authorisation comes first: a refused editor learns nothing, not even
	// whether the city exists.
	if !h.mayEdit(w, r, id) {
		return nil, false
	}
	return h.pathCity(w, r)
}

func (h *Handlers) flash(r *http.Request, key string, args ...any) {
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), key, args...))
}

// option is a choice in a select list.
type option struct{ Value, Label string }

var countryLists sync.Map // lang → []option

// countryOptions lists every country by its name in lang, in that
// language's alphabetical order, after an empty choice.
func countryOptions(lang string) []option {
	if v, ok := countryLists.Load(lang); ok {
		return v.([]option)
	}
	var opts []option
	for _, c := range geo.Countries() {
		opts = append(opts, option{c, i18n.CountryName(lang, c)})
	}
	col := collate.New(language.Make(lang))
	sortOptions(opts, col)
	opts = append([]option{{"", "—"}}, opts...)
	countryLists.Store(lang, opts)
	return opts
}

func sortOptions(opts []option, col *collate.Collator) {
	slices.SortFunc(opts, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
}

// keyOptions lists keys with their catalog labels (prefix+key).
func (h *Handlers) keyOptions(lang, prefix string, keys []string, empty bool) []option {
	var opts []option
	if empty {
		opts = append(opts, option{"", "—"})
	}
	for _, k := range keys {
		opts = append(opts, option{k, h.Render.Catalog.T(lang, prefix+k)})
	}
	return opts
}
