package practice

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

type tab struct {
	Lang    string
	URL     string
	State   string // of the whole text in that language
	Current bool
}

type checkItem struct {
	Key     string
	Label   string
	Checked bool
}

type editData struct {
	New       bool
	ID        int64
	Base      int
	Lang      string // the language being edited
	Source    string // the record's source language
	IsSource  bool
	Rec       *Record
	Tabs      []tab
	AddLangs  []tab // languages without text yet
	Cities    []City
	CityName  string
	Themes    []checkItem
	Groups    []checkItem
	States    map[string]string // field → state of its translation in Lang
	Conflict  bool
	ImageForm *web.Form // the upload form, kept with its problem
	web.LangNames
	Statuses []string
	Budgets  []string
	Evidence []string
	Langs    []string
}

// Ref is the source-language text of a field, shown beside a translation.
func (d *editData) Ref(field string) string { return (*d.Rec.Text(field))[d.Source] }

// NewPage shows the form for a new practice.
func (h *Handlers) NewPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.creator(w, r)
	if !ok {
		return
	}
	rec := &Record{Lang: web.Lang(r), CityID: v.CityID}
	h.renderEdit(w, r, http.StatusOK, &editData{New: true}, rec, rec.Lang, formOf(rec, rec.Lang))
}

// Create stores a new draft from the form.
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) {
	v, ok := h.creator(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	rec := &Record{Lang: f.Get("language"), CityID: v.CityID}
	if canReview(v) {
		rec.CityID, _ = strconv.ParseInt(f.Get("city"), 10, 64)
	} else if !canWrite(v, rec.CityID) {
		h.Auth.Forbidden(w, r, "practice.write.own")
		return
	}
	next := applyForm(&Record{Lang: rec.Lang, CityID: rec.CityID}, f, rec.Lang)
	id, err := h.Store.Create(r.Context(), h.actor(r), next)
	var inv *Invalid
	if errors.As(err, &inv) {
		markProblems(f, inv.Problems)
		h.renderEdit(w, r, http.StatusUnprocessableEntity, &editData{New: true}, &next, next.Lang, f)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "practice.flash.created")
	web.Redirect(w, r, workPath(web.Lang(r), id))
}

// EditPage shows the form for one language of a practice's working copy.
func (h *Handlers) EditPage(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	p, err := h.Store.Work(r.Context(), id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if p.State == StateArchived {
		h.renderWork(w, r, id, http.StatusConflict, "practice.err.state")
		return
	}
	lang := editLang(r.URL.Query().Get("lang"), p.Head)
	h.renderEdit(w, r, http.StatusOK, &editData{ID: id, Base: p.HeadNumber, CityName: p.City.In(web.Lang(r))}, p.Head, lang, formOf(p.Head, lang))
}

func editLang(l string, rec *Record) string {
	if slices.Contains(ContentLangs, l) {
		return l
	}
	return rec.Lang
}

// Edit saves one language of the working copy as a new revision.
func (h *Handlers) Edit(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	p, err := h.Store.Work(ctx, id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := editLang(f.Get("lang"), p.Head)
	base, _ := strconv.Atoi(f.Get("base"))
	next := applyForm(p.Head, f, lang)
	d := &editData{ID: id, Base: base, CityName: p.City.In(web.Lang(r))}
	saved, err := h.Store.Save(ctx, h.actor(r), id, base, next)
	var inv *Invalid
	switch {
	case errors.As(err, &inv):
		markProblems(f, inv.Problems)
		h.renderEdit(w, r, http.StatusUnprocessableEntity, d, p.Head, lang, f)
		return
	case errors.Is(err, ErrConflict):
		d.Conflict, d.Base = true, p.HeadNumber
		h.renderEdit(w, r, http.StatusConflict, d, p.Head, lang, f)
		return
	case errors.Is(err, ErrState):
		h.renderWork(w, r, id, http.StatusConflict, "practice.err.state")
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if saved {
		h.flash(r, "practice.flash.saved")
	} else {
		h.flash(r, "practice.flash.unchanged")
	}
	web.Redirect(w, r, workPath(web.Lang(r), id))
}

func (h *Handlers) renderEdit(w http.ResponseWriter, r *http.Request, status int, d *editData, rec *Record, lang string, f *web.Form) {
	ctx := r.Context()
	pageLang := web.Lang(r)
	terms, err := h.Store.Terms(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d.Rec, d.Lang, d.Source, d.PageLang = rec, lang, rec.Lang, pageLang
	d.IsSource = d.New || lang == rec.Lang
	d.Statuses, d.Budgets, d.Evidence, d.Langs = Statuses, Budgets, EvidenceLevels, ContentLangs
	if d.ImageForm == nil {
		d.ImageForm = web.NewForm(nil)
	}
	if d.New {
		if v := web.ViewerFrom(ctx); canReview(v) {
			if d.Cities, err = h.Store.Cities(ctx, pageLang); err != nil {
				h.Render.Error(w, r, http.StatusInternalServerError, err)
				return
			}
		} else if c, err := loadCity(ctx, h.Store.DB.R, v.CityID); err == nil {
			d.CityName = c.In(pageLang)
		}
	} else {
		for _, l := range ContentLangs {
			t := tab{Lang: l, URL: fmt.Sprintf("/%s/practices/%d/edit?lang=%s", pageLang, d.ID, l), State: rec.LangState(l), Current: l == lang}
			if t.State != "" || t.Current {
				d.Tabs = append(d.Tabs, t)
			} else {
				d.AddLangs = append(d.AddLangs, t)
			}
		}
		d.States = map[string]string{}
		for _, fl := range Fields {
			d.States[fl] = rec.TransState(fl, lang)
		}
	}
	sel := f.Values
	for _, t := range terms.List(KindTheme) {
		d.Themes = append(d.Themes, checkItem{t.Key, t.Name(pageLang), slices.Contains(sel["theme"], t.Key)})
	}
	for _, t := range terms.List(KindGroup) {
		d.Groups = append(d.Groups, checkItem{t.Key, t.Name(pageLang), slices.Contains(sel["group"], t.Key)})
	}
	pg := h.Render.NewPage(r, "", d)
	if d.New {
		pg.Title = pg.T("practice.edit.new_title")
	} else {
		pg.Title = pg.T("practice.edit.title", "Title", rec.Title.Get(pageLang, rec.Lang))
	}
	pg.Form = f
	pg.NoIndex = true
	h.Render.HTML(w, r, status, "practice/edit", pg)
}

// formOf fills the form with a record's values in lang.
func formOf(rec *Record, lang string) *web.Form {
	v := url.Values{}
	for _, f := range Fields {
		v.Set(f, (*rec.Text(f))[lang])
	}
	v.Set("language", rec.Lang)
	v.Set("city", strconv.FormatInt(rec.CityID, 10))
	v["theme"] = slices.Clone(rec.Themes)
	v["group"] = slices.Clone(rec.Groups)
	v.Set("start", rec.Start)
	v.Set("end", rec.End)
	if rec.Ongoing {
		v.Set("ongoing", "1")
	}
	v.Set("status", rec.Status)
	v.Set("budget", rec.Budget)
	v.Set("evidence", rec.Evidence)
	v.Set("partners", strings.Join(rec.Partners, "\n"))
	v.Set("funders", strings.Join(rec.Funders, "\n"))
	v.Set("contact_name", rec.Contact.Name)
	v.Set("contact_role", rec.Contact.Role)
	v.Set("contact_email", rec.Contact.Email)
	v.Set("contact_phone", rec.Contact.Phone)
	v.Set("links", linkLines(rec.Links))
	v.Set("videos", linkLines(rec.Videos))
	return web.NewForm(v)
}

func linkLines(ls []Link) string { return strings.Join(linkStrings(ls), "\n") }

func parseLinks(lines []string) []Link {
	var out []Link
	for _, line := range lines {
		u, label, _ := strings.Cut(line, " ")
		out = append(out, Link{URL: u, Label: strings.TrimSpace(label)})
	}
	return out
}

// clone deep-copies a record.
func clone(r *Record) Record {
	var out Record
	b, _ := json.Marshal(r)
	_ = json.Unmarshal(b, &out)
	return out
}

// applyForm returns old with the form's values for lang. The source
// language's form also carries the fields that are not translated.
func applyForm(old *Record, f *web.Form, lang string) Record {
	rec := clone(old)
	for _, field := range Fields {
		t := rec.Text(field)
		if *t == nil {
			*t = i18n.Text{}
		}
		(*t)[lang] = strings.TrimSpace(strings.ReplaceAll(f.Values.Get(field), "\r\n", "\n"))
	}
	if lang == rec.Lang {
		rec.Themes = f.Values["theme"]
		rec.Groups = f.Values["group"]
		rec.Start, rec.End, rec.Ongoing = f.Get("start"), f.Get("end"), f.Has("ongoing")
		rec.Status, rec.Budget, rec.Evidence = f.Get("status"), f.Get("budget"), f.Get("evidence")
		rec.Partners, rec.Funders = f.Lines("partners"), f.Lines("funders")
		rec.Contact = Contact{Name: f.Get("contact_name"), Role: f.Get("contact_role"), Email: f.Get("contact_email"), Phone: f.Get("contact_phone")}
		rec.Links, rec.Videos = parseLinks(f.Lines("links")), parseLinks(f.Lines("videos"))
	}
	updateTrans(old, &rec, lang, f.Values["confirm"])
	return rec
}

// updateTrans keeps the translation states true after an edit in lang:
// a changed original makes its translations out of date; a translation
// written or confirmed by a person is up to date.
func updateTrans(old, next *Record, lang string, confirmed []string) {
	for _, field := range Fields {
		before := strings.TrimSpace((*old.Text(field))[lang])
		after := (*next.Text(field))[lang]
		if lang == next.Lang {
			if before == after {
				continue
			}
			for l, v := range *next.Text(field) {
				if l != lang && v != "" {
					next.Trans.Set(field, l, Outdated)
				}
			}
			continue
		}
		if after == "" || before != after || slices.Contains(confirmed, field) {
			next.Trans.Set(field, lang, "") // absent means up to date
		}
	}
}

// markProblems puts the store's problems on the form's fields.
func markProblems(f *web.Form, ps []Problem) {
	for _, p := range ps {
		f.Fail(p.Field, p.Key)
	}
}
