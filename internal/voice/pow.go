package voice

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Proof of work in ALTCHA's format: the server signs a challenge; the
// client finds the number n ≤ maxnumber with SHA-256(salt + n) = challenge
// and sends the solution back. The signature covers every field of the
// challenge in a canonical encoding (see canonical), so no part of one
// challenge can be spliced into another; the salt carries the expiry.
// A solution is accepted once: the writer records its signature in
// voice_pow_used in the transaction that stores the idea.

// Challenge is what GET /api/v1/ideas/challenge answers.
type Challenge struct {
	Algorithm string `json:"algorithm"`
	Challenge string `json:"challenge"`
	MaxNumber int64  `json:"maxnumber"`
	Salt      string `json:"salt"`
	Signature string `json:"signature"`
}

// Solution is a solved challenge as the client sends it (base64 of this
// JSON, as ALTCHA's widget does, or the JSON itself).
type Solution struct {
	Algorithm string `json:"algorithm"`
	Challenge string `json:"challenge"`
	Number    int64  `json:"number"`
	Salt      string `json:"salt"`
	Signature string `json:"signature"`
	MaxNumber int64  `json:"maxnumber,omitempty"`
}

const (
	powAlgorithm = "SHA-256"
	powKey       = "pow"
	powVersion   = "altcha-v1"
	// PowLifetime is how long a challenge may be solved and used.
	PowLifetime = 20 * time.Minute
)

// Proof-of-work errors; each means nothing is stored.
var (
	ErrNoProof     = errors.New("no proof of work")
	ErrBadProof    = errors.New("proof of work invalid")
	ErrExpired     = errors.New("proof of work expired")
	ErrReplay      = errors.New("proof of work already used")
	ErrRateLimited = errors.New("too many ideas from this network")
	ErrClosed      = errors.New("consultation closed")
	ErrTheme       = errors.New("not a theme of the consultation")
)

// NewChallenge signs a fresh challenge of the given difficulty.
func (s *Store) NewChallenge(ctx context.Context, maxNumber int64, now time.Time) (Challenge, error) {
	maxNumber = max(maxNumber, 1)
	rb := make([]byte, 12)
	rand.Read(rb)
	salt := hex.EncodeToString(rb) + "?expires=" + strconv.FormatInt(now.Add(PowLifetime).Unix(), 10) +
		"&maxnumber=" + strconv.FormatInt(maxNumber, 10)
	n, _ := rand.Int(rand.Reader, big.NewInt(maxNumber+1))
	c := Challenge{Algorithm: powAlgorithm, Challenge: powHash(salt, n.Int64()), MaxNumber: maxNumber, Salt: salt}
	sig, err := s.sign(ctx, powKey, powVersion, c.Algorithm, c.Challenge, strconv.FormatInt(c.MaxNumber, 10), c.Salt)
	if err != nil {
		return Challenge{}, err
	}
	c.Signature = sig
	return c, nil
}

func powHash(salt string, n int64) string {
	h := sha256.Sum256([]byte(salt + strconv.FormatInt(n, 10)))
	return hex.EncodeToString(h[:])
}

// ParseSolution reads the altcha field: base64 JSON or plain JSON.
func ParseSolution(field string) (Solution, error) {
	field = strings.TrimSpace(field)
	if field == "" {
		return Solution{}, ErrNoProof
	}
	raw := []byte(field)
	if !strings.HasPrefix(field, "{") {
		b, err := base64.StdEncoding.DecodeString(field)
		if err != nil {
			return Solution{}, ErrBadProof
		}
		raw = b
	}
	var sol Solution
	if len(raw) > 4096 || json.Unmarshal(raw, &sol) != nil {
		return Solution{}, ErrBadProof
	}
	return sol, nil
}

// VerifySolution checks a solution's signature, expiry and work. It does
// not spend it: the writer does, in the transaction that stores the idea.
func (s *Store) VerifySolution(ctx context.Context, sol Solution, now time.Time) (expires time.Time, err error) {
	if sol.Algorithm != powAlgorithm {
		return time.Time{}, ErrBadProof
	}
	_, query, ok := strings.Cut(sol.Salt, "?")
	if !ok {
		return time.Time{}, ErrBadProof
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return time.Time{}, ErrBadProof
	}
	exp, err1 := strconv.ParseInt(params.Get("expires"), 10, 64)
	maxNumber, err2 := strconv.ParseInt(params.Get("maxnumber"), 10, 64)
	if err1 != nil || err2 != nil || (sol.MaxNumber != 0 && sol.MaxNumber != maxNumber) {
		return time.Time{}, ErrBadProof
	}
	want, err := s.sign(ctx, powKey, powVersion, sol.Algorithm, sol.Challenge, strconv.FormatInt(maxNumber, 10), sol.Salt)
	if err != nil {
		return time.Time{}, err
	}
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sol.Signature))) {
		return time.Time{}, ErrBadProof
	}
	expires = time.Unix(exp, 0).UTC()
	if !now.Before(expires) {
		return time.Time{}, ErrExpired
	}
	if sol.Number < 0 || sol.Number > maxNumber || powHash(sol.Salt, sol.Number) != sol.Challenge {
		return time.Time{}, ErrBadProof
	}
	return expires, nil
}

// Solve finds a challenge's number by trying every candidate, as the
// widget does; for the load generator and tests.
func Solve(c Challenge) (Solution, error) {
	for n := int64(0); n <= c.MaxNumber; n++ {
		if powHash(c.Salt, n) == c.Challenge {
			return Solution{Algorithm: c.Algorithm, Challenge: c.Challenge, Number: n, Salt: c.Salt, Signature: c.Signature}, nil
		}
	}
	return Solution{}, fmt.Errorf("challenge has no solution up to %d", c.MaxNumber)
}

// Encode is the solution as the altcha field carries it.
func (sol Solution) Encode() string {
	b, _ := json.Marshal(sol)
	return base64.StdEncoding.EncodeToString(b)
}

// Difficulty is the maxnumber for a challenge to a network prefix that has
// sent n ideas this hour: it grows fourfold at each step of busyness.
func Difficulty(base int64, n int) int64 {
	switch {
	case n >= 60:
		return base * 64
	case n >= 20:
		return base * 16
	case n >= 8:
		return base * 4
	}
	return base
}

// PrefixCount is how many ideas the prefix sent in the current hour.
func (s *Store) PrefixCount(ctx context.Context, prefixHash string, now time.Time) (int, error) {
	var n int
	err := s.DB.ReadRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM voice_rate WHERE prefix_hash = $1 AND bucket = $2`,
		prefixHash, hourBucket(now)).Scan(&n)
	return n, err
}

func hourBucket(t time.Time) string { return t.UTC().Format("2006-01-02T15") }

// PruneSpent deletes the marks of spent proofs once they have expired (an
// expired proof is refused anyway) and last days' rate counters.
func (s *Store) PruneSpent(ctx context.Context, now time.Time) error {
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM voice_pow_used WHERE expires_at < $1`, now.UTC()); err != nil {
		return fmt.Errorf("pruning spent proofs: %w", err)
	}
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM voice_rate WHERE bucket < $1`, hourBucket(now.Add(-48*time.Hour))); err != nil {
		return fmt.Errorf("pruning rate counters: %w", err)
	}
	return nil
}
