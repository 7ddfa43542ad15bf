package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one embedded schema change, NNNN_name.sql.
type Migration struct {
	Version   int
	Name      string
	SQL       string
	AppliedAt *time.Time
}

// migrationLockKey is the PostgreSQL advisory lock that keeps two app
// servers starting together from migrating at the same time.
const migrationLockKey = 7_310_2015

// Migrations lists the engine's migrations in order.
func (d *DB) Migrations() ([]Migration, error) {
	dir := path.Join("migrations", string(d.Engine()))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", name)
		}
		body, err := migrationFiles.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL)`

// Status returns every migration with the time it was applied (nil: pending).
func (d *DB) Status(ctx context.Context) ([]Migration, error) {
	ms, err := d.Migrations()
	if err != nil {
		return nil, err
	}
	if _, err := d.W.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, err
	}
	applied, err := appliedVersions(ctx, d.W)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if t, ok := applied[ms[i].Version]; ok {
			ms[i].AppliedAt = &t
		}
	}
	return ms, nil
}

func appliedVersions(ctx context.Context, q Querier) (map[int]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int]time.Time{}
	for rows.Next() {
		var v int
		var t time.Time
		if err := rows.Scan(&v, &t); err != nil {
			return nil, err
		}
		m[v] = t
	}
	return m, rows.Err()
}

// Migrate applies every pending migration, each in its own transaction.
// It returns how many it applied.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	ms, err := d.Migrations()
	if err != nil {
		return 0, err
	}
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if d.Engine() == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
			return 0, fmt.Errorf("taking the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
	}
	if _, err := conn.ExecContext(ctx, createMigrationsTable); err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		done, err := d.applyOne(ctx, conn, m)
		if err != nil {
			return n, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

// applyOne applies m unless it is already recorded. The check happens inside
// the transaction: on SQLite the transaction holds the write lock (BEGIN
// IMMEDIATE), on PostgreSQL the advisory lock is held, so no migration runs twice.
func (d *DB) applyOne(ctx context.Context, conn *sql.Conn, m Migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var exists int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&exists)
	if err != nil || exists > 0 {
		return false, err
	}
	// Both drivers run a multi-statement text in one Exec without arguments.
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, Now()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
