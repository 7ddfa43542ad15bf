package legal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Kinds of legal text.
const (
	KindPrivacy = "privacy"
	KindImprint = "imprint"
)

// Request states.
const (
	StateOpen = "open"
	StateDone = "done"
)

// Limits of what the secretariat and a person may send.
const (
	maxText    = 60000 // characters of one language's text
	maxReason  = 2000
	maxContact = 500
)

// Errors the handlers turn into answers.
var (
	ErrNotFound         = errors.New("legal: not found")
	ErrAlreadyRequested = errors.New("legal: an erasure request is already open")
	ErrNotOpen          = errors.New("legal: the request is not open")
	// ErrOwnRequest also keeps the secretariat from erasing its last
	// administrator: whoever completes a request is another, active one.
	ErrOwnRequest = errors.New("legal: one's own erasure is completed by another administrator")
)

// Store keeps the legal texts, the contact for personal data and the
// erasure requests, and assembles a person's download from every part
// that keeps personal data.
type Store struct {
	DB *db.DB
	// Parts are every part of the platform that keeps personal data.
	Parts func() []web.PersonalData
	// Now is the clock; nil means db.Now.
	Now func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Second)
	}
	return db.Now()
}

// Text is the secretariat's text of kind; empty until written.
func (s *Store) Text(ctx context.Context, kind string) (i18n.Text, *time.Time, error) {
	var t i18n.Text
	var at time.Time
	err := s.DB.R.QueryRowContext(ctx, `SELECT body, updated_at FROM legal_texts WHERE kind = $1`, kind).Scan(&t, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return i18n.Text{}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("legal text %s: %w", kind, err)
	}
	return t.Clean(), &at, nil
}

// SaveText replaces the text of kind (every language at once).
func (s *Store) SaveText(ctx context.Context, by audit.Actor, kind string, body i18n.Text) error {
	if kind != KindPrivacy && kind != KindImprint {
		return ErrNotFound
	}
	body = body.Clean()
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO legal_texts (kind, body, updated_at, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			kind, body, now, nullID(by.UserID)); err != nil {
			return fmt.Errorf("saving the legal text %s: %w", kind, err)
		}
		langs := ""
		for _, l := range i18n.Langs {
			if body[l] != "" {
				langs += " " + l
			}
		}
		return by.Record(ctx, tx, "legal.text", audit.Subject{Kind: "legal", Title: kind, Path: "/" + kind}, "languages:"+langs)
	})
}

// Contact is who to contact about personal data: the controller (name and
// postal address), its e-mail address, and the data protection officer.
type Contact struct {
	Controller string
	Email      string
	DPOName    string
	DPOEmail   string
	UpdatedAt  *time.Time
}

// Complete reports whether the controller and an address are given.
func (c Contact) Complete() bool { return c.Controller != "" && c.Email != "" }

// Contact returns the contact as the secretariat last saved it.
func (s *Store) Contact(ctx context.Context) (Contact, error) {
	var c Contact
	var at sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT controller, email, dpo_name, dpo_email, updated_at FROM legal_contact WHERE id = 1`).
		Scan(&c.Controller, &c.Email, &c.DPOName, &c.DPOEmail, &at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("the legal contact: %w", err)
	}
	if at.Valid {
		c.UpdatedAt = &at.Time
	}
	return c, nil
}

// SaveContact replaces the contact.
func (s *Store) SaveContact(ctx context.Context, by audit.Actor, c Contact) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE legal_contact SET controller = $1, email = $2, dpo_name = $3, dpo_email = $4, updated_at = $5
			WHERE id = 1`, c.Controller, c.Email, c.DPOName, c.DPOEmail, now); err != nil {
			return fmt.Errorf("saving the legal contact: %w", err)
		}
		return by.Record(ctx, tx, "legal.contact", audit.Subject{Kind: "legal", Title: "contact", Path: "/privacy"}, "")
	})
}

// Request is a person's request to erase their personal data.
type Request struct {
	ID          int64
	UserID      int64
	Name        string // the account's name now: the pseudonym once done
	Email       string
	Role        string
	Reason      string
	State       string
	RequestedAt time.Time
	Pseudonym   string
	CompletedAt *time.Time
}

const requestColumns = `r.id, r.user_id, u.name, u.email, u.role, r.reason, r.state, r.requested_at, r.pseudonym, r.completed_at`

func scanRequest(row interface{ Scan(...any) error }) (*Request, error) {
	var q Request
	var done sql.NullTime
	err := row.Scan(&q.ID, &q.UserID, &q.Name, &q.Email, &q.Role, &q.Reason, &q.State, &q.RequestedAt, &q.Pseudonym, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if done.Valid {
		q.CompletedAt = &done.Time
	}
	return &q, nil
}

// RequestErasure records the signed-in person's request.
func (s *Store) RequestErasure(ctx context.Context, by audit.Actor, reason string) error {
	if by.UserID == 0 {
		return ErrNotFound
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO erasure_requests (user_id, reason, requested_at) VALUES ($1, $2, $3) RETURNING id`,
			by.UserID, reason, now).Scan(&id); err != nil {
			return err
		}
		return by.Record(ctx, tx, "privacy.erasure_request", audit.Subject{Kind: "erasure_request", ID: id, Path: "/admin/legal"}, "")
	})
	if db.IsUniqueViolation(err) {
		return ErrAlreadyRequested
	}
	if err != nil {
		return fmt.Errorf("recording an erasure request of account %d: %w", by.UserID, err)
	}
	return nil
}

// OpenRequest is the account's open request, nil when there is none.
func (s *Store) OpenRequest(ctx context.Context, userID int64) (*Request, error) {
	q, err := scanRequest(s.DB.R.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM erasure_requests r JOIN users u ON u.id = r.user_id
		WHERE r.user_id = $1 AND r.state = 'open'`, userID))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the open erasure request of account %d: %w", userID, err)
	}
	return q, nil
}

