package exchange

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/web"
)

// What exchanges keep about a person with an account: the requests they
// wrote (with the contact they named) and their messages in the threads.
// An erasure names the pseudonym instead of them and drops their contact
// address; what they wrote stays with the two cities, whose exchange it is.

type personalExport struct {
	Requests []requestExport `json:"requests_written"`
	Contact  []requestExport `json:"named_as_contact"`
	Messages []messageExport `json:"messages_written"`
}

type requestExport struct {
	ID           int64     `json:"id"`
	PracticeID   int64     `json:"practice_id"`
	FromCity     int64     `json:"from_city_id"`
	ToCity       int64     `json:"to_city_id"`
	Kind         string    `json:"kind"`
	State        string    `json:"state"`
	Message      string    `json:"message"`
	ContactName  string    `json:"contact_name"`
	ContactEmail string    `json:"contact_email"`
	CreatedAt    time.Time `json:"created_at"`
}

type messageExport struct {
	Exchange  int64     `json:"exchange_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalData is the exchanges' part of a person's download and erasure.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "exchanges", Export: s.exportPerson, Erase: s.erasePerson}
}

func (s *Store) requestsWhere(ctx context.Context, where string, arg any) ([]requestExport, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, practice_id, from_city, to_city, kind, state, message, contact_name, contact_email, created_at
		FROM exchanges WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []requestExport{}
	for rows.Next() {
		var e requestExport
		if err := rows.Scan(&e.ID, &e.PracticeID, &e.FromCity, &e.ToCity, &e.Kind, &e.State, &e.Message, &e.ContactName, &e.ContactEmail, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Store) exportPerson(ctx context.Context, p web.Person) (any, error) {
	var out personalExport
	var err error
	if out.Requests, err = s.requestsWhere(ctx, `requested_by = $1`, p.ID); err != nil {
		return nil, fmt.Errorf("exchanges requested by account %d: %w", p.ID, err)
	}
	if out.Contact, err = s.requestsWhere(ctx, `LOWER(contact_email) = $1`, p.Email); err != nil {
		return nil, fmt.Errorf("exchanges naming account %d: %w", p.ID, err)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT exchange_id, body, created_at FROM exchange_messages
		WHERE author_id = $1 AND kind = 'message' ORDER BY id`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("messages of account %d: %w", p.ID, err)
	}
	defer rows.Close()
	out.Messages = []messageExport{}
	for rows.Next() {
		var m messageExport
		if err := rows.Scan(&m.Exchange, &m.Body, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("messages of account %d: %w", p.ID, err)
		}
		out.Messages = append(out.Messages, m)
	}
	return out, rows.Err()
}

func (s *Store) erasePerson(ctx context.Context, tx *sql.Tx, p web.Person, pseudonym string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE exchanges SET contact_name = $1, contact_email = '' WHERE LOWER(contact_email) = $2`,
		pseudonym, p.Email); err != nil {
		return fmt.Errorf("erasing account %d as an exchange's contact: %w", p.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE exchange_messages SET author_name = $1 WHERE author_id = $2`, pseudonym, p.ID); err != nil {
		return fmt.Errorf("naming account %d's messages by its pseudonym: %w", p.ID, err)
	}
	return nil
}
