package city

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/web"
	"observatory/internal/web/chart"
)

type pageData struct {
	City        *City
	Description i18n.Resolved
	DescParas   []string
	DescLang    string // the description's language, named in the page's
	LocalTime   string
	Current     []*Person
	Former      []*Person
	Upcoming    []*Person
	Partners    []*Partnership
	Year        int
	Groups      []Group
	Chart       template.HTML
	Map         template.HTML
	Sections    []template.HTML
	CanEdit     bool
	CanAdmin    bool
	CanHistory  bool
}

// Show is a city's page. A URL with an old or wrong slug (or none)
// redirects to the current one.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := r.PathValue("ref")
	c, err := h.Store.ByRef(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if want := strconv.FormatInt(c.ID, 10) + "-" + c.Slug; ref != want {
		u := "/" + web.Lang(r) + c.Path()
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return
	}
	people, err := h.Store.People(ctx, c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	partners, err := h.Store.Partnerships(ctx, c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	groups, err := h.Store.Residents(ctx, c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, c.DisplayName(web.Lang(r)), nil)
	now := h.now()
	today := now.Format("2006-01-02")
	d := pageData{City: c, Description: p.Tx(c.Description, c.DescriptionLang), Partners: partners, Year: now.Year(), Groups: groups,
		CanEdit:    auth.CanForCity(p.Viewer, auth.CityEditOwn, auth.CityEditAny, c.ID),
		CanAdmin:   auth.Can(p.Viewer, auth.CityAdmit),
		CanHistory: auth.Can(p.Viewer, auth.AuditRead)}
	d.DescParas = Paragraphs(d.Description.Value)
	d.DescLang = i18n.LanguageName(p.Lang, d.Description.Lang)
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		d.LocalTime = i18n.Clock(p.Lang, now.In(loc))
	}
	for _, pe := range people {
		switch {
		case pe.Upcoming(today):
			d.Upcoming = append(d.Upcoming, pe)
		case pe.Former(today):
			d.Former = append(d.Former, pe)
		default:
			d.Current = append(d.Current, pe)
		}
	}
	d.Map = h.cityMap(p, c, partners)
	if len(groups) > 0 {
		var bars []chart.Bar
		for _, g := range groups {
			bars = append(bars, chart.Bar{Label: p.Country(g.Country), Value: g.Residents, Text: p.Num(g.Residents)})
		}
		d.Chart = chart.Chart{Title: p.T("city.residents.chart", "City", c.DisplayName(p.Lang)), Desc: p.T("city.residents.chart_desc"),
			Bars: bars, Horizontal: true}.HTML()
	}
	for _, s := range h.Sections {
		html, err := s(r, c.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if html != "" {
			d.Sections = append(d.Sections, html)
		}
	}
	p.Data = d
	h.Render.HTML(w, r, http.StatusOK, "city/show", p)
}

// cityMap marks the city and those of its partners that are in the
// directory.
func (h *Handlers) cityMap(p *web.Page, c *City, partners []*Partnership) template.HTML {
	pts := []geo.Point{{Lat: c.Lat, Lon: c.Lon, Label: c.DisplayName(p.Lang) + ", " + p.Country(c.Country), Name: c.DisplayName(p.Lang), Country: c.Country, Class: "self"}}
	for _, pa := range partners {
		if o := pa.Other; o.ID != 0 {
			pts = append(pts, geo.Point{Lat: o.Lat, Lon: o.Lon, Label: o.DisplayName(p.Lang) + ", " + p.Country(o.Country), Name: o.DisplayName(p.Lang),
				Href: p.L(o.Path()), Country: o.Country, Class: "partner"})
		}
	}
	title := p.T("city.map.city", "City", c.DisplayName(p.Lang))
	return geo.Map{Title: title, Points: pts}.Zoom()
}
