package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"observatory/internal/db"
)

// RebuildIndex rebuilds the full-text index of every published practice
// from its published revision, in the caller's transaction: a restore
// loads the tables and then writes the index, which no archive carries
// (FTS5's contentless table cannot be read back). Change numbers stay as
// they are: the index text depends only on the rows, so nothing a reader
// cached goes stale. It returns how many practices it indexed.
func (s *Store) RebuildIndex(ctx context.Context, tx *sql.Tx) (int, error) {
	dl := s.DB.Dialect
	clear := `DELETE FROM practice_fts`
	if dl.Engine == db.SQLite {
		clear = `INSERT INTO practice_fts (practice_fts) VALUES ('delete-all')`
	}
	if _, err := tx.ExecContext(ctx, clear); err != nil {
		return 0, fmt.Errorf("clearing the search index: %w", err)
	}
	terms, err := LoadTerms(ctx, tx)
	if err != nil {
		return 0, err
	}
	cities := map[int64]City{}
	n := 0
	// In pages of ids, so memory stays bounded on a large library.
	for after := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.city_id, r.record FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev
			WHERE p.state = 'published' AND p.id > $1 ORDER BY p.id LIMIT 500`, after)
		if err != nil {
			return n, err
		}
		type entry struct {
			id, city int64
			raw      string
		}
		var page []entry
		for rows.Next() {
			var e entry
			if err := rows.Scan(&e.id, &e.city, &e.raw); err != nil {
				rows.Close()
				return n, err
			}
			page = append(page, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
		if len(page) == 0 {
			return n, nil
		}
		put := make([][]any, 0, len(page))
		for _, e := range page {
			var rec Record
			if err := json.Unmarshal([]byte(e.raw), &rec); err != nil {
				return n, fmt.Errorf("practice %d: published revision: %w", e.id, err)
			}
			city, ok := cities[e.city]
			if !ok {
				if city, err = loadCity(ctx, tx, e.city); err != nil {
					return n, fmt.Errorf("practice %d: city %d: %w", e.id, e.city, err)
				}
				cities[e.city] = city
			}
			put = append(put, []any{e.id, buildDoc(&rec, city, terms).text})
		}
		if err := insertFullText(ctx, tx, dl, "practice_fts", put); err != nil {
			return n, err
		}
		n += len(page)
		after = page[len(page)-1].id
	}
}
