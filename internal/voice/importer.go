package voice

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/search"
)

// Imported is an idea taken over from elsewhere (the demo, another
// system): stored as given, without the spam defence.
type Imported struct {
	Body         string
	Lang         string
	Theme        string
	Channel      string
	ExhibitionID int64
	StationID    int64
	Card         string
	State        string
	Reason       string
	Supports     int
	CreatedAt    time.Time
	Practices    []int64
}

// Import stores ideas of a consultation in one transaction.
func (s *Store) Import(ctx context.Context, consultation int64, ideas []Imported) error {
	dl := s.DB.Dialect
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, i := range ideas {
			var decided any
			if i.State != StateWaiting {
				decided = i.CreatedAt.Add(20 * time.Hour).UTC()
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO voice_ideas (consultation_id, receipt, body, lang, theme, channel, exhibition_id, station_id,
				card, state, reason, supports, simhash, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				consultation, newReceipt(), i.Body, i.Lang, i.Theme, i.Channel, nullID(i.ExhibitionID), nullID(i.StationID), i.Card, i.State, i.Reason,
				i.Supports, int64(Simhash(i.Body)), i.CreatedAt.UTC(), decided).Scan(&id); err != nil {
				return fmt.Errorf("importing idea: %w", err)
			}
			if i.State == StatePublished {
				if _, err := tx.ExecContext(ctx, search.FullTextPut(dl, "voice_idea_fts"), id, search.IndexText(i.Body, i.Lang)); err != nil {
					return err
				}
			}
			for _, p := range i.Practices {
				if _, err := tx.ExecContext(ctx, `INSERT INTO voice_idea_practices (idea_id, practice_id) VALUES ($1, $2)`, id, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
