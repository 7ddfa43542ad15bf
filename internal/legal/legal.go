// Package legal is what the law asks of the platform: the privacy notice
// and the imprint (written by the secretariat in every language, with a
// default text until then), the contact for personal data, and each
// person's download of everything stored about them and their request to
// erase it, which the secretariat completes with one action.
package legal

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/richtext"
	"observatory/internal/web"
)

//go:embed templates
var templates embed.FS

//go:embed defaults
var defaults embed.FS

// Default is the platform's own text of kind in lang, shown until the
// secretariat writes one.
func Default(kind, lang string) string {
	b, err := defaults.ReadFile("defaults/" + kind + "." + lang + ".md")
	if err != nil {
		b, _ = defaults.ReadFile("defaults/" + kind + "." + i18n.Default + ".md")
	}
	return string(b)
}

// Handlers serves the legal pages, the person's data page and the
// secretariat's pages.
type Handlers struct {
	Store  *Store
	Render *web.Renderer
	Auth   *auth.Handlers
	Log    *slog.Logger
	// Days is how long delegations' personal details are kept after a
	// summit's last day, as the privacy notice states.
	Days int
}

// New builds the capability: parts are every part of the platform that
// keeps personal data, known once all are wired.
func New(d *db.DB, rd *web.Renderer, ah *auth.Handlers, days int, parts func() []web.PersonalData, log *slog.Logger) *Handlers {
	return &Handlers{Store: &Store{DB: d, Parts: parts}, Render: rd, Auth: ah, Log: log, Days: days}
}

// Capability is what the legal pages offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	st := h.Store
	tpl, _ := fs.Sub(templates, "templates")
	return web.Capability{
		Name:         "legal",
		Templates:    tpl,
		Counts:       []web.Count{{Key: "legal.count.open", Path: "/admin/legal", Value: st.CountOpen}},
		Sitemap:      []web.SitemapSource{h.sitemap},
		PersonalData: []web.PersonalData{st.PersonalData()},
	}
}

func (h *Handlers) sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	var out []web.SitemapEntry
	for _, kind := range []string{KindPrivacy, KindImprint} {
		_, at, err := h.Store.Text(ctx, kind)
		if err != nil {
			return nil, err
		}
		e := web.SitemapEntry{Path: "/" + kind}
		if at != nil {
			e.LastMod = *at
		}
		out = append(out, e)
	}
	return out, nil
}

// noticeData is what the privacy notice and the imprint show.
type noticeData struct {
	Kind      string
	Body      template.HTML
	BodyLang  string // set when the text is in another language than the page's
	Edited    bool
	UpdatedAt *time.Time
	Contact   Contact
	Days      int
}

// Privacy is the privacy notice: contact, retention, then the text.
func (h *Handlers) Privacy(w http.ResponseWriter, r *http.Request) { h.notice(w, r, KindPrivacy) }

// Imprint is the imprint: the provider's contact, then the text.
func (h *Handlers) Imprint(w http.ResponseWriter, r *http.Request) { h.notice(w, r, KindImprint) }

