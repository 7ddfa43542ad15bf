package summit

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/web"
)

// delegationData is what the delegation pages show, for the city and for
// the secretariat alike.
type delegationData struct {
	S         *Summit
	D         *Delegation // nil: the city has not registered yet
	City      *CityRef
	Sessions  []*Session
	Signed    map[string]bool // "session:delegate"
	Roles     []Option
	HeadRoles []Option
	Langs     []Option
	Base      string // the delegation's address without the language
	Admin     bool
	Member    *Delegate // the person being edited, on the member page
	States    []Option
	// KeepUntil is when the people's personal details are erased, KeepDays
	// after the summit's last day; Kept is whether that is still to come.
	KeepUntil  time.Time
	KeepDays   int
	Kept       bool
	Avail      Availability // before registering: full or not
	CanConfirm bool         // the secretariat's Confirm can succeed now
}

// Editable reports whether the page offers changes to the delegation: the
// city's own stop once the summit has been held; the secretariat's do not.
func (d *delegationData) Editable() bool {
	return d.D != nil && d.D.Active() && (d.Admin || d.S.Status != StatusHeld)
}

// SignKey is the sign-up checkbox value for a session and a person.
func SignKey(sessionID, delegateID int64) string { return itoa(sessionID) + ":" + itoa(delegateID) }

// FeedPath is a delegate's personal calendar address.
func (p *Delegate) FeedPath(lang string) string {
	return "/feeds/summit-delegates/" + p.FeedToken + ".ics?lang=" + lang
}

func (h *Handlers) delegationPage(w http.ResponseWriter, r *http.Request, status int, s *Summit, d *Delegation, f *web.Form, admin bool, member *Delegate) {
	ctx := r.Context()
	p := h.Render.NewPage(r, "", nil)
	data := &delegationData{S: s, D: d, Roles: h.roleOptions(p, false), HeadRoles: h.roleOptions(p, true), Langs: langOptions(p),
		Admin: admin, Member: member, Signed: map[string]bool{}, KeepDays: h.Store.Keep()}
	data.KeepUntil = s.KeepUntil(data.KeepDays)
	data.Kept = h.Store.now().Before(data.KeepUntil)
	if d != nil {
		data.City = &d.City
		if admin {
			data.Base = "/admin/summits/" + itoa(s.ID) + "/registrations/" + itoa(d.ID)
		} else {
			data.Base = "/summits/" + s.Ref() + "/delegation"
		}
		prog, err := h.Store.Programme(ctx, s.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Sessions = prog.Sessions
		for _, m := range d.Delegates {
			for _, sid := range m.SessionIDs {
				data.Signed[SignKey(sid, m.ID)] = true
			}
		}
	} else if v := p.Viewer; v != nil {
		c, err := h.Store.City(ctx, v.CityID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			h.fail(w, r, err)
			return
		}
		data.City = c
		data.Base = "/summits/" + s.Ref() + "/delegation"
		if data.Avail, err = h.Store.Availability(ctx, s); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if admin && d != nil {
		var err error
		if data.CanConfirm, err = h.Store.CanConfirm(ctx, s, d); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, st := range States {
		data.States = append(data.States, Option{st, p.T("summit.state." + st)})
	}
	p.Data = data
	p.Form = f
	p.NoIndex = true
	name := "summit/delegation"
	switch {
	case member != nil:
		name = "summit/member"
		p.Title = member.Name
	case admin:
		name = "summit/admin_delegation"
		p.Title = p.T("summit.delegation.of", "City", d.City.In(p.Lang))
	case d != nil:
		p.Title = p.T("summit.delegation.of", "City", d.City.In(p.Lang))
	default:
		p.Title = p.T("summit.register.title")
	}
	h.Render.HTML(w, r, status, name, p)
}

// own loads the viewer's city's delegation to the summit (nil if none).
func (h *Handlers) own(w http.ResponseWriter, r *http.Request) (*Summit, *Delegation, bool) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return nil, nil, false
	}
	v := web.ViewerFrom(r.Context())
	d, err := h.Store.DelegationOf(r.Context(), s.ID, v.CityID)
	if errors.Is(err, ErrNotFound) {
		return s, nil, true
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	if !auth.CanForCity(v, auth.SummitRegisterOwn, "", d.City.ID) {
		h.Auth.Forbidden(w, r, auth.SummitRegisterOwn)
		return nil, nil, false
	}
	// Once the summit is held, the record stands as it was.
	if r.Method == http.MethodPost && s.Status == StatusHeld {
		f := web.NewForm(nil)
		f.Fail("_", ErrNotActive.Key)
		h.delegationPage(w, r, http.StatusConflict, s, d, f, false, nil)
		return nil, nil, false
	}
	return s, d, true
}

// DelegationPage shows the city's delegation, or the form to register one.
func (h *Handlers) DelegationPage(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	f := web.NewForm(nil)
	if d == nil {
		f.Values.Set("role", "mayor")
		f.Values.Set("consent", "1")
	} else {
		f.Values.Set("role", "official") // the form adds a member, most often staff
	}
	h.delegationPage(w, r, http.StatusOK, s, d, f, false, nil)
}

// RegisterSubmit registers the city's delegation with its head.
func (h *Handlers) RegisterSubmit(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	if d != nil {
		f.Fail("_", ErrAlreadyRegistered.Key)
		h.delegationPage(w, r, http.StatusConflict, s, d, f, false, nil)
		return
	}
	v := web.ViewerFrom(r.Context())
	head := delegateForm(f)
	head.IsHead = true
	reg := Registration{CityID: v.CityID, Head: head, Notes: f.Get("notes"), ContactEmail: v.Email}
	nd, err := h.Store.Register(r.Context(), s.ID, reg, audit.ActorFrom(r))
	if err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.delegationPage(w, r, status(err), s, nil, f, false, nil)
		return
	}
	h.flash(r, "summit.notice."+nd.State)
	web.Redirect(w, r, "/"+web.Lang(r)+"/summits/"+s.Ref()+"/delegation")
}

// AddMember adds a person to the city's delegation.
func (h *Handlers) AddMember(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	if d == nil {
		h.Render.NotFound(w, r)
		return
	}
	h.addMember(w, r, s, d, false)
}

func (h *Handlers) addMember(w http.ResponseWriter, r *http.Request, s *Summit, d *Delegation, admin bool) {
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	if err := h.Store.AddDelegate(r.Context(), d.ID, delegateForm(f), audit.ActorFrom(r)); err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.delegationPage(w, r, status(err), s, d, f, admin, nil)
		return
	}
	h.flash(r, "summit.notice.member_added", "Name", f.Get("name"))
	web.Redirect(w, r, "/"+web.Lang(r)+h.base(s, d, admin))
}

