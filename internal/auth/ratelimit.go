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
