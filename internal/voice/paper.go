package voice

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/web"
)

type transcribeData struct {
	Consults []*Consultation
	Themes   []Theme
	Last     string // the receipt of the card just entered
}

// TranscribePage is the form staff use to type in paper cards, one after
// another.
func (h *Handlers) TranscribePage(w http.ResponseWriter, r *http.Request) {
	h.transcribe(w, r, web.NewForm(nil), http.StatusOK, r.URL.Query().Get("last"))
}

func (h *Handlers) transcribe(w http.ResponseWriter, r *http.Request, f *web.Form, status int, last string) {
	v := web.ViewerFrom(r.Context())
	list, err := h.Store.Consultations(r.Context(), scope(v))
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	themes, err := h.Store.Themes(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", transcribeData{Consults: list, Themes: themes, Last: NormalReceipt(last)})
	p.Title = p.T("voice.paper.title")
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "voice/transcribe", p)
}

// Transcribe stores one paper card as an idea, marked as transcribed.
func (h *Handlers) Transcribe(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	c, err := h.Store.Consultation(r.Context(), f.Get("consultation"))
	if errors.Is(err, ErrNotFound) || err == nil && !mayModerate(web.ViewerFrom(r.Context()), c.CityID) {
		f.Fail("consultation", "voice.err.no_consultation")
		h.transcribe(w, r, f, http.StatusUnprocessableEntity, "")
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	ex, _ := strconv.ParseInt(f.Get("exhibition"), 10, 64)
	found := ex == 0
	for _, e := range c.Exhibitions {
		found = found || e.ID == ex
	}
	if !found {
		f.Fail("exhibition", "voice.err.venue")
		h.transcribe(w, r, f, http.StatusUnprocessableEntity, "")
		return
	}
	card := f.Get("card")
	if d := f.Get("date"); d != "" {
		if _, err := time.Parse("2006-01-02", d); err != nil {
			f.Fail("date", "voice.err.date")
			h.transcribe(w, r, f, http.StatusUnprocessableEntity, "")
			return
		}
		card += " (" + d + ")"
	}
	acc, err := h.Give(r.Context(), c, GiveInput{Text: f.Values.Get("text"), Lang: f.Get("lang"), Theme: f.Get("theme"), Channel: ChannelPaper,
		ExhibitionID: ex, Card: card, UILang: web.Lang(r), FillTime: time.Hour})
	var ge *GiveError
	if errors.As(err, &ge) {
		f.Fail(ge.Field, ge.Key)
		h.transcribe(w, r, f, http.StatusUnprocessableEntity, "")
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.paper.saved", "Receipt", acc.Receipt)
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/ideas/transcribe?consultation="+strconv.FormatInt(c.ID, 10)+"&last="+acc.Receipt)
}
