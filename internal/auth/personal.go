package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"

	"observatory/internal/web"
)

// What the accounts keep about a person: the account, its single-use links
// (never their secrets), its open sessions, its sign-in limits and its
// second factor (whether there is one; never its secret) and its API
// tokens (never their secrets). The
// download shows them; an erasure replaces the name and address by the
// pseudonym, removes the password, the links, the sessions and the
// tokens, and
// disables the account, whose row stays for the records that name it.

// AccountExport is the account's part of a person's download.
type AccountExport struct {
	ID          int64          `json:"id"`
	Email       string         `json:"email"`
	Name        string         `json:"name"`
	Role        string         `json:"role"`
	CityID      int64          `json:"city_id,omitempty"`
	Lang        string         `json:"language"`
	Disabled    bool           `json:"disabled"`
	HasPassword bool           `json:"has_password"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	LastLoginAt *time.Time     `json:"last_sign_in_at"`
	Sessions    []SessionInfo  `json:"sessions"`
	Links       []TokenInfo    `json:"single_use_links"`
	Limits      []SignInLimits `json:"sign_in_limits"`
	// The second factor's state; its secret and the recovery codes are
	// never given out.
	SecondFactor *SecondFactorInfo `json:"second_factor"`
	// Personal API tokens (never their secrets), with their last use.
	APITokens []APITokenInfo `json:"api_tokens"`
}

// APITokenInfo is one personal API token as its owner's download shows it.
type APITokenInfo struct {
	Name       string     `json:"name"`
	Scopes     string     `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	LastUsedIP string     `json:"last_used_address"`
}

// SecondFactorInfo is whether the account has a second factor.
type SecondFactorInfo struct {
	On           bool       `json:"on"`
	Since        *time.Time `json:"since,omitempty"`
	RecoveryLeft int        `json:"recovery_codes_left"`
}

// SessionInfo is one open session of the account (its token is not kept
// in a readable form).
type SessionInfo struct {
	Expires time.Time `json:"expires_at"`
}

