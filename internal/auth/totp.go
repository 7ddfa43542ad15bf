package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TOTP after RFC 6238 as every authenticator app knows it: HMAC-SHA1,
// 30-second steps, six digits; a code is accepted one step early or late.
const (
	totpPeriod = 30
	totpDigits = 6
	totpSkew   = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns 20 random bytes, the size RFC 4226 recommends.
func NewTOTPSecret() []byte {
	b := make([]byte, 20)
	rand.Read(b)
	return b
}

// TOTPKey is a secret as people type it into an app: base32, in groups of four.
func TOTPKey(secret []byte) string {
	s := b32.EncodeToString(secret)
	var out []string
	for len(s) > 4 {
		out = append(out, s[:4])
		s = s[4:]
	}
	return strings.Join(append(out, s), " ")
}

// ParseTOTPKey reads a key written by TOTPKey (spaces and case do not matter).
func ParseTOTPKey(key string) ([]byte, error) {
	return b32.DecodeString(strings.ToUpper(strings.ReplaceAll(key, " ", "")))
}

// TOTPURI is the otpauth:// address a QR code carries for an app.
func TOTPURI(issuer, account string, secret []byte) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{"secret": {b32.EncodeToString(secret)}, "issuer": {issuer}, "algorithm": {"SHA1"},
		"digits": {strconv.Itoa(totpDigits)}, "period": {strconv.Itoa(totpPeriod)}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// totpStep is the time step t falls in.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode is the code for secret at t.
func TOTPCode(secret []byte, t time.Time) string { return totpAt(secret, totpStep(t)) }

func totpAt(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// matchTOTP returns the step code matches for secret around now, or 0.
func matchTOTP(secret []byte, code string, now time.Time) int64 {
	code = normalCode(code)
	if len(code) != totpDigits {
		return 0
	}
	step := totpStep(now)
	var found int64
	for s := step - totpSkew; s <= step+totpSkew; s++ {
		// Every candidate is compared, so the time taken does not tell which matched.
		if hmac.Equal([]byte(totpAt(secret, s)), []byte(code)) {
			found = s
		}
	}
	return found
}

// normalCode drops the spaces and dashes people type into codes.
func normalCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// Recovery codes: ten per account, each 16 base32 characters (80 bits),
// shown once and kept only as SHA-256 hashes; each works once.
const recoveryCodes = 10

func newRecoveryCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	s := strings.ToLower(b32.EncodeToString(b))
	return s[:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:]
}

func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(normalCode(code))))
	return hex.EncodeToString(sum[:])
}

// Sealer keeps second-factor secrets unreadable from a database dump: they
// are encrypted (AES-256-GCM, bound to the account) with a key the server
// is given (--secret-key), which never enters the database. Without a key
// secrets are stored as they are, marked so, and sealed at the first start
// with a key (Store.SealStoredSecrets).
type Sealer struct{ aead cipher.AEAD }

// NewSealer reads a key of 32 bytes, written as hex or base64; an empty
// key gives a Sealer that stores secrets unencrypted.
func NewSealer(key string) (*Sealer, error) {
	if key == "" {
		return &Sealer{}, nil
	}
	b, err := hex.DecodeString(key)
	if err != nil {
		if b, err = base64.StdEncoding.DecodeString(key); err != nil {
			b, err = base64.RawURLEncoding.DecodeString(key)
		}
	}
	if err != nil || len(b) != 32 {
		return nil, errors.New("--secret-key must be 32 random bytes written as hex (64 characters) or base64, such as the output of: openssl rand -hex 32")
	}
	block, err := aes.NewCipher(b)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Encrypts reports whether secrets are encrypted at rest.
func (s *Sealer) Encrypts() bool { return s != nil && s.aead != nil }

func (s *Sealer) seal(userID int64, secret []byte) string {
	if !s.Encrypts() {
		return "plain:" + b32.EncodeToString(secret)
	}
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	out := s.aead.Seal(nonce, nonce, secret, []byte("totp:"+strconv.FormatInt(userID, 10)))
	return "v1:" + base64.RawStdEncoding.EncodeToString(out)
}

var errSealed = errors.New("the second factor's secret cannot be read: the server's --secret-key is missing or not the one it was sealed with")

func (s *Sealer) open(userID int64, stored string) ([]byte, error) {
	kind, rest, _ := strings.Cut(stored, ":")
	switch kind {
	case "plain":
		return b32.DecodeString(rest)
	case "v1":
		if !s.Encrypts() {
			return nil, errSealed
		}
		b, err := base64.RawStdEncoding.DecodeString(rest)
		if err != nil || len(b) < s.aead.NonceSize() {
			return nil, errSealed
		}
		n := s.aead.NonceSize()
		out, err := s.aead.Open(nil, b[:n], b[n:], []byte("totp:"+strconv.FormatInt(userID, 10)))
		if err != nil {
			return nil, errSealed
		}
		return out, nil
	}
	return nil, errSealed
}
