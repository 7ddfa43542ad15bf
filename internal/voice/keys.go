package voice

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"observatory/internal/db"
)

// keyCache keeps the secrets read from voice_keys; they never change once
// written, so every app server reads the same.
type keyCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// key returns the secret called name, creating it on first use. Two
// servers creating it at once agree on the one that was stored first.
func (s *Store) key(ctx context.Context, name string) ([]byte, error) {
	s.keys.mu.Lock()
	if k, ok := s.keys.m[name]; ok {
		s.keys.mu.Unlock()
		return k, nil
	}
	s.keys.mu.Unlock()
	var secret string
	err := s.DB.R.QueryRowContext(ctx, `SELECT secret FROM voice_keys WHERE name = $1`, name).Scan(&secret)
	if err != nil {
		b := make([]byte, 32)
		rand.Read(b)
		if _, err := s.DB.W.ExecContext(ctx, `INSERT INTO voice_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			name, hex.EncodeToString(b), db.Now()); err != nil {
			return nil, fmt.Errorf("creating key %s: %w", name, err)
		}
		if err := s.DB.W.QueryRowContext(ctx, `SELECT secret FROM voice_keys WHERE name = $1`, name).Scan(&secret); err != nil {
			return nil, fmt.Errorf("reading key %s: %w", name, err)
		}
	}
	k, err := hex.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	s.keys.mu.Lock()
	if s.keys.m == nil {
		s.keys.m = map[string][]byte{}
	}
	s.keys.m[name] = k
	s.keys.mu.Unlock()
	return k, nil
}

// prefixKeyName is the name of the day's key for hashing network prefixes.
func prefixKeyName(t time.Time) string { return "prefix:" + t.UTC().Format("2006-01-02") }

// Prefix is the network an address belongs to for limits: its IPv4 /24
// or its IPv6 /48.
func Prefix(ip string) string {
	a := net.ParseIP(strings.TrimSpace(ip))
	if a == nil {
		return "unknown"
	}
	if v4 := a.To4(); v4 != nil {
		return v4.Mask(net.CIDRMask(24, 32)).String() + "/24"
	}
	return a.Mask(net.CIDRMask(48, 128)).String() + "/48"
}

// PrefixHash is the keyed hash under which an address's prefix is counted
// and kept: the address itself is never stored, and the key changes every
// day, so yesterday's hashes cannot be linked to today's.
func (s *Store) PrefixHash(ctx context.Context, ip string, now time.Time) (string, error) {
	k, err := s.key(ctx, prefixKeyName(now))
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(Prefix(ip)))
	return hex.EncodeToString(m.Sum(nil)[:16]), nil
}

// RotateKeys creates tomorrow's prefix key ahead and deletes the keys of
// days before yesterday, with which nothing can be re-hashed any more.
func (s *Store) RotateKeys(ctx context.Context) error {
	now := time.Now().UTC()
	if _, err := s.key(ctx, prefixKeyName(now.Add(24*time.Hour))); err != nil {
		return err
	}
	old := prefixKeyName(now.Add(-48 * time.Hour))
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM voice_keys WHERE name LIKE 'prefix:%' AND name <= $1`, old); err != nil {
		return fmt.Errorf("deleting old prefix keys: %w", err)
	}
	s.keys.mu.Lock()
	for n := range s.keys.m {
		if strings.HasPrefix(n, "prefix:") && n <= old {
			delete(s.keys.m, n)
		}
	}
	s.keys.mu.Unlock()
	return nil
}

// sign is an HMAC under the named key over a canonical encoding of fields:
// each field's length, then its bytes, so no two lists encode alike.
func (s *Store) sign(ctx context.Context, name string, fields ...string) (string, error) {
	k, err := s.key(ctx, name)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(canonicalMAC(k, fields...)), nil
}

func canonicalMAC(k []byte, fields ...string) []byte {
	m := hmac.New(sha256.New, k)
	m.Write(canonical(fields...))
	return m.Sum(nil)
}

// canonical encodes a list of strings unambiguously: a count, then for
// each its length and bytes.
func canonical(fields ...string) []byte {
	var b []byte
	b = fmt.Appendf(b, "%d;", len(fields))
	for _, f := range fields {
		b = fmt.Appendf(b, "%d:", len(f))
		b = append(b, f...)
		b = append(b, ';')
	}
	return b
}

var code32 = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

// randomToken is n random bytes in a readable alphabet.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return code32.EncodeToString(b)
}

// newReceipt is a receipt code: 60 random bits as XXXX-XXXX-XXXX.
func newReceipt() string {
	t := randomToken(8)[:12]
	return t[0:4] + "-" + t[4:8] + "-" + t[8:12]
}

// NormalReceipt reads a code as typed (any case, with or without dashes).
func NormalReceipt(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != 12 {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", r) {
			return ""
		}
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}
