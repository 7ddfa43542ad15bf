// Package db opens the platform's database — SQLite embedded or PostgreSQL —
// behind one *sql.DB type, and runs its migrations.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Engine names the database engine in use.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is the platform's database: W takes every write, R serves reads.
// On SQLite W is a single connection (SQLite has one writer; queuing in Go
// is cheaper than spinning on SQLITE_BUSY) and R is a pool of read-only
// connections. On PostgreSQL both are the same pool.
type DB struct {
	W       *sql.DB
	R       *sql.DB
	Dialect Dialect
	// Target is the DSN without any password, for messages and the dashboard.
	Target string

	prepared sync.Map // query text → *sql.Stmt on R, see ReadRow

	versionState // see DataVersion
}

// Engine reports which engine this database runs on.
func (d *DB) Engine() Engine { return d.Dialect.Engine }

// IsPostgres reports whether a DSN names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL means
// PostgreSQL, anything else is a SQLite file path (its folder is created).
// It checks the connection, so a bad DSN fails here with one clear error.
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWrapped(ctx, dsn, nil) }

// OpenWrapped is Open with every connection made through wrap (when not
// nil), which sits between database/sql and the driver: tests use it to
// count statements.
func OpenWrapped(ctx context.Context, dsn string, wrap func(driver.Connector) driver.Connector) (*DB, error) {
	count := wrap
	if dsn == "" {
		return nil, errors.New("no database given: set --db or OBSERVATORY_DB")
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, count)
	}
	if strings.Contains(dsn, "://") {
		return nil, fmt.Errorf("database %q: only SQLite file paths and postgres:// URLs are supported", dsn)
	}
	return openSQLite(ctx, dsn, count)
}

func openPostgres(ctx context.Context, dsn string, count func(driver.Connector) driver.Connector) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL is not valid: %v", err)
	}
	// A password may also come as ?password=; neither is shown anywhere.
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	target := u.Redacted()
	pool, err := sqlOpen("pgx", dsn, count)
	if err != nil {
		return nil, fmt.Errorf("database %s: %v", target, err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %v", target, firstLine(err))
	}
	return &DB{W: pool, R: pool, Dialect: Dialect{Engine: Postgres}, Target: target}, nil
}

func openSQLite(ctx context.Context, path string, count func(driver.Connector) driver.Connector) (*DB, error) {
	path = strings.TrimPrefix(path, "file:")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the folder for database %s: %v", path, err)
		}
	}
	// busy_timeout first (the driver applies it before the other pragmas),
	// then WAL; synchronous=FULL because an acknowledged write must survive
	// a power cut.
	params := "_busy_timeout=10000&_journal_mode=WAL&_foreign_keys=1&_synchronous=FULL&_time_format=sqlite"
	// The writer keeps statement journals in memory: a statement writing
	// many rows in a large transaction would otherwise spill one to a file.
	w, err := sqlOpen("sqlite", "file:"+path+"?"+params+"&_txlock=immediate&_pragma=temp_store(memory)", count)
	if err != nil {
		return nil, fmt.Errorf("database %s: %v", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := pingBusy(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot open SQLite database %s: %v", path, firstLine(err))
	}
	// Each connection keeps a page cache of its own; the readers' are
	// smaller than SQLite's 2 MB: the operating system caches the file for
	// all of them, and the search index answers what scans many pages.
	r, err := sqlOpen("sqlite", "file:"+path+"?"+params+"&_query_only=1&_pragma=cache_size(-"+strconv.Itoa(readerCacheKB)+")", count)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %v", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{W: w, R: r, Dialect: Dialect{Engine: SQLite}, Target: path}, nil
}

// readerCacheKB is the page cache of each read connection, in KiB.
const readerCacheKB = 512

func ping(ctx context.Context, pool *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return pool.PingContext(ctx)
}

// pingBusy pings a new SQLite database, retrying while another process
// holds the lock: switching a new file to WAL does not wait on busy_timeout.
func pingBusy(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ping(ctx, pool)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// Close closes both pools.
func (d *DB) Close() error {
	d.stopVersionReads()
	err := d.W.Close()
	if d.R != d.W {
		err = errors.Join(err, d.R.Close())
	}
	return err
}

// ReadRow and ReadRows run a read statement that the server runs on nearly
// every request, prepared once on the read pool instead of parsed at each
// call (PostgreSQL's driver caches its statements itself; SQLite's does not).
func (d *DB) ReadRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := d.stmt(ctx, query)
	if err != nil {
		return d.R.QueryRowContext(ctx, query, args...) // the same error, reported by Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// ReadRows is ReadRow for statements that answer several rows.
func (d *DB) ReadRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (d *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := d.prepared.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	p, err := d.R.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, loaded := d.prepared.LoadOrStore(query, p)
	if loaded {
		p.Close()
	}
	return st.(*sql.Stmt), nil
}

// Tx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise. A committed transaction that changed a row
// advances the data version (see DataVersion); one that changed nothing
// (a job finding nothing due) leaves every kept page valid.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return d.tx(ctx, fn, true)
}

// TxPrivate runs fn in one write transaction, as Tx, for rows no public
// answer shows (reset links, the mail outbox): it never advances the data
// version, so it costs the same statements whether it changed a row or
// not, and leaves every kept page valid.
func (d *DB) TxPrivate(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return d.tx(ctx, fn, false)
}

func (d *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error, public bool) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if !public {
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	before, err := d.changesSoFar(ctx, tx)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	changed, err := d.changedSince(ctx, tx, before)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if changed {
		if err := d.bumpVersion(ctx, tx); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	return d.afterCommit(ctx)
}

// Ping checks that both pools answer; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.R.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Now is the time to store: UTC, whole seconds, so that stored times
// compare the same way as text (SQLite) and as timestamps (PostgreSQL).
func Now() time.Time { return time.Now().UTC().Truncate(time.Second) }

// Querier is what both *sql.DB and *sql.Tx offer; stores take it so one
// method serves inside and outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
