package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"observatory/internal/db"
	"observatory/internal/news"
	"observatory/internal/practice"
	"observatory/internal/voice"
)

// ErrNotEmpty: the database to restore into already holds content.
var ErrNotEmpty = errors.New("the database is not empty")

// corrupt wraps what is wrong with an archive in one sentence.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("the archive is damaged or incomplete: "+format+"; nothing was restored", args...)
}

// ReadHeader reads an archive's first line and checks its format.
func ReadHeader(r io.Reader) (Header, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Header{}, errors.New("the file is not an observatory backup (not gzip-compressed)")
	}
	dec := json.NewDecoder(gz)
	return readHeader(dec)
}

func readHeader(dec *json.Decoder) (Header, error) {
	var h Header
	if err := dec.Decode(&h); err != nil || h.Format != Format {
		return h, errors.New("the file is not an observatory backup (its first line does not name the format)")
	}
	if h.Version != Version {
		return h, fmt.Errorf("the archive is in format version %d; this program reads version %d", h.Version, Version)
	}
	return h, nil
}

// Restore loads an archive into d, which must be new or migrated and
// empty. It migrates d first, checks that the archive's schema version is
// the program's, then loads every table and rebuilds the search index in
// one transaction: a damaged archive or a refusal changes nothing.
func Restore(ctx context.Context, d *db.DB, r io.Reader) (Stats, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Stats{}, errors.New("the file is not an observatory backup (not gzip-compressed)")
	}
	br := bufio.NewReaderSize(gz, 1<<16)
	dec := json.NewDecoder(br)
	dec.UseNumber()
	h, err := readHeader(dec)
	if err != nil {
		return Stats{}, err
	}
	ms, err := d.Migrations()
	if err != nil {
		return Stats{}, err
	}
	if want := ms[len(ms)-1].Version; h.Migration != want {
		return Stats{}, fmt.Errorf("the archive holds schema version %d and this program's schema is version %d: restore it with the release that wrote it", h.Migration, want)
	}
	if _, err := d.Migrate(ctx); err != nil {
		return Stats{}, fmt.Errorf("migrating the database: %w", err)
	}
	var st Stats
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = load(ctx, d, tx, dec)
		if err != nil {
			return err
		}
		// Reading to the end checks the gzip checksum and that nothing follows.
		if dec.More() {
			return corrupt("something follows the closing line")
		}
		if _, err := io.Copy(io.Discard, br); err != nil {
			return corrupt("%v", err)
		}
		if err := syncSequences(ctx, d, tx); err != nil {
			return fmt.Errorf("setting the id sequences: %w", err)
		}
		st.Indexed, err = practice.NewStore(d).RebuildIndex(ctx, tx)
		if err != nil {
			return fmt.Errorf("rebuilding the search index: %w", err)
		}
		if _, err := (&voice.Store{DB: d}).RebuildIndex(ctx, tx); err != nil {
			return fmt.Errorf("rebuilding the ideas' search index: %w", err)
		}
		if _, err := (&news.Store{DB: d}).RebuildIndex(ctx, tx); err != nil {
			return fmt.Errorf("rebuilding the news' search index: %w", err)
		}
		return nil
	})
	return st, err
}

