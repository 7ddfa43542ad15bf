// Package jobs runs the capabilities' background work. A job marked Once
// runs on one app server at a time across every server sharing the
// database: before each run the server takes the job's lease, a row in
// job_leases, with one conditional statement that at most one server can
// win.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// Runner runs jobs on one server.
type Runner struct {
	DB  *db.DB
	Log *slog.Logger
	// Holder names this server in the lease table; random when empty.
	Holder string
}

// Start runs every job in its own goroutine until ctx ends: once at once,
// then every job.Every (a job without Every runs only the once).
func (rn *Runner) Start(ctx context.Context, js []web.Job) {
	if rn.Holder == "" {
		rn.Holder = NewHolder()
	}
	for _, j := range js {
		go rn.loop(ctx, j)
	}
}

func (rn *Runner) loop(ctx context.Context, j web.Job) {
	if j.Every <= 0 {
		if err := rn.RunOnce(ctx, j); err != nil && ctx.Err() == nil {
			rn.Log.Warn("background job", "job", j.Name, "err", err)
		}
		return
	}
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		if err := rn.RunOnce(ctx, j); err != nil && ctx.Err() == nil {
			rn.Log.Warn("background job", "job", j.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs j now, if its lease (for Once jobs) can be had.
func (rn *Runner) RunOnce(ctx context.Context, j web.Job) error {
	if j.Once {
		ok, err := rn.lease(ctx, j)
		if err != nil || !ok {
			return err
		}
	}
	return j.Run(ctx)
}

// lease takes j's lease for one period (see Lease).
func (rn *Runner) lease(ctx context.Context, j web.Job) (bool, error) {
	return Lease(ctx, rn.DB, rn.Holder, j)
}

// NewHolder is a new server's name in the lease table.
func NewHolder() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Lease takes job j's lease for holder for one period (the previous
// holder's has ended, or it is holder's): the lock a Once job's run takes,
// for work outside the runner that must not run on two servers at once
// (a build a visitor starts). A server that dies mid-run holds it at most
// one period.
func Lease(ctx context.Context, d *db.DB, holder string, j web.Job) (bool, error) {
	now := db.Now()
	every := j.Every
	if every <= 0 {
		every = time.Minute
	}
	// The lease ends a little before the next tick, so the holder can renew.
	until := now.Add(every * 9 / 10).Truncate(time.Second)
	if _, err := d.W.ExecContext(ctx, `INSERT INTO job_leases (name, holder, until) VALUES ($1, '', $2)
		ON CONFLICT (name) DO NOTHING`, j.Name, now.Add(-time.Second)); err != nil {
		return false, fmt.Errorf("creating the lease of job %s: %w", j.Name, err)
	}
	res, err := d.W.ExecContext(ctx, `UPDATE job_leases SET holder = $1, until = $2
		WHERE name = $3 AND (until <= $4 OR holder = $1)`, holder, until, j.Name, now)
	if err != nil {
		return false, fmt.Errorf("taking the lease of job %s: %w", j.Name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Release ends holder's lease of the job named name now, so that the
// next run may be any server's.
func Release(ctx context.Context, d *db.DB, holder, name string) error {
	if _, err := d.W.ExecContext(ctx, `UPDATE job_leases SET until = $1 WHERE name = $2 AND holder = $3`,
		db.Now().Add(-time.Second), name, holder); err != nil {
		return fmt.Errorf("releasing the lease of job %s: %w", name, err)
	}
	return nil
}
