package practice

import (
	"context"
	"encoding/json"
	"fmt"

	"observatory/internal/db"
)

// ImagesInUse returns the ids of the images named by any revision of any
// practice, published or not: an old revision can be restored, and its
// images must still be there when it is.
func ImagesInUse(ctx context.Context, q db.Querier) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT practice_id, number, record FROM practice_revisions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	used := map[int64]bool{}
	for rows.Next() {
		var pid int64
		var num int
		var raw []byte
		if err := rows.Scan(&pid, &num, &raw); err != nil {
			return nil, err
		}
		var rec struct {
			Images []struct {
				ID int64 `json:"id"`
			} `json:"images"`
		}
		// A record that cannot be read stops the count: guessing would
		// risk deleting an image that it names.
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("practice %d, revision %d: %w", pid, num, err)
		}
		for _, im := range rec.Images {
			used[im.ID] = true
		}
	}
	return used, rows.Err()
}
