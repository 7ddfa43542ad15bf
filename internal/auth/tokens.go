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
	"observatory/internal/i18n"
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
	Lang      string // the language an invitation was written in
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

// Invitation is who is invited, as what, for which city, and the language
// the invitation is written in (the account keeps it).
type Invitation struct {
	Email, Name, Role string
	CityID            int64
	Lang              string
}

// Letter writes an invitation's mail in.Lang from the link's secret.
type Letter func(in Invitation, secret string) (subject, body string)

// Invite records by's invitation of in, queues its mail (letter writes it)
// and the audit entry, in one transaction, and returns the secret. An
// earlier invitation of the same address is revoked. The account is
// created when the invitee sets a password.
func (s *Store) Invite(ctx context.Context, by audit.Actor, in Invitation, letter Letter) (string, error) {
	in.Email, in.Name = NormalizeEmail(in.Email), strings.TrimSpace(in.Name)
	if err := s.checkAccount(ctx, in.Email, in.Name, in.Role, in.CityID); err != nil {
		return "", err
	}
	if !i18n.Supported(in.Lang) {
		return "", &FieldError{"lang", "account.err.lang"}
	}
	if _, err := s.ByEmail(ctx, in.Email); err == nil {
		return "", &FieldError{"email", "auth.err.email_taken"}
	}
	secret, err := s.invite(ctx, by, in, letter, "user.invite")
	if err != nil {
		return "", fmt.Errorf("inviting %s: %w", in.Email, err)
	}
	return secret, nil
}

func (s *Store) invite(ctx context.Context, by audit.Actor, in Invitation, letter Letter, action string) (string, error) {
	secret, hash := newSecret()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $1 WHERE kind = 'invite' AND email = $2 AND used_at IS NULL`,
			now, in.Email); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO auth_tokens (token_hash, kind, email, name, role, city_id, lang, created_by, created_at, expires_at)
			VALUES ($1, 'invite', $2, $3, $4, $5, $6, $7, $8, $9)`,
			hash, in.Email, in.Name, in.Role, nullID(in.CityID), in.Lang, nullID(by.UserID), now, now.Add(InviteTTL)); err != nil {
			return err
		}
		subject, body := letter(in, secret)
		if err := mail.Enqueue(ctx, tx, in.Email, subject, body); err != nil {
			return err
		}
		return by.Record(ctx, tx, action, invitationSubject(in), fmt.Sprintf("role=%s city=%d lang=%s", in.Role, in.CityID, in.Lang))
	})
	return secret, err
}

func invitationSubject(in Invitation) audit.Subject {
	return audit.Subject{Kind: "email", Title: in.Name + " <" + in.Email + ">", Path: "/admin/users"}
}

// openInvitation is the latest invitation of email not yet accepted or
// revoked, expired or not.
func (s *Store) openInvitation(ctx context.Context, email string) (Invitation, error) {
	in := Invitation{Email: NormalizeEmail(email)}
	var city sql.NullInt64
	err := s.DB.R.QueryRowContext(ctx, `SELECT name, role, city_id, lang FROM auth_tokens
		WHERE kind = 'invite' AND email = $1 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1`, in.Email).Scan(&in.Name, &in.Role, &city, &in.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotFound
	}
	in.CityID = city.Int64
	if !i18n.Supported(in.Lang) {
		in.Lang = i18n.Default
	}
	return in, err
}

// ResendInvitation sends email's open invitation again with a new link
// (valid for another InviteTTL); the old link stops working.
func (s *Store) ResendInvitation(ctx context.Context, by audit.Actor, email string, letter Letter) (string, error) {
	in, err := s.openInvitation(ctx, email)
	if err != nil {
		return "", err
	}
	secret, err := s.invite(ctx, by, in, letter, "user.invite.resend")
	if err != nil {
		return "", fmt.Errorf("sending the invitation of %s again: %w", in.Email, err)
	}
	return secret, nil
}

// RevokeInvitation makes email's open invitation unusable.
func (s *Store) RevokeInvitation(ctx context.Context, by audit.Actor, email string) error {
	in, err := s.openInvitation(ctx, email)
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $1 WHERE kind = 'invite' AND email = $2 AND used_at IS NULL`,
			db.Now(), in.Email)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return by.Record(ctx, tx, "user.invite.revoke", invitationSubject(in), "")
	})
	if err != nil {
		return fmt.Errorf("revoking the invitation of %s: %w", in.Email, err)
	}
	return nil
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
	return s.DB.TxPrivate(ctx, func(tx *sql.Tx) error {
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
	err := s.DB.R.QueryRowContext(ctx, `SELECT kind, email, name, role, city_id, user_id, lang, expires_at FROM auth_tokens
		WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3`,
		hashSecret(secret), kind, db.Now()).Scan(&t.Kind, &t.Email, &t.Name, &t.Role, &city, &user, &t.Lang, &t.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkInvalid
	}
	t.CityID, t.UserID = city.Int64, user.Int64
	return &t, err
}

// Redeem uses a link once for by (the visitor's address): it creates the
// invited account, or sets the new password (ending every session), and
// records it in the audit log, in one transaction. Two uses racing: one wins.
func (s *Store) Redeem(ctx context.Context, by audit.Actor, kind, secret, name, password string) (*User, error) {
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
			if id, err = insertUser(ctx, tx, NewUser{Email: t.Email, Name: name, Role: t.Role, CityID: t.CityID, Lang: t.Lang}, hash); err != nil {
				return err
			}
		} else {
			// Any other reset links of the account die with this one.
			if _, err := tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $1 WHERE user_id = $2 AND kind = 'reset' AND used_at IS NULL`,
				db.Now(), id); err != nil {
				return err
			}
			if err := setPasswordHash(ctx, tx, id, hash); err != nil {
				return err
			}
		}
		by.UserID, by.Email = id, t.Email
		return by.Record(ctx, tx, "auth."+kind+".redeem", audit.Subject{Kind: "user", ID: id, Title: name + " <" + t.Email + ">", Path: "/admin/users"}, "")
	})
	if err != nil {
		return nil, err
	}
	return s.ByID(ctx, id)
}

// PendingInvitation is an invitation not yet accepted nor revoked.
type PendingInvitation struct {
	Email, Name, Role string
	CityID            int64
	Lang              string
	CreatedAt         time.Time
	ExpiresAt         time.Time
	Expired           bool
}

// PendingInvitations lists invitations neither accepted nor revoked (the
// expired ones of the last 30 days too, to send again), newest first.
func (s *Store) PendingInvitations(ctx context.Context) ([]PendingInvitation, error) {
	now := db.Now()
	rows, err := s.DB.R.QueryContext(ctx, `SELECT email, name, role, COALESCE(city_id, 0), lang, created_at, expires_at FROM auth_tokens
		WHERE kind = 'invite' AND used_at IS NULL AND expires_at > $1 ORDER BY created_at DESC`, now.Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PendingInvitation
	for rows.Next() {
		var p PendingInvitation
		if err := rows.Scan(&p.Email, &p.Name, &p.Role, &p.CityID, &p.Lang, &p.CreatedAt, &p.ExpiresAt); err != nil {
			return nil, err
		}
		p.Expired = !p.ExpiresAt.After(now)
		if !i18n.Supported(p.Lang) {
			p.Lang = i18n.Default
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
