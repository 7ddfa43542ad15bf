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
	"net/http"
	"slices"
	"strings"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/web"
)

// Scopes of personal API tokens. A token never allows more than its
// owner's role: practices:write is for those who write their city's
// practices, and only for that city.
const (
	ScopePracticesWrite = "practices:write" // drafts, edits and submissions of the owner's city's practices
	ScopeReadPrivate    = "read:private"    // read through the API what the owner sees signed in
)

// Scopes lists every scope, in the order forms show them.
var Scopes = []string{ScopePracticesWrite, ScopeReadPrivate}

// TokenPrefix starts every token, so that a leaked one is easy to recognise.
const TokenPrefix = "obs_"

// APIToken is a personal API token as its owner sees it (never its secret).
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hint       string // the secret's first characters, to tell tokens apart
	Scopes     []string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	LastUsedIP string
}

// Active reports whether the token may still be used at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// Expired reports whether the token ran out (not revoked) by now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.RevokedAt == nil && t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// TokenError is a request for a token that cannot be granted; Key is the
// reason's catalog key.
type TokenError struct{ Field, Key string }

func (e *TokenError) Error() string { return "token refused: " + e.Key }

// ErrTokenInvalid: the token is unknown, revoked, expired or its account disabled.
var ErrTokenInvalid = errors.New("invalid API token")

// MaxTokens is how many tokens one account may hold (revoked ones included).
const MaxTokens = 50

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CheckTokenRequest says whether u may have a token named name with scopes.
func CheckTokenRequest(u *User, name string, scopes []string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return &TokenError{"name", "auth.token.err.name"}
	}
	if len(scopes) == 0 {
		return &TokenError{"scope", "auth.token.err.scope"}
	}
	for _, s := range scopes {
		if !slices.Contains(Scopes, s) {
			return &TokenError{"scope", "auth.token.err.scope"}
		}
		if s == ScopePracticesWrite && !Can(u.Viewer(), PracticeWriteOwn) {
			return &TokenError{"scope", "auth.token.err.practices"}
		}
	}
	return nil
}

// CreateToken makes a token for u and returns its secret, which is not
// kept: only its hash is stored.
func (s *Store) CreateToken(ctx context.Context, by audit.Actor, u *User, name string, scopes []string, expires *time.Time) (string, *APIToken, error) {
	name = strings.TrimSpace(name)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	if err := CheckTokenRequest(u, name, scopes); err != nil {
		return "", nil, err
	}
	now := db.Now()
	if expires != nil && !expires.After(now) {
		return "", nil, &TokenError{"expires", "auth.token.err.expires"}
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &APIToken{UserID: u.ID, Name: name, Hint: secret[:len(TokenPrefix)+6], Scopes: scopes, CreatedAt: now, ExpiresAt: expires}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = $1`, u.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxTokens {
			return &TokenError{"name", "auth.token.err.many"}
		}
		var exp any
		if expires != nil {
			exp = expires.UTC()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, hint, scopes, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, u.ID, name, hashToken(secret), t.Hint, strings.Join(scopes, " "), now, exp).Scan(&t.ID); err != nil {
			return err
		}
		detail := fmt.Sprintf("token %d %q, scopes %s", t.ID, name, strings.Join(scopes, " "))
		if expires != nil {
			detail += ", expires " + expires.UTC().Format(time.RFC3339)
		}
		return by.Record(ctx, tx, "token.create", userSubject(u), detail)
	})
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) {
			return "", nil, err
		}
		return "", nil, fmt.Errorf("creating an API token for %s: %w", u.Email, err)
	}
	return secret, t, nil
}

const tokenColumns = `id, user_id, name, hint, scopes, created_at, expires_at, revoked_at, last_used_at, last_used_ip`

func scanToken(row interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var scopes string
	var exp, rev, used sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hint, &scopes, &t.CreatedAt, &exp, &rev, &used, &t.LastUsedIP); err != nil {
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	for _, x := range []struct {
		n *sql.NullTime
		p **time.Time
	}{{&exp, &t.ExpiresAt}, {&rev, &t.RevokedAt}, {&used, &t.LastUsedAt}} {
		if x.n.Valid {
			v := x.n.Time.UTC()
			*x.p = &v
		}
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return &t, nil
}

// Tokens lists an account's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]*APIToken, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("listing API tokens: %w", err)
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends token id of account userID at once; ErrNotFound when the
// account has no such token.
func (s *Store) RevokeToken(ctx context.Context, by audit.Actor, userID, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("revoking API token %d: %w", id, err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, db.Now(), id); err != nil {
			return fmt.Errorf("revoking API token %d: %w", id, err)
		}
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return err
		}
		return by.Record(ctx, tx, "token.revoke", userSubject(u), fmt.Sprintf("token %d %q", id, t.Name))
	})
}

// TokenUser finds the active token with this secret and its account, and
// notes its use (at most once a minute). ErrTokenInvalid when there is no
// such token or it may not be used.
func (s *Store) TokenUser(ctx context.Context, secret, ip string) (*APIToken, *User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, nil, ErrTokenInvalid
	}
	t, err := scanToken(s.DB.R.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrTokenInvalid
	} else if err != nil {
		return nil, nil, fmt.Errorf("reading an API token: %w", err)
	}
	now := db.Now()
	if !t.Active(now) {
		return nil, nil, ErrTokenInvalid
	}
	u, err := s.ByID(ctx, t.UserID)
	if errors.Is(err, ErrNotFound) || err == nil && u.Disabled {
		return nil, nil, ErrTokenInvalid
	} else if err != nil {
		return nil, nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= time.Minute || t.LastUsedIP != ip {
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1, last_used_ip = $2 WHERE id = $3`, now, ip, t.ID); err != nil {
			return nil, nil, fmt.Errorf("noting the use of API token %d: %w", t.ID, err)
		}
		t.LastUsedAt, t.LastUsedIP = &now, ip
	}
	return t, u, nil
}

// TokenViewer is the viewer a request with token t of u acts as.
func TokenViewer(t *APIToken, u *User) *web.Viewer {
	v := u.Viewer()
	v.Token, v.TokenName, v.Scopes = t.ID, t.Name, t.Scopes
	return v
}

// Bearer lets a request to the API act for the owner of the personal
// token in its Authorization header (and only within the token's scopes,
// which the API's handlers check). A header that names no valid token is
// answered 401 at once; requests without one go on as they came.
func (h *Handlers) Bearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "" || !strings.HasPrefix(r.URL.Path, apiv1.Prefix+"/") {
			next.ServeHTTP(w, r)
			return
		}
		scheme, secret, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="observatory"`)
			apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusUnauthorized, Code: "unauthorized"})
			return
		}
		t, u, err := h.Users.TokenUser(r.Context(), strings.TrimSpace(secret), web.ClientIP(r))
		if errors.Is(err, ErrTokenInvalid) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="observatory", error="invalid_token"`)
			apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusUnauthorized, Code: "unauthorized"})
			return
		} else if err != nil {
			apiv1.Internal(w, r, h.Render, err)
			return
		}
		web.SetUser(r, u.ID)
		next.ServeHTTP(w, r.WithContext(web.WithViewer(r.Context(), TokenViewer(t, u))))
	})
}

// PrivateReader is the person whose private reads an API request may see:
// the owner of a token with the read:private scope. For the public, a
// session or a token without that scope it is nil, and the API answers
// what everyone sees. Handlers give the viewer it returns to the same
// visibility checks their pages use.
func PrivateReader(r *http.Request) *web.Viewer {
	if v := web.ViewerFrom(r.Context()); v.HasScope(ScopeReadPrivate) {
		return v
	}
	return nil
}
