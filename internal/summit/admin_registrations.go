package summit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type queueData struct {
	S       *Summit
	List    []*Delegation
	Sizes   map[int64]int
	State   string
	States  []Option
	Counts  map[string]int
	Usage   [2]int // delegations and people holding a place
	Skipped map[int64]string
}

// AdminRegistrations is the review queue: pending first, then offers,
// the waiting list in its order, and the rest; filterable by state.
func (h *Handlers) AdminRegistrations(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	h.queuePage(w, r, http.StatusOK, s, nil)
}

func (h *Handlers) queuePage(w http.ResponseWriter, r *http.Request, status int, s *Summit, skipped map[int64]string) {
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	if state != "" && !slices.Contains(States, state) {
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	list, sizes, err := h.Store.Delegations(ctx, s.ID, DelegationFilter{State: state})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts, err := h.Store.StateCounts(ctx, s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", nil)
	d := &queueData{S: s, List: list, Sizes: sizes, State: state, Counts: counts, Skipped: skipped}
	d.States = append(d.States, Option{"", p.T("summit.queue.all")})
	for _, st := range States {
		d.States = append(d.States, Option{st, p.T("summit.state." + st)})
	}
	for _, x := range list {
		if x.HoldsPlace() {
			d.Usage[0]++
			d.Usage[1] += sizes[x.ID]
		}
	}
	p.Data = d
	p.NoIndex = true
	p.Title = p.T("summit.queue.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	h.Render.HTML(w, r, status, "summit/admin_registrations", p)
}

// AdminBulkConfirm confirms the ticked delegations in one transaction.
func (h *Handlers) AdminBulkConfirm(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	var ids []int64
	for _, v := range f.Values["id"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		ids = append(ids, n)
	}
	res, err := h.Store.ConfirmMany(r.Context(), s.ID, ids, audit.ActorFrom(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(res.Skipped) > 0 {
		h.queuePage(w, r, http.StatusConflict, s, res.Skipped)
		return
	}
	h.flash(r, "summit.notice.bulk_confirmed", "Count", len(res.Confirmed))
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(s.ID)+"/registrations")
}

// adminDelegation loads the delegation of the path, checking it belongs to the summit.
func (h *Handlers) adminDelegation(w http.ResponseWriter, r *http.Request) (*Summit, *Delegation, bool) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return nil, nil, false
	}
	d, err := h.Store.Delegation(r.Context(), pathID(r, "did"))
	if err == nil && d.SummitID != s.ID {
		err = ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	return s, d, true
}

// AdminDelegation shows one registration with every tool to change it.
func (h *Handlers) AdminDelegation(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.adminDelegation(w, r)
	if !ok {
		return
	}
	h.delegationPage(w, r, http.StatusOK, s, d, web.NewForm(url.Values{"role": {"official"}}), true, nil)
}

// AdminSetState confirms, declines (with a reason) or wait-lists a delegation.
func (h *Handlers) AdminSetState(w http.ResponseWriter, r *http.Request) {
	s, d, ok := h.adminDelegation(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	ctx, e := r.Context(), audit.ActorFrom(r)
	var err error
	switch f.Get("state") {
	case StateConfirmed:
		err = h.Store.Confirm(ctx, d.ID, e)
	case StateDeclined:
		err = h.Store.Decline(ctx, d.ID, f.Get("reason"), e)
	case StateWaiting:
		err = h.Store.WaitList(ctx, d.ID, e)
	default:
		f.Fail("state", "form.invalid")
	}
	if err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
	}
	if !f.Valid() {
		h.delegationPage(w, r, status(err), s, d, f, true, nil)
		return
	}
	h.flash(r, "summit.notice.state", "State", h.Render.Catalog.T(web.Lang(r), "summit.state."+f.Get("state")))
	web.Redirect(w, r, "/"+web.Lang(r)+h.base(s, d, true))
}

// AdminAddMember, AdminMember, AdminMemberSave, AdminRemoveMember and
// AdminSignups are the city's tools, for any delegation.
func (h *Handlers) AdminAddMember(w http.ResponseWriter, r *http.Request) {
	if s, d, ok := h.adminDelegation(w, r); ok {
		h.addMember(w, r, s, d, true)
	}
}

func (h *Handlers) AdminMember(w http.ResponseWriter, r *http.Request) {
	if s, d, ok := h.adminDelegation(w, r); ok {
		h.memberPage(w, r, s, d, true)
	}
}

func (h *Handlers) AdminMemberSave(w http.ResponseWriter, r *http.Request) {
	if s, d, ok := h.adminDelegation(w, r); ok {
		h.memberSubmit(w, r, s, d, true)
	}
}

func (h *Handlers) AdminRemoveMember(w http.ResponseWriter, r *http.Request) {
	if s, d, ok := h.adminDelegation(w, r); ok {
		h.removeMember(w, r, s, d, true)
	}
}

func (h *Handlers) AdminSignups(w http.ResponseWriter, r *http.Request) {
	if s, d, ok := h.adminDelegation(w, r); ok {
		h.signups(w, r, s, d, true)
	}
}

// AdminCSV exports the people of confirmed delegations as CSV for the
// secretariat's planning (with ?consented=1 only those who agreed to be listed).
func (h *Handlers) AdminCSV(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	people, err := h.Store.Participants(r.Context(), s.ID, r.URL.Query().Get("consented") == "1")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i18n.SortByName(web.Lang(r), people, func(p Delegate) string { return p.City.In(web.Lang(r)) })
	lang := web.Lang(r)
	t := func(k string) string { return h.Render.Catalog.T(lang, k) }
	yes := func(b bool) string {
		if b {
			return t("summit.yes")
		}
		return t("summit.no")
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so spreadsheet programs read UTF-8
	cw := csv.NewWriter(&buf)
	cw.Write([]string{t("summit.csv.city"), t("summit.csv.country"), t("summit.csv.head"), t("summit.delegate.title"),
		t("summit.delegate.name"), t("summit.delegate.role"), t("summit.delegate.email"), t("summit.delegate.arrival"),
		t("summit.delegate.departure"), t("summit.delegate.dietary"), t("summit.delegate.accessibility"),
		t("summit.delegate.interpretation"), t("summit.delegate.consent"), t("summit.csv.checked_in")})
	loc := s.Location()
	for _, p := range people {
		checked := ""
		if p.CheckedInAt != nil {
			checked = p.CheckedInAt.In(loc).Format("2006-01-02 15:04")
		}
		row := []string{p.City.In(lang), p.City.Country, yes(p.IsHead), p.Title, p.Name, t("summit.role." + p.Role), p.Email,
			p.Arrival, p.Departure, p.Dietary, p.Accessibility, p.Interpretation, yes(p.Consent), checked}
		for i := range row {
			row[i] = web.CSVCell(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="summit-`+itoa(s.ID)+`-participants.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

type printData struct {
	S      *Summit
	People []Delegate
	F      Figures
}

// AdminPrint is the printable participant list: only those who consented.
func (h *Handlers) AdminPrint(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	people, err := h.Store.Participants(r.Context(), s.ID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i18n.SortByName(web.Lang(r), people, func(p Delegate) string { return p.City.In(web.Lang(r)) })
	f, err := h.Store.Figures(r.Context(), s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", printData{S: s, People: people, F: f})
	p.Title = p.T("summit.participants.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "summit/admin_print", p)
}

// AdminBadges renders name badges as PDF: every confirmed person, or one
// delegation's (?delegation=ID).
func (h *Handlers) AdminBadges(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	var did int64
	if v := r.URL.Query().Get("delegation"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		did = n
	}
	people, err := h.Store.Badges(r.Context(), s.ID, did)
	if errors.Is(err, ErrNotConfirmed) {
		d, err := h.Store.Delegation(r.Context(), did)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f := web.NewForm(nil)
		f.Fail("badges", ErrNotConfirmed.Key)
		h.delegationPage(w, r, http.StatusConflict, s, d, f, true, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	sheet := &BadgeSheet{Summit: s.Title.Get(lang, s.SourceLang), Dates: s.DateRange(lang) + " · " + s.Host.In(lang), Created: s.UpdatedAt}
	if sheet.Created.IsZero() {
		sheet.Created = time.Unix(0, 0)
	}
	for _, p := range people {
		sheet.Badges = append(sheet.Badges, Badge{Name: p.DisplayName(), Title: h.Render.Catalog.T(lang, "summit.role."+p.Role),
			City: p.City.In(lang), Country: i18n.CountryName(lang, p.City.Country), Token: p.BadgeToken, Head: p.IsHead})
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := auditBadges(r, h, s, len(people)); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="summit-`+itoa(s.ID)+`-badges.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}
