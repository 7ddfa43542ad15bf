package index

import (
	"context"
	"database/sql"
	"strings"

	"maps"
	"observatory/internal/db"
	"slices"
)

// RelatedTable stores each document's best related documents, so a page
// reads a few rows: Name's columns are (Owner, related_id, score, shared),
// with a unique key on (Owner, related_id); K rows are kept per owner.
type RelatedTable struct {
	Name, Owner string
	K           int
}

func (t RelatedTable) rows(id int64, sims []Similar) [][]any {
	out := make([][]any, 0, len(sims))
	for _, r := range sims {
		out = append(out, []any{id, r.ID, r.Score, strings.Join(r.Shared, " ")})
	}
	return out
}

func (t RelatedTable) insert(ctx context.Context, q db.Querier, d db.Dialect, rows [][]any) error {
	return db.InsertRows(ctx, q, d, t.Name+` (`+t.Owner+`, related_id, score, shared)`, rows)
}

// offer gives each row's related document the row's owner in return
// (the score is symmetric); each keeps its best K.
func (t RelatedTable) offer(ctx context.Context, q db.Querier, rows [][]any) error {
	for _, r := range rows {
		if _, err := q.ExecContext(ctx, `INSERT INTO `+t.Name+` (`+t.Owner+`, related_id, score, shared) VALUES ($1, $2, $3, $4)
			ON CONFLICT (`+t.Owner+`, related_id) DO UPDATE SET score = excluded.score, shared = excluded.shared`, r[1], r[0], r[2], r[3]); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM `+t.Name+` WHERE `+t.Owner+` = $1 AND related_id NOT IN
			(SELECT related_id FROM `+t.Name+` WHERE `+t.Owner+` = $1 ORDER BY score DESC, related_id DESC LIMIT $2)`, r[1], t.K); err != nil {
			return err
		}
	}
	return nil
}

// Save replaces the related documents of id, in the transaction that
// publishes it, and offers id to each of them.
func (t RelatedTable) Save(ctx context.Context, q db.Querier, d db.Dialect, id int64, sims []Similar) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM `+t.Name+` WHERE `+t.Owner+` = $1`, id); err != nil {
		return err
	}
	rows := t.rows(id, sims)
	if err := t.insert(ctx, q, d, rows); err != nil {
		return err
	}
	return t.offer(ctx, q, rows)
}

// SaveAll stores sims[i] as the related documents of ids[i], after a
// bulk load, in a few large transactions. With all set, ids are every
// document and the table is rewritten; else each is offered to its
// related documents as Save does.
func (t RelatedTable) SaveAll(ctx context.Context, d *db.DB, ids []int64, sims [][]Similar, all bool) error {
	const batch = 5000
	for from := 0; from < len(ids); from += batch {
		to := min(from+batch, len(ids))
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if all && from == 0 {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.Name); err != nil {
					return err
				}
			}
			var out [][]any
			for i := from; i < to; i++ {
				if !all {
					if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.Name+` WHERE `+t.Owner+` = $1`, ids[i]); err != nil {
						return err
					}
				}
				out = append(out, t.rows(ids[i], sims[i])...)
			}
			if err := t.insert(ctx, tx, d.Dialect, out); err != nil {
				return err
			}
			if all {
				return nil
			}
			return t.offer(ctx, tx, out)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Profiles reads rows of a group's id and space-separated keys (a city
// and each of its practices' themes) as the weight of each key per group,
// for Cosine.
func Profiles(ctx context.Context, q db.Querier, query string, args ...any) (map[int64]map[string]float64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	profile := map[int64]map[string]float64{}
	for rows.Next() {
		var group int64
		var keys string
		if err := rows.Scan(&group, &keys); err != nil {
			return nil, err
		}
		if profile[group] == nil {
			profile[group] = map[string]float64{}
		}
		for _, k := range strings.Fields(keys) {
			profile[group][k]++
		}
	}
	return profile, rows.Err()
}

// SaveNeighbours replaces the rows of table — columns (group, other,
// score, shared), named by the first two in cols — with near.
func SaveNeighbours(ctx context.Context, q db.Querier, d db.Dialect, table, cols string, near map[int64][]Neighbour) error {
	var out [][]any
	for _, a := range slices.Sorted(maps.Keys(near)) {
		for _, p := range near[a] {
			out = append(out, []any{a, p.ID, p.Score, strings.Join(p.Shared, " ")})
		}
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM `+table); err != nil {
		return err
	}
	return db.InsertRows(ctx, q, d, table+` (`+cols+`, score, shared)`, out)
}
