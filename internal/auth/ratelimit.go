package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"observatory/internal/db"
)

// Limiter slows down repeated sign-in attempts per key (an e-mail address,
// a client address) with growing delays instead of a lock: Free attempts
// go through at once, then one attempt per delay, the delay doubling from
// First up to Max. A key quiet for Quiet starts over.
//
// An attempt is reserved, counted as a failure, by one statement before
// its password is checked, so parallel requests on any number of app
// servers cannot check more passwords than the limit allows.
type Limiter struct {
	DB         *db.DB
	Free       int
	First, Max time.Duration
	Quiet      time.Duration
}

// Reserve takes one attempt for key. It returns the attempt's number in
// the current series, or 0 and how long to wait when the key must wait.
func (l *Limiter) Reserve(ctx context.Context, key string) (int, time.Duration, error) {
	now := time.Now().UnixMilli()
	quiet := now - l.Quiet.Milliseconds()
	// The delay after this attempt: none within the free attempts, then
	// First, doubling up to Max.
	delay := `CASE WHEN login_limits.last_ms < $3 OR login_limits.tries + 1 < $4 THEN 0
		WHEN login_limits.delay_ms = 0 THEN $5
		WHEN login_limits.delay_ms * 2 > $6 THEN $6
		ELSE login_limits.delay_ms * 2 END`
	var tries int
	err := l.DB.W.QueryRowContext(ctx, `INSERT INTO login_limits (key, tries, delay_ms, until_ms, last_ms) VALUES ($1, 1, 0, 0, $2)
		ON CONFLICT (key) DO UPDATE SET
			tries = CASE WHEN login_limits.last_ms < $3 THEN 1 ELSE login_limits.tries + 1 END,
			delay_ms = `+delay+`,
			until_ms = $2 + `+delay+`,
			last_ms = $2
		WHERE login_limits.last_ms < $3 OR login_limits.tries < $4 OR login_limits.until_ms <= $2
		RETURNING tries`, key, now, quiet, l.Free, l.First.Milliseconds(), l.Max.Milliseconds()).Scan(&tries)
	if errors.Is(err, sql.ErrNoRows) {
		var until int64
		if err := l.DB.W.QueryRowContext(ctx, `SELECT until_ms FROM login_limits WHERE key = $1`, key).Scan(&until); err != nil {
			return 0, 0, err
		}
		return 0, time.Duration(until-now) * time.Millisecond, nil
	}
	return tries, 0, err
}

// Release gives back an attempt that turned out right, so that sign-ins
// that work (many people behind one address) do not use up its attempts.
func (l *Limiter) Release(ctx context.Context, key string) error {
	_, err := l.DB.W.ExecContext(ctx, `UPDATE login_limits SET tries = tries - 1 WHERE key = $1 AND tries > 0`, key)
	return err
}

// Reset forgets key's attempts (after a successful sign-in or a new password).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM login_limits WHERE key = $1`, key)
	return err
}

// Prune removes keys quiet for longer than Quiet.
func (l *Limiter) Prune(ctx context.Context) error {
	_, err := l.DB.W.ExecContext(ctx, `DELETE FROM login_limits WHERE last_ms < $1`, time.Now().UnixMilli()-l.Quiet.Milliseconds())
	return err
}