func (h *Handlers) base(s *Summit, d *Delegation, admin bool) string {
	if admin {
		return "/admin/summits/" + itoa(s.ID) + "/registrations/" + itoa(d.ID)
	}
	return "/summits/" + s.Ref() + "/delegation"
}

// memberOf finds a person of the delegation (nil: none, or no delegation).
func memberOf(d *Delegation, id int64) *Delegate {
	if d == nil {
		return nil
	}
	for i := range d.Delegates {
		if d.Delegates[i].ID == id {
			return &d.Delegates[i]
		}
	}
	return nil
}

// MemberPage shows the form for one person of the city's delegation.
func (h *Handlers) MemberPage(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	h.memberPage(w, r, s, d, false)
}

func (h *Handlers) memberPage(w http.ResponseWriter, r *http.Request, s *Summit, d *Delegation, admin bool) {
	m := memberOf(d, pathID(r, "mid"))
	if m == nil {
		h.Render.NotFound(w, r)
		return
	}
	h.delegationPage(w, r, http.StatusOK, s, d, web.NewForm(delegateValues(m)), admin, m)
}

// MemberSubmit saves one person of the city's delegation.
func (h *Handlers) MemberSubmit(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	h.memberSubmit(w, r, s, d, false)
}

func (h *Handlers) memberSubmit(w http.ResponseWriter, r *http.Request, s *Summit, d *Delegation, admin bool) {
	m := memberOf(d, pathID(r, "mid"))
	if m == nil {
		h.Render.NotFound(w, r)
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	if err := h.Store.UpdateDelegate(r.Context(), d.ID, m.ID, delegateForm(f), audit.ActorFrom(r)); err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.delegationPage(w, r, status(err), s, d, f, admin, m)
		return
	}
	h.flash(r, "summit.notice.member_saved", "Name", f.Get("name"))
	web.Redirect(w, r, "/"+web.Lang(r)+h.base(s, d, admin))
}

// RemoveMember takes a person off the city's delegation once confirmed.
func (h *Handlers) RemoveMember(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	h.removeMember(w, r, s, d, false)
}

func (h *Handlers) removeMember(w http.ResponseWriter, r *http.Request, s *Summit, d *Delegation, admin bool) {
	m := memberOf(d, pathID(r, "mid"))
	if m == nil {
		h.Render.NotFound(w, r)
		return
	}
	lang := web.Lang(r)
	if !h.Render.Confirmed(w, r, web.Confirm{
		Question: h.Render.Catalog.T(lang, "summit.delegate.remove_question", "Name", m.Name, "City", d.City.In(lang)),
		Notes:    []string{h.Render.Catalog.T(lang, "summit.delegate.remove_note")},
		Button:   h.Render.Catalog.T(lang, "summit.delegate.remove"),
		Back:     "/" + lang + h.base(s, d, admin),
	}) {
		return
	}
	err := h.Store.RemoveDelegate(r.Context(), d.ID, m.ID, audit.ActorFrom(r))
	if err != nil {
		f := web.NewForm(nil)
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.delegationPage(w, r, status(err), s, d, f, admin, nil)
		return
	}
	h.flash(r, "summit.notice.member_removed")
	web.Redirect(w, r, "/"+web.Lang(r)+h.base(s, d, admin))
}

// Signups saves which person attends which session.
func (h *Handlers) Signups(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.own(w, r)
	if !ok {
		return
	}
	h.signups(w, r, s, d, false)
}

