package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
)

// Second-factor errors.
var (
	// ErrCodeWrong covers a wrong, expired or already used code alike.
	ErrCodeWrong = errors.New("the code is wrong or was already used")
	// ErrSecondFactorOn: the account already has a second factor.
	ErrSecondFactorOn = errors.New("the account already has a second factor")
	// ErrSecondFactorOff: the account has no second factor.
	ErrSecondFactorOff = errors.New("the account has no second factor")
	// ErrSecondFactorRequired: the account's role may not do without one.
	ErrSecondFactorRequired = errors.New("this role needs a second factor")
)

// SecondFactor is what an account's second factor looks like from outside:
// never its secret.
type SecondFactor struct {
	On           bool
	Since        time.Time
	RecoveryLeft int
}

// SecondFactorOf returns the state of userID's second factor.
func (s *Store) SecondFactorOf(ctx context.Context, userID int64) (SecondFactor, error) {
	var sf SecondFactor
	var since sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT confirmed_at FROM second_factors WHERE user_id = $1`, userID).Scan(&since)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !since.Valid) {
		return sf, nil
	}
	if err != nil {
		return sf, fmt.Errorf("reading the second factor of account %d: %w", userID, err)
	}
	sf.On, sf.Since = true, since.Time
	err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&sf.RecoveryLeft)
	if err != nil {
		return sf, fmt.Errorf("counting the recovery codes of account %d: %w", userID, err)
	}
	return sf, nil
}

// PendingSecondFactor returns the secret of userID's second factor being
// set up, making one when there is none yet. Once the set-up is confirmed
// the secret is never given out again.
func (s *Store) PendingSecondFactor(ctx context.Context, userID int64) ([]byte, error) {
	var stored string
	var confirmed sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT secret, confirmed_at FROM second_factors WHERE user_id = $1`, userID).Scan(&stored, &confirmed)
	switch {
	case err == nil && confirmed.Valid:
		return nil, ErrSecondFactorOn
	case err == nil:
		if secret, err := s.Sealer.open(userID, stored); err == nil {
			return secret, nil
		}
		// A secret sealed with another key: start over.
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("reading the second factor of account %d: %w", userID, err)
	}
	secret := NewTOTPSecret()
	_, err = s.DB.W.ExecContext(ctx, `INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
		WHERE second_factors.confirmed_at IS NULL`, userID, s.Sealer.seal(userID, secret), db.Now())
	if err != nil {
		return nil, fmt.Errorf("starting the second factor of account %d: %w", userID, err)
	}
	// Two set-ups racing: the stored one wins.
	return s.PendingSecondFactor(ctx, userID)
}

