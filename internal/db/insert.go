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
	stmt := func(n int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + target + " VALUES ")
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
				b.WriteString(dl.Placeholder(k))
			}
			b.WriteByte(')')
		}
		return b.String()
	}
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
