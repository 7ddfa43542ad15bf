// Package backup writes a consistent snapshot of the whole database to a
// portable archive and loads such an archive into an empty database of
// either engine.
//
// An archive is gzip-compressed JSON Lines:
//
//	{"format":"observatory-backup","version":1,"migration":6,"created_at":"…","engine":"sqlite"}
//	{"table":"cities","columns":["id",…],"kinds":["int",…]}
//	[1,"lyon",…]                       one array per row, in the columns' order
//	…
//	{"end":true,"tables":36,"rows":1234}
//
// Values are JSON text, numbers, booleans and null; times are RFC 3339 in
// UTC with nanoseconds, bytes are base64. Tables come parents first, so a
// restore can load them in the archive's order. The closing line lets a
// restore tell a complete archive from a cut one.
//
// Left out: the migration record (the header names the version), sessions
// and sign-in attempts (they only matter to the server that wrote them:
// after a restore everyone signs in again) and the full-text index, which
// a restore rebuilds. The mail outbox is kept whole: mail not yet sent at
// the backup is sent by the restored platform, sent mail stays on record.
// The rows the migrations put in a new database (the starting themes and
// target groups, the change counter) are replaced by the archive's.
package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"observatory/internal/db"
)

// Format and Version name the archive format.
const (
	Format  = "observatory-backup"
	Version = 1
)

// Header is an archive's first line.
type Header struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Migration int    `json:"migration"`
	CreatedAt string `json:"created_at"`
	Engine    string `json:"engine"`
}

type tableLine struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Kinds   []string `json:"kinds"`
}

type endLine struct {
	End    bool  `json:"end"`
	Tables int   `json:"tables"`
	Rows   int64 `json:"rows"`
}

// Stats says what a backup or a restore moved.
type Stats struct {
	Tables int
	Rows   int64
	Bytes  int64 // the archive's size, compressed
	// Indexed is how many practices a restore put in the search index.
	Indexed int
}

// Backup writes the whole database to w, read in one read transaction so
// the archive is one moment's state while the server goes on writing.
func Backup(ctx context.Context, d *db.DB, w io.Writer) (Stats, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.Engine() == db.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := d.R.BeginTx(ctx, opts)
	if err != nil {
		return Stats{}, err
	}
	defer tx.Rollback()
	// On SQLite the snapshot starts with the first read: this one.
	version, err := schemaVersion(ctx, tx)
	if err != nil {
		return Stats{}, err
	}
	ts, err := tables(ctx, tx, d.Engine())
	if err != nil {
		return Stats{}, err
	}

	cw := &countingWriter{w: w}
	gz, err := gzip.NewWriterLevel(cw, gzip.DefaultCompression)
	if err != nil {
		return Stats{}, err
	}
	bw := bufio.NewWriterSize(gz, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	st := Stats{}
	if err := enc.Encode(Header{Format: Format, Version: Version, Migration: version,
		CreatedAt: time.Now().UTC().Format(timeLayout), Engine: string(d.Engine())}); err != nil {
		return st, err
	}
	for _, t := range ts {
		n, err := dumpTable(ctx, tx, enc, t)
		if err != nil {
			return st, fmt.Errorf("table %s: %w", t.name, err)
		}
		st.Tables++
		st.Rows += n
	}
	if err := enc.Encode(endLine{End: true, Tables: st.Tables, Rows: st.Rows}); err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	if err := gz.Close(); err != nil {
		return st, err
	}
	st.Bytes = cw.n
	return st, nil
}

func dumpTable(ctx context.Context, tx *sql.Tx, enc *json.Encoder, t *table) (int64, error) {
	if err := enc.Encode(tableLine{Table: t.name, Columns: t.columns, Kinds: t.kinds}); err != nil {
		return 0, err
	}
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = quote(c)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+quote(t.name))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := make([]any, len(cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if out[i], err = encode(t.kinds[i], v); err != nil {
				return n, fmt.Errorf("column %s: %w", t.columns[i], err)
			}
		}
		if err := enc.Encode(out); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