func (h *Handlers) signups(w http.ResponseWriter, r *http.Request, s *Summit, d *Delegation, admin bool) {
	if d == nil {
		h.Render.NotFound(w, r)
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	var want []SignupInput
	for _, v := range f.Values["signup"] {
		a, b, _ := strings.Cut(v, ":")
		sid, err1 := strconv.ParseInt(a, 10, 64)
		pid, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
		want = append(want, SignupInput{sid, pid})
	}
	err := h.Store.SetSignups(r.Context(), d.ID, want, audit.ActorFrom(r))
	var full *SessionFullError
	if errors.As(err, &full) {
		// Show the page again with what was ticked, naming the full session.
		f.Fail("signups", "summit.err.session_full")
		if x, err := h.Store.Session(r.Context(), s.ID, full.SessionID); err == nil {
			f.Values.Set("full_session", x.Title.Get(web.Lang(r), s.SourceLang))
		}
		h.signupsAgain(w, r, http.StatusConflict, s, d, f, want, admin)
		return
	}
	if err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.signupsAgain(w, r, status(err), s, d, f, want, admin)
		return
	}
	h.flash(r, "summit.notice.signups_saved")
	web.Redirect(w, r, "/"+web.Lang(r)+h.base(s, d, admin)+"#signups")
}

// signupsAgain redisplays the sign-up grid with the boxes as the user ticked them.
func (h *Handlers) signupsAgain(w http.ResponseWriter, r *http.Request, code int, s *Summit, d *Delegation, f *web.Form, want []SignupInput, admin bool) {
	for i := range d.Delegates {
		d.Delegates[i].SessionIDs = nil
		for _, k := range want {
			if k.DelegateID == d.Delegates[i].ID {
				d.Delegates[i].SessionIDs = append(d.Delegates[i].SessionIDs, k.SessionID)
			}
		}
	}
	h.delegationPage(w, r, code, s, d, f, admin, nil)
}

// cityAction runs one of the city's own state changes.
//
// Giving a place up asks first (question and note are catalog keys, ""
// for none): a place given up may go to another city at once.
func (h *Handlers) cityAction(do func(h *Handlers, r *http.Request, d *Delegation) error, notice, question, note string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, d, ok := h.own(w, r)
		if !ok {
			return
		}
		if d == nil {
			h.Render.NotFound(w, r)
			return
		}
		if question != "" && !h.confirmedFor(w, r, s, d.City, question, note, question+"_button", "/delegation") {
			return
		}
		if err := do(h, r, d); err != nil {
			f := web.NewForm(nil)
			if e := applyErr(f, err); e != nil {
				h.fail(w, r, e)
				return
			}
			if d2, err := h.Store.Delegation(r.Context(), d.ID); err == nil {
				d = d2
			}
			h.delegationPage(w, r, status(err), s, d, f, false, nil)
			return
		}
		h.flash(r, notice)
		web.Redirect(w, r, "/"+web.Lang(r)+"/summits/"+s.Ref()+"/delegation")
	}
}

// confirmedFor asks a city to confirm giving something up at summit s
// (web.Renderer.Confirmed); the catalog keys take the city's and the
// summit's names, and Cancel leads to the summit's page plus back.
func (h *Handlers) confirmedFor(w http.ResponseWriter, r *http.Request, s *Summit, city CityRef, question, note, button, back string) bool {
	lang := web.Lang(r)
	t := func(key string) string {
		return h.Render.Catalog.T(lang, key, "City", city.In(lang), "Summit", s.Title.Get(lang, s.SourceLang))
	}
	return h.Render.Confirmed(w, r, web.Confirm{Question: t(question), Notes: []string{t(note)}, Button: t(button),
		Back: "/" + lang + "/summits/" + s.Ref() + back})
}

// Withdraw, AcceptOffer, DeclineOffer and Reopen are the city's state changes.
func (h *Handlers) Withdraw() http.HandlerFunc {
	return h.cityAction(func(h *Handlers, r *http.Request, d *Delegation) error {
		return h.Store.Withdraw(r.Context(), d.ID, audit.ActorFrom(r))
	}, "summit.notice.withdrawn", "summit.withdraw.question", "summit.withdraw.note")
}

func (h *Handlers) AcceptOffer() http.HandlerFunc {
	return h.cityAction(func(h *Handlers, r *http.Request, d *Delegation) error {
		return h.Store.AcceptOffer(r.Context(), d.ID, audit.ActorFrom(r))
	}, "summit.notice.pending", "", "")
}

func (h *Handlers) DeclineOffer() http.HandlerFunc {
	return h.cityAction(func(h *Handlers, r *http.Request, d *Delegation) error {
		return h.Store.DeclineOffer(r.Context(), d.ID, audit.ActorFrom(r))
	}, "summit.notice.withdrawn", "summit.decline.question", "summit.decline.note")
}

func (h *Handlers) Reopen() http.HandlerFunc {
	return h.cityAction(func(h *Handlers, r *http.Request, d *Delegation) error {
		return h.Store.Reopen(r.Context(), d.ID, audit.ActorFrom(r))
	}, "summit.notice.reopened", "", "")
}
