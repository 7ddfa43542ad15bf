package city

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/audit"
	"observatory/internal/web"
)

type partnersData struct {
	City      *City
	Partners  []*Partnership
	Edit      *Partnership // the one being edited; nil on the list page
	Cities    []option
	Countries []option
	Kinds     []option
	Year      int
}

func (h *Handlers) showPartners(w http.ResponseWriter, r *http.Request, status int, c *City, edit *Partnership, f *web.Form) {
	ctx := r.Context()
	lang := web.Lang(r)
	d := partnersData{City: c, Edit: edit, Countries: countryOptions(lang), Kinds: h.keyOptions(lang, "city.kind.", Kinds, false),
		Year: h.now().Year()}
	var err error
	if edit == nil {
		if d.Partners, err = h.Store.Partnerships(ctx, c.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	opts, err := h.Store.Options(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range opts {
		if o.ID != c.ID {
			d.Cities = append(d.Cities, option{strconv.FormatInt(o.ID, 10), displayName(o.Name, o.Names, lang)})
		}
	}
	col := collate.New(language.Make(lang))
	slices.SortFunc(d.Cities, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
	d.Cities = append([]option{{"", h.Render.Catalog.T(lang, "city.partner.outside")}}, d.Cities...)
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("city.partners.title", "City", c.DisplayName(lang))
	if edit != nil {
		p.Title = p.T("city.partner.edit", "Name", edit.Other.DisplayName(lang))
	}
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "city/partners", p)
}

func partnershipForm(p *Partnership) *web.Form {
	f := web.NewForm(nil)
	f.Values.Set("partner", num(p.PartnerCityID))
	f.Values.Set("partner_name", p.PartnerName)
	f.Values.Set("partner_country", p.PartnerCountry)
	f.Values.Set("since", num(p.Since))
	f.Values.Set("kind", p.Kind)
	return f
}

// PartnersPage lists a city's partnerships with a form to add one.
func (h *Handlers) PartnersPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	h.showPartners(w, r, http.StatusOK, c, nil, partnershipForm(&Partnership{Kind: "twin"}))
}

func (h *Handlers) pathPartnership(w http.ResponseWriter, r *http.Request, c *City) (*Partnership, bool) {
	return pathItem(h, w, r, c, h.Store.Partnerships, func(p *Partnership) int64 { return p.ID })
}

// pathItem finds the item {pid} of the path among a city's items; it
// answers 404 (or the error page) itself when it cannot.
func pathItem[T any](h *Handlers, w http.ResponseWriter, r *http.Request, c *City,
	list func(context.Context, int64) ([]T, error), id func(T) int64) (T, bool) {
	var zero T
	want, _ := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	items, err := list(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, err)
		return zero, false
	}
	for _, it := range items {
		if id(it) == want {
			return it, true
		}
	}
	h.Render.NotFound(w, r)
	return zero, false
}

// PartnerPage is the form for one partnership.
func (h *Handlers) PartnerPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	p, ok := h.pathPartnership(w, r, c)
	if !ok {
		return
	}
	h.showPartners(w, r, http.StatusOK, c, p, partnershipForm(p))
}

// SavePartner adds a partnership (no {pid}) or changes one. Seen from the
// partner's side, only the year and the kind can change: the partner is
// the city that recorded it.
func (h *Handlers) SavePartner(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	var edit *Partnership
	if r.PathValue("pid") != "" {
		if edit, ok = h.pathPartnership(w, r, c); !ok {
			return
		}
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	p := &Partnership{CityID: c.ID}
	if edit != nil {
		*p = *edit
	}
	if p.CityID == c.ID {
		partner, ok := parseInt(f.Get("partner"))
		if !ok {
			f.Fail("partner", "form.invalid")
		}
		p.PartnerCityID, p.PartnerName, p.PartnerCountry = partner, f.Get("partner_name"), f.Get("partner_country")
	}
	since, ok := parseInt(f.Get("since"))
	if !ok {
		f.Fail("since", "city.err.year")
	}
	p.Since, p.Kind = int(since), f.Get("kind")
	for k, v := range p.Check() {
		f.Fail(k, v)
	}
	if !f.Valid() {
		h.showPartners(w, r, http.StatusUnprocessableEntity, c, edit, f)
		return
	}
	err = h.Store.SavePartnership(r.Context(), audit.ActorFrom(r), c.ID, p)
	switch {
	case errors.Is(err, ErrDuplicate):
		f.Fail("partner", "city.err.partner_duplicate")
	case errors.Is(err, errBadPartner):
		f.Fail("partner", "form.invalid")
	case errors.Is(err, ErrNotFound):
		h.Render.NotFound(w, r)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	if !f.Valid() {
		h.showPartners(w, r, http.StatusUnprocessableEntity, c, edit, f)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/cities/"+strconv.FormatInt(c.ID, 10)+"/partners")
}

// DeletePartner removes a partnership once confirmed; either city may.
func (h *Handlers) DeletePartner(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	p, ok := h.pathPartnership(w, r, c)
	if !ok {
		return
	}
	lang := web.Lang(r)
	other := p.Other.DisplayName(lang)
	notes := []string{h.Render.Catalog.T(lang, "city.delete_recorded")}
	if p.Other.ID != 0 {
		notes = append([]string{h.Render.Catalog.T(lang, "city.partner.delete_both", "Name", other)}, notes...)
	}
	if !h.Render.Confirmed(w, r, web.Confirm{
		Question: h.Render.Catalog.T(lang, "city.partner.delete_question", "Name", other),
		Notes:    notes,
		Back:     "/" + lang + "/cities/" + strconv.FormatInt(c.ID, 10) + "/partners",
	}) {
		return
	}
	err := h.Store.RemovePartnership(r.Context(), audit.ActorFrom(r), c.ID, p.ID)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.deleted")
	web.Redirect(w, r, "/"+web.Lang(r)+"/cities/"+strconv.FormatInt(c.ID, 10)+"/partners")
}
