package declaration

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CheckpointFormat names the checkpoint's canonical payload.
const CheckpointFormat = "observatory-log-checkpoint/1"

// Checkpoint is the platform's signed statement of how far a declaration's
// log reached at a time: as in transparency logs, a bundle whose entries
// stop short of its checkpoint has lost entries, and a checkpoint newer
// than a bundle's names what the bundle lacks.
type Checkpoint struct {
	Declaration int64  `json:"declaration"`
	Entries     int64  `json:"entries"`
	Head        string `json:"head"`
	At          string `json:"at"`
	Key         string `json:"key"`
	Signature   string `json:"signature"`
}

// Payload is the canonical JSON that is signed.
func (c *Checkpoint) Payload() []byte {
	return canonicalJSON(object{"format": CheckpointFormat, "declaration": c.Declaration, "entries": c.Entries,
		"head": c.Head, "at": c.At, "key": c.Key})
}

// SignWith sets the checkpoint's key and signature.
func (c *Checkpoint) SignWith(k *PrivateKey) {
	c.Key = k.ID
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.Key, c.Payload()))
}

// verify reports whether pub signed the checkpoint.
func (c *Checkpoint) verify(pub ed25519.PublicKey) bool {
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	return err == nil && ed25519.Verify(pub, c.Payload(), sig)
}

// checkpointAfter signs the checkpoint for a log whose last entry is e and
// stores it with the head, in the append's transaction.
func checkpointAfter(ctx context.Context, tx *sql.Tx, e *Entry, key *PrivateKey) error {
	c := &Checkpoint{Declaration: e.Declaration, Entries: e.Seq, Head: e.Hash, At: e.Recorded}
	c.SignWith(key)
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE declaration_log_heads SET checkpoint = $1 WHERE declaration_id = $2`, string(b), e.Declaration)
	return err
}

// Checkpoint is the latest signed checkpoint of a declaration's log, nil
// while it has none.
func (s *Store) Checkpoint(ctx context.Context, id int64) (*Checkpoint, error) {
	var raw string
	err := s.DB.R.QueryRowContext(ctx, `SELECT checkpoint FROM declaration_log_heads WHERE declaration_id = $1`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && raw == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Checkpoint
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("checkpoint of declaration %d: %w", id, err)
	}
	return &c, nil
}

// backfillCheckpoints signs a checkpoint for every log written before
// checkpoints existed, at its current head.
func (s *Store) backfillCheckpoints(ctx context.Context) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT h.declaration_id, h.seq, h.hash, l.recorded_at FROM declaration_log_heads h
			JOIN declaration_log l ON l.declaration_id = h.declaration_id AND l.seq = h.seq
			WHERE h.checkpoint = '' AND h.seq > 0`)
		if err != nil {
			return err
		}
		var es []Entry
		for rows.Next() {
			var e Entry
			var rec time.Time
			if err := rows.Scan(&e.Declaration, &e.Seq, &e.Hash, &rec); err != nil {
				rows.Close()
				return err
			}
			e.Recorded = FormatTime(rec)
			es = append(es, e)
		}
		rows.Close()
		if len(es) == 0 {
			return rows.Err()
		}
		key, err := signingKey(ctx, tx)
		if err != nil {
			return err
		}
		for i := range es {
			if err := checkpointAfter(ctx, tx, &es[i], key); err != nil {
				return err
			}
		}
		return nil
	})
}

// Time is when the checkpoint was signed (zero if At does not parse).
func (c *Checkpoint) Time() time.Time {
	t, _ := ParseTime(c.At)
	return t
}
