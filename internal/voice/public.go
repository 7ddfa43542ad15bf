package voice

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type listData struct {
	Open, Past []*Consultation
	CanManage  bool
}

// List is /ideas: open and past consultations.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	all, err := h.Store.Consultations(r.Context(), 0)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	now := time.Now().UTC()
	var d listData
	for _, c := range all {
		if now.Before(c.ClosesAt) {
			d.Open = append(d.Open, c)
		} else {
			d.Past = append(d.Past, c)
		}
	}
	v := web.ViewerFrom(r.Context())
	d.CanManage = auth.Can(v, auth.VoiceManageAny) || auth.Can(v, auth.VoiceManageOwn)
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("voice.list.title")
	h.Render.HTML(w, r, http.StatusOK, "voice/list", p)
}

// showData is the consultation page.
type showData struct {
	C         *Consultation
	Question  i18n.Resolved
	Themes    []Theme
	Ideas     []*Idea
	Total     int
	Pager     web.Pager
	Filter    Filter
	Map       template.HTML
	Open      bool
	Stamp     string
	Langs     []string
	AgeGroups []string
	CanManage bool
	CanMod    bool
	EmailOK   bool
	Searched  bool
}

// ThemeName is a theme's name in lang.
func (d *showData) ThemeName(key, lang string) string {
	for _, t := range d.Themes {
		if t.Key == key {
			return t.Names.Get(lang, "en")
		}
	}
	return key
}

// GiveLangs are the languages offered in the form; any other code is accepted too.
var GiveLangs = []string{"de", "en", "fr", "tr", "ar", "pl", "el", "ru", "uk", "zh", "ja", "it", "es"}