// TokenInfo is one single-use link for the account's address.
type TokenInfo struct {
	Kind      string     `json:"kind"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
}

// SignInLimits is the count of recent sign-in attempts for the address.
type SignInLimits struct {
	Tries int64 `json:"tries"`
	Last  int64 `json:"last_attempt_unix_ms"`
}

// PersonalData is the accounts' part of a person's download and erasure.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "account", Export: s.exportPerson, Erase: s.erasePerson}
}

func (s *Store) exportPerson(ctx context.Context, p web.Person) (any, error) {
	u, err := s.ByID(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("account %d for its download: %w", p.ID, err)
	}
	out := &AccountExport{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, CityID: u.CityID, Lang: u.Lang, Disabled: u.Disabled,
		HasPassword: u.HasPassword(), CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt,
		Sessions: []SessionInfo{}, Links: []TokenInfo{}, Limits: []SignInLimits{}, APITokens: []APITokenInfo{}}
	if err := s.DB.R.QueryRowContext(ctx, `SELECT updated_at FROM users WHERE id = $1`, u.ID).Scan(&out.UpdatedAt); err != nil {
		return nil, fmt.Errorf("account %d for its download: %w", p.ID, err)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT kind, created_at, expires_at, used_at FROM auth_tokens
		WHERE user_id = $1 OR email = $2 ORDER BY created_at`, u.ID, u.Email)
	if err != nil {
		return nil, fmt.Errorf("links of account %d: %w", p.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t TokenInfo
		var used sql.NullTime
		if err := rows.Scan(&t.Kind, &t.CreatedAt, &t.ExpiresAt, &used); err != nil {
			return nil, fmt.Errorf("links of account %d: %w", p.ID, err)
		}
		if used.Valid {
			t.UsedAt = &used.Time
		}
		out.Links = append(out.Links, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("links of account %d: %w", p.ID, err)
	}
	trows, err := s.DB.R.QueryContext(ctx, `SELECT name, scopes, created_at, expires_at, revoked_at, last_used_at, last_used_ip
		FROM api_tokens WHERE user_id = $1 ORDER BY id`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("API tokens of account %d: %w", p.ID, err)
	}
	defer trows.Close()
	for trows.Next() {
		var t APITokenInfo
		var exp, rev, used sql.NullTime
		if err := trows.Scan(&t.Name, &t.Scopes, &t.CreatedAt, &exp, &rev, &used, &t.LastUsedIP); err != nil {
			return nil, fmt.Errorf("API tokens of account %d: %w", p.ID, err)
		}
		t.ExpiresAt, t.RevokedAt, t.LastUsedAt = nullTime(exp), nullTime(rev), nullTime(used)
		out.APITokens = append(out.APITokens, t)
	}
	if err := trows.Err(); err != nil {
		return nil, fmt.Errorf("API tokens of account %d: %w", p.ID, err)
	}
	var l SignInLimits
	err = s.DB.R.QueryRowContext(ctx, `SELECT tries, last_ms FROM login_limits WHERE key = $1`, "email:"+u.Email).Scan(&l.Tries, &l.Last)
	if err == nil {
		out.Limits = append(out.Limits, l)
	} else if err != sql.ErrNoRows {
		return nil, fmt.Errorf("sign-in limits of account %d: %w", p.ID, err)
	}
	sf, err := s.SecondFactorOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out.SecondFactor = &SecondFactorInfo{On: sf.On, RecoveryLeft: sf.RecoveryLeft}
	if sf.On {
		out.SecondFactor.Since = &sf.Since
	}
	tokens, err := s.sessionsOf(ctx, s.DB.R, u.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		out.Sessions = append(out.Sessions, SessionInfo{Expires: t.expiry})
	}
	return out, nil
}

type sessionRow struct {
	hash   string
	expiry time.Time
}

// sessionsOf finds the live sessions signed in as the account: a session's
// data is only readable decoded, and sessions are few (they expire).
func (s *Store) sessionsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, id int64) ([]sessionRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT token_hash, data, expiry FROM sessions WHERE expiry > $1 ORDER BY expiry`, time.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("sessions of account %d: %w", id, err)
	}
	defer rows.Close()
	var out []sessionRow
	for rows.Next() {
		var r sessionRow
		var data []byte
		if err := rows.Scan(&r.hash, &data, &r.expiry); err != nil {
			return nil, fmt.Errorf("sessions of account %d: %w", id, err)
		}
		_, values, err := (scs.GobCodec{}).Decode(data)
		if err != nil {
			continue // not one of ours to read
		}
		if v, ok := values[sessUser].(int64); ok && v == id {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

func (s *Store) erasePerson(ctx context.Context, tx *sql.Tx, p web.Person, pseudonym string) error {
	sessions, err := s.sessionsOf(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	for _, r := range sessions {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, r.hash); err != nil {
			return fmt.Errorf("ending a session of account %d: %w", p.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = $1 OR email = $2`, p.ID, p.Email); err != nil {
		return fmt.Errorf("removing the links of account %d: %w", p.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_limits WHERE key = $1 OR key = $2`, "email:"+p.Email, fmt.Sprintf("code:%d", p.ID)); err != nil {
		return fmt.Errorf("removing the sign-in limits of account %d: %w", p.ID, err)
	}
	// Its API tokens go with their last-use addresses (and, by cascade, the
	// answers kept for their idempotency keys).
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, p.ID); err != nil {
		return fmt.Errorf("removing the API tokens of account %d: %w", p.ID, err)
	}
	if err := deleteSecondFactor(ctx, tx, p.ID); err != nil {
		return fmt.Errorf("removing the second factor of account %d: %w", p.ID, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, password_hash = '', disabled = TRUE,
		session_epoch = session_epoch + 1, last_login_at = NULL, updated_at = $3 WHERE id = $4`,
		pseudonym, ErasedEmail(pseudonym), time.Now().UTC().Truncate(time.Second), p.ID)
	if err := oneRow(res, err); err != nil {
		return fmt.Errorf("erasing account %d: %w", p.ID, err)
	}
	return nil
}

// ErasedEmail is the address an erased account keeps: unique, and in a
// domain that can never receive mail (RFC 2606).
func ErasedEmail(pseudonym string) string { return pseudonym + "@erased.invalid" }

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}
