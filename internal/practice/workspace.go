package practice

import (
	"errors"
	"net/http"
	"strconv"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

type workspaceData struct {
	Secretariat bool
	Archived    bool
	Groups      []workGroup
	CityName    string
	web.LangNames
}

type workGroup struct {
	Key   string // catalog key of the heading
	Items []WorkItem
}

// workFilter is what the workspace lists for v: the review queue and
// every city's practices for the secretariat, else v's city's.
func workFilter(v *web.Viewer, archived bool) WorkFilter {
	f := WorkFilter{Limit: 300}
	if !canReview(v) {
		f.CityID = v.CityID
	}
	if archived {
		f.State = StateArchived
	}
	return f
}

// Workspace lists the practices being worked on: for the secretariat the
// review queue first, for a city's editors their city's practices.
func (h *Handlers) Workspace(w http.ResponseWriter, r *http.Request) {
	v, ok := h.creator(w, r)
	if !ok {
		return
	}
	lang := web.Lang(r)
	d := &workspaceData{Secretariat: canReview(v), Archived: r.URL.Query().Get("state") == StateArchived, LangNames: web.LangNames{PageLang: lang}}
	items, err := h.Store.WorkList(r.Context(), workFilter(v, d.Archived))
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	groups := []workGroup{{Key: "practice.work.submitted"}, {Key: "practice.work.returned"}, {Key: "practice.work.drafts"},
		{Key: "practice.work.changes"}, {Key: "practice.work.published"}}
	if d.Archived {
		groups = []workGroup{{Key: "practice.work.archived"}}
	}
	for _, it := range items {
		i := 0
		switch {
		case d.Archived || it.Review == ReviewSubmitted:
			i = 0
		case it.Review == ReviewReturned:
			i = 1
		case it.State == StateDraft:
			i = 2
		case it.Review == ReviewEditing:
			i = 3
		default:
			i = 4
		}
		groups[i].Items = append(groups[i].Items, it)
	}
	d.Groups = groups
	pg := h.Render.NewPage(r, "", d)
	pg.Title = pg.T("practice.work.title")
	pg.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "practice/work", pg)
}

type termsData struct {
	Themes []Term
	Groups []Term
	Langs  []string
	web.LangNames
	Error string
}

// TermsPage lets the secretariat keep the themes and target groups.
func (h *Handlers) TermsPage(w http.ResponseWriter, r *http.Request) {
	h.renderTerms(w, r, http.StatusOK, web.NewForm(nil), "")
}

func (h *Handlers) renderTerms(w http.ResponseWriter, r *http.Request, status int, f *web.Form, problem string) {
	terms, err := LoadTerms(r.Context(), h.Store.DB.R)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &termsData{Themes: terms.List(KindTheme), Groups: terms.List(KindGroup), Langs: i18n.Langs, LangNames: web.LangNames{PageLang: web.Lang(r)}, Error: problem}
	pg := h.Render.NewPage(r, "", d)
	pg.Title = pg.T("practice.terms.title")
	pg.Form = f
	pg.NoIndex = true
	h.Render.HTML(w, r, status, "practice/terms", pg)
}

// SaveTerm adds a theme or target group, or renames one.
func (h *Handlers) SaveTerm(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	x := Term{Kind: f.Get("kind"), Key: f.Get("key"), Names: i18n.Text{}}
	x.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	x.Position, _ = strconv.Atoi(f.Get("position"))
	for _, l := range i18n.Langs {
		x.Names[l] = f.Get("name_" + l)
	}
	ps, err := h.Store.SaveTerm(r.Context(), h.actor(r), x)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if len(ps) > 0 {
		markProblems(f, ps)
		h.renderTerms(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	h.flash(r, "practice.flash.term_saved")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/practice-terms")
}

// DeleteTerm removes an unused theme or target group once the
// secretariat has confirmed.
func (h *Handlers) DeleteTerm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	terms, err := LoadTerms(r.Context(), h.Store.DB.R)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var term *Term
	for _, kind := range []string{KindTheme, KindGroup} {
		for _, x := range terms.List(kind) {
			if x.ID == id {
				term = &x
			}
		}
	}
	if term == nil {
		h.Render.NotFound(w, r)
		return
	}
	lang := web.Lang(r)
	if !h.Render.Confirmed(w, r, web.Confirm{
		Question: h.Render.Catalog.T(lang, "practice.terms.delete_question."+term.Kind, "Name", term.Name(lang)),
		Notes:    []string{h.Render.Catalog.T(lang, "practice.terms.delete_note")},
		Button:   h.Render.Catalog.T(lang, "practice.terms.delete"),
		Back:     "/" + lang + "/admin/practice-terms",
	}) {
		return
	}
	err = h.Store.DeleteTerm(r.Context(), h.actor(r), id)
	switch {
	case errors.Is(err, ErrNotFound):
		h.Render.NotFound(w, r)
		return
	case errors.Is(err, ErrTermInUse):
		h.renderTerms(w, r, http.StatusConflict, web.NewForm(nil), "practice.err.term_in_use")
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.flash(r, "practice.flash.term_deleted")
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/practice-terms")
}
