package declaration

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"observatory/internal/db"
)

// The platform signs log entries with one Ed25519 key at a time. Its
// private half lives only in declaration_keys.private_key (never served,
// erased on retirement); every public key ever used stays published with
// its validity, so old entries keep verifying after a rotation.

func newKeyRow() (id, pub, priv string, err error) {
	p, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", "", err
	}
	return KeyID(p), base64.StdEncoding.EncodeToString(p), base64.StdEncoding.EncodeToString(k.Seed()), nil
}

// insertKey adds a key in use unless one exists; the partial unique index
// on in_use keeps two app servers starting together from making two.
func insertKey(ctx context.Context, q db.Querier, now time.Time) error {
	id, pub, priv, err := newKeyRow()
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO declaration_keys (id, public_key, private_key, in_use, valid_from)
		VALUES ($1, $2, $3, TRUE, $4) ON CONFLICT DO NOTHING`, id, pub, priv, now)
	return err
}

// EnsureKey creates the platform's signing key on first start.
func (s *Store) EnsureKey(ctx context.Context) error {
	var n int
	if err := s.DB.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM declaration_keys WHERE in_use`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if err := insertKey(ctx, s.DB.W, db.Now()); err != nil {
			return err
		}
	}
	return s.backfillCheckpoints(ctx)
}

// signingKey returns the key in use and locks its row until tx ends, so a
// rotation waits for signatures in progress (and they for it): no entry is
// ever recorded after its key's validity ended. The same lock serializes
// signing across declarations on PostgreSQL; signatures are rare enough.
func signingKey(ctx context.Context, tx *sql.Tx) (*PrivateKey, error) {
	for range 2 {
		var id, seed string
		err := tx.QueryRowContext(ctx, `UPDATE declaration_keys SET entries = entries + 1 WHERE in_use
			RETURNING id, private_key`).Scan(&id, &seed)
		if errors.Is(err, sql.ErrNoRows) {
			if err := insertKey(ctx, tx, db.Now()); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		raw, err := base64.StdEncoding.DecodeString(seed)
		if err != nil || len(raw) != ed25519.SeedSize {
			return nil, fmt.Errorf("signing key %s: the stored private key is damaged", id)
		}
		return &PrivateKey{ID: id, Key: ed25519.NewKeyFromSeed(raw)}, nil
	}
	return nil, errors.New("no signing key could be created")
}

// RotateKey retires the key in use (its private half is erased, its public
// half stays published with the end of its validity) and starts a new one.
// It returns the new key's id.
func (s *Store) RotateKey(ctx context.Context, tx *sql.Tx) (string, error) {
	r, err := s.Rotate(ctx, tx)
	return r.New, err
}

// Rotation is what a key rotation did.
type Rotation struct {
	Retired string // the key that was in use ("" if there was none)
	New     string // the key in use from now on
	At      time.Time
}

// Rotate is RotateKey that also says which key it retired, for callers
// that record or report it.
func (s *Store) Rotate(ctx context.Context, tx *sql.Tx) (Rotation, error) {
	// Take the lock first, then read the clock: every entry signed with
	// the old key was recorded before this moment.
	var old string
	var oldFrom time.Time
	err := tx.QueryRowContext(ctx, `UPDATE declaration_keys SET entries = entries WHERE in_use RETURNING id, valid_from`).Scan(&old, &oldFrom)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Rotation{}, err
	}
	// Keys are published in the order they started, in whole seconds: a key
	// started in the same second as the one it replaces would tie with it
	// and could be listed before it. Rotations are rare, so wait for the
	// next second (no entry is signed meanwhile: the lock is held).
	if wait := time.Until(oldFrom.Add(time.Second)); old != "" && wait > 0 && wait <= 2*time.Second {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return Rotation{}, ctx.Err()
		}
	}
	now := db.Now()
	if old != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE declaration_keys SET in_use = NULL, private_key = '', valid_until = $1
			WHERE id = $2`, now, old); err != nil {
			return Rotation{}, err
		}
	}
	id, pub, priv, err := newKeyRow()
	if err != nil {
		return Rotation{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO declaration_keys (id, public_key, private_key, in_use, valid_from)
		VALUES ($1, $2, $3, TRUE, $4)`, id, pub, priv, now); err != nil {
		return Rotation{}, err
	}
	return Rotation{Retired: old, New: id, At: now}, nil
}

// KeyInfo is a published key with how many entries it signed.
type KeyInfo struct {
	PublicKey
	InUse   bool
	Entries int64
}

// From is when the key became valid, for showing.
func (k KeyInfo) From() time.Time {
	t, _ := ParseTime(k.ValidFrom)
	return t
}

// Until is when the key stopped being valid; zero while it is in use.
func (k KeyInfo) Until() time.Time {
	if k.ValidUntil == nil {
		return time.Time{}
	}
	t, _ := ParseTime(*k.ValidUntil)
	return t
}

// Keys lists every public key, oldest first. The private keys are not read.
func (s *Store) Keys(ctx context.Context) ([]KeyInfo, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, public_key, valid_from, valid_until, in_use IS NOT NULL, entries
		FROM declaration_keys ORDER BY valid_from, valid_until IS NULL, valid_until, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KeyInfo
	for rows.Next() {
		var k KeyInfo
		var from time.Time
		var until sql.NullTime
		if err := rows.Scan(&k.ID, &k.PublicKey.PublicKey, &from, &until, &k.InUse, &k.Entries); err != nil {
			return nil, err
		}
		k.Algorithm = "Ed25519"
		k.ValidFrom = FormatTime(from)
		if until.Valid {
			u := FormatTime(until.Time)
			k.ValidUntil = &u
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// PublicKeys lists the published keys as they appear in bundles.
func (s *Store) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	ks, err := s.Keys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PublicKey, len(ks))
	for i, k := range ks {
		out[i] = k.PublicKey
	}
	return out, nil
}

// KeySet is the published key set, as served at /api/v1/keys and
// /.well-known/observatory-keys.json and printed by `observatory keys
// export-public`. Its fields are in the order of their JSON names.
type KeySet struct {
	About     string      `json:"about"`
	Algorithm string      `json:"algorithm"`
	Keys      []PublicKey `json:"keys"`
}

// keySetAbout tells a reader of the published keys what they are for.
const keySetAbout = "Public keys that sign the declarations' logs. A retired key keeps its validity period; entries it signed within it stay valid."

// KeySet returns every key ever used, oldest first, with its validity.
func (s *Store) KeySet(ctx context.Context) (*KeySet, error) {
	ks, err := s.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	if ks == nil {
		ks = []PublicKey{}
	}
	return &KeySet{About: keySetAbout, Algorithm: "Ed25519", Keys: ks}, nil
}
