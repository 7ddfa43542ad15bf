package practice

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"observatory/internal/i18n"
	"observatory/internal/richtext"
	"observatory/internal/search/index"
	"observatory/internal/web"
)

// shown is one translatable field as a page shows it.
type shown struct {
	Text     string
	HTML     template.HTML // rendered Markdown, for the long fields
	Lang     string
	FellBack bool
	State    string // Original, Translated or Outdated
}

type section struct {
	Field    string
	TitleKey string
	shown
}

type version struct {
	Lang    string
	URL     string
	State   string // of the whole text: original, translated, partial, outdated
	Current bool
}

type termLink struct {
	Label string
	URL   string
}

type viewData struct {
	P         *Practice
	R         *Record
	Work      bool   // the working copy is shown
	TextLang  string // the language asked for
	Title     shown
	Summary   shown
	Sections  []section
	FellBack  []string // languages shown instead of TextLang
	Outdated  bool     // a shown translation is older than the original
	Versions  []version
	Themes    []termLink
	Groups    []termLink
	Related   []RelatedItem
	Videos    []richtext.Video
	CanEdit   bool
	CanReview bool
	Comment   string    // the secretariat's comment, when returned
	Problem   string    // catalog key of a refused step
	Missing   []Problem // what a submission still lacks
	Terms     *Terms
	Print     bool
	web.LangNames
	Address string          // the page's full address, printed on paper
	Extra   []template.HTML // other capabilities' sections
}

// When formats a stored date with its precision: "2019", "May 2019", "2 May 2019".
func (d *viewData) When(s string) string { return i18n.PartialDate(d.PageLang, s) }

// resolve picks a field's text for a reader of lang.
func resolve(rec *Record, field, lang string) shown {
	res := rec.Text(field).In(lang, rec.Lang)
	s := shown{Text: res.Value, Lang: res.Lang, FellBack: res.FellBack && res.Value != "", State: rec.TransState(field, res.Lang)}
	if markdownFields[field] && s.Text != "" {
		s.HTML = richtext.Markdown(s.Text)
	}
	return s
}

var sectionKeys = map[string]string{"body": "practice.field.body", "results": "practice.field.results",
	"transfer": "practice.field.transfer", "lessons": "practice.field.lessons"}

// build fills the parts of viewData that come from the record.
func (d *viewData) build(rec *Record, terms *Terms, lang, textLang, base string) {
	d.R, d.Terms, d.TextLang, d.PageLang = rec, terms, textLang, lang
	d.Title = resolve(rec, "title", textLang)
	d.Summary = resolve(rec, "summary", textLang)
	fell := map[string]bool{}
	note := func(s shown) {
		if s.FellBack {
			fell[s.Lang] = true
		}
		if s.State == Outdated {
			d.Outdated = true
		}
	}
	note(d.Title)
	note(d.Summary)
	for _, f := range Fields[2:] {
		s := resolve(rec, f, textLang)
		if s.Text == "" {
			continue
		}
		note(s)
		d.Sections = append(d.Sections, section{Field: f, TitleKey: sectionKeys[f], shown: s})
	}
	for _, l := range ContentLangs {
		if fell[l] {
			d.FellBack = append(d.FellBack, l)
		}
	}
	for _, l := range rec.Langs() {
		u := base
		if l != lang {
			u += "?text=" + l
		}
		d.Versions = append(d.Versions, version{Lang: l, URL: u, State: rec.LangState(l), Current: l == d.Title.Lang})
	}
	list := "/" + lang + "/practices"
	for _, k := range rec.Themes {
		d.Themes = append(d.Themes, termLink{Label: terms.Name(KindTheme, k, lang), URL: list + "?theme=" + url.QueryEscape(k)})
	}
	for _, k := range rec.Groups {
		d.Groups = append(d.Groups, termLink{Label: terms.Name(KindGroup, k, lang), URL: list + "?group=" + url.QueryEscape(k)})
	}
	for _, v := range rec.Videos {
		d.Videos = append(d.Videos, richtext.VideoOf(v.URL, v.Label))
	}
}

