package practice

import (
	"context"
	"database/sql"

	"observatory/internal/search"
)

// RebuildIndex rebuilds the full-text index of every published practice
// from its published revision, in the caller's transaction: a restore
// loads the tables and then writes the index, which no archive carries
// (FTS5's contentless table cannot be read back). Change numbers stay as
// they are: the index text depends only on the rows, so nothing a reader
// cached goes stale. It returns how many practices it indexed.
func (s *Store) RebuildIndex(ctx context.Context, tx *sql.Tx) (int, error) {
	ix, err := newIndexer(ctx, tx)
	if err != nil {
		return 0, err
	}
	return search.RebuildFullText(ctx, tx, s.DB.Dialect, "practice_fts", func(after int64) ([][]any, int64, error) {
		return ix.texts(ctx, tx, `p.id > $1 ORDER BY p.id LIMIT 500`, after)
	})
}
