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
// their address and name are replaced by the pseudonym in the messages to
// others still kept (for at most KeepDays, see Purge).
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
			names := []string{p.Email}
			// A name too short to be told from ordinary words is left alone.
			if n := strings.TrimSpace(p.Name); len([]rune(n)) >= 4 {
				names = append(names, n)
			}
			for _, n := range names {
				pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(n) + "%"
				if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET body = REPLACE(body, $1, $2), subject = REPLACE(subject, $1, $2)
					WHERE body LIKE $3 ESCAPE '\' OR subject LIKE $3 ESCAPE '\'`, n, pseudonym, pattern); err != nil {
					return fmt.Errorf("removing account %d's address and name from mail to others: %w", p.ID, err)
				}
			}
			return nil
		},
	}
}

// KeepDays is how long the outbox keeps a message after it was written:
// long enough to answer "did the platform write to me, and what?", then
// Purge deletes it, sent or not.
const KeepDays = 90

// Purge deletes the messages written more than KeepDays before now and
// returns how many.
func Purge(ctx context.Context, d *db.DB, now time.Time) (int64, error) {
	res, err := d.W.ExecContext(ctx, `DELETE FROM mail_outbox WHERE created_at < $1`, now.Add(-KeepDays*24*time.Hour))
	if err != nil {
		return 0, fmt.Errorf("deleting old mail: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// RetentionJob runs Purge every hour, on one server at a time.
func RetentionJob(d *db.DB) web.Job {
	return web.Job{Name: "mail.retention", Every: time.Hour, Once: true, Run: func(ctx context.Context) error {
		_, err := Purge(ctx, d, db.Now())
		return err
	}}
}