// textLang is the content language asked for with ?text=, else the page's.
func textLang(r *http.Request) string {
	if l := r.URL.Query().Get("text"); slices.Contains(ContentLangs, l) {
		return l
	}
	return web.Lang(r)
}

// Show is a published practice's public page; Print is the same page laid
// out for paper.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request)  { h.show(w, r, false) }
func (h *Handlers) Print(w http.ResponseWriter, r *http.Request) { h.show(w, r, true) }

func (h *Handlers) show(w http.ResponseWriter, r *http.Request, print bool) {
	n, err := h.Store.index.Current(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.render(w, r, n, print)
}

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, n *index.Snapshot, print bool) {
	ctx := r.Context()
	lang := web.Lang(r)
	id, slug, ok := web.PathRef(r, "ref")
	if !ok {
		h.Render.NotFound(w, r)
		return
	}
	p, err := h.Store.Public(ctx, id)
	if errors.Is(err, ErrNotFound) {
		// Whoever may work on an unpublished practice is taken to its working copy.
		v := web.ViewerFrom(ctx)
		if city, err := h.Store.CityOf(ctx, id); err == nil && canWrite(v, city) {
			http.Redirect(w, r, workPath(lang, id), http.StatusSeeOther)
			return
		}
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if slug != p.Slug {
		// Titles change; old addresses keep working.
		u := practicePath(lang, id, p.Slug)
		if print {
			u += "/print"
		}
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return
	}
	v := web.ViewerFrom(ctx)
	d := &viewData{P: p, CanEdit: canWrite(v, p.City.ID), CanReview: canReview(v), Print: print}
	d.build(p.Pub, info(n).terms, lang, textLang(r), practicePath(lang, id, p.Slug))
	d.Address = h.absolute(r, practicePath(lang, id, p.Slug))
	if !print {
		if d.Related, err = h.Store.Related(ctx, id, lang); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		for _, s := range h.Sections {
			html, err := s.Render(r, id, p.City.ID)
			if err != nil {
				h.Render.Error(w, r, http.StatusInternalServerError, err)
				return
			}
			if html != "" {
				d.Extra = append(d.Extra, html)
			}
		}
	}
	if d.CanEdit {
		// Editors learn whether changes wait for review.
		if wp, err := h.Store.Work(ctx, id); err == nil {
			p.Review = wp.Review
		}
	}
	pg := h.Render.NewPage(r, d.Title.Text, d)
	richtext.AllowFrames(w, d.Videos)
	name := "practice/show"
	if print {
		name = "practice/print"
		pg.NoIndex = true
	}
	h.Render.HTML(w, r, http.StatusOK, name, pg)
}

// Work shows the working copy to its city's editors and the secretariat,
// with the workflow's next steps.
func (h *Handlers) Work(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	h.renderWork(w, r, id, http.StatusOK, "")
}

func (h *Handlers) renderWork(w http.ResponseWriter, r *http.Request, id int64, status int, problem string, missing ...Problem) {
	ctx := r.Context()
	lang := web.Lang(r)
	p, err := h.Store.Work(ctx, id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	terms, err := h.Store.Terms(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	v := web.ViewerFrom(ctx)
	d := &viewData{P: p, Work: true, CanEdit: canWrite(v, p.City.ID), CanReview: canReview(v), Problem: problem, Missing: missing}
	d.build(p.Head, terms, lang, textLang(r), workPath(lang, id))
	if p.Review == ReviewReturned {
		if d.Comment, err = h.Store.LastComment(ctx, id); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	if len(missing) == 0 && p.Review != ReviewNone {
		d.Missing = p.Head.Complete()
	}
	pg := h.Render.NewPage(r, d.Title.Text, d)
	pg.NoIndex = true
	richtext.AllowFrames(w, d.Videos)
	h.Render.HTML(w, r, status, "practice/show", pg)
}
