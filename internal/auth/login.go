package auth

import (
	"context"
	"errors"
	"strconv"
	"time"

	"observatory/internal/audit"
)

// Sign-in errors. Unknown e-mail, wrong password and disabled account all
// give ErrBadCredentials, so the answer does not tell which accounts exist.
// ErrLimitReached comes with ErrBadCredentials on the failure that starts
// the delays, once per series: the moment to tell the account holder.
var (
	ErrBadCredentials = errors.New("e-mail or password is wrong")
	ErrTooManyTries   = errors.New("too many failed sign-ins; try again later")
	ErrLimitReached   = errors.New("sign-in attempts for this address are now slowed down")
)

// Login checks sign-in limits and credentials.
type Login struct {
	Users    *Store
	PerEmail *Limiter
	PerIP    *Limiter
}

// NewLogin lets 5 attempts per e-mail address through, then one after a
// minute, two, four … up to one an hour; and 100 per client address, then
// one a second, two … up to one a minute, so that many people behind one
// address (a city hall's network) are slowed, never shut out.
func NewLogin(users *Store) *Login {
	return &Login{
		Users:    users,
		PerEmail: &Limiter{DB: users.DB, Free: 5, First: time.Minute, Max: time.Hour, Quiet: 24 * time.Hour},
		PerIP:    &Limiter{DB: users.DB, Free: 100, First: time.Second, Max: time.Minute, Quiet: time.Hour},
	}
}

// Authenticate returns the account for email and password from ip. Both
// attempts are reserved before the password is checked.
func (l *Login) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	email = NormalizeEmail(email)
	ek, ik := "email:"+email, "ip:"+ip
	tries, _, err := l.PerEmail.Reserve(ctx, ek)
	if err != nil {
		return nil, err
	}
	if tries == 0 {
		return nil, ErrTooManyTries
	}
	ipTries, _, err := l.PerIP.Reserve(ctx, ik)
	if err != nil {
		return nil, err
	}
	if ipTries == 0 {
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
	ok, err := l.Users.Hasher.Verify(ctx, password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || u.Disabled {
		if tries == l.PerEmail.Free && u != nil && !u.Disabled {
			return nil, errors.Join(ErrBadCredentials, ErrLimitReached)
		}
		return nil, ErrBadCredentials
	}
	if err := errors.Join(l.PerEmail.Reset(ctx, ek), l.PerIP.Release(ctx, ik)); err != nil {
		return nil, err
	}
	return u, nil
}

// SecondStep checks the code of u's second factor from ip and, when it is
// right, records the sign-in (Store.SignIn). Attempts are reserved before
// the code is checked, per account ("code:ID", with the per-address
// limits) and per client address (with the password attempts), so codes
// cannot be guessed faster than passwords. The failure that starts the
// delays comes with ErrLimitReached: someone who knows the password is
// guessing codes, and the account holder should hear of it.
func (l *Login) SecondStep(ctx context.Context, by audit.Actor, u *User, code, ip string) error {
	ck, ik := "code:"+strconv.FormatInt(u.ID, 10), "ip:"+ip
	tries, _, err := l.PerEmail.Reserve(ctx, ck)
	if err != nil {
		return err
	}
	if tries == 0 {
		return ErrTooManyTries
	}
	ipTries, _, err := l.PerIP.Reserve(ctx, ik)
	if err != nil {
		return err
	}
	if ipTries == 0 {
		return ErrTooManyTries
	}
	if err := l.Users.SignIn(ctx, by, u, code); err != nil {
		if errors.Is(err, ErrCodeWrong) {
			if tries == l.PerEmail.Free {
				return errors.Join(ErrCodeWrong, ErrLimitReached)
			}
			return ErrCodeWrong
		}
		return err
	}
	return errors.Join(l.PerEmail.Reset(ctx, ck), l.PerIP.Release(ctx, ik))
}
