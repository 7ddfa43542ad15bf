package auth

import (
	"context"
	"time"

	"observatory/internal/db"
)

// Limiter counts failed attempts per key in a sliding window, in the
// database, so that every app server enforces the same limit.
type Limiter struct {
	DB     *db.DB
	Window time.Duration
	Max    int
}

// Allowed reports whether key has fewer than Max failures in the window.
func (l *Limiter) Allowed(ctx context.Context, key string) (bool, error) {
	var n int
	err := l.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE key = $1 AND at > $2`,
		key, db.Now().Add(-l.Window)).Scan(&n)
	return n < l.Max, err
}

// Take counts an attempt for key before it is checked, and reports
// whether it is within the limit: the attempt is recorded first, then the
// attempts in the window are counted, so that of attempts made at the same
// moment, on one server or several, at most Max are allowed. A refused
// attempt is not kept. An allowed one stays as a failure unless Forget
// removes it (id).
func (l *Limiter) Take(ctx context.Context, key string) (id int64, ok bool, err error) {
	if err := l.DB.W.QueryRowContext(ctx, `INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id`,
		key, db.Now()).Scan(&id); err != nil {
		return 0, false, err
	}
	var n int
	if err := l.DB.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE key = $1 AND at > $2`,
		key, db.Now().Add(-l.Window)).Scan(&n); err != nil {
		return 0, false, err
	}
	if n > l.Max {
		return 0, false, l.Forget(ctx, id)
	}
	return id, true, nil
}

// Forget removes one attempt that Take recorded.
func (l *Limiter) Forget(ctx context.Context, id int64) error {
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM login_attempts WHERE id = $1`, id)
	return err
}

// Fail records a failure for key.
func (l *Limiter) Fail(ctx context.Context, key string) error {
	_, err := l.DB.W.ExecContext(ctx, `INSERT INTO login_attempts (key, at) VALUES ($1, $2)`, key, db.Now())
	return err
}

// Reset forgets key's failures (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = $1`, key)
	return err
}

// Prune removes attempts older than the window.
func (l *Limiter) Prune(ctx context.Context) error {
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < $1`, db.Now().Add(-l.Window))
	return err
}
