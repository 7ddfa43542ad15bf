package search

import (
	"context"
	"fmt"
	"strings"

	"observatory/internal/db"
)

// A full-text index holds IndexText per row id. The migration creates it
// under one name on both engines:
//
//	SQLite:     CREATE VIRTUAL TABLE name USING fts5(body, content='', contentless_delete=1,
//	            tokenize='unicode61 remove_diacritics 2')
//	PostgreSQL: CREATE TABLE name (id BIGINT PRIMARY KEY, vec tsvector NOT NULL)
//	            plus a GIN index on vec
//
// Stemming happened in Go, so both engines only split on spaces and find
// the same rows; these functions write the few statements that differ.

// FullTextPut is the statement storing the index text $2 for id $1 (the
// row must not be in the index yet: delete it first when it changes).
func FullTextPut(d db.Dialect, index string) string {
	if d.Engine == db.Postgres {
		return `INSERT INTO ` + index + ` (id, vec) VALUES ($1, to_tsvector('simple', $2))`
	}
	return `INSERT INTO ` + index + ` (rowid, body) VALUES ($1, $2)`
}

// FullTextPutRows is the statement adding n documents at once: parameters
// id, text for each in turn.
func FullTextPutRows(d db.Dialect, index string, n int) string {
	if d.Engine == db.Postgres {
		return `INSERT INTO ` + index + ` (id, vec) VALUES ` + db.ValuesList(d, n, 2, func(col int, ph string) string {
			if col == 1 {
				return "to_tsvector('simple', " + ph + ")"
			}
			return ph
		})
	}
	return `INSERT INTO ` + index + ` (rowid, body) VALUES ` + db.ValuesList(d, n, 2, nil)
}

// FullTextDelete is the statement removing id $1 from the index.
func FullTextDelete(d db.Dialect, index string) string {
	if d.Engine == db.Postgres {
		return `DELETE FROM ` + index + ` WHERE id = $1`
	}
	return `DELETE FROM ` + index + ` WHERE rowid = $1`
}

// FullTextDeleteIn is the statement removing the ids a subquery selects.
func FullTextDeleteIn(d db.Dialect, index, ids string) string {
	if d.Engine == db.Postgres {
		return `DELETE FROM ` + index + ` WHERE id IN (` + ids + `)`
	}
	return `DELETE FROM ` + index + ` WHERE rowid IN (` + ids + `)`
}

// FullTextIDs is a statement answering one row with one text column: the
// comma-separated ids whose text matches the expression $1 (from
// FullTextExpr), in no particular order, or NULL when none do. One row
// instead of thousands keeps a common word's hit list cheap to read.
func FullTextIDs(d db.Dialect, index string) string {
	if d.Engine == db.Postgres {
		return `SELECT string_agg(id::text, ',') FROM ` + index + ` WHERE vec @@ to_tsquery('simple', $1)`
	}
	return `SELECT group_concat(rowid) FROM ` + index + ` WHERE ` + index + ` MATCH $1`
}

// FullTextWordIDs is a statement answering, for the rows whose id lies in
// [$1, $2), each word of their entries with the comma-separated ids that
// hold it, in no particular order. Reading a range of rows once gives the
// lists of a whole vocabulary, where FullTextIDs per word visits a common
// word's rows again for every word: on PostgreSQL a word in a tenth of
// 100,000 rows reads 8,000 pages of the table. "" on SQLite, whose index
// answers each word's list from the index alone.
func FullTextWordIDs(d db.Dialect, index string) string {
	if d.Engine != db.Postgres {
		return ""
	}
	return `SELECT w, string_agg(id::text, ',') FROM ` + index + `, unnest(tsvector_to_array(vec)) w
		WHERE id >= $1 AND id < $2 GROUP BY w`
}