func (h *Handlers) notice(w http.ResponseWriter, r *http.Request, kind string) {
	ctx := r.Context()
	text, at, err := h.Store.Text(ctx, kind)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	c, err := h.Store.Contact(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := web.Lang(r)
	d := &noticeData{Kind: kind, Contact: c, Days: h.Days, Edited: !text.Empty(), UpdatedAt: at}
	src := Default(kind, lang)
	if d.Edited {
		res := text.In(lang, i18n.Default)
		src = res.Value
		if res.FellBack {
			d.BodyLang = res.Lang
		}
	}
	d.Body = richtext.Markdown(src)
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("legal." + kind + ".title")
	p.Description = p.T("legal." + kind + ".lead")
	h.Render.HTML(w, r, http.StatusOK, "legal/notice", p)
}

// dataPage is the person's page about their data.
type dataPage struct {
	Open *Request
	Days int
}

// DataPage is where a signed-in person downloads their data and asks for
// its erasure.
func (h *Handlers) DataPage(w http.ResponseWriter, r *http.Request) {
	h.dataPage(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *Handlers) dataPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	v := web.ViewerFrom(r.Context())
	open, err := h.Store.OpenRequest(r.Context(), v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", &dataPage{Open: open, Days: h.Days})
	p.Title = p.T("legal.data.title")
	p.NoIndex = true
	p.Form = f
	h.Render.HTML(w, r, status, "legal/data", p)
}

// download is the file a person downloads.
type download struct {
	Format    string         `json:"format"`
	Generated time.Time      `json:"generated_at"`
	Site      string         `json:"site"`
	Person    web.Person     `json:"person"`
	Parts     map[string]any `json:"data"`
}

// Download sends everything stored about the signed-in person as JSON.
func (h *Handlers) Download(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	p := web.Person{ID: v.ID, Email: strings.ToLower(v.Email), Name: v.Name}
	parts, err := h.Store.Export(r.Context(), p)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	out := download{Format: "observatory-personal-data/1", Generated: h.Store.now(), Site: web.SiteURL(r, h.Render.BaseURL), Person: p, Parts: parts}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="observatory-my-data-`+strconv.FormatInt(v.ID, 10)+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		h.Log.Warn("personal data download", "request_id", web.RequestID(r), "err", err)
	}
}

// RequestErasure records the signed-in person's request to erase their data.
func (h *Handlers) RequestErasure(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	f.MaxLen("reason", maxReason)
	if f.Get("confirm") != "yes" {
		f.Fail("confirm", "legal.err.confirm")
	}
	if !f.Valid() {
		h.dataPage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	switch err := h.Store.RequestErasure(r.Context(), audit.ActorFrom(r), f.Get("reason")); {
	case errors.Is(err, ErrAlreadyRequested):
		f.Fail("confirm", "legal.err.already")
		h.dataPage(w, r, http.StatusConflict, f)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), "legal.data.requested"))
	web.Redirect(w, r, "/"+web.Lang(r)+"/account/data")
}

// adminData is the secretariat's page.
type adminData struct {
	Requests []*Request
	Days     int
	Kinds    []string
	Texts    map[string]*time.Time
}

// Admin is the secretariat's page: the contact, the texts and the
// erasure requests.
func (h *Handlers) Admin(w http.ResponseWriter, r *http.Request) {
	h.adminWithContact(w, r, http.StatusOK)
}

func (h *Handlers) adminWithContact(w http.ResponseWriter, r *http.Request, status int) {
	c, err := h.Store.Contact(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	f := web.NewForm(nil)
	f.Values.Set("controller", c.Controller)
	f.Values.Set("email", c.Email)
	f.Values.Set("dpo_name", c.DPOName)
	f.Values.Set("dpo_email", c.DPOEmail)
	h.admin(w, r, status, f)
}

func (h *Handlers) admin(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	ctx := r.Context()
	reqs, err := h.Store.Requests(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &adminData{Requests: reqs, Days: h.Days, Kinds: []string{KindPrivacy, KindImprint}, Texts: map[string]*time.Time{}}
	for _, kind := range []string{KindPrivacy, KindImprint} {
		_, at, err := h.Store.Text(ctx, kind)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		d.Texts[kind] = at
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("legal.admin.title")
	p.NoIndex = true
	p.Form = f
	h.Render.HTML(w, r, status, "legal/admin", p)
}

// SaveContact saves who to contact about personal data.
func (h *Handlers) SaveContact(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	f.Required("controller", "email")
	for _, name := range []string{"controller", "email", "dpo_name", "dpo_email"} {
		f.MaxLen(name, maxContact)
	}
	for _, name := range []string{"email", "dpo_email"} {
		if v := f.Get(name); v != "" && !auth.ValidEmail(v) {
			f.Fail(name, "legal.err.email")
		}
	}
	if !f.Valid() {
		h.admin(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	c := Contact{Controller: f.Get("controller"), Email: f.Get("email"), DPOName: f.Get("dpo_name"), DPOEmail: f.Get("dpo_email")}
	if err := h.Store.SaveContact(r.Context(), audit.ActorFrom(r), c); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), "legal.saved"))
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/legal")
}

type editData struct {
	Kind  string
	Langs []langField
}

type langField struct{ Code, Name string }

// EditPage is the form for the text of kind in every language; a
// language not written yet starts from the default text.
func (h *Handlers) EditPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		text, _, err := h.Store.Text(r.Context(), kind)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		f := web.NewForm(nil)
		for _, l := range i18n.Langs {
			v := text[l]
			if v == "" {
				v = Default(kind, l)
			}
			f.Values.Set("body_"+l, v)
		}
		h.edit(w, r, http.StatusOK, kind, f)
	}
}

