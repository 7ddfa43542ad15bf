package declaration

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"observatory/internal/audit"
)

// The writes the pages make: each runs in one transaction that it owns,
// with its audit entry naming the declaration and linking the
// secretariat's page of it. (Create, Update, Sign … below them take the
// caller's transaction, for the demo content, the command line and tests.)

func subjectOf(id int64, title string) audit.Subject {
	return audit.Subject{Kind: "declaration", ID: id, Title: title, Path: "/admin/declarations/" + strconv.FormatInt(id, 10)}
}

func (d *Declaration) subject() audit.Subject {
	return subjectOf(d.ID, d.Title(d.Authoritative).Value)
}

// CreateBy stores a new draft declaration.
func (s *Store) CreateBy(ctx context.Context, by audit.Actor, in Input) (int64, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.Create(ctx, tx, in); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.create", subjectOf(id, in.Texts[in.Authoritative].Title), "")
	})
	return id, err
}

// UpdateBy saves d's new texts and details; it reports whether they went
// into a new version.
func (s *Store) UpdateBy(ctx context.Context, by audit.Actor, d *Declaration, in Input) (bool, error) {
	var fresh bool
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if fresh, err = s.Update(ctx, tx, d.ID, in); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.update", d.subject(), fmt.Sprintf("new_version=%v", fresh))
	})
	return fresh, err
}

// PublishBy freezes d's newest version and returns its number.
func (s *Store) PublishBy(ctx context.Context, by audit.Actor, d *Declaration) (int, error) {
	var n int
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.Publish(ctx, tx, d.ID, time.Time{}); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.publish", d.subject(), fmt.Sprintf("version=%d", n))
	})
	return n, err
}

// SetStatusBy opens or closes d for signature.
func (s *Store) SetStatusBy(ctx context.Context, by audit.Actor, d *Declaration, status string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.SetStatus(ctx, tx, d.ID, status); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.status", d.subject(), "status="+status)
	})
}

// SignBy enters a city's signature of d in its log.
func (s *Store) SignBy(ctx context.Context, by audit.Actor, d *Declaration, in SignInput) (*Entry, error) {
	var e *Entry
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = s.Sign(ctx, tx, in); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.sign", d.subject(),
			fmt.Sprintf("city=%d version=%d entry=%d mode=%s signer=%s", in.CityID, e.Version, e.Seq, e.Mode, e.Signer))
	})
	return e, err
}

// WithdrawBy enters a city's withdrawal of its signature of d.
func (s *Store) WithdrawBy(ctx context.Context, by audit.Actor, d *Declaration, in WithdrawInput) (*Entry, error) {
	var e *Entry
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = s.Withdraw(ctx, tx, in); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.withdraw", d.subject(),
			fmt.Sprintf("city=%d entry=%d withdraws=%d signer=%s", in.CityID, e.Seq, e.Withdraws, e.Signer))
	})
	return e, err
}

// RotateKeyBy retires the signing key and starts a new one; it returns the
// new key's id.
func (s *Store) RotateKeyBy(ctx context.Context, by audit.Actor) (string, error) {
	var id string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.RotateKey(ctx, tx); err != nil {
			return err
		}
		return by.Record(ctx, tx, "declaration.key.rotate", audit.Subject{Kind: "key", Title: id, Path: "/admin/declarations"}, "")
	})
	return id, err
}
