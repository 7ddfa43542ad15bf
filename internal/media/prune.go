package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/db"
)

// InUse reports images referred to where no foreign key can see them, such
// as the image lists inside practices' revision records. It runs in the
// pruning transaction.
type InUse func(ctx context.Context, q db.Querier) (map[int64]bool, error)

// PruneResult says what a prune removed (or, in a dry run, would remove).
type PruneResult struct {
	IDs    []int64 // the images deleted, in id order
	Bytes  int64   // their stored size
	Kept   int     // images that stay
	DryRun bool
}

// DefaultPruneAge is how old an unreferenced image must be before it is
// deleted: an upload whose form is still being filled in is never lost.
const DefaultPruneAge = 24 * time.Hour

// Prune deletes the images that nothing refers to and that were stored
// olderThan ago or earlier. Everything happens in one write transaction:
// the old images are locked first (on PostgreSQL; SQLite's writer is
// exclusive), then every reference is collected — each column with a
// foreign key to images, found in the schema so a new one is covered
// without a change here, and whatever inUse reports — and only then are the
// rest deleted. A dry run does the same and rolls back.
func Prune(ctx context.Context, d *db.DB, olderThan time.Duration, dryRun bool, inUse ...InUse) (PruneResult, error) {
	if olderThan < 0 {
		return PruneResult{}, fmt.Errorf("the age must not be negative, got %v", olderThan)
	}
	res := PruneResult{DryRun: dryRun}
	errDry := errors.New("dry run")
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		res = PruneResult{DryRun: dryRun}
		lock := ""
		if d.Engine() == db.Postgres {
			// Locking makes a concurrent upload of the same content wait,
			// and its reference be seen below, or find the row gone and
			// store the image anew.
			lock = " FOR UPDATE"
		}
		cutoff := db.Now().Add(-olderThan)
		rows, err := tx.QueryContext(ctx, `SELECT id, length(data) FROM images WHERE created_at <= $1 ORDER BY id`+lock, cutoff)
		if err != nil {
			return err
		}
		type cand struct{ id, size int64 }
		var old []cand
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.id, &c.size); err != nil {
				rows.Close()
				return err
			}
			old = append(old, c)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		used, err := referenced(ctx, d.Engine(), tx)
		if err != nil {
			return err
		}
		for _, f := range inUse {
			m, err := f(ctx, tx)
			if err != nil {
				return err
			}
			for id := range m {
				used[id] = true
			}
		}
		for _, c := range old {
			if !used[c.id] {
				res.IDs = append(res.IDs, c.id)
				res.Bytes += c.size
			}
		}
		var total int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM images`).Scan(&total); err != nil {
			return err
		}
		res.Kept = total - len(res.IDs)
		if dryRun {
			return errDry
		}
		// A foreign key that still points at an image makes the delete
		// fail and the whole prune roll back: nothing referenced is lost
		// even if a reference was missed above.
		for ids := range slices.Chunk(res.IDs, 500) {
			args := make([]any, len(ids))
			marks := make([]string, len(ids))
			for i, id := range ids {
				args[i] = id
				marks[i] = "$" + strconv.Itoa(i+1)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM images WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err == errDry {
		err = nil
	}
	if err != nil {
		return PruneResult{}, err
	}
	return res, nil
}

// Column is a table column with a foreign key to images.
type Column struct{ Table, Name string }

// ReferringColumns lists every column whose foreign key points at images,
// as the schema of the database in use declares them.
func ReferringColumns(ctx context.Context, engine db.Engine, q db.Querier) ([]Column, error) {
	query := `SELECT m.name, f."from" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'images' ORDER BY 1, 2`
	if engine == db.Postgres {
		// to_regclass resolves images through the search path, so the
		// images table of the schema in use is the one that counts.
		query = `SELECT c.conrelid::regclass::text, quote_ident(a.attname::text) FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.confrelid = to_regclass('images') ORDER BY 1, 2`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Table, &c.Name); err != nil {
			return nil, err
		}
		if engine != db.Postgres { // regclass and quote_ident quote on PostgreSQL
			c.Table, c.Name = quoteIdent(c.Table), quoteIdent(c.Name)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// referenced collects the ids held in every column that refers to images.
func referenced(ctx context.Context, engine db.Engine, q db.Querier) (map[int64]bool, error) {
	cols, err := ReferringColumns(ctx, engine, q)
	if err != nil {
		return nil, fmt.Errorf("reading which tables refer to images: %w", err)
	}
	used := map[int64]bool{}
	for _, c := range cols {
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT `+c.Name+` FROM `+c.Table+` WHERE `+c.Name+` IS NOT NULL`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			used[id] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return used, nil
}
