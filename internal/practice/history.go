package practice

import (
	"errors"
	"net/http"
	"strconv"

	"observatory/internal/web"
)

type historyData struct {
	P         *Practice
	Title     string
	Revisions []Revision
	Events    []Event
	web.LangNames
}

// History lists a practice's versions and workflow steps.
func (h *Handlers) History(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	ctx := r.Context()
	p, err := h.Store.Work(ctx, id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &historyData{P: p, Title: p.Head.Title.Get(web.Lang(r), p.Head.Lang), LangNames: web.LangNames{PageLang: web.Lang(r)}}
	if d.Revisions, err = h.Store.Revisions(ctx, id); err == nil {
		d.Events, err = h.Store.Events(ctx, id)
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	pg := h.Render.NewPage(r, "", d)
	pg.Title = pg.T("practice.history.title", "Title", d.Title)
	pg.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "practice/history", pg)
}

type diffData struct {
	P       *Practice
	Title   string
	Cur     *Revision
	Prev    *Revision
	Changes []Change
	web.LangNames
}

// Diff shows what revision {n} changed, readably, with a way to restore it.
func (h *Handlers) Diff(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	ctx := r.Context()
	p, err := h.Store.Work(ctx, id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	cur, prev, err := h.Store.RevisionPair(ctx, id, n)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	terms, err := h.Store.Terms(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := web.Lang(r)
	d := &diffData{P: p, Title: p.Head.Title.Get(lang, p.Head.Lang), Cur: cur, Prev: prev, LangNames: web.LangNames{PageLang: lang}}
	var before *Record
	if prev != nil {
		before = prev.Record
	}
	d.Changes = Compare(before, cur.Record, terms, lang)
	pg := h.Render.NewPage(r, "", d)
	pg.Title = pg.T("practice.diff.title", "Number", n, "Title", d.Title)
	pg.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "practice/diff", pg)
}
