package city

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

// parseInt reads a whole number as people type it: "619294", "619.294",
// "619,294", "619 294".
func parseInt(s string) (int64, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', ',', '\'', '\u00a0', '\u202f', '_':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// formatOtherNames writes the names in languages the interface does not
// have as the form shows them: one a line, "uk: Чернівці".
func formatOtherNames(names i18n.Text) string {
	var lines []string
	for _, l := range slices.Sorted(maps.Keys(names)) {
		if !i18n.Supported(l) && strings.TrimSpace(names[l]) != "" {
			lines = append(lines, l+": "+names[l])
		}
	}
	return strings.Join(lines, "\n")
}

// parseOtherNames reads what formatOtherNames writes: a language code
// (ISO 639, such as uk, tr, pl, zh-Hant), a colon and the name, one a line;
// blank lines are skipped. ok is false when a line is not of that form or
// names a language the form has a field for.
func parseOtherNames(text string) (names i18n.Text, ok bool) {
	names = i18n.Text{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, name, found := strings.Cut(line, ":")
		code, name = strings.TrimSpace(code), strings.TrimSpace(name)
		tag, err := language.Parse(code)
		if !found || name == "" || err != nil || i18n.Supported(code) || len(code) > 12 {
			return names, false
		}
		names[tag.String()] = name
	}
	return names, true
}

// parseCoord reads a decimal degree with a point or a comma.
func parseCoord(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && s != ""
}

func profileForm(c *City) *web.Form {
	f := web.NewForm(nil)
	v := f.Values
	v.Set("name", c.Name)
	v.Set("names_other", formatOtherNames(c.Names))
	for _, l := range i18n.Langs {
		v.Set("name_"+l, c.Names[l])
		v.Set("description_"+l, c.Description[l])
	}
	v.Set("country", c.Country)
	v.Set("region", c.Region)
	v.Set("population", num(c.Population))
	v.Set("population_year", num(c.PopulationYear))
	if c.ID != 0 {
		v.Set("lat", float(c.Lat))
		v.Set("lon", float(c.Lon))
	}
	v.Set("timezone", c.Timezone)
	v.Set("website", c.Website)
	v.Set("description_lang", c.DescriptionLang)
	v.Set("membership", c.Membership)
	v.Set("member_since", c.MemberSince)
	v.Set("member_until", c.MemberUntil)
	return f
}

// readProfile sets c's profile fields from the form; withMembership also
// its membership (admins creating a city).
func readProfile(f *web.Form, c *City, withMembership bool) {
	c.Name = f.Get("name")
	names, namesOK := parseOtherNames(f.Values.Get("names_other"))
	if !namesOK {
		f.Fail("names_other", "city.err.other_names")
	}
	if _, sent := f.Values["names_other"]; !sent { // a form without the field keeps them
		for l, v := range c.Names {
			if !i18n.Supported(l) {
				names[l] = v
			}
		}
	}
	desc := i18n.Text{}
	for l, v := range c.Description {
		if !i18n.Supported(l) {
			desc[l] = v
		}
	}
	for _, l := range i18n.Langs {
		names[l] = f.Get("name_" + l)
		desc[l] = strings.ReplaceAll(f.Get("description_"+l), "\r\n", "\n")
	}
	c.Names, c.Description = names, desc
	c.Country = f.Get("country")
	c.Region = f.Get("region")
	var ok bool
	if c.Population, ok = parseInt(f.Get("population")); !ok {
		f.Fail("population", "city.err.number")
	}
	y, ok := parseInt(f.Get("population_year"))
	if !ok {
		f.Fail("population_year", "city.err.year")
	}
	c.PopulationYear = int(y)
	if c.Lat, ok = parseCoord(f.Get("lat")); !ok {
		f.Fail("lat", "city.err.lat")
	}
	if c.Lon, ok = parseCoord(f.Get("lon")); !ok {
		f.Fail("lon", "city.err.lon")
	}
	c.Timezone = f.Get("timezone")
	c.Website = f.Get("website")
	c.DescriptionLang = f.Get("description_lang")
	if withMembership {
		c.Membership, c.MemberSince, c.MemberUntil = f.Get("membership"), f.Get("member_since"), f.Get("member_until")
	}
	for k, v := range c.Check() {
		f.Fail(k, v)
	}
}

type editData struct {
	City       *City
	New        bool
	PhotoError string
	Countries  []option
	Langs      []option
	Statuses   []option
}

func (h *Handlers) showEdit(w http.ResponseWriter, r *http.Request, status int, c *City, f *web.Form, photoErr string) {
	lang := web.Lang(r)
	d := editData{City: c, New: c.ID == 0, PhotoError: photoErr, Countries: countryOptions(lang),
		Statuses: h.keyOptions(lang, "city.status.", Statuses, false)}
	for _, l := range i18n.Langs {
		d.Langs = append(d.Langs, option{l, i18n.LanguageName(lang, l)})
	}
	p := h.Render.NewPage(r, "", d)
	if d.New {
		p.Title = p.T("city.new.title")
	} else {
		p.Title = p.T("city.edit.title", "City", c.DisplayName(lang))
	}
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "city/edit", p)
}

