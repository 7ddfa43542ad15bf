package media

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"observatory/internal/db"
)

// Status is the HTTP status that answers an upload refused for e: 413 for
// a file over the size limit, 422 for any other reason.
func (e *Error) Status() int {
	if e == ErrTooLarge {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}

// Known reports whether image id is stored in this installation under key
// (its SHA-256), as a record imported from elsewhere names it, and its
// content type. An image counts only when its key matches too, so an
// import cannot pull in an image it merely guessed the number of. q is the
// caller's transaction and lock the dialect's row lock (Dialect.ForUpdate),
// so that a prune running at the same time waits for the transaction and
// sees its references.
func Known(ctx context.Context, q db.Querier, lock string, id int64, key string) (string, bool, error) {
	var typ, sum string
	err := q.QueryRowContext(ctx, `SELECT content_type, sha256 FROM images WHERE id = $1`+lock, id).Scan(&typ, &sum)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (key == "" || sum != key) {
		return "", false, nil
	}
	return typ, err == nil, err
}

// InRecords reports the images named inside JSON records, where no foreign
// key can see them (Prune's InUse). query selects, per record, the values
// that name it in an error (written with the format name), then the
// record: a JSON object whose "images" list holds objects with the
// image's "id". A record that cannot be read stops the count: guessing
// would risk deleting an image that it names.
func InRecords(query, name string) InUse {
	return func(ctx context.Context, q db.Querier) (map[int64]bool, error) {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		used := map[int64]bool{}
		for rows.Next() {
			vals := make([]any, len(cols))
			dest := make([]any, len(cols))
			var raw []byte
			for i := range vals {
				dest[i] = &vals[i]
			}
			dest[len(dest)-1] = &raw
			if err := rows.Scan(dest...); err != nil {
				return nil, err
			}
			var rec struct {
				Images []struct {
					ID int64 `json:"id"`
				} `json:"images"`
			}
			if err := json.Unmarshal(raw, &rec); err != nil {
				return nil, fmt.Errorf(name+": %w", append(vals[:len(vals)-1], err)...)
			}
			for _, im := range rec.Images {
				used[im.ID] = true
			}
		}
		return used, rows.Err()
	}
}
