package voice

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type adminData struct {
	List []*Consultation
}

// Admin lists the consultations the viewer may manage.
func (h *Handlers) Admin(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	city := int64(0)
	if !auth.Can(v, auth.VoiceManageAny) {
		city = v.CityID
	}
	list, err := h.Store.Consultations(r.Context(), city)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", adminData{List: list})
	p.Title = p.T("voice.admin.title")
	h.Render.HTML(w, r, http.StatusOK, "voice/admin", p)
}

type editData struct {
	C       *Consultation // nil for a new one
	Cities  []CityOption
	Themes  []Theme
	Langs   []string
	QLangs  []string // the question's languages: the interface's and the kiosks'
	Token   string   // a station's token, shown once after it was made
	BaseURL string
	Lang    string
}

// ThemeOn reports whether the form has theme key ticked.
func (d editData) ThemeOn(f *web.Form, key string) bool {
	for _, t := range f.Values["themes"] {
		if t == key {
			return true
		}
	}
	return false
}

// EditPage shows the form for a new consultation or an existing one.
func (h *Handlers) EditPage(w http.ResponseWriter, r *http.Request) {
	var c *Consultation
	if r.PathValue("ref") != "" {
		var ok bool
		if c, ok = h.manageTarget(w, r); !ok {
			return
		}
	}
	h.edit(w, r, c, consultationForm(c), http.StatusOK, "")
}

func consultationForm(c *Consultation) *web.Form {
	f := web.NewForm(nil)
	if c == nil {
		now := time.Now().UTC()
		f.Values.Set("opens", now.Format("2006-01-02"))
		f.Values.Set("closes", now.AddDate(0, 3, 0).Format("2006-01-02"))
		f.Values.Set("retention", "730")
		f.Values.Set("moderation", "before")
		f.Values.Set("source", "de")
		return f
	}
	f.Values.Set("city", itoa(c.CityID))
	f.Values.Set("slug", c.Slug)
	for _, l := range KioskLangs {
		f.Values.Set("question_"+l, c.Question[l])
	}
	for _, l := range i18n.Langs {
		f.Values.Set("privacy_"+l, c.Privacy[l])
		f.Values.Set("charter_"+l, c.Charter[l])
	}
	f.Values.Set("source", c.SourceLang)
	f.Values["themes"] = c.Themes
	f.Values.Set("opens", c.OpensAt.Format("2006-01-02"))
	f.Values.Set("closes", c.ClosesAt.Format("2006-01-02"))
	f.Values.Set("retention", strconv.Itoa(c.RetentionDays))
	f.Values.Set("moderation", c.Moderation)
	return f
}

