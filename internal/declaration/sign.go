package declaration

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Option is one choice of a select field.
type Option struct{ Value, Label string }

type signData struct {
	names
	D        *Declaration
	V        *Version
	Text     Text
	TextLang string
	Body     template.HTML
	Admin    bool // the secretariat records an in-person signature
	City     *CityOption
	Cities   []Option
	People   []Option
	Roles    []Option
	Existing *Signature // the city's active signature, if it has one
	Problem  string     // a catalog key: why the form cannot be sent as it is
	Zone     string
}

// CityValue is the chosen city's id for the city select ("" for none).
func (s *signData) CityValue() string {
	if s.City == nil {
		return ""
	}
	return strconv.FormatInt(s.City.ID, 10)
}

// signer works out for which city the viewer acts: the secretariat for the
// city it names, a delegate for their own. The public is sent to sign in.
func (h *Handlers) signer(w http.ResponseWriter, r *http.Request, named int64) (city int64, admin, ok bool) {
	v := web.ViewerFrom(r.Context())
	if v == nil {
		http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return 0, false, false
	}
	if auth.Can(v, auth.DeclarationManage) {
		return named, true, true
	}
	if !auth.CanForCity(v, auth.DeclarationSignOwn, auth.DeclarationManage, v.CityID) || (named != 0 && named != v.CityID) {
		h.Auth.Forbidden(w, r, auth.DeclarationSignOwn)
		return 0, false, false
	}
	return v.CityID, false, true
}

func formCity(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.FormValue("city"), 10, 64)
	return id
}

// SignPage shows the current version to read and the form to sign it.
func (h *Handlers) SignPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	city, admin, ok := h.signer(w, r, formCity(r))
	if !ok {
		return
	}
	f := web.NewForm(nil)
	h.showSign(w, r, http.StatusOK, d, city, admin, f, "")
}

func roleOptions(p *web.Page) []Option {
	return []Option{{RoleMayor, p.T("declaration.role.mayor")}, {RoleDeputyMayor, p.T("declaration.role.deputy_mayor")}}
}

