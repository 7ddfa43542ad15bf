package city

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"observatory/internal/audit"
	"observatory/internal/geo"
	"observatory/internal/web"
)

// maxGroups bounds the nationalities listed one by one; the total and the
// number of nationalities cover the rest.
const maxGroups = 40

type figuresData struct {
	City      *City
	Rows      []int
	Countries []option
}

func figuresForm(c *City, groups []Group) *web.Form {
	f := web.NewForm(nil)
	f.Values.Set("foreign_residents", num(c.ForeignResidents))
	f.Values.Set("foreign_nationalities", num(c.ForeignNationalities))
	f.Values.Set("foreign_as_of", c.ForeignAsOf)
	for i, g := range groups {
		f.Values.Set("country_"+strconv.Itoa(i), g.Country)
		f.Values.Set("residents_"+strconv.Itoa(i), num(g.Residents))
	}
	return f
}

func (h *Handlers) showFigures(w http.ResponseWriter, r *http.Request, status int, c *City, f *web.Form, filled int) {
	d := figuresData{City: c, Countries: countryOptions(web.Lang(r))}
	for i := range min(filled+5, maxGroups) {
		d.Rows = append(d.Rows, i)
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("city.figures.title", "City", c.DisplayName(p.Lang))
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "city/figures", p)
}

// FiguresPage is the form for a city's residents of foreign nationality.
func (h *Handlers) FiguresPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	groups, err := h.Store.Residents(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showFigures(w, r, http.StatusOK, c, figuresForm(c, groups), len(groups))
}

// SaveFigures stores the totals and the groups by nationality.
func (h *Handlers) SaveFigures(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	n := *c
	var okN, okM bool
	n.ForeignResidents, okN = parseInt(f.Get("foreign_residents"))
	nat, okM := parseInt(f.Get("foreign_nationalities"))
	n.ForeignNationalities = int(nat)
	n.ForeignAsOf = f.Get("foreign_as_of")
	if !okN {
		f.Fail("foreign_residents", "city.err.number")
	}
	if !okM {
		f.Fail("foreign_nationalities", "city.err.number")
	}
	for k, v := range n.Check() {
		f.Fail(k, v)
	}
	var groups []Group
	filled := 0
	for i := range maxGroups {
		si := strconv.Itoa(i)
		country, count := f.Get("country_"+si), f.Get("residents_"+si)
		if country == "" && count == "" {
			continue
		}
		filled = i + 1
		g := Group{Country: country}
		var ok bool
		g.Residents, ok = parseInt(count)
		switch {
		case !geo.ValidCountry(country):
			f.Fail("country_"+si, "city.err.country")
		case slices.ContainsFunc(groups, func(o Group) bool { return o.Country == country }):
			f.Fail("country_"+si, "city.err.country_twice")
		case !ok || g.Residents <= 0 || g.Residents > 100_000_000:
			f.Fail("residents_"+si, "city.err.number")
		case n.ForeignResidents > 0 && g.Residents > n.ForeignResidents:
			f.Fail("residents_"+si, "city.err.group_exceeds_total")
		}
		groups = append(groups, g)
	}
	if !f.Valid() {
		h.showFigures(w, r, http.StatusUnprocessableEntity, c, f, filled)
		return
	}
	slices.SortFunc(groups, func(a, b Group) int { return cmp.Compare(b.Residents, a.Residents) })
	err = h.Store.SetFigures(r.Context(), audit.ActorFrom(r), c.ID, &n, groups)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+c.Path()+"#residents")
}
