package practice

import (
	"context"
	"database/sql"
	"fmt"

	"observatory/internal/db"
	"observatory/internal/search"
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
	ix, err := newIndexer(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	// In pages of ids, so memory stays bounded on a large library.
	for after := int64(0); ; {
		put, last, err := ix.texts(ctx, tx, `p.id > $1 ORDER BY p.id LIMIT 500`, after)
		if err != nil || len(put) == 0 {
			return n, err
		}
		if err := search.InsertFullText(ctx, tx, dl, "practice_fts", put); err != nil {
			return n, err
		}
		n += len(put)
		after = last
	}
}