func (h *Handlers) showSign(w http.ResponseWriter, r *http.Request, status int, d *Declaration, city int64, admin bool, f *web.Form, problem string) {
	ctx := r.Context()
	lang := web.Lang(r)
	data := &signData{D: d, V: d.Current(), Admin: admin, Problem: problem, Zone: d.Location().String()}
	p := h.Render.NewPage(r, "", data)
	p.Title = p.T("declaration.sign.title", "Title", d.Title(lang).Value)
	p.NoIndex = true
	p.Form = f
	data.Roles = roleOptions(p)
	if data.V == nil || d.Status != StatusOpen {
		data.Problem = "declaration.err.not_open"
		h.Render.HTML(w, r, max(status, http.StatusConflict), "declaration/sign", p)
		return
	}
	want := f.Get("lang")
	if want == "" {
		want = r.URL.Query().Get("text")
	}
	if _, ok := data.V.Texts[want]; !ok {
		want = lang
	}
	data.Text, data.TextLang = data.V.Text(want)
	data.Body = RenderMarkdown(data.Text.Body)
	if admin {
		cities, err := h.Store.Cities(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		i18n.SortByName(lang, cities, func(c CityOption) string { return c.DisplayName(lang) })
		data.Cities = []Option{{"", p.T("declaration.sign.choose_city")}}
		for _, c := range cities {
			if c.Member {
				data.Cities = append(data.Cities, Option{strconv.FormatInt(c.ID, 10), c.DisplayName(lang)})
			}
		}
	}
	if city != 0 {
		c, err := h.Store.City(ctx, city)
		if errors.Is(err, ErrCityUnknown) {
			f.Fail("city", "declaration.err.city")
		} else if err != nil {
			h.fail(w, r, err)
			return
		} else {
			data.City = &c
			people, err := h.Store.Representatives(ctx, city)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, x := range people {
				data.People = append(data.People, Option{strconv.FormatInt(x.ID, 10), x.Name + " — " + p.T("declaration.role."+x.Role)})
			}
			if len(data.People) > 0 {
				data.People = append(data.People, Option{"", p.T("declaration.sign.someone_else")})
			}
			sigs, err := h.Store.Signatures(ctx, d.ID)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, g := range sigs {
				if g.Active() && g.City.ID == city {
					data.Existing = g
				}
			}
			if f.Value("place") == "" && len(f.Values) == 0 {
				if admin {
					f.Values.Set("place", d.AdoptedPlace)
				} else {
					f.Values.Set("place", c.DisplayName(lang))
				}
			}
		}
	}
	h.Render.HTML(w, r, status, "declaration/sign", p)
}

// SignSubmit records a signature: a delegate's for their city (remote), or
// the secretariat's record of an in-person signature.
func (h *Handlers) SignSubmit(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	city, admin, ok := h.signer(w, r, formCity(r))
	if !ok {
		return
	}
	if city == 0 {
		f.Fail("city", "declaration.err.city")
	}
	if !f.Has("confirm") {
		f.Fail("confirm", "declaration.err.confirm")
	}
	in := SignInput{Declaration: d.ID, Lang: f.Get("lang"), CityID: city, Signer: f.Get("signer"), Role: f.Get("role"),
		Place: f.Get("place"), Mode: ModeRemote, RecordedBy: web.ViewerFrom(r.Context()).ID}
	in.Version, _ = strconv.Atoi(f.Get("version"))
	in.VersionHash = f.Get("hash")
	if admin {
		in.Mode = ModeInPerson
		if s := f.Get("signed_at"); s != "" {
			t, err := time.ParseInLocation("2006-01-02T15:04", s, d.Location())
			if err != nil {
				f.Fail("signed_at", "declaration.err.datetime")
			}
			in.At = t
		}
	}
	if pid := f.Get("person"); pid != "" && city != 0 {
		people, err := h.Store.Representatives(r.Context(), city)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		found := false
		for _, x := range people {
			if strconv.FormatInt(x.ID, 10) == pid {
				in.Signer, in.Role, found = x.Name, x.Role, true
			}
		}
		if !found {
			f.Fail("person", "declaration.err.person")
		}
	}
	if !f.Valid() {
		h.showSign(w, r, http.StatusUnprocessableEntity, d, city, admin, f, "")
		return
	}
	e, err := h.Store.SignBy(r.Context(), audit.ActorFrom(r), d, in)
	if h.ruleFailed(w, r, err, f, func(status int, problem string) {
		h.showSign(w, r, status, d, city, admin, f, problem)
	}) {
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.sign.done", "Seq", e.Seq, "Hash", e.Hash[:16]))
	web.Redirect(w, r, "/"+lang+d.PathIn(lang)+"#signatories")
}

// ruleFailed answers a failed write: a rule broken is shown on the form
// (with what was typed kept) with its status; other errors are a 500. It
// reports whether there was an error.
func (h *Handlers) ruleFailed(w http.ResponseWriter, r *http.Request, err error, f *web.Form, show func(status int, problem string)) bool {
	if err == nil {
		return false
	}
	var fe FieldErrors
	switch {
	case errors.As(err, &fe):
		for _, e := range fe {
			f.Fail(e.Field, e.Key)
		}
		show(http.StatusUnprocessableEntity, "")
	case errors.Is(err, ErrAlreadySigned):
		show(http.StatusConflict, "declaration.err.already_signed")
	case errors.Is(err, ErrVersionChanged):
		show(http.StatusConflict, "declaration.err.version_changed")
	case errors.Is(err, ErrNotOpen):
		show(http.StatusConflict, "declaration.err.not_open")
	case errors.Is(err, ErrNotMember):
		f.Fail("city", "declaration.err.not_member")
		show(http.StatusUnprocessableEntity, "")
	case errors.Is(err, ErrCityUnknown):
		f.Fail("city", "declaration.err.city")
		show(http.StatusUnprocessableEntity, "")
	case errors.Is(err, ErrNotSigned):
		show(http.StatusConflict, "declaration.err.not_signed")
	case errors.Is(err, ErrNothingToPublish):
		show(http.StatusConflict, "declaration.err.nothing_to_publish")
	case errors.Is(err, ErrNoVersion):
		show(http.StatusConflict, "declaration.err.no_version")
	case errors.Is(err, ErrNotFound):
		h.Render.NotFound(w, r)
	default:
		h.fail(w, r, err)
	}
	return true
}

type withdrawData struct {
	D         *Declaration
	Admin     bool
	Signature *Signature
	Active    []*Signature // the secretariat chooses among them
	People    []Option
	Roles     []Option
	Problem   string
}

// WithdrawPage asks who withdraws a city's signature, and why.
func (h *Handlers) WithdrawPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	city, admin, ok := h.signer(w, r, formCity(r))
	if !ok {
		return
	}
	h.showWithdraw(w, r, http.StatusOK, d, city, admin, web.NewForm(url.Values{"city": {r.URL.Query().Get("city")}}), "")
}

func (h *Handlers) showWithdraw(w http.ResponseWriter, r *http.Request, status int, d *Declaration, city int64, admin bool, f *web.Form, problem string) {
	ctx := r.Context()
	lang := web.Lang(r)
	data := &withdrawData{D: d, Admin: admin, Problem: problem}
	p := h.Render.NewPage(r, "", data)
	p.Title = p.T("declaration.withdraw.title", "Title", d.Title(lang).Value)
	p.NoIndex = true
	p.Form = f
	data.Roles = roleOptions(p)
	sigs, err := h.Store.Signatures(ctx, d.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, g := range sigs {
		if !g.Active() {
			continue
		}
		if admin {
			data.Active = append(data.Active, g)
		}
		if g.City.ID == city {
			data.Signature = g
		}
	}
	if data.Signature != nil {
		people, err := h.Store.Representatives(ctx, city)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, x := range people {
			data.People = append(data.People, Option{strconv.FormatInt(x.ID, 10), x.Name + " — " + p.T("declaration.role."+x.Role)})
		}
		if len(data.People) > 0 {
			data.People = append(data.People, Option{"", p.T("declaration.sign.someone_else")})
		}
	} else if city != 0 && data.Problem == "" {
		data.Problem = "declaration.err.not_signed"
		status = max(status, http.StatusConflict)
	}
	h.Render.HTML(w, r, status, "declaration/withdraw", p)
}

// WithdrawSubmit records a city's withdrawal of its signature.
func (h *Handlers) WithdrawSubmit(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	city, admin, ok := h.signer(w, r, formCity(r))
	if !ok {
		return
	}
	if !f.Has("confirm") {
		f.Fail("confirm", "declaration.err.confirm")
	}
	in := WithdrawInput{Declaration: d.ID, CityID: city, Signer: f.Get("signer"), Role: f.Get("role"), Place: f.Get("place"), Reason: f.Get("reason")}
	if pid := f.Get("person"); pid != "" {
		people, err := h.Store.Representatives(r.Context(), city)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		found := false
		for _, x := range people {
			if strconv.FormatInt(x.ID, 10) == pid {
				in.Signer, in.Role, found = x.Name, x.Role, true
			}
		}
		if !found {
			f.Fail("person", "declaration.err.person")
		}
	}
	if city == 0 {
		f.Fail("city", "declaration.err.city")
	}
	if !f.Valid() {
		h.showWithdraw(w, r, http.StatusUnprocessableEntity, d, city, admin, f, "")
		return
	}
	e, err := h.Store.WithdrawBy(r.Context(), audit.ActorFrom(r), d, in)
	if h.ruleFailed(w, r, err, f, func(status int, problem string) {
		h.showWithdraw(w, r, status, d, city, admin, f, problem)
	}) {
		return
	}
	lang := web.Lang(r)
	h.Auth.Flash(r, h.Render.Catalog.T(lang, "declaration.withdraw.done", "Seq", e.Seq))
	web.Redirect(w, r, "/"+lang+d.PathIn(lang)+"#signatories")
}
