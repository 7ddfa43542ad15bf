package summit

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/web"
)

// auditBadges records that badges (which carry check-in tokens) were printed.
func auditBadges(r *http.Request, h *Handlers, s *Summit, n int) error {
	return h.Store.RecordBadges(r.Context(), audit.ActorFrom(r), s.ID, n)
}

type checkinData struct {
	S        *Summit
	Result   *CheckIn
	Unknown  bool
	In, Of   int
	Token    string
	Location string
	From     time.Time // the check-in window's first day
	Until    time.Time // and its last
}

// CheckInPage is the form at the door: scan a badge (a scanner types the
// token and Enter) or type the token printed under the code.
func (h *Handlers) CheckInPage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	h.checkinPage(w, r, http.StatusOK, s, &checkinData{S: s}, web.NewForm(nil))
}

func (h *Handlers) checkinPage(w http.ResponseWriter, r *http.Request, status int, s *Summit, d *checkinData, f *web.Form) {
	var err error
	if d.In, d.Of, err = h.Store.CheckInCounts(r.Context(), s.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	from, until := s.CheckInWindow()
	d.From, d.Until = from, until.AddDate(0, 0, -1)
	p := h.Render.NewPage(r, "", d)
	p.Form = f
	p.NoIndex = true
	p.Title = p.T("summit.checkin.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	h.Render.HTML(w, r, status, "summit/admin_checkin", p)
}

// normalizeToken accepts the token as printed, with stray spaces or
// capitals, or a link that carries it as ?token=.
func normalizeToken(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Query().Get("token") != "" {
		s = u.Query().Get("token")
	}
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// CheckInSubmit checks the badge's holder in; a second scan is flagged.
func (h *Handlers) CheckInSubmit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	token := normalizeToken(f.Get("token"))
	d := &checkinData{S: s, Token: token}
	if token == "" {
		f.Fail("token", "summit.checkin.empty")
		h.checkinPage(w, r, http.StatusUnprocessableEntity, s, d, f)
		return
	}
	res, err := h.Store.CheckInToken(r.Context(), s.ID, token, audit.ActorFrom(r))
	if errors.Is(err, ErrUnknownToken) {
		d.Unknown = true
		f.Fail("token", "summit.checkin.unknown")
		h.checkinPage(w, r, http.StatusNotFound, s, d, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Result = res
	status := http.StatusOK
	if res.Repeat || res.NotConfirmed || res.Closed {
		status = http.StatusConflict
	}
	// The form comes back empty and focused for the next badge.
	h.checkinPage(w, r, status, s, d, web.NewForm(nil))
}
