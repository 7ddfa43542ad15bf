package practice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"observatory/internal/db"
	"observatory/internal/media"
	"observatory/internal/web"
)

// AddImage stores an uploaded image and adds it to the working copy of
// practice id, as a new revision that goes through review like any change.
func (s *Store) AddImage(ctx context.Context, a Actor, id int64, base int, img *media.Image, caption, credit string) error {
	caption, credit = strings.TrimSpace(caption), strings.TrimSpace(credit)
	if caption == "" || len([]rune(caption)) > maxItem || len([]rune(credit)) > maxItem {
		return &Invalid{[]Problem{{"caption", "practice.err.caption"}}}
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := headFrom(ctx, tx, id, base)
		if err != nil {
			return err
		}
		if len(w.head.Images) >= maxImages {
			return &Invalid{[]Problem{{"photo", "practice.err.too_many_images"}}}
		}
		imageID, err := media.Save(ctx, tx, img)
		if err != nil {
			return err
		}
		rec := clone(&w.head)
		rec.Images = append(rec.Images, Image{ID: imageID, Type: img.ContentType, Key: img.SHA256, Width: img.Width, Height: img.Height, Caption: caption, Credit: credit})
		if err := check(ctx, tx, &rec); err != nil {
			return err
		}
		return s.newHead(ctx, tx, a, w, &rec, "saved", "")
	})
}

// RemoveImage takes the image at index i out of the working copy.
func (s *Store) RemoveImage(ctx context.Context, a Actor, id int64, base, i int) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := headFrom(ctx, tx, id, base)
		if err != nil {
			return err
		}
		if i < 0 || i >= len(w.head.Images) {
			return ErrNotFound
		}
		rec := clone(&w.head)
		rec.Images = slices.Delete(rec.Images, i, i+1)
		return s.newHead(ctx, tx, a, w, &rec, "saved", "")
	})
}

// knownImages keeps the images stored in this installation (an import
// from another one may name images it does not have), each under the key
// it is named by (see media.Known).
func knownImages(ctx context.Context, q db.Querier, lock string, ims []Image) ([]Image, error) {
	var out []Image
	for _, im := range ims {
		typ, ok, err := media.Known(ctx, q, lock, im.ID, im.Key)
		if err != nil {
			return nil, err
		} else if ok {
			im.Type = typ
			out = append(out, im)
		}
	}
	return out, nil
}

// UploadImage adds a photo or sketch to a practice (its editors and the
// secretariat). A refused file changes nothing and the form says why.
func (h *Handlers) UploadImage(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	f, err := media.ParseForm(w, r)
	var img *media.Image
	if err == nil {
		img, err = media.FromForm(r, "photo")
	}
	if err == nil {
		base, _ := strconv.Atoi(f.Get("base"))
		err = h.Store.AddImage(r.Context(), h.actor(r), id, base, img, f.Get("caption"), f.Get("credit"))
	}
	if f == nil {
		f = web.NewForm(nil)
	}
	h.imageChanged(w, r, id, f, err, "practice.flash.image_added")
}

// imageChanged answers a change of a working copy's photos: the edit page
// again with the problem, or back to the photos with flash.
func (h *Handlers) imageChanged(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, err error, flash string) {
	var me *media.Error
	var inv *Invalid
	switch {
	case errors.As(err, &me):
		f.Fail("photo", me.Key)
		h.imageForm(w, r, id, me.Status(), f)
	case errors.As(err, &inv):
		markProblems(f, inv.Problems)
		h.imageForm(w, r, id, http.StatusUnprocessableEntity, f)
	case errors.Is(err, ErrNotFound):
		h.Render.NotFound(w, r)
	case errors.Is(err, ErrConflict):
		f.Fail("photo", "practice.err.conflict")
		h.imageForm(w, r, id, http.StatusConflict, f)
	case errors.Is(err, ErrState):
		h.renderWork(w, r, id, http.StatusConflict, "practice.err.state")
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
	default:
		h.flash(r, flash)
		web.Redirect(w, r, fmt.Sprintf("/%s/practices/%d/edit#images", web.Lang(r), id))
	}
}

// RemoveImage takes a photo out of a practice's working copy.
func (h *Handlers) RemoveImage(w http.ResponseWriter, r *http.Request) {
	id, _, ok := h.workTarget(w, r, "practice.write.own")
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	i, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	base, _ := strconv.Atoi(f.Get("base"))
	err = h.Store.RemoveImage(r.Context(), h.actor(r), id, base, i)
	h.imageChanged(w, r, id, f, err, "practice.flash.image_removed")
}

// imageForm shows the edit page again with the image form's problem.
func (h *Handlers) imageForm(w http.ResponseWriter, r *http.Request, id int64, status int, imgForm *web.Form) {
	p, err := h.Store.Work(r.Context(), id)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := &editData{ID: id, Base: p.HeadNumber, CityName: p.City.In(web.Lang(r)), ImageForm: imgForm}
	h.renderEdit(w, r, status, d, p.Head, p.Head.Lang, formOf(p.Head, p.Head.Lang))
}
