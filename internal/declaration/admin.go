package declaration

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type adminListData struct {
	Declarations []*Declaration
	Keys         []KeyInfo
}

// AdminList shows every declaration, drafts too, and the signing keys.
func (h *Handlers) AdminList(w http.ResponseWriter, r *http.Request) {
	ds, err := h.Store.List(r.Context(), true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ks, err := h.Store.Keys(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", adminListData{Declarations: ds, Keys: ks})
	p.Title = p.T("declaration.admin.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "declaration/admin", p)
}

type editData struct {
	names
	D        *Declaration // nil for a new one
	Langs    []string
	Auth     []Option
	Cities   []Option
	Summits  []Option
	Statuses []string
	Problem  string
}

func (h *Handlers) showEdit(w http.ResponseWriter, r *http.Request, status int, d *Declaration, f *web.Form, problem string) {
	ctx := r.Context()
	lang := web.Lang(r)
	data := &editData{D: d, Langs: i18n.Langs, Statuses: Statuses, Problem: problem}
	p := h.Render.NewPage(r, "", data)
	p.NoIndex = true
	p.Form = f
	if d == nil {
		p.Title = p.T("declaration.admin.new")
	} else {
		p.Title = p.T("declaration.admin.edit", "Title", d.Title(lang).Value)
	}
	for _, l := range i18n.Langs {
		data.Auth = append(data.Auth, Option{l, i18n.LanguageName(lang, l)})
	}
	cities, err := h.Store.Cities(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i18n.SortByName(lang, cities, func(c CityOption) string { return c.DisplayName(lang) })
	data.Cities = []Option{{"", "—"}}
	for _, c := range cities {
		data.Cities = append(data.Cities, Option{strconv.FormatInt(c.ID, 10), c.DisplayName(lang) + " (" + i18n.CountryName(lang, c.Country) + ")"})
	}
	summits, err := h.Store.Summits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Summits = []Option{{"", "—"}}
	for _, s := range summits {
		data.Summits = append(data.Summits, Option{strconv.FormatInt(s.ID, 10), s.Title.Get(lang, s.Lang) + " (" + s.StartsOn + ")"})
	}
	h.Render.HTML(w, r, status, "declaration/edit", p)
}

// formOf fills the edit form from a declaration's newest version.
func formOf(d *Declaration) *web.Form {
	v := url.Values{}
	if latest := d.Latest(); latest != nil {
		v.Set("authoritative", latest.Authoritative)
		for l, t := range latest.Texts {
			v.Set("title_"+l, t.Title)
			v.Set("body_"+l, t.Body)
		}
	}
	for l, t := range d.Intro {
		v.Set("intro_"+l, t)
	}
	v.Set("adopted_on", d.AdoptedOn)
	v.Set("adopted_place", d.AdoptedPlace)
	if d.AdoptedCity.ID != 0 {
		v.Set("adopted_city", strconv.FormatInt(d.AdoptedCity.ID, 10))
	}
	if d.SummitID != 0 {
		v.Set("summit", strconv.FormatInt(d.SummitID, 10))
	}
	if d.Demo {
		v.Set("demo", "1")
	}
	return web.NewForm(v)
}

func inputOf(f *web.Form) Input {
	in := Input{Texts: Texts{}, Intro: i18n.Text{}, Authoritative: f.Get("authoritative"), AdoptedOn: f.Get("adopted_on"),
		AdoptedPlace: f.Get("adopted_place"), Demo: f.Has("demo")}
	for _, l := range i18n.Langs {
		if t := (Text{Title: f.Values.Get("title_" + l), Body: f.Values.Get("body_" + l)}); t.Title != "" || t.Body != "" {
			in.Texts[l] = t
		}
		in.Intro[l] = f.Get("intro_" + l)
	}
	in.IntroLang = in.Authoritative
	in.AdoptedCityID, _ = strconv.ParseInt(f.Get("adopted_city"), 10, 64)
	in.SummitID, _ = strconv.ParseInt(f.Get("summit"), 10, 64)
	return in
}

// NewPage shows the form for a new declaration.
func (h *Handlers) NewPage(w http.ResponseWriter, r *http.Request) {
	h.showEdit(w, r, http.StatusOK, nil, web.NewForm(url.Values{"authoritative": {web.Lang(r)}}), "")
}

// Create stores a new draft declaration.
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	id, err := h.Store.CreateBy(r.Context(), audit.ActorFrom(r), inputOf(f))
	if h.ruleFailed(w, r, err, f, func(status int, problem string) { h.showEdit(w, r, status, nil, f, problem) }) {
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.admin.created"))
	web.Redirect(w, r, "/"+lang+"/admin/declarations/"+strconv.FormatInt(id, 10))
}

func (h *Handlers) adminDecl(w http.ResponseWriter, r *http.Request) (*Declaration, bool) {
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		h.Render.NotFound(w, r)
		return nil, false
	}
	d, err := h.Store.Get(r.Context(), id, true)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return d, true
}

// EditPage shows a declaration's form, its versions and its status.
func (h *Handlers) EditPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminDecl(w, r)
	if !ok {
		return
	}
	h.showEdit(w, r, http.StatusOK, d, formOf(d), "")
}

// Update saves a declaration; changed texts of a published version go
// into a new, unpublished version.
func (h *Handlers) Update(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminDecl(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	fresh, err := h.Store.UpdateBy(r.Context(), audit.ActorFrom(r), d, inputOf(f))
	if h.ruleFailed(w, r, err, f, func(status int, problem string) { h.showEdit(w, r, status, d, f, problem) }) {
		return
	}
	lang := web.Lang(r)
	msg := "declaration.admin.saved"
	if fresh {
		msg = "declaration.admin.saved_new_version"
	}
	h.Auth.Flash(r, h.Render.Catalog.T(lang, msg))
	web.Redirect(w, r, "/"+lang+"/admin/declarations/"+strconv.FormatInt(d.ID, 10))
}

// Publish freezes the newest version and enters its hash in the log.
func (h *Handlers) Publish(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminDecl(w, r)
	if !ok {
		return
	}
	n, err := h.Store.PublishBy(r.Context(), audit.ActorFrom(r), d)
	if h.ruleFailed(w, r, err, formOf(d), func(status int, problem string) { h.showEdit(w, r, status, d, formOf(d), problem) }) {
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.admin.published", "Version", n))
	web.Redirect(w, r, "/"+lang+"/admin/declarations/"+strconv.FormatInt(d.ID, 10))
}

// SetStatus opens or closes a declaration for signature.
func (h *Handlers) SetStatus(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminDecl(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	status := f.Get("status")
	err = h.Store.SetStatusBy(r.Context(), audit.ActorFrom(r), d, status)
	if h.ruleFailed(w, r, err, formOf(d), func(code int, problem string) { h.showEdit(w, r, code, d, formOf(d), problem) }) {
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.admin.status_set"))
	web.Redirect(w, r, "/"+lang+"/admin/declarations/"+strconv.FormatInt(d.ID, 10))
}

// RotateKey retires the signing key and starts a new one.
func (h *Handlers) RotateKey(w http.ResponseWriter, r *http.Request) {
	id, err := h.Store.RotateKeyBy(r.Context(), audit.ActorFrom(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.admin.key_rotated", "Key", id))
	web.Redirect(w, r, "/"+lang+"/admin/declarations")
}
