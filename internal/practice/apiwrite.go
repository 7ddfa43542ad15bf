package practice

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/web"
)

// Writing through the API: a personal token with the practices:write
// scope creates drafts for its owner's city, edits their working copies
// and submits them for review. Each call goes through the same steps as
// the forms (applyForm, the store's Create, Save and Submit), so the same
// checks, workflow, visibility and audit apply; the audit entry names the
// token.

// apiPracticeIn is the body of POST and PATCH /api/v1/practices…: every
// field may be left out (PATCH keeps its value). language is the source
// language on POST, and on PATCH the language the texts are written in
// (default: the source language); base is the revision an edit starts
// from (default: the current one).
type apiPracticeIn struct {
	Language *string   `json:"language"`
	Base     *int      `json:"base"`
	Title    *string   `json:"title"`
	Summary  *string   `json:"summary"`
	Body     *string   `json:"body"`
	Results  *string   `json:"results"`
	Transfer *string   `json:"transfer"`
	Lessons  *string   `json:"lessons"`
	Themes   *[]string `json:"themes"`
	Groups   *[]string `json:"target_groups"`
	Start    *string   `json:"start"`
	End      *string   `json:"end"`
	Ongoing  *bool     `json:"ongoing"`
	Status   *string   `json:"status"`
	Budget   *string   `json:"budget"`
	Evidence *string   `json:"evidence"`
	Partners *[]string `json:"partners"`
	Funders  *[]string `json:"funders"`
	Contact  *Contact  `json:"contact"`
	Links    *[]Link   `json:"links"`
	Videos   *[]Link   `json:"videos"`
}

// apiWork is a practice as its city's editors see it: the working copy
// and where it stands.
type apiWork struct {
	ID        int64     `json:"id"`
	State     string    `json:"state"`
	Review    string    `json:"review"`
	Revision  int       `json:"revision"`
	City      apiCity   `json:"city"`
	URL       string    `json:"url"`        // the working page
	PublicURL *string   `json:"public_url"` // the public page, once published
	API       string    `json:"api"`
	UpdatedAt time.Time `json:"updated_at"`
	Record    *Record   `json:"record"`
}

// maxBody bounds a write's body.
const maxBody = 256 << 10

// apiWriter checks that the request came with a token that may write
// practices; it answers the request itself when not.
func (h *Handlers) apiWriter(w http.ResponseWriter, r *http.Request) (*web.Viewer, bool) {
	v := web.ViewerFrom(r.Context())
	if v == nil || v.Token == 0 {
		apiv1.Unauthorized(w, r, h.Render)
		return nil, false
	}
	if !v.HasScope(auth.ScopePracticesWrite) || !auth.Can(v, auth.PracticeWriteOwn) {
		h.Log.Warn("forbidden", "request_id", web.RequestID(r), "action", auth.ScopePracticesWrite, "user", v.ID, "token", v.Token)
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusForbidden, Code: "forbidden"})
		return nil, false
	}
	return v, true
}

// readBody reads a bounded JSON body; it answers the request itself when
// it is not one.
func (h *Handlers) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiPracticeIn, bool) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return nil, nil, false
	}
	in := &apiPracticeIn{}
	b, ok := apiv1.Body(w, r, h.Render, maxBody, in)
	return b, in, ok
}

