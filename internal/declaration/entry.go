package declaration

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Kinds of log entries.
const (
	KindVersion    = "version"    // a version was published: its hash enters the chain
	KindSignature  = "signature"  // a city signed a version
	KindWithdrawal = "withdrawal" // a city withdrew its signature
)

// Signing modes and signer roles.
const (
	ModeInPerson = "in_person" // at a summit, recorded by the secretariat
	ModeRemote   = "remote"    // by the city's delegate on the platform

	RoleMayor       = "mayor"
	RoleDeputyMayor = "deputy_mayor"
)

// EntryCity is the city an entry is about, as it was named at the time.
type EntryCity struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
}

// Entry is one record of a declaration's log. Every field but Hash and
// Signature is covered by the signature; Prev chains it to the entry before.
type Entry struct {
	Seq         int64     `json:"seq"`
	Kind        string    `json:"kind"`
	Prev        string    `json:"prev"`
	Declaration int64     `json:"declaration"`
	Version     int       `json:"version"`
	VersionHash string    `json:"version_hash"`
	City        EntryCity `json:"city"`
	Signer      string    `json:"signer"`
	Role        string    `json:"role"`
	Lang        string    `json:"lang"`  // the language the signer read
	Mode        string    `json:"mode"`  // in_person or remote
	Place       string    `json:"place"` // where it was signed or withdrawn
	At          string    `json:"at"`    // when it happened (RFC 3339, UTC)
	Recorded    string    `json:"recorded"`
	Withdraws   int64     `json:"withdraws"` // the signature entry a withdrawal ends
	Reason      string    `json:"reason"`
	Key         string    `json:"key"`
	Hash        string    `json:"hash"`
	Signature   string    `json:"signature"` // base64 Ed25519 over the payload
}

// Payload is the canonical form of the entry: what is hashed and signed.
func (e *Entry) Payload() []byte {
	return canonicalJSON(object{
		"format":       EntryFormat,
		"seq":          e.Seq,
		"kind":         e.Kind,
		"prev":         e.Prev,
		"declaration":  e.Declaration,
		"version":      e.Version,
		"version_hash": e.VersionHash,
		"city":         object{"id": e.City.ID, "name": e.City.Name, "country": e.City.Country},
		"signer":       e.Signer,
		"role":         e.Role,
		"lang":         e.Lang,
		"mode":         e.Mode,
		"place":        e.Place,
		"at":           e.At,
		"recorded":     e.Recorded,
		"withdraws":    e.Withdraws,
		"reason":       e.Reason,
		"key":          e.Key,
	})
}

// ComputeHash is the hex SHA-256 of the payload.
func (e *Entry) ComputeHash() string { return sha256Hex(e.Payload()) }

// SignWith sets the entry's key, hash and signature.
func (e *Entry) SignWith(k *PrivateKey) {
	e.Key = k.ID
	p := e.Payload()
	e.Hash = sha256Hex(p)
	e.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.Key, p))
}

// FormatTime is how times appear in entries and bundles: RFC 3339, UTC,
// whole seconds.
func FormatTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// ParseTime reads a time written by FormatTime.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

// PrivateKey is the platform's signing key in use.
type PrivateKey struct {
	ID  string
	Key ed25519.PrivateKey
}

// PublicKey is a published verification key with its validity.
type PublicKey struct {
	ID         string  `json:"id"`
	Algorithm  string  `json:"algorithm"`
	PublicKey  string  `json:"public_key"` // base64, 32 bytes
	ValidFrom  string  `json:"valid_from"`
	ValidUntil *string `json:"valid_until"` // null while in use
}

// KeyID is the id of a public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}
