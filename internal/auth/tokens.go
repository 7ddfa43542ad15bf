package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/mail"
)

// Kinds of single-use links.
const (
	KindInvite = "invite"
	KindReset  = "reset"
)

// How long a link stays valid.
const (
	InviteTTL = 7 * 24 * time.Hour
	ResetTTL  = time.Hour
)

// ErrLinkInvalid covers links that are unknown, used or expired alike.
var ErrLinkInvalid = errors.New("this link is not valid any more")

// Token is a pending single-use link.
type Token struct {
	Kind      string
	Email     string
	Name      string
	Role      string
	CityID    int64
	UserID    int64
	ExpiresAt time.Time
}

func newSecret() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Invitation is who is invited, as what, for which city.
type Invitation struct {
	Email, Name, Role string
	CityID            int64
}

// Invite records by's invitation of in, queues its mail (letter writes it
// from the link's secret) and the audit entry, in one transaction, and
// returns the secret. The account is created when the invitee sets a
// password.
func (s *Store) Invite(ctx context.Context, by audit.Actor, in Invitation, letter func(secret string) (subject, body string)) (string, error) {
	email, name := NormalizeEmail(in.Email), strings.TrimSpace(in.Name)
	if err := s.checkAccount(ctx, email, name, in.Role, in.CityID); err != nil {
		return "", err
	}
	if _, err := s.ByEmail(ctx, email); err == nil {
		return "", &FieldError{"email", "auth.err.email_taken"}
	}
	secret, hash := newSecret()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO auth_tokens (token_hash, kind, email, name, role, city_id, created_by, created_at, expires_at)
			VALUES ($1, 'invite', $2, $3, $4, $5, $6, $7, $8)`,
			hash, email, name, in.Role, nullID(in.CityID), nullID(by.UserID), now, now.Add(InviteTTL)); err != nil {
			return err
		}
		subject, body := letter(secret)
		if err := mail.Enqueue(ctx, tx, email, subject, body); err != nil {
			return err
		}
		return by.Record(ctx, tx, "user.invite", audit.Subject{Kind: "email", Title: name + " <" + email + ">", Path: "/admin/users"},
			fmt.Sprintf("role=%s city=%d", in.Role, in.CityID))
	})
	if err != nil {
		return "", fmt.Errorf("inviting %s: %w", email, err)
	}
	return secret, nil
}

// RequestReset records a reset link for email and queues its mail, made by
// compose from the account (nil when there is none). Known and unknown
// addresses run the same statements in one transaction — the inserts just
// find no account — so the time taken tells nothing about who has one.
func (s *Store) RequestReset(ctx context.Context, email string, compose func(u *User, secret string) (subject, body string)) error {
	u, err := s.ByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) || (u != nil && u.Disabled) {
		u, err = nil, nil
	}
	if err != nil {
		return err
	}
	secret, hash := newSecret()
	subject, body := compose(u, secret)
	now := db.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO auth_tokens (token_hash, kind, email, user_id, created_at, expires_at)
			SELECT $1, 'reset', email, id, $3, $4 FROM users WHERE email = $2 AND disabled = FALSE`, hash, email, now, now.Add(ResetTTL)); err != nil {
			return err
		}
		// As mail.Enqueue, for the account's address only.
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at)
			SELECT email, $2, $3, $4, $4 FROM users WHERE email = $1 AND disabled = FALSE`, email, subject, body, now)
		return err
	})
}

// LookupToken returns a link that can still be used.
func (s *Store) LookupToken(ctx context.Context, kind, secret string) (*Token, error) {
	var t Token
	var city, user sql.NullInt64
	err := s.DB.R.QueryRowContext(ctx, `SELECT kind, email, name, role, city_id, user_id, expires_at FROM auth_tokens
		WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3`,
		hashSecret(secret), kind, db.Now()).Scan(&t.Kind, &t.Email, &t.Name, &t.Role, &city, &user, &t.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkInvalid
	}
	t.CityID, t.UserID = city.Int64, user.Int64
	return &t, err
}

// Redeem uses a link once: it creates the invited account, or sets the
// new password (ending every session). Two uses racing: one wins.
func (s *Store) Redeem(ctx context.Context, kind, secret, name, password string) (*User, error) {
	if fe := CheckPassword(password); fe != nil {
		return nil, fe
	}
	t, err := s.LookupToken(ctx, kind, secret)
	if err != nil {
		return nil, err
	}
	if kind == KindInvite {
		if name = strings.TrimSpace(name); name == "" {
			name = t.Name
		}
		if err := s.checkAccount(ctx, t.Email, name, t.Role, t.CityID); err != nil {
			return nil, err
		}
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	id := t.UserID
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`,
			db.Now(), hashSecret(secret))
		if err := oneRow(res, err); err != nil {
			return ErrLinkInvalid
		}
		if kind == KindInvite {
			id, err = insertUser(ctx, tx, NewUser{Email: t.Email, Name: name, Role: t.Role, CityID: t.CityID}, hash)
			return err
		}
		// Any other reset links of the account die with this one.
		if _, err := tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $1 WHERE user_id = $2 AND kind = 'reset' AND used_at IS NULL`,
			db.Now(), id); err != nil {
			return err
		}
		return setPasswordHash(ctx, tx, id, hash)
	})
	if err != nil {
		return nil, err
	}
	return s.ByID(ctx, id)
}

// PendingInvitation is an invitation not yet accepted.
type PendingInvitation struct {
	Email, Name, Role string
	CityID            int64
	CreatedAt         time.Time
	ExpiresAt         time.Time
}

// PendingInvitations lists open invitations, newest first.
func (s *Store) PendingInvitations(ctx context.Context) ([]PendingInvitation, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT email, name, role, COALESCE(city_id, 0), created_at, expires_at FROM auth_tokens
		WHERE kind = 'invite' AND used_at IS NULL AND expires_at > $1 ORDER BY created_at DESC`, db.Now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PendingInvitation
	for rows.Next() {
		var p PendingInvitation
		if err := rows.Scan(&p.Email, &p.Name, &p.Role, &p.CityID, &p.CreatedAt, &p.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