// form lays the body over the form of rec in lang, as if an editor had
// changed those fields and sent the form.
func (in *apiPracticeIn) form(rec *Record, lang string) *web.Form {
	f := formOf(rec, lang)
	v := f.Values
	for field, p := range map[string]*string{"title": in.Title, "summary": in.Summary, "body": in.Body, "results": in.Results,
		"transfer": in.Transfer, "lessons": in.Lessons, "start": in.Start, "end": in.End, "status": in.Status,
		"budget": in.Budget, "evidence": in.Evidence} {
		if p != nil {
			v.Set(field, *p)
		}
	}
	if in.Themes != nil {
		v["theme"] = slices.Clone(*in.Themes)
	}
	if in.Groups != nil {
		v["group"] = slices.Clone(*in.Groups)
	}
	if in.Ongoing != nil {
		v.Del("ongoing")
		if *in.Ongoing {
			v.Set("ongoing", "1")
		}
	}
	for field, p := range map[string]*[]string{"partners": in.Partners, "funders": in.Funders} {
		if p != nil {
			v.Set(field, strings.Join(*p, "\n"))
		}
	}
	if c := in.Contact; c != nil {
		v.Set("contact_name", c.Name)
		v.Set("contact_role", c.Role)
		v.Set("contact_email", c.Email)
		v.Set("contact_phone", c.Phone)
	}
	for field, p := range map[string]*[]Link{"links": in.Links, "videos": in.Videos} {
		if p != nil {
			v.Set(field, linkLines(*p))
		}
	}
	return web.NewForm(url.Values(v))
}

// APICreate is POST /api/v1/practices: a new draft for the token owner's city.
func (h *Handlers) APICreate(w http.ResponseWriter, r *http.Request) {
	v, ok := h.apiWriter(w, r)
	if !ok {
		return
	}
	raw, in, ok := h.readBody(w, r)
	if !ok {
		return
	}
	apiv1.Idempotent(w, r, h.Render, h.Store.DB, v.Token, raw, func(w http.ResponseWriter) {
		lang := ""
		if in.Language != nil {
			lang = *in.Language
		}
		base := &Record{Lang: lang, CityID: v.CityID}
		next := applyForm(base, in.form(base, lang), lang)
		id, err := h.Store.Create(r.Context(), h.actor(r), next)
		if h.apiWriteFailed(w, r, err) {
			return
		}
		h.apiWork(w, r, id, http.StatusCreated)
	})
}

// APIPatch is PATCH /api/v1/practices/{id}: a new revision of the working copy.
func (h *Handlers) APIPatch(w http.ResponseWriter, r *http.Request) {
	v, id, ok := h.apiTarget(w, r)
	if !ok {
		return
	}
	raw, in, ok := h.readBody(w, r)
	if !ok {
		return
	}
	apiv1.Idempotent(w, r, h.Render, h.Store.DB, v.Token, raw, func(w http.ResponseWriter) {
		p, err := h.Store.Work(r.Context(), id)
		if h.apiWriteFailed(w, r, err) {
			return
		}
		lang := p.Head.Lang
		if in.Language != nil {
			if !slices.Contains(ContentLangs, *in.Language) {
				apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusUnprocessableEntity, Code: "validation",
					Errors: []apiv1.FieldError{{Field: "language", Code: "practice.err.language", Detail: h.Render.Catalog.T(apiv1.Lang(r), "practice.err.language")}}})
				return
			}
			lang = *in.Language
		}
		base := p.HeadNumber
		if in.Base != nil {
			base = *in.Base
		}
		next := applyForm(p.Head, in.form(p.Head, lang), lang)
		_, err = h.Store.Save(r.Context(), h.actor(r), id, base, next)
		if h.apiWriteFailed(w, r, err) {
			return
		}
		h.apiWork(w, r, id, http.StatusOK)
	})
}

// APISubmit is POST /api/v1/practices/{id}/submit: the working copy goes to
// the secretariat for review.
func (h *Handlers) APISubmit(w http.ResponseWriter, r *http.Request) {
	v, id, ok := h.apiTarget(w, r)
	if !ok {
		return
	}
	raw, _, ok := h.readBody(w, r)
	if !ok {
		return
	}
	apiv1.Idempotent(w, r, h.Render, h.Store.DB, v.Token, raw, func(w http.ResponseWriter) {
		if h.apiWriteFailed(w, r, h.Store.Submit(r.Context(), h.actor(r), id)) {
			return
		}
		h.apiWork(w, r, id, http.StatusOK)
	})
}