func (h *Handlers) edit(w http.ResponseWriter, r *http.Request, status int, kind string, f *web.Form) {
	d := &editData{Kind: kind}
	for _, l := range i18n.Langs {
		d.Langs = append(d.Langs, langField{l, i18n.LanguageName(web.Lang(r), l)})
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("legal.edit." + kind)
	p.NoIndex = true
	p.Form = f
	h.Render.HTML(w, r, status, "legal/edit", p)
}

// Save saves the text of kind in every language.
func (h *Handlers) Save(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := web.ParseForm(w, r)
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		body := i18n.Text{}
		for _, l := range i18n.Langs {
			f.Required("body_" + l)
			f.MaxLen("body_"+l, maxText)
			body[l] = f.Get("body_" + l)
		}
		if !f.Valid() {
			h.edit(w, r, http.StatusUnprocessableEntity, kind, f)
			return
		}
		if err := h.Store.SaveText(r.Context(), audit.ActorFrom(r), kind, body); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		h.Auth.Flash(r, h.Render.Catalog.T(web.Lang(r), "legal.saved"))
		web.Redirect(w, r, "/"+web.Lang(r)+"/"+kind)
	}
}

// Complete completes one erasure request, after the secretariat confirms.
func (h *Handlers) Complete(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.Render.NotFound(w, r)
		return
	}
	var q *Request
	reqs, err := h.Store.Requests(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, x := range reqs {
		if x.ID == id {
			q = x
		}
	}
	if q == nil {
		h.Render.NotFound(w, r)
		return
	}
	if q.State != StateOpen {
		h.Auth.Flash(r, t("legal.err.not_open"))
		h.adminWithContact(w, r, http.StatusConflict)
		return
	}
	if !h.Render.Confirmed(w, r, web.Confirm{Question: t("legal.complete.question", "Name", q.Name, "Email", q.Email),
		Notes: []string{t("legal.complete.note_erase"), t("legal.complete.note_kept")}, Button: t("legal.complete.button"),
		Back: "/" + lang + "/admin/legal"}) {
		return
	}
	pseudonym, err := h.Store.CompleteErasure(r.Context(), audit.ActorFrom(r), id)
	switch {
	case errors.Is(err, ErrOwnRequest), errors.Is(err, ErrNotOpen), errors.Is(err, ErrNotFound):
		// Nothing changed: the page again, saying why.
		key := "legal.err.not_open"
		if errors.Is(err, ErrOwnRequest) {
			key = "legal.err.own"
		}
		h.Auth.Flash(r, t(key))
		h.adminWithContact(w, r, http.StatusConflict)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, fmt.Errorf("erasure request %d: %w", id, err))
		return
	default:
		h.Auth.Flash(r, t("legal.complete.done", "Pseudonym", pseudonym))
	}
	web.Redirect(w, r, "/"+lang+"/admin/legal")
}
