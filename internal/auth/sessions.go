package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"observatory/internal/db"
)

// SessionStore keeps sessions in the database, so every app server in
// front of one database sees the same sessions.
type SessionStore struct{ DB *db.DB }

// FindCtx returns a live session's data.
func (s SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	var expiry time.Time
	err := s.DB.R.QueryRowContext(ctx, `SELECT data, expiry FROM sessions WHERE token_hash = $1`, token).Scan(&data, &expiry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !expiry.After(time.Now()) {
		return nil, false, nil
	}
	return data, true, nil
}

// CommitCtx stores or replaces a session.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO sessions (token_hash, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, expiry.UTC().Truncate(time.Second))
	return err
}

// DeleteCtx removes a session.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, token)
	return err
}

func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes sessions past their expiry.
func (s SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE expiry < $1`, db.Now())
	return err
}

// NewSessions makes the session manager: cookies HttpOnly, SameSite=Lax,
// Secure when the site is served over TLS; tokens stored only as hashes.
func NewSessions(d *db.DB, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = SessionStore{DB: d}
	sm.HashTokenInStore = true
	sm.Lifetime = 14 * 24 * time.Hour
	sm.IdleTimeout = 3 * 24 * time.Hour
	sm.Cookie.Name = "observatory_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return sm
}