// ConfirmSecondFactor turns userID's pending second factor on when code
// matches it, and returns the new recovery codes (shown once).
func (s *Store) ConfirmSecondFactor(ctx context.Context, by audit.Actor, u *User, code string) ([]string, error) {
	var codes []string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var stored string
		var confirmed sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT secret, confirmed_at FROM second_factors WHERE user_id = $1`, u.ID).Scan(&stored, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrCodeWrong
		}
		if err != nil {
			return err
		}
		if confirmed.Valid {
			return ErrSecondFactorOn
		}
		secret, err := s.Sealer.open(u.ID, stored)
		if err != nil {
			return err
		}
		step := matchTOTP(secret, code, time.Now())
		if step == 0 {
			return ErrCodeWrong
		}
		res, err := tx.ExecContext(ctx, `UPDATE second_factors SET confirmed_at = $1, last_step = $2 WHERE user_id = $3 AND confirmed_at IS NULL`,
			db.Now(), step, u.ID)
		if err := oneRow(res, err); err != nil {
			return ErrSecondFactorOn
		}
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return by.Record(ctx, tx, "auth.second_factor.on", userSubject(u), "")
	})
	if err != nil {
		return nil, fmt.Errorf("turning on the second factor of account %d: %w", u.ID, err)
	}
	return codes, nil
}

func replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, err
	}
	codes := make([]string, recoveryCodes)
	for i := range codes {
		codes[i] = newRecoveryCode()
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, hashRecoveryCode(codes[i])); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// useCode spends a code of u's second factor in tx: a TOTP code of a
// step later than the last one used, or an unused recovery code. It
// reports whether a recovery code was spent; ErrCodeWrong when neither.
// A spent recovery code is told to the account holder (RecoveryUsed) in
// the same transaction.
func (s *Store) useCode(ctx context.Context, tx *sql.Tx, u *User, code string) (recovery bool, err error) {
	userID := u.ID
	var stored string
	err = tx.QueryRowContext(ctx, `SELECT secret FROM second_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`, userID).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrSecondFactorOff
	}
	if err != nil {
		return false, err
	}
	secret, err := s.Sealer.open(userID, stored)
	if err != nil {
		return false, err
	}
	if step := matchTOTP(secret, code, time.Now()); step != 0 {
		// The step is remembered: a code works once, also when two
		// requests race with it.
		res, err := tx.ExecContext(ctx, `UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1`, step, userID)
		if err := oneRow(res, err); err != nil {
			if errors.Is(err, ErrNotFound) {
				return false, ErrCodeWrong
			}
			return false, err
		}
		return false, nil
	}
	if n := len(normalCode(code)); n < 16 || n > 24 {
		return false, ErrCodeWrong
	}
	res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		db.Now(), userID, hashRecoveryCode(code))
	if err := oneRow(res, err); err != nil {
		if errors.Is(err, ErrNotFound) {
			return false, ErrCodeWrong
		}
		return false, err
	}
	if s.RecoveryUsed != nil {
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&left); err != nil {
			return false, err
		}
		if err := s.RecoveryUsed(ctx, tx, u, left); err != nil {
			return false, err
		}
	}
	return true, nil
}

// SealStoredSecrets encrypts the second-factor secrets stored without a
// key, once the server has one (--secret-key added later): every server
// start does it, before the first request, so no secret waits for its
// owner's next sign-in. Each is replaced only if unchanged, so servers
// starting together do not trip over each other. It returns how many it
// sealed.
func (s *Store) SealStoredSecrets(ctx context.Context) (int, error) {
	if !s.Sealer.Encrypts() {
		return 0, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT user_id, secret FROM second_factors WHERE secret LIKE 'plain:%'`)
	if err != nil {
		return 0, fmt.Errorf("reading unsealed second-factor secrets: %w", err)
	}
	type plain struct {
		id     int64
		stored string
	}
	var todo []plain
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.id, &p.stored); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reading unsealed second-factor secrets: %w", err)
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reading unsealed second-factor secrets: %w", err)
	}
	n := 0
	for _, p := range todo {
		secret, err := s.Sealer.open(p.id, p.stored)
		if err != nil {
			return n, fmt.Errorf("reading the second factor of account %d: %w", p.id, err)
		}
		res, err := s.DB.W.ExecContext(ctx, `UPDATE second_factors SET secret = $1 WHERE user_id = $2 AND secret = $3`,
			s.Sealer.seal(p.id, secret), p.id, p.stored)
		if err != nil {
			return n, fmt.Errorf("sealing the second factor of account %d: %w", p.id, err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}

// NewRecoveryCodes replaces u's recovery codes, after a code of the
// second factor, and returns the new ones (shown once).
func (s *Store) NewRecoveryCodes(ctx context.Context, by audit.Actor, u *User, code string) ([]string, error) {
	var codes []string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.useCode(ctx, tx, u, code); err != nil {
			return err
		}
		var err error
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return by.Record(ctx, tx, "auth.second_factor.recovery_codes", userSubject(u), "")
	})
	if err != nil {
		return nil, fmt.Errorf("new recovery codes for account %d: %w", u.ID, err)
	}
	return codes, nil
}

// TurnOffSecondFactor removes u's second factor after one of its codes.
// required says whether u's role needs one; then it stays.
func (s *Store) TurnOffSecondFactor(ctx context.Context, by audit.Actor, u *User, code string, required bool) error {
	if required {
		return ErrSecondFactorRequired
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.useCode(ctx, tx, u, code); err != nil {
			return err
		}
		if err := deleteSecondFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		return by.Record(ctx, tx, "auth.second_factor.off", userSubject(u), "")
	})
	if err != nil {
		return fmt.Errorf("turning off the second factor of account %d: %w", u.ID, err)
	}
	return nil
}

// ResetSecondFactor removes the second factor of account id, for the
// secretariat when someone lost both device and recovery codes; its
// sessions end, and a role that needs one sets it up at the next sign-in.
func (s *Store) ResetSecondFactor(ctx context.Context, by audit.Actor, id int64) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := deleteSecondFactor(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET session_epoch = session_epoch + 1, updated_at = $1 WHERE id = $2`, db.Now(), id); err != nil {
			return err
		}
		return by.Record(ctx, tx, "user.second_factor.reset", userSubject(u), "")
	})
	if err != nil {
		return fmt.Errorf("resetting the second factor of account %d: %w", id, err)
	}
	return nil
}

func deleteSecondFactor(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM second_factors WHERE user_id = $1`, id)
	return err
}

// SignIn records that u signed in (the time on the account and the audit
// entry, in one transaction). With code, the second factor's code is spent
// in the same transaction, and a wrong one records nothing.
func (s *Store) SignIn(ctx context.Context, by audit.Actor, u *User, code string) error {
	by.UserID, by.Email, by.Role, by.CityID = u.ID, u.Email, u.Role, u.CityID
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		detail := ""
		if code != "" {
			recovery, err := s.useCode(ctx, tx, u, code)
			if err != nil {
				return err
			}
			detail = "second factor"
			if recovery {
				detail = "recovery code"
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, db.Now(), u.ID); err != nil {
			return err
		}
		return by.Record(ctx, tx, "auth.login", userSubject(u), detail)
	})
	if err != nil {
		return fmt.Errorf("signing in account %d: %w", u.ID, err)
	}
	return nil
}