// Show is a consultation's page: question, exhibitions, the form and the
// published ideas.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	h.show(w, r, c, web.NewForm(nil), http.StatusOK)
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request, c *Consultation, form *web.Form, status int) {
	ctx := r.Context()
	q := r.URL.Query()
	f := Filter{Consultation: c.ID, Query: strings.TrimSpace(q.Get("q")), Theme: q.Get("theme"), Lang: q.Get("lang"), Sort: q.Get("sort"), Limit: 20}
	f.Venue, _ = strconv.ParseInt(q.Get("venue"), 10, 64)
	if f.Sort != "support" {
		f.Sort = "new"
	}
	page := web.PageNumber(r)
	f.Offset = (page - 1) * f.Limit
	ideas, total, err := h.Store.Published(ctx, f)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	themes, err := h.Store.Themes(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var used []Theme
	for _, t := range themes {
		if c.HasTheme(t.Key) {
			used = append(used, t)
		}
	}
	lang := web.Lang(r)
	v := web.ViewerFrom(ctx)
	d := &showData{C: c, Question: c.Question.In(lang, c.SourceLang), Themes: used, Ideas: ideas, Total: total,
		Pager: web.PagerAt(r, page, f.Limit, total), Filter: f, Open: c.Open(time.Now().UTC()), Stamp: h.formStamp(ctx, time.Now().UTC()),
		Langs: GiveLangs, AgeGroups: AgeGroups, CanManage: mayManage(v, c.CityID), CanMod: mayModerate(v, c.CityID),
		EmailOK: h.BaseURL != "", Searched: f.Query != "" || f.Theme != "" || f.Venue != 0 || f.Lang != ""}
	var pts []geo.Point
	for _, e := range c.Exhibitions {
		if e.Lat != 0 || e.Lon != 0 {
			pts = append(pts, geo.Point{Lat: e.Lat, Lon: e.Lon, Label: e.Venue})
		}
	}
	if len(pts) > 0 {
		d.Map = CityMap(h.Render.Catalog.T(lang, "voice.map", "City", c.CityName), pts)
	}
	p := h.Render.NewPage(r, d.Question.Value, d)
	p.Form = form
	if d.Open {
		// The form carries the time it was shown (see formStamp): no
		// cache may give it to another visitor.
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	h.Render.HTML(w, r, status, "voice/show", p)
}

// Submit takes an idea from the consultation page's form (it works
// without JavaScript: then the idea waits, marked "no proof of work").
func (h *Handlers) Submit(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	form, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	in := GiveInput{Text: form.Values.Get("text"), Lang: form.Get("lang"), Theme: form.Get("theme"), Neighbourhood: form.Get("neighbourhood"),
		AgeGroup: form.Get("age"), Email: form.Get("email"), Channel: ChannelOnline, Altcha: form.Get("altcha"),
		Honeypot: form.Get("website") != "", FillTime: h.fillTime(r.Context(), form.Get("stamp"), time.Now().UTC()),
		IP: web.ClientIP(r), UILang: web.Lang(r)}
	acc, err := h.Give(r.Context(), c, in)
	var ge *GiveError
	if errors.As(err, &ge) {
		form.Fail(ge.Field, ge.Key)
		form.Values.Del("altcha")
		status := http.StatusUnprocessableEntity
		if ge.Key == "voice.err.limit" {
			status = http.StatusTooManyRequests
		}
		h.show(w, r, c, form, status)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.given")
	web.Redirect(w, r, "/"+web.Lang(r)+"/ideas/receipt/"+acc.Receipt)
}

// SubPage serves a consultation's other pages: its moderation charter
// and the exports of its published ideas.
func (h *Handlers) SubPage(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("page") {
	case "charter":
		h.Charter(w, r)
	case "export.csv":
		h.ExportCSV(w, r)
	case "export.json":
		h.ExportJSON(w, r)
	case "report":
		h.Report(w, r)
	default:
		h.Render.NotFound(w, r)
	}
}

type charterData struct {
	C        *Consultation
	Question i18n.Resolved
	Charter  i18n.Resolved
	Reasons  []string
}

// Charter is the consultation's public moderation charter.
func (h *Handlers) Charter(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	lang := web.Lang(r)
	d := charterData{C: c, Question: c.Question.In(lang, c.SourceLang), Charter: c.Charter.In(lang, c.SourceLang), Reasons: Reasons}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("voice.charter.title")
	h.Render.HTML(w, r, http.StatusOK, "voice/charter", p)
}

type receiptData struct {
	I       *Idea
	C       *Consultation
	QR      string
	Charter string
}

// Receipt shows a resident what became of their idea.
func (h *Handlers) Receipt(w http.ResponseWriter, r *http.Request) {
	code := NormalReceipt(r.PathValue("code"))
	if code == "" {
		h.Render.NotFound(w, r)
		return
	}
	i, err := h.Store.ByReceipt(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	c, err := h.Store.Consultation(r.Context(), strconv.FormatInt(i.ConsultationID, 10))
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", receiptData{I: i, C: c, QR: "/ideas/qr/" + i.Receipt})
	p.Title = p.T("voice.receipt.title")
	p.NoIndex = true
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.Render.HTML(w, r, http.StatusOK, "voice/receipt", p)
}

// ReceiptQR is the QR code of a receipt page's address, as PNG.
func (h *Handlers) ReceiptQR(w http.ResponseWriter, r *http.Request) {
	code := NormalReceipt(r.PathValue("code"))
	if code == "" {
		h.Render.NotFound(w, r)
		return
	}
	png, err := qrcode.Encode(web.SiteURL(r, h.BaseURL)+"/"+web.Lang(r)+"/ideas/receipt/"+code, qrcode.Medium, 256)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(png)
}

// DeleteReceipt deletes the idea a receipt names.
func (h *Handlers) DeleteReceipt(w http.ResponseWriter, r *http.Request) {
	code := NormalReceipt(r.PathValue("code"))
	if code == "" {
		h.Render.NotFound(w, r)
		return
	}
	err := h.Store.DeleteByReceipt(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.receipt.deleted")
	web.Redirect(w, r, "/"+web.Lang(r)+"/ideas")
}

// Confirm confirms the e-mail address given with an idea.
func (h *Handlers) Confirm(w http.ResponseWriter, r *http.Request) {
	i, err := h.Store.ConfirmEmail(r.Context(), r.PathValue("token"))
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "voice.email_confirmed")
	web.Redirect(w, r, "/"+web.Lang(r)+"/ideas/receipt/"+i.Receipt)
}

// Support counts the browser's support for a published idea once.
func (h *Handlers) Support(w http.ResponseWriter, r *http.Request) {
	h.residentAction(w, r, func(c *Consultation, idea int64, device, prefix string) (string, error) {
		counted, err := h.Store.Support(r.Context(), c.ID, idea, device, prefix)
		if counted {
			return "voice.supported", err
		}
		return "voice.supported_already", err
	})
}

// ReportIdea records a resident's report of a published idea.
func (h *Handlers) ReportIdea(w http.ResponseWriter, r *http.Request) {
	h.residentAction(w, r, func(c *Consultation, idea int64, device, _ string) (string, error) {
		return "voice.reported", h.Store.Report(r.Context(), c.ID, idea, device)
	})
}

func (h *Handlers) residentAction(w http.ResponseWriter, r *http.Request, do func(c *Consultation, idea int64, device, prefix string) (string, error)) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	id := pathInt(r, "id")
	device, err := h.device(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	prefix, err := h.Store.PrefixHash(r.Context(), web.ClientIP(r), time.Now().UTC())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	msg, err := do(c, id, device, prefix)
	if errors.Is(err, ErrNotFound) || id == 0 {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, msg)
	back := "/" + web.Lang(r) + c.Path()
	if ret := r.FormValue("return"); strings.HasPrefix(ret, "?") {
		back += ret
	}
	web.Redirect(w, r, back+"#idea-"+strconv.FormatInt(id, 10))
}

// CitySection lists the city's consultations on its page.
func (h *Handlers) CitySection(r *http.Request, city int64) (template.HTML, error) {
	list, err := h.Store.Consultations(r.Context(), city)
	if err != nil || len(list) == 0 {
		return "", err
	}
	lang := web.Lang(r)
	cat := h.Render.Catalog
	var b strings.Builder
	b.WriteString(`<section class="voice-city" aria-labelledby="voice-city-title"><h2 id="voice-city-title">` +
		template.HTMLEscapeString(cat.T(lang, "voice.city.title")) + `</h2><ul>`)
	for _, c := range list {
		q := c.Question.In(lang, c.SourceLang)
		b.WriteString(`<li><a href="/` + lang + c.Path() + `"`)
		if q.FellBack {
			b.WriteString(` lang="` + template.HTMLEscapeString(q.Lang) + `"`)
		}
		b.WriteString(`>` + template.HTMLEscapeString(q.Value) + `</a> <span class="small muted">` +
			template.HTMLEscapeString(i18n.Date(lang, c.OpensAt)+" – "+i18n.Date(lang, c.ClosesAt)) + ` · ` +
			template.HTMLEscapeString(cat.T(lang, "voice.count.published", "Count", c.Published)) + `</span></li>`)
	}
	b.WriteString(`</ul></section>`)
	return template.HTML(b.String()), nil
}

// actor is who does a write from r.
func actor(r *http.Request) audit.Actor { return audit.ActorFrom(r) }
