package backup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"observatory/internal/db"
)

// Column kinds, the archive's engine-neutral names for column types.
const (
	kindInt   = "int"
	kindFloat = "float"
	kindBool  = "bool"
	kindTime  = "time"
	kindBytes = "bytes"
	kindText  = "text"
)

// skipped are tables an archive leaves out: the migration record (its
// version is in the header instead), the sign-in sessions and attempt
// windows and the answers kept for the API's Idempotency-Keys (a day),
// which only matter to the running servers, and the full-text index,
// rebuilt after a restore.
// windows, which only matter to the running server that wrote them, and
// the full-text index, rebuilt after a restore, and the open-data files.
var skipped = map[string]bool{
	"schema_migrations": true,
	"sessions":          true,
	"login_limits":      true,
	"api_idempotency":   true,
	"api_limits":        true, // the API's requests per address in the current minute
	"practice_fts":      true,
	"voice_idea_fts":    true,
	"news_fts":          true,
	// Change counters that only tell running servers what they may keep
	// (on PostgreSQL the data version is a sequence, not a table).
	"data_version":        true,
	"city_counter":        true,
	"voice_words_version": true, // the moderators' word list's change counter
	"opendata_builds":     true, // the open-data files, built again on demand
}

// seeded are tables the migrations fill: a new database holds their rows,
// and a restore replaces them with the archive's.
var seeded = map[string]bool{
	"practice_terms":   true,
	"practice_counter": true,
	"exchange_counter": true,
	"news_observances": true,
	"legal_contact":    true,
	"news_counter":     true,
}

type table struct {
	name    string
	columns []string
	kinds   []string
	parents []string // tables its foreign keys refer to, itself excluded
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// tables describes every table the archive carries, parents before the
// tables that refer to them, read through q (a transaction).
func tables(ctx context.Context, q db.Querier, engine db.Engine) ([]*table, error) {
	var names []string
	var err error
	if engine == db.Postgres {
		names, err = strings1(ctx, q, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	} else {
		// Virtual tables and their shadow tables (FTS5) are not plain tables.
		names, err = strings1(ctx, q, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
			AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	}
	if err != nil {
		return nil, fmt.Errorf("listing the tables: %w", err)
	}
	byName := map[string]*table{}
	var all []*table
	for _, n := range names {
		if skipped[n] {
			continue
		}
		t := &table{name: n}
		if err := describe(ctx, q, engine, t); err != nil {
			return nil, fmt.Errorf("table %s: %w", n, err)
		}
		byName[n] = t
		all = append(all, t)
	}
	if err := foreignKeys(ctx, q, engine, byName); err != nil {
		return nil, fmt.Errorf("reading the foreign keys: %w", err)
	}
	return order(all)
}

func describe(ctx context.Context, q db.Querier, engine db.Engine, t *table) error {
	query := `SELECT name, type FROM pragma_table_info($1) ORDER BY cid`
	if engine == db.Postgres {
		query = `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
	}
	rows, err := q.QueryContext(ctx, query, t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return err
		}
		t.columns = append(t.columns, name)
		t.kinds = append(t.kinds, kindOf(typ))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(t.columns) == 0 {
		return fmt.Errorf("no columns")
	}
	return nil
}

// kindOf maps a declared SQLite type or a PostgreSQL data_type to a kind.
func kindOf(typ string) string {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "BOOL"):
		return kindBool
	case strings.Contains(t, "TIMESTAMP"), strings.Contains(t, "DATETIME"), t == "DATE":
		return kindTime
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUBLE"), strings.Contains(t, "NUMERIC"):
		return kindFloat
	case strings.Contains(t, "BLOB"), t == "BYTEA":
		return kindBytes
	}
	return kindText
}

func foreignKeys(ctx context.Context, q db.Querier, engine db.Engine, byName map[string]*table) error {
	add := func(child, parent string) {
		t, ok := byName[child]
		if !ok || child == parent || skipped[parent] || slices.Contains(t.parents, parent) {
			return
		}
		t.parents = append(t.parents, parent)
	}
	if engine == db.Postgres {
		rows, err := q.QueryContext(ctx, `SELECT src.relname, dst.relname FROM pg_constraint c
			JOIN pg_class src ON src.oid = c.conrelid
			JOIN pg_class dst ON dst.oid = c.confrelid
			JOIN pg_namespace n ON n.oid = src.relnamespace
			WHERE c.contype = 'f' AND n.nspname = current_schema()`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var child, parent string
			if err := rows.Scan(&child, &parent); err != nil {
				return err
			}
			add(child, parent)
		}
		return rows.Err()
	}
	for name := range byName {
		parents, err := strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, name)
		if err != nil {
			return err
		}
		for _, p := range parents {
			add(name, p)
		}
	}
	return nil
}

// order sorts tables so that every table comes after the tables it refers
// to; among tables free to go, by name, so archives list them alike.
func order(all []*table) ([]*table, error) {
	done := map[string]bool{}
	present := map[string]bool{}
	for _, t := range all {
		present[t.name] = true
	}
	var out []*table
	for len(out) < len(all) {
		progressed := false
		for _, t := range all {
			if done[t.name] {
				continue
			}
			ready := true
			for _, p := range t.parents {
				if present[p] && !done[p] {
					ready = false
					break
				}
			}
			if ready {
				done[t.name] = true
				out = append(out, t)
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, t := range all {
				if !done[t.name] {
					left = append(left, t.name)
				}
			}
			return nil, fmt.Errorf("the foreign keys between tables %s form a cycle", strings.Join(left, ", "))
		}
	}
	return out, nil
}

func strings1(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// schemaVersion is the highest migration the database has applied.
func schemaVersion(ctx context.Context, q db.Querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return int(v.Int64), nil
}