// Requests lists the open requests, oldest first, then the latest 50 done.
func (s *Store) Requests(ctx context.Context) ([]*Request, error) {
	var out []*Request
	for _, q := range []string{
		`SELECT ` + requestColumns + ` FROM erasure_requests r JOIN users u ON u.id = r.user_id WHERE r.state = 'open' ORDER BY r.requested_at, r.id`,
		`SELECT ` + requestColumns + ` FROM erasure_requests r JOIN users u ON u.id = r.user_id WHERE r.state = 'done' ORDER BY r.completed_at DESC, r.id DESC LIMIT 50`,
	} {
		rows, err := s.DB.R.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("listing erasure requests: %w", err)
		}
		for rows.Next() {
			r, err := scanRequest(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("listing erasure requests: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("listing erasure requests: %w", err)
		}
	}
	return out, nil
}

// CountOpen counts the requests waiting for the secretariat.
func (s *Store) CountOpen(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM erasure_requests WHERE state = 'open'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting erasure requests: %w", err)
	}
	return n, nil
}

// newPseudonym is what an erased account is called from then on.
func newPseudonym() string {
	b := make([]byte, 5)
	rand.Read(b)
	return "erased-" + hex.EncodeToString(b)
}

// CompleteErasure erases or pseudonymises, in one transaction, everything
// every part keeps about the request's account, and closes the request.
// Signed records (the declarations' log and signatures) stay unchanged and
// keep pointing to the account, which from then on bears the pseudonym.
func (s *Store) CompleteErasure(ctx context.Context, by audit.Actor, id int64) (string, error) {
	pseudonym := newPseudonym()
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var p web.Person
		err := tx.QueryRowContext(ctx, `SELECT u.id, u.email, u.name FROM erasure_requests r JOIN users u ON u.id = r.user_id
			WHERE r.id = $1`, id).Scan(&p.ID, &p.Email, &p.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if p.ID == by.UserID {
			return ErrOwnRequest
		}
		res, err := tx.ExecContext(ctx, `UPDATE erasure_requests SET state = 'done', reason = '', pseudonym = $1, completed_at = $2, completed_by = $3
			WHERE id = $4 AND state = 'open'`, pseudonym, now, nullID(by.UserID), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = ErrNotOpen
			}
			return err
		}
		for _, part := range s.Parts() {
			if part.Erase == nil {
				continue
			}
			if err := part.Erase(ctx, tx, p, pseudonym); err != nil {
				return fmt.Errorf("%s: %w", part.Name, err)
			}
		}
		return by.Record(ctx, tx, "privacy.erasure_complete", audit.Subject{Kind: "user", ID: p.ID, Title: pseudonym, Path: "/admin/legal"},
			"personal data erased; signed records kept under the pseudonym")
	})
	if err != nil {
		return "", fmt.Errorf("completing erasure request %d: %w", id, err)
	}
	return pseudonym, nil
}

// Export is everything the parts keep about p, by part.
func (s *Store) Export(ctx context.Context, p web.Person) (map[string]any, error) {
	out := map[string]any{}
	for _, part := range s.Parts() {
		if part.Export == nil {
			continue
		}
		v, err := part.Export(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", part.Name, err)
		}
		if v != nil {
			out[part.Name] = v
		}
	}
	return out, nil
}

type requestExport struct {
	State       string     `json:"state"`
	Reason      string     `json:"reason"`
	RequestedAt time.Time  `json:"requested_at"`
	CompletedAt *time.Time `json:"completed_at"`
}

// PersonalData is this capability's own part: the person's erasure requests.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "erasure_requests",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			rows, err := s.DB.R.QueryContext(ctx, `SELECT state, reason, requested_at, completed_at FROM erasure_requests
				WHERE user_id = $1 ORDER BY id`, p.ID)
			if err != nil {
				return nil, fmt.Errorf("erasure requests of account %d: %w", p.ID, err)
			}
			defer rows.Close()
			out := []requestExport{}
			for rows.Next() {
				var e requestExport
				var done sql.NullTime
				if err := rows.Scan(&e.State, &e.Reason, &e.RequestedAt, &done); err != nil {
					return nil, fmt.Errorf("erasure requests of account %d: %w", p.ID, err)
				}
				if done.Valid {
					e.CompletedAt = &done.Time
				}
				out = append(out, e)
			}
			return out, rows.Err()
		},
		// The request itself is the record that the erasure was asked for
		// and done; its reason goes with the completion.
		Erase: nil,
	}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
