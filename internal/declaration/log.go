package declaration

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"observatory/internal/db"
)

// head is a claimed place at the end of a declaration's chain.
type head struct {
	decl int64
	seq  int64  // the number the next entry gets
	prev string // the hash of the entry before it
}

// lockHead claims the next place in a declaration's chain. The UPDATE
// locks the head row until the transaction ends on PostgreSQL (SQLite has
// a single writer and BEGIN IMMEDIATE), so appends to one chain happen one
// after the other and two simultaneous signatures never fork it; the
// primary key (declaration_id, seq) would refuse a fork anyway.
func lockHead(ctx context.Context, tx *sql.Tx, id int64) (*head, error) {
	h := &head{decl: id}
	err := tx.QueryRowContext(ctx, `UPDATE declaration_log_heads SET seq = seq + 1 WHERE declaration_id = $1
		RETURNING seq, hash`, id).Scan(&h.seq, &h.prev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return h, err
}

// append signs e with the key in use and writes it at the claimed place.
func (h *head) append(ctx context.Context, tx *sql.Tx, e *Entry, key *PrivateKey) error {
	if key == nil {
		var err error
		if key, err = signingKey(ctx, tx); err != nil {
			return err
		}
	}
	// Read the clock only once the key is locked (see signingKey).
	now := db.Now()
	e.Seq, e.Prev, e.Declaration = h.seq, h.prev, h.decl
	e.Recorded = FormatTime(now)
	if e.At == "" {
		e.At = e.Recorded
	}
	at, err := ParseTime(e.At)
	if err != nil {
		return err
	}
	e.SignWith(key)
	_, err = tx.ExecContext(ctx, `INSERT INTO declaration_log (declaration_id, seq, kind, prev_hash, version_number, version_hash,
		city_id, city_name, city_country, signer_name, signer_role, read_lang, mode, place, at, recorded_at,
		withdraws, reason, key_id, entry_hash, signature)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		e.Declaration, e.Seq, e.Kind, e.Prev, e.Version, e.VersionHash,
		nullID(e.City.ID), e.City.Name, e.City.Country, e.Signer, e.Role, e.Lang, e.Mode, e.Place, at, now,
		e.Withdraws, e.Reason, e.Key, e.Hash, e.Signature)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, `UPDATE declaration_log_heads SET hash = $1 WHERE declaration_id = $2`, e.Hash, h.decl); err != nil {
		return err
	}
	return checkpointAfter(ctx, tx, e, key)
}

// SignInput is a signature as the signer or the secretariat gives it: the
// version, its hash and the language the signer confirms having read.
type SignInput struct {
	Declaration int64
	Version     int
	VersionHash string
	Lang        string
	CityID      int64
	Signer      string
	Role        string
	Mode        string
	Place       string
	At          time.Time // when it was signed; zero: now
	RecordedBy  int64
}

const maxName = 120

func validSigner(name, role string, fail func(field, key string)) {
	if name == "" {
		fail("signer", "declaration.err.signer")
	} else if len([]rune(name)) > maxName {
		fail("signer", "form.too_long")
	}
	if role != RoleMayor && role != RoleDeputyMayor {
		fail("role", "declaration.err.role")
	}
}

func (in *SignInput) validate(now time.Time) FieldErrors {
	var fe FieldErrors
	fail := func(field, key string) { fe = append(fe, &FieldError{field, key}) }
	in.Signer = NormalizeTitle(in.Signer)
	in.Place = NormalizeTitle(in.Place)
	validSigner(in.Signer, in.Role, fail)
	if in.Mode != ModeInPerson && in.Mode != ModeRemote {
		fail("mode", "declaration.err.mode")
	}
	if len([]rune(in.Place)) > maxPlace {
		fail("place", "form.too_long")
	}
	if in.CityID <= 0 {
		fail("city", "declaration.err.city")
	}
	if in.At.IsZero() {
		in.At = now
	}
	in.At = in.At.UTC().Truncate(time.Second)
	if in.At.After(now) {
		fail("signed_at", "declaration.err.future")
	}
	return fe
}

// cityForEntry reads a city's name and country as the log records them,
// and whether it is a member.
func cityForEntry(ctx context.Context, tx *sql.Tx, id int64) (EntryCity, string, error) {
	c := EntryCity{ID: id}
	var membership string
	err := tx.QueryRowContext(ctx, `SELECT name, country, membership FROM cities WHERE id = $1`, id).
		Scan(&c.Name, &c.Country, &membership)
	if errors.Is(err, sql.ErrNoRows) {
		return c, "", ErrCityUnknown
	}
	return c, membership, err
}

// Sign records a city's signature of the current version: in the log,
// signed and chained, and in the list of signatories. The database allows
// one active signature per city and declaration.
func (s *Store) Sign(ctx context.Context, tx *sql.Tx, in SignInput) (*Entry, error) {
	if fe := in.validate(db.Now()); len(fe) > 0 {
		return nil, fe
	}
	h, err := lockHead(ctx, tx, in.Declaration)
	if err != nil {
		return nil, err
	}
	var status string
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT status, current_version FROM declarations WHERE id = $1`, in.Declaration).
		Scan(&status, &current); err != nil {
		return nil, err
	}
	if status != StatusOpen {
		return nil, ErrNotOpen
	}
	if in.Version != current {
		return nil, ErrVersionChanged
	}
	var hash, texts string
	var published time.Time
	if err := tx.QueryRowContext(ctx, `SELECT hash, texts, published_at FROM declaration_versions
		WHERE declaration_id = $1 AND number = $2`, in.Declaration, current).Scan(&hash, &texts, &published); err != nil {
		return nil, err
	}
	if hash != in.VersionHash {
		return nil, ErrVersionChanged
	}
	var ts Texts
	if err := json.Unmarshal([]byte(texts), &ts); err != nil {
		return nil, err
	}
	if _, ok := ts[in.Lang]; !ok {
		return nil, FieldErrors{{"lang", "declaration.err.lang"}}
	}
	if in.At.Before(published.UTC().Truncate(time.Second)) {
		return nil, FieldErrors{{"signed_at", "declaration.err.before_publication"}}
	}
	city, membership, err := cityForEntry(ctx, tx, in.CityID)
	if err != nil {
		return nil, err
	}
	if membership != "member" {
		return nil, ErrNotMember
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM declaration_signatures
		WHERE declaration_id = $1 AND city_id = $2 AND withdrawn_at IS NULL`, in.Declaration, in.CityID).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrAlreadySigned
	}
	e := &Entry{Kind: KindSignature, Version: current, VersionHash: hash, City: city, Signer: in.Signer, Role: in.Role,
		Lang: in.Lang, Mode: in.Mode, Place: in.Place, At: FormatTime(in.At)}
	if err := h.append(ctx, tx, e, nil); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO declaration_signatures (declaration_id, version_number, city_id, signer_name,
		signer_role, read_lang, mode, place, signed_at, recorded_by, log_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		in.Declaration, current, in.CityID, in.Signer, in.Role, in.Lang, in.Mode, in.Place, in.At, nullID(in.RecordedBy), e.Seq)
	if db.IsUniqueViolation(err) {
		return nil, ErrAlreadySigned
	}
	return e, err
}

// WithdrawInput is a city's withdrawal of its signature.
type WithdrawInput struct {
	Declaration int64
	CityID      int64
	Signer      string // who withdraws on the city's behalf
	Role        string
	Place       string
	Reason      string
}

const maxReason = 1000

// Withdraw records that a city withdraws its active signature. Nothing is
// erased: the signature stays listed as withdrawn, and the withdrawal is a
// signed entry of the log. The city may sign again later.
func (s *Store) Withdraw(ctx context.Context, tx *sql.Tx, in WithdrawInput) (*Entry, error) {
	var fe FieldErrors
	fail := func(field, key string) { fe = append(fe, &FieldError{field, key}) }
	in.Signer, in.Place, in.Reason = NormalizeTitle(in.Signer), NormalizeTitle(in.Place), NormalizeBody(in.Reason)
	validSigner(in.Signer, in.Role, fail)
	if len([]rune(in.Reason)) > maxReason {
		fail("reason", "form.too_long")
	}
	if len([]rune(in.Place)) > maxPlace {
		fail("place", "form.too_long")
	}
	if len(fe) > 0 {
		return nil, fe
	}
	h, err := lockHead(ctx, tx, in.Declaration)
	if err != nil {
		return nil, err
	}
	var sigID, seq int64
	var version int
	var hash string
	err = tx.QueryRowContext(ctx, `SELECT s.id, s.log_seq, s.version_number, v.hash FROM declaration_signatures s
		JOIN declaration_versions v ON v.declaration_id = s.declaration_id AND v.number = s.version_number
		WHERE s.declaration_id = $1 AND s.city_id = $2 AND s.withdrawn_at IS NULL`, in.Declaration, in.CityID).
		Scan(&sigID, &seq, &version, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotSigned
	}
	if err != nil {
		return nil, err
	}
	city, _, err := cityForEntry(ctx, tx, in.CityID)
	if err != nil {
		return nil, err
	}
	e := &Entry{Kind: KindWithdrawal, Version: version, VersionHash: hash, City: city, Signer: in.Signer, Role: in.Role,
		Place: in.Place, Withdraws: seq, Reason: in.Reason}
	if err := h.append(ctx, tx, e, nil); err != nil {
		return nil, err
	}
	at, _ := ParseTime(e.At)
	_, err = tx.ExecContext(ctx, `UPDATE declaration_signatures SET withdrawn_at = $1, withdrawal_seq = $2, withdrawn_by = $3,
		withdrawn_by_role = $4, withdrawal_reason = $5 WHERE id = $6`, at, e.Seq, in.Signer, in.Role, in.Reason, sigID)
	return e, err
}
