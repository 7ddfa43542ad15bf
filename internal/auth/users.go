// Package auth keeps accounts and roles: argon2id passwords, sessions in
// the database, rate-limited sign-in, invitations and password resets, and
// the one policy table that says which role may do what.
package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/mail"
	"observatory/internal/web"
)

// User is an account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	CityID       int64
	Lang         string
	Disabled     bool
	Epoch        int
	CreatedAt    time.Time
	LastLoginAt  *time.Time
	SecondFactor bool // signing in asks for a code after the password
	passwordHash string
}

// Viewer is the user as the web layer sees it.
func (u *User) Viewer() *web.Viewer {
	return &web.Viewer{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, CityID: u.CityID}
}

// HasPassword reports whether the account can sign in with a password yet.
func (u *User) HasPassword() bool { return u.passwordHash != "" }

// FieldError says which input is wrong, as a catalog key.
type FieldError struct {
	Field string
	Key   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Key }

// Message is the problem in English, for the command line.
func (e *FieldError) Message() string {
	if m, ok := englishErrors[e.Key]; ok {
		return m
	}
	return e.Key
}

var englishErrors = map[string]string{
	"auth.err.email":             "the e-mail address is not valid",
	"auth.err.email_taken":       "an account with this e-mail address already exists",
	"auth.err.name":              "a name is required (at most 120 characters)",
	"auth.err.role":              "the role must be one of admin, moderator, editor, delegate",
	"auth.err.city_needed":       "editors and delegates must be bound to a city (--city ID)",
	"auth.err.city_unknown":      "there is no city with this id",
	"auth.err.city_not_for_role": "only editors and delegates are bound to a city",
	"auth.err.password_short":    "the password must have at least 10 characters",
	"auth.err.password_long":     "the password must have at most 256 characters",
	"auth.err.no_user":           "there is no account with this e-mail address",
	"account.err.lang":           "the language must be one of de, en, fr",
}

// ErrNotFound is returned when no account matches.
var ErrNotFound = errors.New("account not found")

// Store keeps accounts.
type Store struct {
	DB     *db.DB
	Hasher *Hasher
	// CityExists checks a city id; the cities capability provides it.
	// Until it does, any positive id is accepted.
	CityExists func(ctx context.Context, id int64) (bool, error)
	// Sealer encrypts second-factor secrets (nil: stored unencrypted).
	Sealer *Sealer
	// RecoveryUsed tells the account holder, in tx, that a recovery code
	// was spent (left: the codes still unused); nil tells no one.
	RecoveryUsed func(ctx context.Context, tx *sql.Tx, u *User, left int) error
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email, Name, Role string
	CityID            int64
	Password          string // empty: the account waits for an invitation link
	Lang              string
}

// NormalizeEmail lower-cases and trims an address; sign-in and uniqueness use it.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// CheckPassword returns the problem with a new password, or nil.
func CheckPassword(pw string) *FieldError {
	switch n := len([]rune(pw)); {
	case n < 10:
		return &FieldError{"password", "auth.err.password_short"}
	case n > 256:
		return &FieldError{"password", "auth.err.password_long"}
	}
	return nil
}

func (s *Store) checkAccount(ctx context.Context, email, name, role string, city int64) error {
	if !ValidEmail(email) {
		return &FieldError{"email", "auth.err.email"}
	}
	if name == "" || len([]rune(name)) > 120 {
		return &FieldError{"name", "auth.err.name"}
	}
	valid := false
	for _, r := range Roles {
		valid = valid || r == role
	}
	if !valid {
		return &FieldError{"role", "auth.err.role"}
	}
	if CityBound(role) && city <= 0 {
		return &FieldError{"city", "auth.err.city_needed"}
	}
	// A moderator may be bound to one city (moderating its residents' ideas) or to none.
	if !CityBound(role) && role != RoleModerator && city != 0 {
		return &FieldError{"city", "auth.err.city_not_for_role"}
	}
	if city > 0 && s.CityExists != nil {
		ok, err := s.CityExists(ctx, city)
		if err != nil {
			return err
		}
		if !ok {
			return &FieldError{"city", "auth.err.city_unknown"}
		}
	}
	return nil
}

