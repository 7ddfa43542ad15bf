package practice

import (
	"context"
	"fmt"
	"time"

	"observatory/internal/web"
)

// What the library keeps about a person with an account: the revisions
// they wrote and the workflow steps they took. Both stay after an erasure
// (they are the practice's history) and then name the pseudonymised
// account.

type revisionExport struct {
	Practice  int64     `json:"practice_id"`
	Number    int       `json:"revision"`
	CreatedAt time.Time `json:"created_at"`
}

type eventExport struct {
	Practice int64     `json:"practice_id"`
	Action   string    `json:"action"`
	Comment  string    `json:"comment,omitempty"`
	At       time.Time `json:"at"`
}

// PersonalData is the library's part of a person's download.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "practices", Export: func(ctx context.Context, p web.Person) (any, error) {
		out := struct {
			Revisions []revisionExport `json:"revisions_written"`
			Steps     []eventExport    `json:"workflow_steps"`
		}{Revisions: []revisionExport{}, Steps: []eventExport{}}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, number, created_at FROM practice_revisions WHERE author_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return nil, fmt.Errorf("revisions by account %d: %w", p.ID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var r revisionExport
			if err := rows.Scan(&r.Practice, &r.Number, &r.CreatedAt); err != nil {
				return nil, fmt.Errorf("revisions by account %d: %w", p.ID, err)
			}
			out.Revisions = append(out.Revisions, r)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		erows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, action, comment, at FROM practice_events WHERE actor_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return nil, fmt.Errorf("workflow steps by account %d: %w", p.ID, err)
		}
		defer erows.Close()
		for erows.Next() {
			var e eventExport
			if err := erows.Scan(&e.Practice, &e.Action, &e.Comment, &e.At); err != nil {
				return nil, fmt.Errorf("workflow steps by account %d: %w", p.ID, err)
			}
			out.Steps = append(out.Steps, e)
		}
		return out, erows.Err()
	}}
}
