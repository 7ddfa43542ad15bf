package auth

import (
	"context"
	"errors"
	"time"

	"observatory/internal/db"
)

// Sign-in errors. Unknown e-mail, wrong password and disabled account all
// give ErrBadCredentials, so the answer does not tell which accounts exist.
var (
	ErrBadCredentials = errors.New("e-mail or password is wrong")
	ErrTooManyTries   = errors.New("too many failed sign-ins; try again later")
)

// Login checks sign-in limits and credentials.
type Login struct {
	Users    *Store
	PerEmail *Limiter
	PerIP    *Limiter
}

// NewLogin allows 5 failures per e-mail and 30 per address in 15 minutes.
func NewLogin(users *Store) *Login {
	return &Login{
		Users:    users,
		PerEmail: &Limiter{DB: users.DB, Window: 15 * time.Minute, Max: 5},
		PerIP:    &Limiter{DB: users.DB, Window: 15 * time.Minute, Max: 30},
	}
}

// Authenticate returns the account for email and password from ip.
func (l *Login) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	email = NormalizeEmail(email)
	ek, ik := "email:"+email, "ip:"+ip
	// Each attempt counts before the password is checked, so parallel
	// attempts on several servers cannot get past the limit together.
	ipAttempt, ok, err := l.PerIP.Take(ctx, ik)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrTooManyTries
	}
	if _, ok, err := l.PerEmail.Take(ctx, ek); err != nil || !ok {
		err = errors.Join(err, l.PerIP.Forget(ctx, ipAttempt))
		if err != nil {
			return nil, err
		}
		return nil, ErrTooManyTries
	}
	u, err := l.Users.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	hash := ""
	if u != nil && !u.Disabled {
		hash = u.passwordHash
	}
	// Verify even for unknown accounts, so timing tells nothing either.
	ok, err = l.Users.Hasher.Verify(ctx, password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || u.Disabled {
		return nil, ErrBadCredentials // the attempts stay counted as failures
	}
	if err := errors.Join(l.PerEmail.Reset(ctx, ek), l.PerIP.Forget(ctx, ipAttempt)); err != nil {
		return nil, err
	}
	_, err = l.Users.DB.W.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, db.Now(), u.ID)
	return u, err
}
