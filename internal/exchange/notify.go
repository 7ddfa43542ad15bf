package exchange

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/mail"
)

// mail writes one message per recipient, each in their own language, in
// the transaction of the change it reports. Links come from the configured
// public address only, never from a request.
func (s *Store) mail(ctx context.Context, tx *sql.Tx, to []recipient, e *Exchange, key, extra string) error {
	if s.Catalog == nil {
		return nil
	}
	for _, r := range to {
		l := r.lang
		link := strings.TrimRight(s.BaseURL, "/") + "/" + l + "/exchanges/" + fmt.Sprint(e.ID)
		args := []any{"From", e.From.In(l), "To", e.To.In(l), "Practice", e.Practice.In(l),
			"Kind", s.Catalog.T(l, "exchange.kind."+e.Kind), "Link", link, "Extra", extra}
		subj := s.Catalog.T(l, key+".subject", args...)
		body := s.Catalog.T(l, key+".body", args...) + "\n\n" + link + "\n\n" + s.Catalog.T(l, "exchange.mail.footer")
		if err := mail.Enqueue(ctx, tx, r.email, subj, body); err != nil {
			return err
		}
	}
	return nil
}

func contactEmail(record string) string {
	var r struct {
		Contact struct {
			Email string `json:"email"`
		} `json:"contact"`
	}
	if json.Unmarshal([]byte(record), &r) != nil {
		return ""
	}
	return strings.TrimSpace(r.Contact.Email)
}

// Remind tells the asked cities about requests that have waited ten days
// for an answer, once per request, with a note in the thread.
func (s *Store) Remind(ctx context.Context, now time.Time) (int, error) {
	ids, err := s.ids(ctx, `SELECT id FROM exchanges WHERE state = 'requested' AND answered_at IS NULL
		AND reminded_at IS NULL AND created_at <= $1 ORDER BY id`, now.Add(-reminderAfter))
	if err != nil {
		return 0, fmt.Errorf("finding requests to remind: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			// The condition again: another server may have reminded meanwhile.
			res, err := tx.ExecContext(ctx, `UPDATE exchanges SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND answered_at IS NULL`, now, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return nil
			}
			e, err := s.get(ctx, tx, Who{Secretariat: true}, id)
			if err != nil {
				return err
			}
			to, err := s.recipients(ctx, tx, e.To.ID, practiceContact(ctx, tx, e.Practice.ID))
			if err != nil {
				return err
			}
			if err := s.mail(ctx, tx, to, e, "exchange.mail.reminder", ""); err != nil {
				return err
			}
			if err := s.note(ctx, tx, id, "exchange.note.reminder", ""); err != nil {
				return err
			}
			n++
			return audit.System("job").Record(ctx, tx, "exchange.remind", subject(e), "")
		})
		if err != nil {
			return n, fmt.Errorf("reminding about exchange %d: %w", id, err)
		}
	}
	return n, nil
}

// FollowUp asks both cities of each finished exchange, 3, 6 and 12 months
// after it was done, what became of it: an e-mail and a note in the thread.
func (s *Store) FollowUp(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, done_at, followups FROM exchanges
		WHERE state IN ('done', 'adopted') AND done_at IS NOT NULL AND followups < $1 ORDER BY id`, len(followUpMonths))
	if err != nil {
		return 0, fmt.Errorf("finding exchanges to follow up: %w", err)
	}
	type due struct {
		id   int64
		sent int
	}
	var list []due
	for rows.Next() {
		var d due
		var done time.Time
		if err := rows.Scan(&d.id, &done, &d.sent); err != nil {
			rows.Close()
			return 0, err
		}
		if !done.UTC().AddDate(0, followUpMonths[d.sent], 0).After(now) {
			list = append(list, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range list {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			// Skip the follow-ups already overdue: ask once, about the latest.
			sent := d.sent
			e, err := s.get(ctx, tx, Who{Secretariat: true}, d.id)
			if err != nil {
				return err
			}
			for sent+1 < len(followUpMonths) && !e.DoneAt.AddDate(0, followUpMonths[sent+1], 0).After(now) {
				sent++
			}
			res, err := tx.ExecContext(ctx, `UPDATE exchanges SET followups = $1 WHERE id = $2 AND followups = $3`, sent+1, d.id, d.sent)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return nil
			}
			months := fmt.Sprint(followUpMonths[sent])
			to, err := s.counterpart(ctx, tx, e, "")
			if err != nil {
				return err
			}
			if err := s.mail(ctx, tx, to, e, "exchange.mail.followup", months); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_messages (exchange_id, kind, author_name, body, created_at)
				VALUES ($1, 'note', $2, 'exchange.note.followup', $3)`, d.id, months, db.Now()); err != nil {
				return err
			}
			n++
			return audit.System("job").Record(ctx, tx, "exchange.followup", subject(e), months)
		})
		if err != nil {
			return n, fmt.Errorf("following up exchange %d: %w", d.id, err)
		}
	}
	return n, nil
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.DB.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
