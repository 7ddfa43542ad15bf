package practice

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"observatory/internal/auth"
	"observatory/internal/web"
)

// step runs one workflow step on practice {id} for a viewer allowed
// action, then shows the working copy again with a flash, or with what
// stopped the step.
func (h *Handlers) step(action, done string, run func(ctx context.Context, a Actor, id int64, f *web.Form) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, _, ok := h.workTarget(w, r, action)
		if !ok {
			return
		}
		f, err := web.ParseForm(w, r)
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		err = run(r.Context(), h.actor(r), id, f)
		var inv *Invalid
		switch {
		case errors.As(err, &inv):
			problem := "practice.err.incomplete"
			if len(inv.Problems) == 1 && inv.Problems[0].Field == "comment" {
				problem = inv.Problems[0].Key
			}
			h.renderWork(w, r, id, http.StatusUnprocessableEntity, problem, inv.Problems...)
			return
		case errors.Is(err, ErrState):
			h.renderWork(w, r, id, http.StatusConflict, "practice.err.state")
			return
		case errors.Is(err, ErrNotFound):
			h.Render.NotFound(w, r)
			return
		case err != nil:
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		h.flash(r, done)
		web.Redirect(w, r, workPath(web.Lang(r), id))
	}
}

// Submit sends the working copy for review (the city's editors).
func (h *Handlers) Submit() http.HandlerFunc {
	return h.step(auth.PracticeWriteOwn, "practice.flash.submitted", func(ctx context.Context, a Actor, id int64, _ *web.Form) error {
		return h.Store.Submit(ctx, a, id)
	})
}

// Publish makes the working copy public (the secretariat).
func (h *Handlers) Publish() http.HandlerFunc {
	return h.step(auth.PracticeReview, "practice.flash.published", func(ctx context.Context, a Actor, id int64, _ *web.Form) error {
		return h.Store.Publish(ctx, a, id)
	})
}

// Return sends the working copy back with a comment (the secretariat).
func (h *Handlers) Return() http.HandlerFunc {
	return h.step(auth.PracticeReview, "practice.flash.returned", func(ctx context.Context, a Actor, id int64, f *web.Form) error {
		return h.Store.Return(ctx, a, id, f.Values.Get("comment"))
	})
}

// Archive takes a practice out of the library (its editors or the secretariat).
func (h *Handlers) Archive() http.HandlerFunc {
	return h.step(auth.PracticeWriteOwn, "practice.flash.archived", func(ctx context.Context, a Actor, id int64, f *web.Form) error {
		return h.Store.Archive(ctx, a, id, f.Values.Get("reason"))
	})
}

// Unarchive brings an archived practice back (the secretariat).
func (h *Handlers) Unarchive() http.HandlerFunc {
	return h.step(auth.PracticeReview, "practice.flash.unarchived", func(ctx context.Context, a Actor, id int64, _ *web.Form) error {
		return h.Store.Unarchive(ctx, a, id)
	})
}

// Discard drops the pending changes of a published practice.
func (h *Handlers) Discard() http.HandlerFunc {
	return h.step(auth.PracticeWriteOwn, "practice.flash.discarded", func(ctx context.Context, a Actor, id int64, _ *web.Form) error {
		return h.Store.Discard(ctx, a, id)
	})
}

// Restore makes revision {n} the working copy again.
func (h *Handlers) Restore() http.HandlerFunc {
	return h.step(auth.PracticeWriteOwn, "practice.flash.restored", func(ctx context.Context, a Actor, id int64, f *web.Form) error {
		n, err := strconv.Atoi(f.Get("revision"))
		if err != nil {
			return ErrNotFound
		}
		return h.Store.Restore(ctx, a, id, n)
	})
}