// NewPage is the form to admit a city (admins).
func (h *Handlers) NewPage(w http.ResponseWriter, r *http.Request) {
	c := &City{Membership: Member, DescriptionLang: web.Lang(r), Timezone: ""}
	h.showEdit(w, r, http.StatusOK, c, profileForm(c), "")
}

// Create admits a city (admins).
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	c := &City{}
	readProfile(f, c, true)
	if !f.Valid() {
		h.showEdit(w, r, http.StatusUnprocessableEntity, c, f, "")
		return
	}
	if err := h.Store.Admit(r.Context(), audit.ActorFrom(r), c); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.created", "City", c.DisplayName(web.Lang(r)))
	web.Redirect(w, r, "/"+web.Lang(r)+c.Path())
}

// EditPage is the profile form of a city.
func (h *Handlers) EditPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	h.showEdit(w, r, http.StatusOK, c, profileForm(c), "")
}

// Update saves a city's profile. Membership, photo and figures have their
// own forms.
func (h *Handlers) Update(w http.ResponseWriter, r *http.Request) {
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
	readProfile(f, &n, false)
	if !f.Valid() {
		h.showEdit(w, r, http.StatusUnprocessableEntity, c, f, "")
		return
	}
	n2, err := h.Store.Change(r.Context(), audit.ActorFrom(r), c.ID, "city.update", func(old *City) *City {
		upd := *old
		upd.Name, upd.Names, upd.Country, upd.Continent, upd.Region = n.Name, n.Names, n.Country, n.Continent, n.Region
		upd.Population, upd.PopulationYear, upd.Lat, upd.Lon = n.Population, n.PopulationYear, n.Lat, n.Lon
		upd.Timezone, upd.Website, upd.Description, upd.DescriptionLang = n.Timezone, n.Website, n.Description, n.DescriptionLang
		return &upd
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+n2.Path())
}

type membershipData struct {
	City     *City
	Statuses []option
}

func (h *Handlers) showMembership(w http.ResponseWriter, r *http.Request, status int, c *City, f *web.Form) {
	p := h.Render.NewPage(r, "", membershipData{City: c, Statuses: h.keyOptions(web.Lang(r), "city.status.", Statuses, false)})
	p.Title = p.T("city.membership.title", "City", c.DisplayName(p.Lang))
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "city/membership", p)
}

// MembershipPage is where admins change a city's membership (admit a
// candidate, end a membership).
func (h *Handlers) MembershipPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.pathCity(w, r)
	if !ok {
		return
	}
	h.showMembership(w, r, http.StatusOK, c, profileForm(c))
}

// Membership saves a city's membership state and dates.
func (h *Handlers) Membership(w http.ResponseWriter, r *http.Request) {
	c, ok := h.pathCity(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	n := *c
	n.Membership, n.MemberSince, n.MemberUntil = f.Get("membership"), f.Get("member_since"), f.Get("member_until")
	pr := Problems{}
	n.checkMembership(pr)
	for k, v := range pr {
		f.Fail(k, v)
	}
	if !f.Valid() {
		h.showMembership(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	saved, err := h.Store.Change(r.Context(), audit.ActorFrom(r), c.ID, "city.membership", func(old *City) *City {
		upd := *old
		upd.Membership, upd.MemberSince, upd.MemberUntil = n.Membership, n.MemberSince, n.MemberUntil
		return &upd
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+saved.Path())
}

// Photo replaces (or, with "remove", takes away) the city's photo. The
// upload is checked before anything is written; a refused one changes
// nothing.
func (h *Handlers) Photo(w http.ResponseWriter, r *http.Request) {
	c, ok := h.editable(w, r)
	if !ok {
		return
	}
	f, err := media.ParseForm(w, r)
	var img *media.Image
	if err == nil && !f.Has("remove") {
		img, err = media.FromForm(r, "photo")
	}
	var me *media.Error
	if errors.As(err, &me) {
		status := http.StatusUnprocessableEntity
		if me == media.ErrTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		h.showEdit(w, r, status, c, profileForm(c), me.Key)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	_, err = h.Store.SetPhoto(r.Context(), audit.ActorFrom(r), c.ID, img)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "city.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/cities/"+strconv.FormatInt(c.ID, 10)+"/edit")
}
