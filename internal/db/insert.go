package db

import (
	"context"
	"database/sql"
	"strings"
)

// InsertRows inserts rows into target ("table (col, …)") with multi-row
// VALUES of a few hundred parameters, prepared once per shape.
func InsertRows(ctx context.Context, q Querier, dl Dialect, target string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := max(1, 480/width)
	stmt := func(n int) string { return "INSERT INTO " + target + " VALUES " + ValuesList(dl, n, width, nil) }
	args := make([]any, 0, per*width)
	exec := func(query string, chunk [][]any) error {
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		_, err := q.ExecContext(ctx, query, args...)
		return err
	}
	full := len(rows) / per
	if full > 1 {
		if p, ok := q.(interface {
			PrepareContext(context.Context, string) (*sql.Stmt, error)
		}); ok {
			st, err := p.PrepareContext(ctx, stmt(per))
			if err != nil {
				return err
			}
			defer st.Close()
			for i := range full {
				args = args[:0]
				for _, r := range rows[i*per : (i+1)*per] {
					args = append(args, r...)
				}
				if _, err := st.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
			rows = rows[full*per:]
		}
	}
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), per)]
		rows = rows[len(chunk):]
		if err := exec(stmt(len(chunk)), chunk); err != nil {
			return err
		}
	}
	return nil
}

// ValuesList is the VALUES part of a multi-row statement: n rows of width
// parameters, numbered from 1, as "(p1, p2), (p3, p4) …". wrap, when not
// nil, shapes one column's placeholder (a function call around it).
func ValuesList(dl Dialect, n, width int, wrap func(col int, ph string) string) string {
	var b strings.Builder
	k := 0
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			k++
			ph := dl.Placeholder(k)
			if wrap != nil {
				ph = wrap(j, ph)
			}
			b.WriteString(ph)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Chunks splits rows into runs of at most about maxParams parameters each.
func Chunks[T any](rows []T, width, maxParams int) [][]T {
	per := max(1, maxParams/max(1, width))
	var out [][]T
	for len(rows) > 0 {
		n := min(len(rows), per)
		out = append(out, rows[:n])
		rows = rows[n:]
	}
	return out
}
