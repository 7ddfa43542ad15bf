package summit

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

type adminListData struct {
	Summits []*Summit
	Pending map[int64]int
	Figures map[int64]Figures
}

// AdminList lists every summit, drafts included, with its review queue's length.
func (h *Handlers) AdminList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	summits, err := h.Store.List(ctx, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pending, err := h.Store.PendingCounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	figs, err := h.Store.FiguresAll(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", adminListData{Summits: summits, Pending: pending, Figures: figs})
	p.Title = p.T("summit.admin.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "summit/admin_list", p)
}

type adminEditData struct {
	S        *Summit // nil for a new summit
	Cities   []Option
	Statuses []Option
	Langs    []Option
	Counts   map[string]int
	CheckIn  [2]int
}

func (h *Handlers) editPage(w http.ResponseWriter, r *http.Request, status int, s *Summit, f *web.Form) {
	ctx := r.Context()
	p := h.Render.NewPage(r, "", nil)
	cities, err := h.Store.Cities(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &adminEditData{S: s}
	d.Cities = append(d.Cities, Option{"", p.T("summit.admin.choose_city")})
	for _, c := range cities {
		d.Cities = append(d.Cities, Option{itoa(c.ID), c.In(p.Lang) + " (" + p.Country(c.Country) + ")"})
	}
	for _, st := range Statuses {
		d.Statuses = append(d.Statuses, Option{st, p.T("summit.status." + st)})
	}
	for _, l := range i18n.Langs {
		d.Langs = append(d.Langs, Option{l, i18n.Name(l)})
	}
	if s != nil {
		if d.Counts, err = h.Store.StateCounts(ctx, s.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		if d.CheckIn[0], d.CheckIn[1], err = h.Store.CheckInCounts(ctx, s.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p.Data = d
	p.Form = f
	p.NoIndex = true
	if s == nil {
		p.Title = p.T("summit.admin.new")
	} else {
		p.Title = s.Title.Get(p.Lang, s.SourceLang)
	}
	h.Render.HTML(w, r, status, "summit/admin_edit", p)
}

func summitValues(s *Summit) url.Values {
	v := url.Values{}
	v.Set("number", strconv.Itoa(s.Number))
	txValues(v, "title", s.Title)
	txValues(v, "theme", s.Theme)
	txValues(v, "description", s.Description)
	v.Set("source_lang", s.SourceLang)
	v.Set("host_city_id", itoa(s.Host.ID))
	v.Set("timezone", s.Timezone)
	v.Set("starts_on", s.StartsOn)
	v.Set("ends_on", s.EndsOn)
	v.Set("status", s.Status)
	for k, n := range map[string]int{"max_delegations": s.MaxDelegations, "max_people": s.MaxPeople, "max_delegation_size": s.MaxDelegationSize} {
		if n > 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	v.Set("offer_hours", strconv.Itoa(s.OfferHours))
	if s.BidsOpen {
		v.Set("bids_open", "1")
	}
	v.Set("website", s.Website)
	v.Set("registration_closes_on", s.RegistrationClosesOn)
	v.Set("bids_close_on", s.BidsCloseOn)
	return v
}

// AdminNew shows the form for a new summit.
func (h *Handlers) AdminNew(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(url.Values{"status": {StatusDraft}, "offer_hours": {"72"}, "source_lang": {web.Lang(r)}})
	h.editPage(w, r, http.StatusOK, nil, f)
}

// AdminEdit shows a summit's settings and the secretariat's tools for it.
func (h *Handlers) AdminEdit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	h.editPage(w, r, http.StatusOK, s, web.NewForm(summitValues(s)))
}

func (h *Handlers) adminSummit(w http.ResponseWriter, r *http.Request) (*Summit, bool) {
	s, err := h.Store.Get(r.Context(), pathID(r, "id"), true)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return s, true
}

// AdminSave creates a summit (no id) or saves one.
func (h *Handlers) AdminSave(w http.ResponseWriter, r *http.Request) {
	var s *Summit
	if r.PathValue("id") != "" {
		var ok bool
		if s, ok = h.adminSummit(w, r); !ok {
			return
		}
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	in := SummitInput{Title: txForm(f, "title"), Theme: txForm(f, "theme"), Description: txForm(f, "description"),
		SourceLang: f.Get("source_lang"), Timezone: f.Get("timezone"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"),
		Status: f.Get("status"), BidsOpen: f.Has("bids_open"), Website: f.Get("website"),
		RegistrationClosesOn: f.Get("registration_closes_on"), BidsCloseOn: f.Get("bids_close_on")}
	ints := map[string]*int{"number": &in.Number, "max_delegations": &in.MaxDelegations, "max_people": &in.MaxPeople,
		"max_delegation_size": &in.MaxDelegationSize, "offer_hours": &in.OfferHours}
	for name, dst := range ints {
		n, ok := atoiForm(f, name)
		if !ok {
			f.Fail(name, "summit.err.number_field")
		}
		*dst = n
	}
	in.HostCityID, _ = strconv.ParseInt(f.Get("host_city_id"), 10, 64)
	for _, fe := range in.Validate() {
		f.Fail(fe.Field, fe.Key)
	}
	var id int64
	if s != nil {
		id = s.ID
	}
	var before []CityRef
	if f.Valid() && id != 0 {
		var err error
		if before, err = h.Store.Offered(r.Context(), id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if f.Valid() {
		var err error
		if id, err = h.Store.Save(r.Context(), id, in, audit.ActorFrom(r)); err != nil {
			if e := applyErr(f, err); e != nil {
				h.fail(w, r, e)
				return
			}
		}
	}
	if !f.Valid() {
		h.editPage(w, r, http.StatusUnprocessableEntity, s, f)
		return
	}
	// A raised limit may have offered places from the waiting list: say to whom.
	after, err := h.Store.Offered(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	var names []string
	for _, c := range after {
		if !slices.ContainsFunc(before, func(b CityRef) bool { return b.ID == c.ID }) {
			names = append(names, c.In(lang))
		}
	}
	if len(names) > 0 {
		h.flash(r, "summit.notice.saved_offered", "Count", len(names), "Cities", strings.Join(names, ", "))
	} else {
		h.flash(r, "summit.notice.saved")
	}
	web.Redirect(w, r, "/"+lang+"/admin/summits/"+itoa(id))
}

// itemData is the programme editor's page: the lists and, on an item's
// own page, the form for one venue, session, speaker or partner.
type itemData struct {
	S            *Summit
	P            *Programme
	Kind         string // venue, session, speaker, partner; "" on the overview
	ID           int64
	Kinds        []Option
	PartnerKinds []Option
	VenueOpts    []Option
	CityOpts     []Option
	Speakers     []Speaker
	Chosen       map[int64]bool // speakers of the session being edited
	Image        string         // the current photo or logo of the item being edited
}

func (h *Handlers) programmePage(w http.ResponseWriter, r *http.Request, status int, s *Summit, kind string, id int64, f *web.Form) {
	ctx := r.Context()
	p := h.Render.NewPage(r, "", nil)
	prog, err := h.Store.Programme(ctx, s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cities, err := h.Store.Cities(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &itemData{S: s, P: prog, Kind: kind, ID: id, Speakers: prog.Speakers, Chosen: map[int64]bool{}}
	for _, k := range Kinds {
		d.Kinds = append(d.Kinds, Option{k, p.T("summit.kind." + k)})
	}
	for _, k := range PartnerKinds {
		d.PartnerKinds = append(d.PartnerKinds, Option{k, p.T("summit.partners." + k)})
	}
	d.VenueOpts = append(d.VenueOpts, Option{"", p.T("summit.session.no_venue")})
	for _, v := range prog.Venues {
		d.VenueOpts = append(d.VenueOpts, Option{itoa(v.ID), v.Name.Get(p.Lang, s.SourceLang)})
	}
	d.CityOpts = append(d.CityOpts, Option{"", "—"})
	for _, c := range cities {
		d.CityOpts = append(d.CityOpts, Option{itoa(c.ID), c.In(p.Lang)})
	}
	for _, sp := range prog.Speakers {
		if kind == "speaker" && sp.ID == id {
			d.Image = sp.PhotoURL()
		}
	}
	for _, pt := range prog.Partners {
		if kind == "partner" && pt.ID == id {
			d.Image = pt.LogoURL()
		}
	}
	if f != nil {
		for _, v := range f.Values["speaker"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				d.Chosen[n] = true
			}
		}
	}
	p.Data = d
	p.Form = f
	if p.Form == nil {
		p.Form = web.NewForm(nil)
	}
	p.NoIndex = true
	p.Title = p.T("summit.admin.programme") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	name := "summit/admin_programme"
	if kind != "" {
		name = "summit/admin_item"
	}
	h.Render.HTML(w, r, status, name, p)
}

// AdminProgramme lists venues, sessions, speakers and partners with forms to add each.
func (h *Handlers) AdminProgramme(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	h.programmePage(w, r, http.StatusOK, s, "", 0, nil)
}

// AdminItem shows the form for one item of the programme.
func (h *Handlers) AdminItem(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.adminSummit(w, r)
		if !ok {
			return
		}
		id := pathID(r, "item")
		v, err := h.itemValues(r, s, kind, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.programmePage(w, r, http.StatusOK, s, kind, id, web.NewForm(v))
	}
}

func (h *Handlers) itemValues(r *http.Request, s *Summit, kind string, id int64) (url.Values, error) {
	ctx := r.Context()
	v := url.Values{}
	prog, err := h.Store.Programme(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "venue":
		for _, x := range prog.Venues {
			if x.ID == id {
				txValues(v, "name", x.Name)
				v.Set("address", x.Address)
				if x.Lat != nil {
					v.Set("lat", strconv.FormatFloat(*x.Lat, 'f', -1, 64))
					v.Set("lon", strconv.FormatFloat(*x.Lon, 'f', -1, 64))
				}
				v.Set("position", strconv.Itoa(x.Position))
				return v, nil
			}
		}
	case "session":
		for _, x := range prog.Sessions {
			if x.ID == id {
				loc := s.Location()
				v.Set("kind", x.Kind)
				txValues(v, "title", x.Title)
				txValues(v, "description", x.Description)
				v.Set("starts", x.StartsAt.In(loc).Format("2006-01-02T15:04"))
				v.Set("ends", x.EndsAt.In(loc).Format("2006-01-02T15:04"))
				if x.VenueID != 0 {
					v.Set("venue_id", itoa(x.VenueID))
				}
				v.Set("room", x.Room)
				v.Set("languages", strings.Join(x.Languages, ", "))
				v.Set("interpretation", strings.Join(x.Interpretation, ", "))
				if x.Capacity > 0 {
					v.Set("capacity", strconv.Itoa(x.Capacity))
				}
				for _, sp := range x.Speakers {
					v.Add("speaker", itoa(sp.ID))
				}
				return v, nil
			}
		}
	case "speaker":
		for _, x := range prog.Speakers {
			if x.ID == id {
				v.Set("name", x.Name)
				txValues(v, "role", x.Role)
				v.Set("affiliation", x.Affiliation)
				if x.CityID != 0 {
					v.Set("city_id", itoa(x.CityID))
				}
				txValues(v, "bio", x.Bio)
				v.Set("position", strconv.Itoa(x.Position))
				return v, nil
			}
		}
	case "partner":
		for _, x := range prog.Partners {
			if x.ID == id {
				v.Set("kind", x.Kind)
				txValues(v, "name", x.Name)
				v.Set("url", x.URL)
				v.Set("position", strconv.Itoa(x.Position))
				return v, nil
			}
		}
	}
	return nil, ErrNotFound
}

func parseFloatPtr(s string) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &f, true
}

// AdminItemSave creates (no {item}) or saves one item of the programme.
func (h *Handlers) AdminItemSave(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.adminSummit(w, r)
		if !ok {
			return
		}
		// Speakers and partners may come with an image (multipart); the
		// other items are plain forms, which media.ParseForm reads too.
		f, err := media.ParseForm(w, r)
		var me *media.Error
		if errors.As(err, &me) {
			f = web.NewForm(nil)
			f.Fail("image", me.Key)
			h.programmePage(w, r, http.StatusRequestEntityTooLarge, s, kind, pathID(r, "item"), f)
			return
		}
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		ctx, id := r.Context(), pathID(r, "item")
		var img *media.Image
		if (kind == "speaker" || kind == "partner") && r.MultipartForm != nil && len(r.MultipartForm.File["image"]) > 0 {
			if img, err = media.FromForm(r, "image"); errors.As(err, &me) {
				f.Fail("image", me.Key)
			} else if err != nil {
				h.fail(w, r, err)
				return
			}
			err = nil // a refused image is on the form now
		}
		position, okPos := atoiForm(f, "position")
		if !okPos {
			f.Fail("position", "summit.err.number_field")
		}
		switch kind {
		case "venue":
			lat, ok1 := parseFloatPtr(f.Get("lat"))
			lon, ok2 := parseFloatPtr(f.Get("lon"))
			if !ok1 || !ok2 {
				f.Fail("lat", "summit.err.position")
			}
			if f.Valid() {
				_, err = h.Store.SaveVenue(ctx, s.ID, id, VenueInput{Name: txForm(f, "name"), Address: f.Get("address"), Lat: lat, Lon: lon, Position: position}, audit.ActorFrom(r))
			}
		case "session":
			capacity, okCap := atoiForm(f, "capacity")
			if !okCap {
				f.Fail("capacity", "summit.err.number_field")
			}
			venue, _ := strconv.ParseInt(f.Get("venue_id"), 10, 64)
			var speakers []int64
			for _, v := range f.Values["speaker"] {
				if n, err := strconv.ParseInt(v, 10, 64); err == nil {
					speakers = append(speakers, n)
				}
			}
			if f.Valid() {
				_, err = h.Store.SaveSession(ctx, s.ID, id, SessionInput{Kind: f.Get("kind"), Title: txForm(f, "title"),
					Description: txForm(f, "description"), Starts: f.Get("starts"), Ends: f.Get("ends"), VenueID: venue,
					Room: f.Get("room"), Languages: f.Get("languages"), Interpretation: f.Get("interpretation"),
					Capacity: capacity, SpeakerIDs: speakers}, audit.ActorFrom(r))
			}
		case "speaker":
			city, _ := strconv.ParseInt(f.Get("city_id"), 10, 64)
			if f.Valid() {
				_, err = h.Store.SaveSpeaker(ctx, s.ID, id, SpeakerInput{Name: f.Get("name"), Role: txForm(f, "role"),
					Affiliation: f.Get("affiliation"), CityID: city, Bio: txForm(f, "bio"), Position: position,
					Photo: img, RemovePhoto: f.Has("remove_image")}, audit.ActorFrom(r))
			}
		case "partner":
			if f.Valid() {
				_, err = h.Store.SavePartner(ctx, s.ID, id, PartnerInput{Kind: f.Get("kind"), Name: txForm(f, "name"), URL: f.Get("url"),
					Position: position, Logo: img, RemoveLogo: f.Has("remove_image")}, audit.ActorFrom(r))
			}
		}
		if errors.Is(err, ErrNotFound) {
			h.Render.NotFound(w, r)
			return
		}
		if err != nil {
			if e := applyErr(f, err); e != nil {
				h.fail(w, r, e)
				return
			}
		}
		if !f.Valid() {
			h.programmePage(w, r, http.StatusUnprocessableEntity, s, kind, id, f)
			return
		}
		h.flash(r, "summit.notice.saved")
		web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(s.ID)+"/programme#"+kind+"s")
	}
}

// AdminItemDelete removes one item of the programme once the secretariat
// has confirmed.
func (h *Handlers) AdminItemDelete(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.adminSummit(w, r)
		if !ok {
			return
		}
		ctx, id, e := r.Context(), pathID(r, "item"), audit.ActorFrom(r)
		prog, err := h.Store.Programme(ctx, s.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		c, ok := h.deleteQuestion(web.Lang(r), s, prog, kind, id)
		if !ok {
			h.Render.NotFound(w, r)
			return
		}
		if !h.Render.Confirmed(w, r, c) {
			return
		}
		switch kind {
		case "venue":
			err = h.Store.DeleteVenue(ctx, s.ID, id, e)
		case "session":
			err = h.Store.DeleteSession(ctx, s.ID, id, e)
		case "speaker":
			err = h.Store.DeleteSpeaker(ctx, s.ID, id, e)
		case "partner":
			err = h.Store.DeletePartner(ctx, s.ID, id, e)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.flash(r, "summit.notice.deleted")
		web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(s.ID)+"/programme#"+kind+"s")
	}
}

// deleteQuestion names a programme item and what goes with it; ok is
// false when the summit has no such item.
func (h *Handlers) deleteQuestion(lang string, s *Summit, prog *Programme, kind string, id int64) (c web.Confirm, ok bool) {
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	c.Back = "/" + lang + "/admin/summits/" + itoa(s.ID) + "/programme#" + kind + "s"
	switch kind {
	case "venue":
		for _, x := range prog.Venues {
			if x.ID == id {
				c.Question, ok = t("summit.venue.delete_question", "Name", x.Name.Get(lang, s.SourceLang)), true
			}
		}
		n := 0
		for _, x := range prog.Sessions {
			if x.VenueID == id {
				n++
			}
		}
		if ok && n > 0 {
			c.Notes = append(c.Notes, t("summit.venue.delete_sessions", "Count", n))
		}
	case "session":
		for _, x := range prog.Sessions {
			if x.ID == id {
				c.Question, ok = t("summit.session.delete_question", "Name", x.Title.Get(lang, s.SourceLang)), true
				if x.SignedUp > 0 {
					c.Notes = append(c.Notes, t("summit.session.delete_signups", "Count", x.SignedUp))
				}
			}
		}
	case "speaker":
		for _, x := range prog.Speakers {
			if x.ID == id {
				c.Question, ok = t("summit.speaker.delete_question", "Name", x.Name), true
				if n := len(x.SessionIDs); n > 0 {
					c.Notes = append(c.Notes, t("summit.speaker.delete_sessions", "Count", n))
				}
			}
		}
	case "partner":
		for _, x := range prog.Partners {
			if x.ID == id {
				c.Question, ok = t("summit.partner.delete_question", "Name", x.Name.Get(lang, s.SourceLang)), true
			}
		}
	}
	return c, ok
}

// AdminPartnerMove moves a partner up or down within its kind.
func (h *Handlers) AdminPartnerMove(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	dir := 1
	if f.Get("dir") == "up" {
		dir = -1
	}
	if err := h.Store.MovePartner(r.Context(), s.ID, pathID(r, "item"), dir, audit.ActorFrom(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(s.ID)+"/programme#partners")
}
