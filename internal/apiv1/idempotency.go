package apiv1

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// keepAnswers is how long the answer to a write with an Idempotency-Key
// is kept.
const keepAnswers = 24 * time.Hour

// Idempotent runs a write of token tokenID once per Idempotency-Key: the
// first request with a key runs and its answer (unless a 5xx, after which
// the key may be tried again) is kept a day; a repeat with the same method,
// path and body gets that answer again (Idempotent-Replayed: true) and
// changes nothing; the key used for another request is refused (422), as
// is a repeat while the first is still running (409). Without the header
// the write just runs.
func Idempotent(w http.ResponseWriter, r *http.Request, rd *web.Renderer, d *db.DB, tokenID int64, body []byte, run func(w http.ResponseWriter)) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || tokenID == 0 {
		run(w)
		return
	}
	if len(key) > 255 {
		Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "Idempotency-Key"})
		return
	}
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.Path + "\n" + string(body)))
	fp := hex.EncodeToString(sum[:])
	ctx := r.Context()
	now := db.Now()
	if _, err := d.W.ExecContext(ctx, `DELETE FROM api_idempotency WHERE created_at < $1`, now.Add(-keepAnswers)); err != nil {
		Internal(w, r, rd, err)
		return
	}
	res, err := d.W.ExecContext(ctx, `INSERT INTO api_idempotency (token_id, key, fingerprint, status, body, created_at)
		VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (token_id, key) DO NOTHING`, tokenID, key, fp, now)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		Internal(w, r, rd, err)
		return
	}
	if n == 0 {
		var oldFP, oldBody string
		var status int
		err := d.W.QueryRowContext(ctx, `SELECT fingerprint, status, body FROM api_idempotency WHERE token_id = $1 AND key = $2`, tokenID, key).Scan(&oldFP, &status, &oldBody)
		switch {
		case errors.Is(err, sql.ErrNoRows): // pruned in between: run it as new
			Idempotent(w, r, rd, d, tokenID, body, run)
		case err != nil:
			Internal(w, r, rd, err)
		case oldFP != fp:
			Fail(w, r, rd, Problem{Status: http.StatusUnprocessableEntity, Code: "idempotency-conflict"})
		case status == 0:
			w.Header().Set("Retry-After", "1")
			Fail(w, r, rd, Problem{Status: http.StatusConflict, Code: "idempotency-in-progress"})
		default:
			ct := "application/json; charset=utf-8"
			if status >= 400 {
				ct = "application/problem+json; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(status)
			w.Write([]byte(oldBody))
		}
		return
	}
	rec := &answer{header: http.Header{}}
	run(rec)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status >= 500 {
		_, err = d.W.ExecContext(ctx, `DELETE FROM api_idempotency WHERE token_id = $1 AND key = $2`, tokenID, key)
	} else {
		_, err = d.W.ExecContext(ctx, `UPDATE api_idempotency SET status = $1, body = $2 WHERE token_id = $3 AND key = $4`,
			rec.status, rec.body.String(), tokenID, key)
	}
	if err != nil {
		rd.Log.Error("keeping the answer to an Idempotency-Key", "request_id", web.RequestID(r), "err", err)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(rec.body.Len()))
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// answer keeps what a handler writes.
type answer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *answer) Header() http.Header { return a.header }
func (a *answer) WriteHeader(s int) {
	if a.status == 0 {
		a.status = s
	}
}
func (a *answer) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	return a.body.Write(b)
}
