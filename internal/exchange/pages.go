package exchange

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

type option struct{ Value, Label string }

type inboxData struct {
	Secretariat bool
	City        string
	Received    []*Exchange
	Sent        []*Exchange
	All         []*Exchange
	Similar     []similarCity
}

// Inbox is /exchanges: a city's exchanges for its editors and delegates,
// all of them for the secretariat, and for everyone else the network of
// exchanges both cities agreed to show.
func (h *Handlers) Inbox(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	wh := who(v)
	if wh.CityID == 0 && !wh.Secretariat {
		h.Network(w, r)
		return
	}
	ctx := r.Context()
	lang := web.Lang(r)
	list, err := h.Store.Inbox(ctx, wh)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &inboxData{Secretariat: wh.Secretariat && wh.CityID == 0}
	if d.Secretariat {
		d.All = list
	} else {
		d.City = h.Store.CityName(ctx, wh.CityID, lang)
		for _, e := range list {
			if e.To.ID == wh.CityID {
				d.Received = append(d.Received, e)
			} else {
				d.Sent = append(d.Sent, e)
			}
		}
		if d.Similar, err = h.Store.SimilarCities(ctx, wh.CityID); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("exchange.inbox.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "exchange/inbox", p)
}

type networkData struct {
	List    []*Exchange
	Figures Figures
	SVG     any
	Edges   []Edge
}

// Network draws the public exchanges between cities, with their counts.
func (h *Handlers) Network(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := web.Lang(r)
	list, err := h.Store.Public(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &networkData{List: list, Figures: figuresOf(list, h.namer(lang)), Edges: edgesOf(list)}
	cat := h.Render.Catalog
	d.SVG = networkSVG(cat.T(lang, "exchange.network.svg_title"), cat.T(lang, "exchange.network.svg_desc", "Count", len(d.Edges)),
		lang, d.Edges)
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("exchange.network.title")
	h.Render.HTML(w, r, http.StatusOK, "exchange/network", p)
}

// namer names themes (from the practices' terms), regions and kinds.
func (h *Handlers) namer(lang string) func(kind, key string) string {
	themes := h.Store.themeNames(lang)
	cat := h.Render.Catalog
	return func(kind, key string) string {
		switch kind {
		case "theme":
			if n := themes[key]; n != "" {
				return n
			}
			return key
		case "region":
			return cat.T(lang, "city.continent."+key)
		}
		return cat.T(lang, "exchange.kind."+key)
	}
}

type newData struct {
	Practice  *PracticeRef
	City      *City
	Kinds     []option
	Languages []option
	Chosen    map[string]bool
	Peers     []Peer
	Themes    map[string]string
}

// mayAsk reports whether v may ask city (not their own) for an exchange.
func mayAsk(v *web.Viewer, city int64) bool {
	return auth.Can(v, auth.ExchangeOwn) && v.CityID != city
}

// NewPage is the form to ask a practice's city for an exchange.
func (h *Handlers) NewPage(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	f := web.NewForm(url.Values{"contact_name": {v.Name}, "contact_email": {v.Email}, "languages": {web.Lang(r)}})
	h.renderNew(w, r, f, http.StatusOK)
}

func (h *Handlers) renderNew(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	ctx := r.Context()
	lang := web.Lang(r)
	v := web.ViewerFrom(ctx)
	id, err := strconv.ParseInt(r.URL.Query().Get("practice"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	pr, city, err := h.Store.Target(ctx, id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if !mayAsk(v, city.ID) {
		h.Auth.Forbidden(w, r, auth.ExchangeOwn)
		return
	}
	cat := h.Render.Catalog
	d := &newData{Practice: pr, City: city, Chosen: map[string]bool{}, Themes: h.Store.themeNames(lang)}
	for _, k := range Kinds {
		d.Kinds = append(d.Kinds, option{k, cat.T(lang, "exchange.kind."+k)})
	}
	for _, l := range Languages {
		d.Languages = append(d.Languages, option{l, i18n.LanguageName(lang, l)})
	}
	for _, l := range f.Values["languages"] {
		d.Chosen[l] = true
	}
	if d.Peers, err = h.Store.Peers(ctx, pr.ID, v.CityID, 6); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("exchange.new.title", "City", city.In(lang))
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "exchange/new", p)
}

// Create sends the request.
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("practice"), 10, 64)
	q := Request{PracticeID: id, FromCity: v.CityID, Kind: f.Get("kind"), Message: f.Get("message"),
		ProposedDates: f.Get("dates"), Languages: f.Values["languages"], ContactName: f.Get("contact_name"), ContactEmail: f.Get("contact_email")}
	if !auth.Can(v, auth.ExchangeOwn) {
		h.Auth.Forbidden(w, r, auth.ExchangeOwn)
		return
	}
	if probs := q.Problems(); len(probs) > 0 {
		for k, key := range probs {
			f.Fail(k, key)
		}
		h.renderNew(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	xid, err := h.Store.Create(r.Context(), actor(r), q)
	if errors.Is(err, ErrPractice) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "exchange.flash.sent")
	web.Redirect(w, r, exchangePath(web.Lang(r), xid))
}

type showData struct {
	E           *Exchange
	Side        string // "from", "to" or "" (the secretariat)
	Thread      []Message
	Steps       []string // the steps open to the viewer
	Own         []PracticeRef
	Secretariat bool
	Themes      map[string]string
	Step        string // the step whose form has errors
	Lang        string
}

// LangName is a language's name in the page's language.
func (d *showData) LangName(code string) string { return i18n.LanguageName(d.Lang, code) }

// Agreed reports whether the viewer's city agreed to show the exchange.
func (d *showData) Agreed() bool {
	return d.Side == "from" && d.E.PublicFrom || d.Side == "to" && d.E.PublicTo
}

// Show is an exchange's private page.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	e, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderShow(w, r, e, nil, "", http.StatusOK)
}

func (h *Handlers) renderShow(w http.ResponseWriter, r *http.Request, e *Exchange, f *web.Form, step string, status int) {
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	wh := who(v)
	d := &showData{E: e, Side: e.Side(wh.CityID), Secretariat: wh.Secretariat, Step: step, Themes: h.Store.themeNames(web.Lang(r)), Lang: web.Lang(r)}
	for _, st := range States {
		if MayStep(e.State, st, d.Side, wh.Secretariat) {
			d.Steps = append(d.Steps, st)
		}
	}
	var err error
	if d.Thread, err = h.Store.Thread(ctx, e.ID); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if slices.Contains(d.Steps, Adopted) {
		if d.Own, err = h.Store.OwnPractices(ctx, e.From.ID); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("exchange.show.title", "From", e.From.In(p.Lang), "To", e.To.In(p.Lang))
	p.NoIndex = true
	if f == nil {
		f = web.NewForm(nil)
	}
	p.Form = f
	w.Header().Set("Cache-Control", "private, no-store")
	h.Render.HTML(w, r, status, "exchange/show", p)
}

// StepSubmit takes one step of the exchange.
func (h *Handlers) StepSubmit(w http.ResponseWriter, r *http.Request) {
	e, ok := h.load(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	adapted, _ := strconv.ParseInt(f.Get("adapted"), 10, 64)
	st := Step{To: f.Get("step"), Reason: f.Get("reason"), Date: f.Get("date"), Place: f.Get("place"),
		Learned: f.Get("learned"), WillTry: f.Get("will_try"), AdaptedID: adapted}
	if probs := st.Problems(); len(probs) > 0 {
		for k, key := range probs {
			f.Fail(k, key)
		}
		h.renderShow(w, r, e, f, st.To, http.StatusUnprocessableEntity)
		return
	}
	err = h.Store.Step(r.Context(), actor(r), who(web.ViewerFrom(r.Context())), e.ID, st)
	switch {
	case errors.Is(err, ErrStep):
		f.Fail("step", "exchange.err.step")
		h.renderShow(w, r, e, f, st.To, http.StatusConflict)
		return
	case errors.Is(err, ErrPractice):
		f.Fail("adapted", "exchange.err.adapted")
		h.renderShow(w, r, e, f, st.To, http.StatusUnprocessableEntity)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "exchange.flash.step."+st.To)
	web.Redirect(w, r, exchangePath(web.Lang(r), e.ID))
}

// PublicSubmit records whether the viewer's city agrees to show the exchange.
func (h *Handlers) PublicSubmit(w http.ResponseWriter, r *http.Request) {
	e, ok := h.load(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	err = h.Store.SetPublic(r.Context(), actor(r), who(web.ViewerFrom(r.Context())), e.ID, f.Get("agree") == "yes")
	if errors.Is(err, ErrStep) {
		h.Render.Error(w, r, http.StatusForbidden, nil)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "exchange.flash.public")
	web.Redirect(w, r, exchangePath(web.Lang(r), e.ID))
}

// PostMessage adds a message, and perhaps a file, to the thread.
func (h *Handlers) PostMessage(w http.ResponseWriter, r *http.Request) {
	e, ok := h.load(w, r)
	if !ok {
		return
	}
	f, err := media.ParseForm(w, r)
	var me *media.Error
	if errors.As(err, &me) {
		f = web.NewForm(nil)
		f.Fail("file", me.Key)
		h.renderShow(w, r, e, f, "", http.StatusRequestEntityTooLarge)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	var up *Upload
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 && r.MultipartForm.File["file"][0].Size > 0 {
		up, err = ReadUpload(r.MultipartForm.File["file"][0])
		if errors.As(err, &me) {
			f.Fail("file", me.Key)
			h.renderShow(w, r, e, f, "", http.StatusUnprocessableEntity)
			return
		} else if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
	}
	body := f.Get("body")
	if body == "" && up == nil {
		f.Fail("body", "form.required")
	}
	f.MaxLen("body", maxText)
	if !f.Valid() {
		h.renderShow(w, r, e, f, "", http.StatusUnprocessableEntity)
		return
	}
	if err := h.Store.Post(r.Context(), actor(r), who(web.ViewerFrom(r.Context())), e.ID, body, up); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "exchange.flash.posted")
	web.Redirect(w, r, exchangePath(web.Lang(r), e.ID)+"#thread")
}

// File serves an attachment to the two cities and the secretariat only.
func (h *Handlers) File(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	fid, ok2 := pathID(r, "file")
	if !ok1 || !ok2 {
		h.Render.NotFound(w, r)
		return
	}
	f, err := h.Store.File(r.Context(), who(web.ViewerFrom(r.Context())), id, fid)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	disp := "inline"
	if f.ContentType == "application/pdf" {
		disp = "attachment"
	}
	hd.Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(f.Name))
	hd.Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.Write(f.Data)
}
