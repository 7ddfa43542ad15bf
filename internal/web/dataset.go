package web

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// Dataset is one table a capability offers to the open-data portal. Its
// rows are public by construction: only what the capability's public pages
// and API show (published, public, consented), never an e-mail address or
// a private person — people appear only in public roles. Translated texts
// go to a long table of their own (id, field, language, value, state)
// rather than a column per language.
type Dataset struct {
	// Name is its file name without extension: lower case, a-z, 0-9 and _.
	Name string
	// Title and Description are catalog keys (in every language).
	Title, Description string
	Columns            []DataColumn
	// State is cheap to ask: how many rows there are and when the newest
	// changed; the portal rebuilds its files when any dataset's state (or
	// the audit log) moves.
	State func(ctx context.Context) (DataState, error)
	// Rows calls row once per public row, in a stable order, with one value
	// per column: nil, string, bool, int, int64, float64 or time.Time.
	Rows func(ctx context.Context, row func(values ...any) error) error
}

// DataColumn is one column: its name, its Frictionless type (string,
// integer, number, boolean, date, datetime, year) and a catalog key that
// says what it means.
type DataColumn struct {
	Name, Type, Description string
}

// DataState is what changes when a dataset's rows may have changed.
type DataState struct {
	Rows     int64
	Modified time.Time
	// Extra is whatever else moves the rows without a change time (a sum
	// of counters such as supports).
	Extra int64
}

// ScanDataState reads a row of "SELECT COUNT(*), CAST(MAX(changed) AS
// TEXT) …" as a dataset's state (the text as either engine writes it).
func ScanDataState(row *sql.Row) (DataState, error) {
	var st DataState
	var last sql.NullString
	err := row.Scan(&st.Rows, &last)
	st.Modified = ParseDBTime(last.String)
	return st, err
}

// ScanDataStateExtra is ScanDataState with a third column, a sum of
// counters, in Extra.
func ScanDataStateExtra(row *sql.Row) (DataState, error) {
	var st DataState
	var last sql.NullString
	var x sql.NullInt64
	err := row.Scan(&st.Rows, &last, &x)
	st.Modified, st.Extra = ParseDBTime(last.String), x.Int64
	return st, err
}

// ParseDBTime reads a timestamp as SQLite or PostgreSQL gives it as text;
// the zero time when it is none of those.
func ParseDBTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999-07",
		"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// TextColumns are the columns of a long table of translated texts: one row
// per thing, field and language.
var TextColumns = []DataColumn{{Name: "id", Type: "integer"}, {Name: "field", Type: "string"},
	{Name: "language", Type: "string"}, {Name: "value", Type: "string"}, {Name: "state", Type: "string"}}

// TextRows writes one field's texts (language → text) as rows of a long
// table, in language order; state is "original" for the source language,
// else what state says for that language ("translation" when state is nil
// or says nothing).
func TextRows(row func(values ...any) error, id int64, field string, texts map[string]string, source string, state map[string]string) error {
	langs := make([]string, 0, len(texts))
	for l, v := range texts {
		if v != "" {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs)
	for _, l := range langs {
		st := state[l]
		switch {
		case l == source:
			st = "original"
		case st == "":
			st = "translation"
		}
		if err := row(id, field, l, texts[l], st); err != nil {
			return err
		}
	}
	return nil
}

// EachRow hands each of rows' n columns to row (text as string) and
// closes rows.
func EachRow(rows *sql.Rows, n int, row func(values ...any) error) error {
	defer rows.Close()
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		out := make([]any, n)
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			out[i] = v
		}
		if err := row(out...); err != nil {
			return err
		}
	}
	return rows.Err()
}