func (h *Handlers) edit(w http.ResponseWriter, r *http.Request, c *Consultation, f *web.Form, status int, token string) {
	v := web.ViewerFrom(r.Context())
	d := editData{C: c, Langs: i18n.Langs, QLangs: KioskLangs, Token: token, Lang: web.Lang(r)}
	var err error
	if auth.Can(v, auth.VoiceManageAny) {
		if d.Cities, err = h.Store.Cities(r.Context(), web.Lang(r)); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
	} else {
		name, _ := h.Store.CityName(r.Context(), v.CityID)
		d.Cities = []CityOption{{ID: v.CityID, Name: name}}
	}
	if d.Themes, err = h.Store.Themes(r.Context()); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	title := "voice.admin.new"
	if c != nil {
		title = "voice.admin.edit"
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T(title)
	p.Form = f
	h.Render.HTML(w, r, status, "voice/edit", p)
}

// manageTarget loads {ref} and checks the viewer may manage it.
func (h *Handlers) manageTarget(w http.ResponseWriter, r *http.Request) (*Consultation, bool) {
	c, ok := h.consultation(w, r)
	if !ok {
		return nil, false
	}
	if !mayManage(web.ViewerFrom(r.Context()), c.CityID) {
		h.Auth.Forbidden(w, r, auth.VoiceManageOwn)
		return nil, false
	}
	return c, true
}

// Save creates or updates a consultation.
func (h *Handlers) Save(w http.ResponseWriter, r *http.Request) {
	var c *Consultation
	if r.PathValue("ref") != "" {
		var ok bool
		if c, ok = h.manageTarget(w, r); !ok {
			return
		}
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	in := ConsultationInput{Question: i18n.Text{}, Privacy: i18n.Text{}, Charter: i18n.Text{}, SourceLang: f.Get("source"), Moderation: f.Get("moderation")}
	in.CityID, _ = strconv.ParseInt(f.Get("city"), 10, 64)
	if !mayManage(v, in.CityID) {
		f.Fail("city", "voice.err.city")
	}
	for _, l := range KioskLangs { // the question also in the kiosks' languages (kiosk, posters)
		in.Question[l] = f.Get("question_" + l)
	}
	for _, l := range i18n.Langs {
		in.Privacy[l], in.Charter[l] = f.Get("privacy_"+l), f.Get("charter_"+l)
	}
	in.Question, in.Privacy, in.Charter = in.Question.Clean(), in.Privacy.Clean(), in.Charter.Clean()
	if !i18n.Supported(in.SourceLang) {
		f.Fail("source", "voice.err.source")
	} else if in.Question[in.SourceLang] == "" {
		f.Fail("question_"+in.SourceLang, "voice.err.question")
	}
	in.Slug = web.Slug(f.Get("slug"), 60, "")
	if in.Slug == "" {
		in.Slug = web.Slug(in.Question.Get(in.SourceLang, in.SourceLang), 60, "consultation")
	}
	if _, err := strconv.Atoi(in.Slug); err == nil || in.Slug == "receipt" || in.Slug == "qr" || in.Slug == "confirm" {
		f.Fail("slug", "voice.err.slug")
	}
	themes, _ := h.Store.Themes(r.Context())
	for _, t := range f.Values["themes"] {
		for _, known := range themes {
			if known.Key == t {
				in.Themes = append(in.Themes, t)
			}
		}
	}
	in.OpensAt, err = time.Parse("2006-01-02", f.Get("opens"))
	if err != nil {
		f.Fail("opens", "voice.err.date")
	}
	in.ClosesAt, err = time.Parse("2006-01-02", f.Get("closes"))
	if err != nil || !in.ClosesAt.After(in.OpensAt) {
		f.Fail("closes", "voice.err.closes")
	}
	in.ClosesAt = in.ClosesAt.Add(24 * time.Hour) // the closing day is included
	in.RetentionDays, err = strconv.Atoi(f.Get("retention"))
	if err != nil || in.RetentionDays < 1 || in.RetentionDays > 3650 {
		f.Fail("retention", "voice.err.retention")
	}
	if in.Moderation != "before" && in.Moderation != "after" {
		f.Fail("moderation", "voice.err.moderation")
	}
	if !f.Valid() {
		h.edit(w, r, c, f, http.StatusUnprocessableEntity, "")
		return
	}
	var id int64
	if c != nil {
		id = c.ID
	}
	_, err = h.Store.SaveConsultation(r.Context(), actor(r), id, in)
	if isUnique(err) {
		f.Fail("slug", "voice.err.slug_taken")
		h.edit(w, r, c, f, http.StatusUnprocessableEntity, "")
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.admin.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/ideas/consultations/"+in.Slug)
}

// SaveExhibition adds or changes an exhibition.
func (h *Handlers) SaveExhibition(w http.ResponseWriter, r *http.Request) {
	c, ok := h.manageTarget(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	e := Exhibition{Venue: f.Get("venue"), Address: f.Get("address"), StartsOn: f.Get("starts"), EndsOn: f.Get("ends"), Hours: f.Get("hours")}
	e.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	e.Lat, err = strconv.ParseFloat(f.Get("lat"), 64)
	if err != nil || e.Lat < -90 || e.Lat > 90 {
		f.Fail("lat", "voice.err.lat")
	}
	e.Lon, err = strconv.ParseFloat(f.Get("lon"), 64)
	if err != nil || e.Lon < -180 || e.Lon > 180 {
		f.Fail("lon", "voice.err.lon")
	}
	if e.Venue == "" || len(e.Venue) > 200 {
		f.Fail("venue", "voice.err.venue")
	}
	s, err1 := time.Parse("2006-01-02", e.StartsOn)
	t, err2 := time.Parse("2006-01-02", e.EndsOn)
	if err1 != nil || err2 != nil || t.Before(s) {
		f.Fail("ends", "voice.err.closes")
	}
	if !f.Valid() {
		h.edit(w, r, c, f, http.StatusUnprocessableEntity, "")
		return
	}
	if _, err := h.Store.SaveExhibition(r.Context(), actor(r), c, e); errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.admin.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/ideas/consultations/"+c.Slug)
}

// AddStation creates a station and shows its token once.
func (h *Handlers) AddStation(w http.ResponseWriter, r *http.Request) {
	c, ok := h.manageTarget(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	ex, _ := strconv.ParseInt(f.Get("exhibition"), 10, 64)
	name := f.Get("name")
	if name == "" {
		name = "Station"
	}
	token, err := h.Store.AddStation(r.Context(), actor(r), c, ex, name)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if c, err = h.Store.Consultation(r.Context(), c.Slug); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.edit(w, r, c, consultationForm(c), http.StatusOK, token)
}

// RevokeStation stops a station's token.
func (h *Handlers) RevokeStation(w http.ResponseWriter, r *http.Request) {
	c, ok := h.manageTarget(w, r)
	if !ok {
		return
	}
	if err := h.Store.RevokeStation(r.Context(), actor(r), c, pathInt(r, "sid")); errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.admin.revoked")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/ideas/consultations/"+c.Slug)
}

type queueData struct {
	Ideas        []*Idea
	State        string
	States       []string
	Reasons      []string
	Themes       []Theme
	Consultation int64
	Consults     []*Consultation
}

// Queue is the moderators' queue.
func (h *Handlers) Queue(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	state := r.URL.Query().Get("state")
	if !contains([]string{StateWaiting, StatePublished, StateHidden, StateSpam, StateMerged}, state) {
		state = StateWaiting
	}
	cons, _ := strconv.ParseInt(r.URL.Query().Get("consultation"), 10, 64)
	ideas, err := h.Store.Queue(r.Context(), scope(v), cons, state)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := queueData{Ideas: ideas, State: state, States: []string{StateWaiting, StatePublished, StateHidden, StateSpam, StateMerged},
		Reasons: Reasons, Consultation: cons}
	if d.Themes, err = h.Store.Themes(r.Context()); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if d.Consults, err = h.Store.Consultations(r.Context(), scope(v)); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("voice.queue.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "voice/queue", p)
}

// Decide applies a moderator's decision to the ideas ticked (or the one
// whose button was pressed).
func (h *Handlers) Decide(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	var ids []int64
	list := f.Values["idea"]
	if one := f.Get("one"); one != "" {
		list = []string{one}
	}
	for _, s := range list {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	act := ModAction{Action: f.Get("action"), Reason: f.Get("reason"), Theme: f.Get("theme")}
	if a := r.URL.Query().Get("act"); a != "" { // one idea's own button
		act.Action = a
	}
	act.Into, _ = strconv.ParseInt(f.Get("into"), 10, 64)
	act.Practice, _ = strconv.ParseInt(f.Get("practice"), 10, 64)
	v := web.ViewerFrom(r.Context())
	err = h.Store.Decide(r.Context(), actor(r), scope(v), ids, act)
	back := "/" + web.Lang(r) + "/admin/ideas"
	if ret := f.Get("return"); strings.HasPrefix(ret, "?") {
		back += ret
	}
	switch {
	case errors.Is(err, ErrNotFound):
		h.Render.NotFound(w, r)
		return
	case errors.Is(err, ErrOtherCity):
		h.Auth.Forbidden(w, r, "voice.moderate")
		return
	case errors.Is(err, ErrBadDecision):
		h.flash(r, "voice.queue.bad")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.queue.done", "Count", len(ids))
	web.Redirect(w, r, back)
}

type wordsData struct{ Words string }

// WordsPage shows the moderators' word list.
func (h *Handlers) WordsPage(w http.ResponseWriter, r *http.Request) {
	words, err := h.Store.Words(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", wordsData{Words: strings.Join(words, "\n")})
	p.Title = p.T("voice.words.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "voice/words", p)
}

// SaveWords replaces the word list.
func (h *Handlers) SaveWords(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	if err := h.Store.SetWords(r.Context(), actor(r), strings.Split(f.Values.Get("words"), "\n")); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.admin.saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/ideas/words")
}
