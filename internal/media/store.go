package media

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// Store keeps images in the images table, one row per distinct content.
type Store struct {
	DB *db.DB
}

// Save stores img (or finds the identical image already stored) in q,
// the caller's transaction, and returns its id.
func Save(ctx context.Context, q db.Querier, img *Image) (int64, error) {
	var id int64
	// DO UPDATE (a no-op) rather than DO NOTHING, so that RETURNING gives
	// the existing row's id on both engines.
	err := q.QueryRowContext(ctx, `INSERT INTO images (sha256, content_type, width, height, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sha256) DO UPDATE SET sha256 = excluded.sha256
		RETURNING id`, img.SHA256, img.ContentType, img.Width, img.Height, img.Data, db.Now()).Scan(&id)
	return id, err
}

// Ext is the file extension that goes with a stored content type.
func Ext(contentType string) string {
	if contentType == "image/png" {
		return "png"
	}
	return "jpg"
}

// URL is where an image is served: /media/{id}-{key}.{ext}, where key is
// the start of the image's SHA-256. The key makes the address unguessable,
// so an image of unpublished work cannot be found by counting ids; the
// content under a URL never changes, so it is cached for good.
func URL(id int64, contentType, sha256 string) string {
	if id == 0 || len(sha256) < keyLen {
		return ""
	}
	return "/media/" + strconv.FormatInt(id, 10) + "-" + sha256[:keyLen] + "." + Ext(contentType)
}

// keyLen hex digits (80 bits) of the SHA-256 are part of an image's address.
const keyLen = 20

// Stored is an image as served.
type Stored struct {
	ID          int64
	SHA256      string
	ContentType string
	Width       int
	Height      int
	Data        []byte
	CreatedAt   time.Time
}

// ErrNotFound: no image with this id.
var ErrNotFound = errors.New("image not found")

// Get returns one image with its bytes.
func (s *Store) Get(ctx context.Context, id int64) (*Stored, error) {
	var im Stored
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, sha256, content_type, width, height, data, created_at FROM images WHERE id = $1`, id).
		Scan(&im.ID, &im.SHA256, &im.ContentType, &im.Width, &im.Height, &im.Data, &im.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &im, err
}

// Serve answers GET /media/{file}, where file is "{id}-{key}.{ext}".
func (s *Store) Serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	ref, ext, ok := strings.Cut(name, ".")
	num, key, ok2 := strings.Cut(ref, "-")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || !ok2 || err != nil || id <= 0 || len(key) != keyLen {
		http.NotFound(w, r)
		return
	}
	im, err := s.Get(r.Context(), id)
	if errors.Is(err, ErrNotFound) || err == nil && (Ext(im.ContentType) != ext || !strings.HasPrefix(im.SHA256, key)) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", im.ContentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+im.SHA256+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	http.ServeContent(w, r, "", im.CreatedAt, bytes.NewReader(im.Data))
}

// ParseForm reads a multipart form with at most one image upload in it,
// so the rest of the form can be checked like any other. A body larger
// than the image limit (plus room for the other fields) gives ErrTooLarge.
func ParseForm(w http.ResponseWriter, r *http.Request) (*web.Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBytes+256<<10)
	err := r.ParseMultipartForm(1 << 20)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, ErrTooLarge
	case errors.Is(err, http.ErrNotMultipart): // a plain form, without a file
		if err := web.CheckValues(r.PostForm); err != nil {
			return nil, err
		}
		return web.NewForm(r.PostForm), nil
	case err != nil:
		return nil, err
	}
	if err := web.CheckValues(r.MultipartForm.Value); err != nil {
		return nil, err
	}
	f := web.NewForm(nil)
	for k, v := range r.MultipartForm.Value {
		f.Values[k] = v
	}
	return f, nil
}

// FromForm processes the file sent in field, after ParseForm.
func FromForm(r *http.Request, field string) (*Image, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, ErrNoFile
	}
	return processHeader(r.MultipartForm.File[field][0])
}

func processHeader(fh *multipart.FileHeader) (*Image, error) {
	if fh.Size > MaxBytes {
		return nil, ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Process(f)
}
