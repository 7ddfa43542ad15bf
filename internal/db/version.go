package db

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// The data version is one number every write transaction advances (see
// Tx) and every app server on the database reads: what is kept under one
// value (a rendered page) is current as long as the number stays the
// same. On SQLite it is a row updated inside the transaction; on
// PostgreSQL a sequence advanced right after the commit, so writers never
// wait on each other for it. Either way a reader that sees the new value
// sees the committed change.

// bumpVersion advances the data version inside tx (SQLite).
func (d *DB) bumpVersion(ctx context.Context, tx *sql.Tx) error {
	if d.Engine() == Postgres {
		return nil // after the commit: see Tx
	}
	if _, err := tx.ExecContext(ctx, `UPDATE data_version SET value = value + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("advancing the data version: %w", err)
	}
	return nil
}

// changesSoFar returns SQLite's count of rows changed on tx's connection
// (0 on PostgreSQL, which asks the transaction itself; see changedSince).
func (d *DB) changesSoFar(ctx context.Context, tx *sql.Tx) (int64, error) {
	if d.Engine() == Postgres {
		return 0, nil
	}
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the changes before a transaction: %w", err)
	}
	return n, nil
}

// changedSince reports whether tx changed a row: on SQLite the
// connection's count of changed rows moved since before; on PostgreSQL the
// transaction was given an id, which happens at its first change (or row
// lock: then it counts as a change, which is safe).
func (d *DB) changedSince(ctx context.Context, tx *sql.Tx, before int64) (bool, error) {
	if d.Engine() == Postgres {
		var wrote bool
		if err := tx.QueryRowContext(ctx, `SELECT txid_current_if_assigned() IS NOT NULL`).Scan(&wrote); err != nil {
			return false, fmt.Errorf("asking whether a transaction changed anything: %w", err)
		}
		return wrote, nil
	}
	n, err := d.changesSoFar(ctx, tx)
	return n != before, err
}

// afterCommit advances the data version once a transaction has committed
// (PostgreSQL). The change is already stored: the request's end does not
// stop the advance, and a passing failure is tried again.
func (d *DB) afterCommit(ctx context.Context) error {
	if d.Engine() != Postgres {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	var err error
	for try := range 3 {
		if try > 0 {
			time.Sleep(time.Duration(try) * 50 * time.Millisecond)
		}
		if _, err = d.W.ExecContext(ctx, `SELECT nextval('data_version')`); err == nil {
			return nil
		}
	}
	return fmt.Errorf("the change is stored, but the data version could not be advanced: %w", err)
}

// Bump advances the data version for a write made outside Tx (a single
// statement on d.W) that the public can see.
func (d *DB) Bump(ctx context.Context) error {
	if d.Engine() == Postgres {
		return d.afterCommit(ctx)
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE data_version SET value = value + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("advancing the data version: %w", err)
	}
	return nil
}

// readVersion reads the data version from the database, on a connection
// of the read pool kept for it with the statement prepared (the reads
// follow each other, one at a time: see runVersionRead), which spares
// the pool's work on a read made for nearly every request.
func (d *DB) readVersion(ctx context.Context) (int64, error) {
	q := `SELECT value FROM data_version WHERE id = 1`
	if d.Engine() == Postgres {
		q = `SELECT last_value FROM data_version`
	}
	if d.versionStmt == nil {
		conn, err := d.R.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("reading the data version: %w", err)
		}
		st, err := conn.PrepareContext(ctx, q)
		if err != nil {
			conn.Close()
			return 0, fmt.Errorf("reading the data version: %w", err)
		}
		d.versionConn, d.versionStmt = conn, st
	}
	var v int64
	if err := d.versionStmt.QueryRowContext(ctx).Scan(&v); err != nil {
		// Another connection next time: this one may be broken.
		d.closeVersionConn()
		return 0, fmt.Errorf("reading the data version: %w", err)
	}
	return v, nil
}

// closeVersionConn gives the version's connection back to the pool.
func (d *DB) closeVersionConn() {
	if d.versionStmt != nil {
		d.versionStmt.Close()
		d.versionConn.Close()
		d.versionConn, d.versionStmt = nil, nil
	}
}

// DataVersion returns the data version as of this call: every write
// acknowledged before it was called, on any server, is counted. Callers
// that come while a read is under way share the next read, which starts
// as soon as that one is done; under load one statement answers many
// requests. (Spacing the reads a millisecond apart cost kept answers a
// third of their rate at 16 connections: reading one row is cheap.)
func (d *DB) DataVersion(ctx context.Context) (int64, error) {
	d.versionMu.Lock()
	var r *versionRead
	if d.versionNow == nil {
		r = &versionRead{done: make(chan struct{})}
		d.versionNow = r
		d.versionMu.Unlock()
		d.runVersionRead(r)
	} else {
		// The read under way may have started before this call: wait for
		// the one after it.
		if d.versionNext == nil {
			d.versionNext = &versionRead{done: make(chan struct{})}
		}
		r = d.versionNext
		d.versionMu.Unlock()
	}
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// versionRead is one read of the data version that several callers share.
type versionRead struct {
	done chan struct{}
	v    int64
	err  error
}

// runVersionRead reads the version for r, then starts the read that the
// callers who came meanwhile wait for. It first lets the goroutines ready
// to run go ahead: the requests among them come to wait for this read
// rather than the next. (On two cores, that made one read serve three
// requests instead of one, and a kept answer cost a sixth less.)
func (d *DB) runVersionRead(r *versionRead) {
	runtime.Gosched()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	r.v, r.err = d.readVersion(ctx)
	cancel()
	d.versionMu.Lock()
	close(r.done)
	next := d.versionNext
	d.versionNow, d.versionNext = next, nil
	d.versionMu.Unlock()
	if next != nil {
		go d.runVersionRead(next)
	}
}

// versionState is the shared-read state of DataVersion.
type versionState struct {
	versionMu   sync.Mutex
	versionNow  *versionRead // the read under way
	versionNext *versionRead // the read that starts when it is done
	// The connection and statement of the reads: used by the read under
	// way alone.
	versionConn *sql.Conn
	versionStmt *sql.Stmt
}

// stopVersionReads waits for the read under way, if any, and gives its
// connection back, before the database is closed.
func (d *DB) stopVersionReads() {
	for {
		d.versionMu.Lock()
		r := d.versionNow
		if r == nil {
			d.closeVersionConn()
			d.versionMu.Unlock()
			return
		}
		d.versionMu.Unlock()
		<-r.done
	}
}
