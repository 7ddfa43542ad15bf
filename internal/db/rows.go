package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// All runs query on q and scans each row into a new T through the
// destinations scan gives for it; it returns the rows in their order.
func All[T any](ctx context.Context, q Querier, scan func(*T) []any, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(scan(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InIDs is the placeholders $1 … $n of "… IN (…)" for ids, with ids as
// the statement's arguments.
func InIDs(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(marks, ", "), args
}

// InOrder lists the values of byID in the order of ids, leaving out the
// ids it lacks (rows read with InIDs come in any order).
func InOrder[T any](ids []int64, byID map[int64]T) []T {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

// NullID is id as a statement's argument: NULL for 0, no row.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// TimeOf is a nullable time column as a pointer, nil for NULL.
func TimeOf(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}
