package voice

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/web"
)

// Ideas are given without an account; an idea that left the address of a
// person who has one is theirs in their download, and an erasure removes
// the address from it (the idea itself stays with its consultation).

type ideaExport struct {
	Consultation int64     `json:"consultation_id"`
	Body         string    `json:"body"`
	State        string    `json:"state"`
	Email        string    `json:"email"`
	CreatedAt    time.Time `json:"created_at"`
}

// PersonalData is the residents' ideas' part of a person's download and erasure.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "ideas",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			rows, err := s.DB.R.QueryContext(ctx, `SELECT consultation_id, body, state, email, created_at FROM voice_ideas
				WHERE email <> '' AND LOWER(email) = $1 ORDER BY id`, p.Email)
			if err != nil {
				return nil, fmt.Errorf("ideas with the address of account %d: %w", p.ID, err)
			}
			defer rows.Close()
			out := []ideaExport{}
			for rows.Next() {
				var e ideaExport
				if err := rows.Scan(&e.Consultation, &e.Body, &e.State, &e.Email, &e.CreatedAt); err != nil {
					return nil, fmt.Errorf("ideas with the address of account %d: %w", p.ID, err)
				}
				out = append(out, e)
			}
			return out, rows.Err()
		},
		Erase: func(ctx context.Context, tx *sql.Tx, p web.Person, _ string) error {
			if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET email = '', email_token = '', email_confirmed = FALSE
				WHERE email <> '' AND LOWER(email) = $1`, p.Email); err != nil {
				return fmt.Errorf("removing account %d's address from ideas: %w", p.ID, err)
			}
			return nil
		},
	}
}
