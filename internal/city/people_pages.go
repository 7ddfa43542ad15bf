package city

import (
	"errors"
	"net/http"
	"strconv"

	"observatory/internal/audit"
	"observatory/internal/media"
	"observatory/internal/web"
)

type peopleData struct {
	City     *City
	People   []*Person
	Person   *Person // the one being edited; nil on the list page
	Today    string
	Roles    []option
	Accounts []option
}

func (h *Handlers) showPeople(w http.ResponseWriter, r *http.Request, status int, c *City, edit *Person, f *web.Form) {
	ctx := r.Context()
	d := peopleData{City: c, Person: edit, Today: h.now().Format("2006-01-02"),
		Roles: h.keyOptions(web.Lang(r), "city.role.", Roles, false)}
	var err error
	if edit == nil {
		if d.People, err = h.Store.People(ctx, c.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.Accounts, err = h.Store.Accounts(ctx, c.ID, web.Lang(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("city.people.title", "City", c.DisplayName(p.Lang))
	if edit != nil {
		p.Title = p.T("city.person.edit", "Name", edit.Name)
	}
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "city/people", p)
}

func personForm(pe *Person) *web.Form {
	f := web.NewForm(nil)
	v := f.Values
	v.Set("name", pe.Name)
	v.Set("role", pe.Role)
	v.Set("title", pe.Title)
	v.Set("term_start", pe.TermStart)
	v.Set("term_end", pe.TermEnd)
	v.Set("position", strconv.Itoa(pe.Position))
	v.Set("user", num(pe.UserID))
	return f
}

// PeoplePage lists a city's representatives with a form to add one.
func (h *Handlers) PeoplePage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	h.showPeople(w, r, http.StatusOK, c, nil, personForm(&Person{Role: "mayor"}))
}

// PersonPage is the form for one representative.
func (h *Handlers) PersonPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	pe, ok := h.pathPerson(w, r, c)
	if !ok {
		return
	}
	h.showPeople(w, r, http.StatusOK, c, pe, personForm(pe))
}

func (h *Handlers) pathPerson(w http.ResponseWriter, r *http.Request, c *City) (*Person, bool) {
	return pathItem(h, w, r, c, h.Store.People, func(p *Person) int64 { return p.ID })
}

// SavePerson adds a representative (no {pid}) or changes one, with an
// optional photo; a refused photo stores nothing at all.
func (h *Handlers) SavePerson(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	var edit *Person
	if r.PathValue("pid") != "" {
		if edit, ok = h.pathPerson(w, r, c); !ok {
			return
		}
	}
	f, err := media.ParseForm(w, r)
	if errors.Is(err, media.ErrTooLarge) {
		f := personForm(orNew(edit))
		f.Fail("photo", media.ErrTooLarge.Key)
		h.showPeople(w, r, http.StatusRequestEntityTooLarge, c, edit, f)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	pe := &Person{CityID: c.ID}
	if edit != nil {
		*pe = *edit
	}
	pe.Name, pe.Role, pe.Title = f.Get("name"), f.Get("role"), f.Get("title")
	pe.TermStart, pe.TermEnd = f.Get("term_start"), f.Get("term_end")
	if edit != nil {
		n, ok := parseInt(f.Get("position"))
		if !ok || n < 0 || n > 1000 {
			f.Fail("position", "city.err.number")
		}
		pe.Position = int(n)
	}
	user, ok := parseInt(f.Get("user"))
	if !ok {
		f.Fail("user", "form.invalid")
	}
	pe.UserID = user
	for k, v := range pe.Check() {
		f.Fail(k, v)
	}
	var img *media.Image
	if f.Has("remove_photo") {
		pe.PhotoID = 0
	} else if r.MultipartForm != nil && len(r.MultipartForm.File["photo"]) > 0 {
		img, err = media.FromForm(r, "photo")
		var me *media.Error
		if errors.As(err, &me) {
			f.Fail("photo", me.Key)
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if !f.Valid() {
		h.showPeople(w, r, http.StatusUnprocessableEntity, c, edit, f)
		return
	}
	err = h.Store.SavePerson(r.Context(), audit.ActorFrom(r), c, pe, img)
	if errors.Is(err, errBadUser) {
		f.Fail("user", "form.invalid")
		h.showPeople(w, r, http.StatusUnprocessableEntity, c, edit, f)
		return
	}
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/cities/"+strconv.FormatInt(c.ID, 10)+"/people")
}

func orNew(p *Person) *Person {
	if p == nil {
		return &Person{Role: "mayor"}
	}
	return p
}

// DeletePerson removes a representative once the editor has confirmed.
func (h *Handlers) DeletePerson(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	pe, ok := h.pathPerson(w, r, c)
	if !ok {
		return
	}
	lang := web.Lang(r)
	if !h.Render.Confirmed(w, r, web.Confirm{
		Question: h.Render.Catalog.T(lang, "city.person.delete_question", "Name", pe.Name, "City", c.DisplayName(lang)),
		Notes:    []string{h.Render.Catalog.T(lang, "city.delete_recorded")},
		Back:     "/" + lang + "/cities/" + strconv.FormatInt(c.ID, 10) + "/people",
	}) {
		return
	}
	err := h.Store.RemovePerson(r.Context(), audit.ActorFrom(r), c, pe.ID)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.deleted")
	web.Redirect(w, r, "/"+web.Lang(r)+"/cities/"+strconv.FormatInt(c.ID, 10)+"/people")
}
