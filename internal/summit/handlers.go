package summit

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// Handlers serves the summit pages, the city's registration, the
// secretariat's tools, the calendar feeds and the API.
type Handlers struct {
	Store   *Store
	Render  *web.Renderer
	Auth    *auth.Handlers
	BaseURL string
	Log     *slog.Logger
}

// Option is one choice in a select.
type Option struct{ Value, Label string }

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.Render.Fail(w, r, err, ErrNotFound)
}

// summitFor loads the summit named by the {ref} (or {id}) path value; the
// public never sees drafts, the secretariat sees all. A public address
// with an outdated slug redirects to the current one.
func (h *Handlers) summitFor(w http.ResponseWriter, r *http.Request) (*Summit, bool) {
	ref := r.PathValue("ref")
	if ref == "" {
		ref = r.PathValue("id")
	}
	id, _, ok := web.ParseRef(ref)
	if !ok {
		h.Render.NotFound(w, r)
		return nil, false
	}
	s, err := h.Store.Get(r.Context(), id, auth.Can(web.ViewerFrom(r.Context()), auth.SummitManage))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if r.PathValue("ref") != "" && ref != s.Ref() && r.Method == http.MethodGet {
		u := strings.Replace(r.URL.Path, "/summits/"+ref, "/summits/"+s.Ref(), 1)
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return nil, false
	}
	return s, true
}

func pathID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// txForm reads a translatable field sent as name_de, name_en, name_fr.
func txForm(f *web.Form, name string) i18n.Text {
	t := i18n.Text{}
	for _, l := range i18n.Langs {
		t[l] = f.Get(name + "_" + l)
	}
	return t.Clean()
}

// txValues puts a translatable field into form values for editing.
func txValues(v url.Values, name string, t i18n.Text) {
	for _, l := range i18n.Langs {
		v.Set(name+"_"+l, t[l])
	}
}

func atoiForm(f *web.Form, name string) (int, bool) {
	s := f.Get(name)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// applyErr puts a store error on the form: a field error marks its field,
// a rule error is shown above the form. Other errors are returned.
func applyErr(f *web.Form, err error) error {
	var fe *FieldError
	var re *RuleError
	switch {
	case errors.As(err, &fe):
		f.Fail(fe.Field, fe.Key)
	case errors.As(err, &re):
		f.Fail("_", re.Key)
	default:
		return err
	}
	return nil
}

// status is the HTTP status for a refused form: 409 when the rule concerns
// the state of things (already registered, full), 422 for bad input.
func status(err error) int {
	var re *RuleError
	if errors.As(err, &re) {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

func (h *Handlers) flash(r *http.Request, key string, args ...any) {
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), key, args...))
}

func (h *Handlers) roleOptions(p *web.Page, headOnly bool) []Option {
	var out []Option
	for _, r := range Roles {
		if headOnly && !CanHead(r) {
			continue
		}
		out = append(out, Option{r, p.T("summit.role." + r)})
	}
	return out
}

// interpretationLanguages are offered for a delegate's interpretation.
var interpretationLanguages = []string{"de", "en", "fr", "es", "ar", "it", "nl", "pl", "pt", "ru", "tr", "uk", "he", "bn", "hi", "zh", "ja"}

func langOptions(p *web.Page) []Option {
	out := []Option{{"", p.T("summit.delegate.no_interpretation")}}
	for _, l := range interpretationLanguages {
		out = append(out, Option{l, i18n.LanguageName(p.Lang, l)})
	}
	return out
}

// delegateForm reads a delegate's fields.
func delegateForm(f *web.Form) DelegateInput {
	return DelegateInput{IsHead: f.Has("is_head"), Name: f.Get("name"), Title: f.Get("title"), Role: f.Get("role"),
		Email: f.Get("email"), Arrival: f.Get("arrival"), Departure: f.Get("departure"), Dietary: f.Get("dietary"),
		Accessibility: f.Get("accessibility"), Interpretation: f.Get("interpretation"), Consent: f.Has("consent")}
}

func delegateValues(p *Delegate) url.Values {
	v := url.Values{}
	if p.IsHead {
		v.Set("is_head", "1")
	}
	if p.Consent {
		v.Set("consent", "1")
	}
	v.Set("name", p.Name)
	v.Set("title", p.Title)
	v.Set("role", p.Role)
	v.Set("email", p.Email)
	v.Set("arrival", p.Arrival)
	v.Set("departure", p.Departure)
	v.Set("dietary", p.Dietary)
	v.Set("accessibility", p.Accessibility)
	v.Set("interpretation", p.Interpretation)
	return v
}

func (h *Handlers) parseForm(w http.ResponseWriter, r *http.Request) (*web.Form, bool) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return nil, false
	}
	return f, true
}
