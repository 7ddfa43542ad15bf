package mail

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// OutboxEntry is one message to a person in their download.
type OutboxEntry struct {
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// PersonalData is the outbox's part of a person's download (the messages
// to their address) and of an erasure: those messages go, sent or not, and
// their address is replaced by the pseudonym in messages to others.
func PersonalData(d *db.DB) web.PersonalData {
	return web.PersonalData{
		Name: "mail",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			rows, err := d.R.QueryContext(ctx, `SELECT subject, body, created_at, sent_at FROM mail_outbox
				WHERE LOWER(recipient) = $1 ORDER BY id`, p.Email)
			if err != nil {
				return nil, fmt.Errorf("mail to account %d: %w", p.ID, err)
			}
			defer rows.Close()
			out := []OutboxEntry{}
			for rows.Next() {
				var e OutboxEntry
				var sent sql.NullTime
				if err := rows.Scan(&e.Subject, &e.Body, &e.CreatedAt, &sent); err != nil {
					return nil, fmt.Errorf("mail to account %d: %w", p.ID, err)
				}
				if sent.Valid {
					e.SentAt = &sent.Time
				}
				out = append(out, e)
			}
			return out, rows.Err()
		},
		Erase: func(ctx context.Context, tx *sql.Tx, p web.Person, pseudonym string) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM mail_outbox WHERE LOWER(recipient) = $1`, p.Email); err != nil {
				return fmt.Errorf("removing the mail to account %d: %w", p.ID, err)
			}
			pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(p.Email) + "%"
			if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET body = REPLACE(body, $1, $2) WHERE body LIKE $3 ESCAPE '\'`,
				p.Email, pseudonym, pattern); err != nil {
				return fmt.Errorf("removing account %d's address from mail to others: %w", p.ID, err)
			}
			return nil
		},
	}
}