// apiTarget checks the token and that practice {id} is of its city.
func (h *Handlers) apiTarget(w http.ResponseWriter, r *http.Request) (*web.Viewer, int64, bool) {
	v, ok := h.apiWriter(w, r)
	if !ok {
		return nil, 0, false
	}
	id, ok := apiv1.ID(w, r, h.Render, "id")
	if !ok {
		return nil, 0, false
	}
	city, err := h.Store.CityOf(r.Context(), id)
	if h.apiWriteFailed(w, r, err) {
		return nil, 0, false
	}
	if !canWrite(v, city) {
		h.Log.Warn("forbidden", "request_id", web.RequestID(r), "action", auth.ScopePracticesWrite, "user", v.ID, "token", v.Token, "practice", id)
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusForbidden, Code: "forbidden"})
		return nil, 0, false
	}
	return v, id, true
}

// apiWriteFailed answers what stopped a write, if anything.
func (h *Handlers) apiWriteFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var inv *Invalid
	switch {
	case err == nil:
		return false
	case errors.As(err, &inv):
		lang := apiv1.Lang(r)
		p := apiv1.Problem{Status: http.StatusUnprocessableEntity, Code: "validation"}
		for _, x := range inv.Problems {
			p.Errors = append(p.Errors, apiv1.FieldError{Field: x.Field, Code: x.Key, Detail: h.Render.Catalog.T(lang, x.Key)})
		}
		apiv1.Fail(w, r, h.Render, p)
	case errors.Is(err, ErrNotFound):
		apiv1.NotFound(w, r, h.Render)
	case errors.Is(err, ErrConflict):
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusConflict, Code: "conflict"})
	case errors.Is(err, ErrState):
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusConflict, Code: "state"})
	default:
		apiv1.Internal(w, r, h.Render, err)
	}
	return true
}

// apiWork answers the working copy of practice id.
func (h *Handlers) apiWork(w http.ResponseWriter, r *http.Request, id int64, status int) {
	p, err := h.Store.Work(r.Context(), id)
	if h.apiWriteFailed(w, r, err) {
		return
	}
	apiv1.JSON(w, status, h.workAPI(r, p))
}

func (h *Handlers) workAPI(r *http.Request, p *Practice) apiWork {
	lang, base := apiv1.Lang(r), apiv1.Base(r, h.Render)
	out := apiWork{ID: p.ID, State: p.State, Review: p.Review, Revision: p.HeadNumber, UpdatedAt: p.UpdatedAt.UTC(), Record: p.Head,
		City: apiCity{ID: p.City.ID, Slug: p.City.Slug, Name: p.City.In(lang), Country: p.City.Country, Continent: p.City.Continent},
		URL:  base + workPath(lang, p.ID), API: base + "/api/v1/practices/" + strconv.FormatInt(p.ID, 10)}
	if p.State == StatePublished {
		u := base + practicePath(lang, p.ID, p.Slug)
		out.PublicURL = &u
	}
	return out
}

// APIWork is GET /api/v1/practices/{id}/work: the working copy, for a token
// of the practice's city with read:private or practices:write.
func (h *Handlers) APIWork(w http.ResponseWriter, r *http.Request) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	v := web.ViewerFrom(r.Context())
	if v == nil || v.Token == 0 {
		apiv1.Unauthorized(w, r, h.Render)
		return
	}
	id, ok := apiv1.ID(w, r, h.Render, "id")
	if !ok {
		return
	}
	city, err := h.Store.CityOf(r.Context(), id)
	if h.apiWriteFailed(w, r, err) {
		return
	}
	if !v.HasScope(auth.ScopeReadPrivate) && !v.HasScope(auth.ScopePracticesWrite) || !canWrite(v, city) && !canReview(v) {
		apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusForbidden, Code: "forbidden"})
		return
	}
	h.apiWork(w, r, id, http.StatusOK)
}
