package summit

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type bidData struct {
	S     *Summit
	Own   *Bid
	City  *CityRef
	Langs []Option
	Bids  []Bid
	Open  bool // bids are taken now (BidsOpenAt)
}

func (h *Handlers) bidPage(w http.ResponseWriter, r *http.Request, status int, s *Summit, f *web.Form) {
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	p := h.Render.NewPage(r, "", nil)
	d := &bidData{S: s, Open: s.BidsOpenAt(h.Store.now())}
	c, err := h.Store.City(ctx, v.CityID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	d.City = c
	if b, err := h.Store.BidOf(ctx, s.ID, v.CityID); err == nil {
		d.Own = b
	} else if !errors.Is(err, ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	for _, l := range i18n.Langs {
		d.Langs = append(d.Langs, Option{l, i18n.Name(l)})
	}
	if f == nil {
		vals := url.Values{"source_lang": {p.Lang}}
		if b := d.Own; b != nil {
			vals.Set("proposed_start", b.ProposedStart)
			vals.Set("proposed_end", b.ProposedEnd)
			vals.Set("venue", b.Venue)
			vals.Set("source_lang", b.SourceLang)
			txValues(vals, "statement", b.Statement)
		}
		f = web.NewForm(vals)
	}
	p.Data, p.Form, p.NoIndex = d, f, true
	p.Title = p.T("summit.bid.title")
	h.Render.HTML(w, r, status, "summit/bid", p)
}

// BidPage shows the city's bid to host the next summit.
func (h *Handlers) BidPage(w http.ResponseWriter, r *http.Request) {
	if s, ok := h.summitFor(w, r); ok {
		h.bidPage(w, r, http.StatusOK, s, nil)
	}
}

// BidSubmit files or changes the city's bid.
func (h *Handlers) BidSubmit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return
	}
	f, ok := h.parseForm(w, r)
	if !ok {
		return
	}
	v := web.ViewerFrom(r.Context())
	in := BidInput{CityID: v.CityID, ProposedStart: f.Get("proposed_start"), ProposedEnd: f.Get("proposed_end"),
		Venue: f.Get("venue"), Statement: txForm(f, "statement"), SourceLang: f.Get("source_lang")}
	if _, err := h.Store.SubmitBid(r.Context(), s.ID, in, audit.ActorFrom(r)); err != nil {
		if e := applyErr(f, err); e != nil {
			h.fail(w, r, e)
			return
		}
		h.bidPage(w, r, status(err), s, f)
		return
	}
	h.flash(r, "summit.notice.bid_saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/summits/"+s.Ref()+"#next-host")
}

// BidWithdraw withdraws the city's bid.
func (h *Handlers) BidWithdraw(w http.ResponseWriter, r *http.Request) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return
	}
	v := web.ViewerFrom(r.Context())
	b, err := h.Store.BidOf(r.Context(), s.ID, v.CityID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.confirmedFor(w, r, s, b.City, "summit.bid.withdraw_question", "summit.bid.withdraw_note", "summit.bid.withdraw", "#next-host") {
		return
	}
	if err := h.Store.WithdrawBid(r.Context(), s.ID, v.CityID, audit.ActorFrom(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "summit.notice.bid_withdrawn")
	web.Redirect(w, r, "/"+web.Lang(r)+"/summits/"+s.Ref()+"#next-host")
}

// AdminBids compares the bids side by side, one column each.
func (h *Handlers) AdminBids(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	bids, err := h.Store.Bids(r.Context(), s.ID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", &bidData{S: s, Bids: bids})
	p.NoIndex = true
	p.Title = p.T("summit.bids.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	h.Render.HTML(w, r, http.StatusOK, "summit/admin_bids", p)
}

// AdminChooseBid chooses the next host; the summit's page announces it.
func (h *Handlers) AdminChooseBid(w http.ResponseWriter, r *http.Request) {
	s, ok := h.adminSummit(w, r)
	if !ok {
		return
	}
	title := func(year int, host CityRef) i18n.Text {
		t := i18n.Text{}
		for _, l := range i18n.Langs {
			t[l] = h.Render.Catalog.T(l, "summit.next.summit_title", "Year", year, "City", host.In(l))
		}
		return t
	}
	next, created, err := h.Store.ChooseBid(r.Context(), s.ID, pathID(r, "bid"), audit.ActorFrom(r), title)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if next > 0 {
		// The next summit waits, as a draft, for its programme and its
		// opening; one that existed already may need the new host.
		h.flash(r, map[bool]string{true: "summit.notice.bid_chosen_draft", false: "summit.notice.bid_chosen_check_next"}[created])
		web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(next))
		return
	}
	h.flash(r, "summit.notice.bid_chosen")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/summits/"+itoa(s.ID)+"/bids")
}

// Days is the length of the proposed stay, for comparing bids.
func (b *Bid) Days() int {
	s := parseDay(b.ProposedStart, time.UTC)
	e := parseDay(b.ProposedEnd, time.UTC)
	if s.IsZero() || e.IsZero() {
		return 0
	}
	return int(e.Sub(s).Hours()/24) + 1
}