// FullTextExpr is q in the engine's syntax, for FullTextIDs. A query with
// only exclusions ("-parking") gives the expression of what it excludes
// and negate=true: the caller takes every row except those ids. An empty
// query gives "".
func FullTextExpr(d db.Dialect, q Query) (expr string, negate bool) {
	switch {
	case q.Empty():
		return "", false
	case !q.HasPositive() && d.Engine == db.Postgres:
		return q.ExcludedTSQuery(), true
	case !q.HasPositive():
		return q.ExcludedFTS5(), true
	case d.Engine == db.Postgres:
		return q.TSQuery(), false
	}
	return q.FTS5(), false
}

// FullTextIDsAmong is FullTextIDs restricted to the ids in $2, a JSON
// array: it tells which of a few rows match without reading every match.
func FullTextIDsAmong(d db.Dialect, index string) string {
	if d.Engine == db.Postgres {
		return `SELECT string_agg(id::text, ',') FROM ` + index + ` WHERE id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)
			AND vec @@ to_tsquery('simple', $1)`
	}
	return `SELECT group_concat(rowid) FROM ` + index + ` WHERE ` + index + ` MATCH $1 AND rowid IN (SELECT value FROM json_each($2))`
}

// InsertFullText stores many index texts (rows of id and text) with few
// statements.
func InsertFullText(ctx context.Context, q db.Querier, d db.Dialect, index string, rows [][]any) error {
	if d.Engine == db.Postgres {
		// to_tsvector per value: a multi-row VALUES with the function around each text.
		for len(rows) > 0 {
			chunk := rows[:min(len(rows), 500)]
			rows = rows[len(chunk):]
			var b strings.Builder
			args := make([]any, 0, 2*len(chunk))
			b.WriteString("INSERT INTO " + index + " (id, vec) VALUES ")
			for i, r := range chunk {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "($%d, to_tsvector('simple', $%d))", 2*i+1, 2*i+2)
				args = append(args, r...)
			}
			if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
				return err
			}
		}
		return nil
	}
	return db.InsertRows(ctx, q, d, index+" (rowid, body)", rows)
}

// ReplaceFullText stores text as id's entry in index, in place of any.
func ReplaceFullText(ctx context.Context, q db.Querier, d db.Dialect, index string, id int64, text string) error {
	if _, err := q.ExecContext(ctx, FullTextDelete(d, index), id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, FullTextPut(d, index), id, text)
	return err
}

// RebuildFullText empties index and fills it again, a page at a time so
// memory stays bounded: next returns the rows (id, text) that come after
// the id after, and the last id; no rows end it. It returns how many rows
// it wrote. A restore needs it: no archive carries the index (FTS5's
// contentless table cannot be read back).
func RebuildFullText(ctx context.Context, q db.Querier, d db.Dialect, index string, next func(after int64) ([][]any, int64, error)) (int, error) {
	clear := `DELETE FROM ` + index
	if d.Engine == db.SQLite {
		clear = `INSERT INTO ` + index + ` (` + index + `) VALUES ('delete-all')`
	}
	if _, err := q.ExecContext(ctx, clear); err != nil {
		return 0, fmt.Errorf("clearing the search index: %w", err)
	}
	n := 0
	for after := int64(0); ; {
		rows, last, err := next(after)
		if err != nil || len(rows) == 0 {
			return n, err
		}
		if err := InsertFullText(ctx, q, d, index, rows); err != nil {
			return n, err
		}
		n += len(rows)
		after = last
	}
}

// Text collects what a document's entry in the full-text index holds: the
// index text (IndexText) of each of its texts, in its language.
type Text struct{ parts []string }

// Add adds s, written in lang ("" when it is a name in no language).
func (t *Text) Add(s, lang string) {
	if x := IndexText(s, lang); x != "" {
		t.parts = append(t.parts, x)
	}
}

// AddAll adds a text in each of its languages.
func (t *Text) AddAll(texts map[string]string) {
	for l, s := range texts {
		t.Add(s, l)
	}
}

// String is the entry's text.
func (t *Text) String() string { return strings.Join(t.parts, " ") }