// Create makes an account after checking every field.
func (s *Store) Create(ctx context.Context, nu NewUser) (*User, error) {
	nu.Email, nu.Name = NormalizeEmail(nu.Email), strings.TrimSpace(nu.Name)
	if err := s.checkAccount(ctx, nu.Email, nu.Name, nu.Role, nu.CityID); err != nil {
		return nil, err
	}
	if nu.Lang != "" && !i18n.Supported(nu.Lang) {
		return nil, &FieldError{"lang", "account.err.lang"}
	}
	hash := ""
	if nu.Password != "" {
		if fe := CheckPassword(nu.Password); fe != nil {
			return nil, fe
		}
		var err error
		if hash, err = s.Hasher.Hash(ctx, nu.Password); err != nil {
			return nil, err
		}
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertUser(ctx, tx, nu, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ByID(ctx, id)
}

func insertUser(ctx context.Context, q db.Querier, nu NewUser, hash string) (int64, error) {
	if !i18n.Supported(nu.Lang) {
		nu.Lang = i18n.Default
	}
	now := db.Now()
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO users (email, name, role, city_id, lang, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		nu.Email, nu.Name, nu.Role, nullID(nu.CityID), nu.Lang, hash, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, &FieldError{"email", "auth.err.email_taken"}
	}
	return id, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const userColumns = `id, email, name, role, COALESCE(city_id, 0), lang, disabled, session_epoch, created_at, last_login_at, password_hash,
	EXISTS (SELECT 1 FROM second_factors sf WHERE sf.user_id = users.id AND sf.confirmed_at IS NOT NULL)`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var last sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.CityID, &u.Lang, &u.Disabled, &u.Epoch, &u.CreatedAt, &last, &u.passwordHash, &u.SecondFactor)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if last.Valid {
		u.LastLoginAt = &last.Time
	}
	return &u, nil
}

// ByID returns one account.
func (s *Store) ByID(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.DB.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// ByEmail returns the account with this address.
func (s *Store) ByEmail(ctx context.Context, email string) (*User, error) {
	return scanUser(s.DB.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, NormalizeEmail(email)))
}

// List returns every account, by e-mail address.
func (s *Store) List(ctx context.Context) ([]*User, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Count returns the number of accounts.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// SetPassword changes a password for by and ends every session of the
// account, with its audit entry, in one transaction.
func (s *Store) SetPassword(ctx context.Context, by audit.Actor, id int64, password string) error {
	if fe := CheckPassword(password); fe != nil {
		return fe
	}
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := setPasswordHash(ctx, tx, id, hash); err != nil {
			return err
		}
		return by.Record(ctx, tx, "auth.password.change", userSubject(u), "")
	})
	if err != nil {
		return fmt.Errorf("changing the password of account %d: %w", id, err)
	}
	return nil
}

// SetLang sets the language account id is written to in (mail) and
// greeted in, for by, with its audit entry.
func (s *Store) SetLang(ctx context.Context, by audit.Actor, id int64, lang string) error {
	if !i18n.Supported(lang) {
		return &FieldError{"lang", "account.err.lang"}
	}
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3`, lang, db.Now(), id)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return by.Record(ctx, tx, "user.lang", userSubject(u), u.Lang+" → "+lang)
	})
	if err != nil {
		return fmt.Errorf("setting the language of account %d: %w", id, err)
	}
	return nil
}

func setPasswordHash(ctx context.Context, q db.Querier, id int64, hash string) error {
	res, err := q.ExecContext(ctx, `UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $3`,
		hash, db.Now(), id)
	return oneRow(res, err)
}

// SetDisabled disables (ending every session) or re-enables account id
// for by, with its audit entry, in one transaction.
func (s *Store) SetDisabled(ctx context.Context, by audit.Actor, id int64, disabled bool) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	action := map[bool]string{true: "user.disable", false: "user.enable"}[disabled]
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $3`,
			disabled, db.Now(), id)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return by.Record(ctx, tx, action, userSubject(u), "")
	})
}

// userSubject names an account in the audit log.
func userSubject(u *User) audit.Subject {
	return audit.Subject{Kind: "user", ID: u.ID, Title: u.Name + " <" + u.Email + ">", Path: "/admin/users"}
}

func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// QueueMail queues a message to an account's address.
func (s *Store) QueueMail(ctx context.Context, to, subject, body string) error {
	if err := mail.Enqueue(ctx, s.DB.W, to, subject, body); err != nil {
		return fmt.Errorf("queueing mail to %s: %w", to, err)
	}
	return nil
}