func load(ctx context.Context, d *db.DB, tx *sql.Tx, dec *json.Decoder) (Stats, error) {
	ts, err := tables(ctx, tx, d.Engine())
	if err != nil {
		return Stats{}, err
	}
	byName := map[string]*table{}
	for _, t := range ts {
		byName[t.name] = t
		if seeded[t.name] {
			continue
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+quote(t.name)+` LIMIT 1`).Scan(&one)
		if err == nil {
			return Stats{}, fmt.Errorf("%w: table %s holds rows; restore only into a new database", ErrNotEmpty, t.name)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Stats{}, err
		}
	}
	// The rows the migrations put in a new database give way to the archive's.
	for name := range seeded {
		if _, ok := byName[name]; ok {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+quote(name)); err != nil {
				return Stats{}, err
			}
		}
	}
	if d.Engine() == db.SQLite {
		// Checked at commit instead of per row; the archive's order
		// already puts parents first, this only spares the checks.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return Stats{}, err
		}
	}

	var st Stats
	loaded := map[string]bool{}
	var cur *loader
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return st, corrupt("it ends before its closing line")
			}
			return st, corrupt("%v", err)
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] == '[' {
			if cur == nil {
				return st, corrupt("a row comes before any table")
			}
			var row []any
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			if err := d.Decode(&row); err != nil {
				return st, corrupt("table %s: %v", cur.t.name, err)
			}
			if err := cur.add(ctx, row); err != nil {
				return st, err
			}
			continue
		}
		if cur != nil {
			if err := cur.flush(ctx); err != nil {
				return st, err
			}
			st.Rows += cur.rows
			cur = nil
		}
		var line struct {
			tableLine
			endLine
		}
		if err := json.Unmarshal(raw, &line); err != nil {
			return st, corrupt("%v", err)
		}
		if line.End {
			if line.Tables != st.Tables || line.Rows != st.Rows {
				return st, corrupt("its closing line counts %d tables and %d rows, it holds %d and %d",
					line.Tables, line.Rows, st.Tables, st.Rows)
			}
			return st, nil
		}
		t, ok := byName[line.Table]
		if !ok || loaded[line.Table] {
			return st, corrupt("table %q is unknown or comes twice", line.Table)
		}
		for _, p := range t.parents {
			if _, ok := byName[p]; ok && !loaded[p] {
				return st, corrupt("table %s comes before table %s, which it refers to", t.name, p)
			}
		}
		if cur, err = newLoader(d, tx, t, line.Columns); err != nil {
			return st, err
		}
		loaded[line.Table] = true
		st.Tables++
	}
}

// loader inserts one table's rows, many per statement.
type loader struct {
	d       *db.DB
	tx      *sql.Tx
	t       *table
	columns []string // as the archive lists them
	kinds   []string // the target's kinds, in that order
	perStmt int
	args    []any
	pending int
	rows    int64
}

func newLoader(d *db.DB, tx *sql.Tx, t *table, columns []string) (*loader, error) {
	l := &loader{d: d, tx: tx, t: t, columns: columns}
	if len(columns) != len(t.columns) {
		return nil, fmt.Errorf("table %s: the archive has columns %s, the database %s", t.name,
			strings.Join(columns, ", "), strings.Join(t.columns, ", "))
	}
	for _, c := range columns {
		i := slices.Index(t.columns, c)
		if i < 0 {
			return nil, fmt.Errorf("table %s: the database has no column %s", t.name, c)
		}
		l.kinds = append(l.kinds, t.kinds[i])
	}
	// Bound both the parameters per statement (SQLite allows 32766) and
	// the rows, so large texts do not pile up.
	l.perStmt = max(1, min(200, 4000/len(columns)))
	return l, nil
}

func (l *loader) add(ctx context.Context, row []any) error {
	if len(row) != len(l.columns) {
		return corrupt("table %s: a row has %d values for %d columns", l.t.name, len(row), len(l.columns))
	}
	for i, v := range row {
		x, err := decode(l.kinds[i], v)
		if err != nil {
			return corrupt("table %s, column %s: %v", l.t.name, l.columns[i], err)
		}
		l.args = append(l.args, x)
	}
	l.pending++
	if l.pending >= l.perStmt {
		return l.flush(ctx)
	}
	return nil
}

func (l *loader) flush(ctx context.Context) error {
	if l.pending == 0 {
		return nil
	}
	cols := make([]string, len(l.columns))
	for i, c := range l.columns {
		cols[i] = quote(c)
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + quote(l.t.name) + ` (` + strings.Join(cols, ", ") + `) VALUES `)
	p := 0
	for r := range l.pending {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range l.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			b.WriteString(l.d.Dialect.Placeholder(p))
		}
		b.WriteByte(')')
	}
	if _, err := l.tx.ExecContext(ctx, b.String(), l.args...); err != nil {
		return fmt.Errorf("table %s: %w", l.t.name, err)
	}
	l.rows += int64(l.pending)
	l.pending = 0
	l.args = l.args[:0]
	return nil
}

// syncSequences lets PostgreSQL's generated ids continue after the
// largest restored id. SQLite's INTEGER PRIMARY KEY does so by itself.
func syncSequences(ctx context.Context, d *db.DB, tx *sql.Tx) error {
	if d.Engine() != db.Postgres {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return err
	}
	var cols [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, [2]string{t, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, tc := range cols {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
			(SELECT COALESCE(MAX(`+quote(tc[1])+`), 0) + 1 FROM `+quote(tc[0])+`), false)`, quote(tc[0]), tc[1]); err != nil {
			return fmt.Errorf("%s.%s: %w", tc[0], tc[1], err)
		}
	}
	return nil
}
