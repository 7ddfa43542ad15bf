package practice

import (
	"context"
	"fmt"
	"time"

	"observatory/internal/db"
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
		revs, err := db.All(ctx, s.DB.R, func(r *revisionExport) []any { return []any{&r.Practice, &r.Number, &r.CreatedAt} },
			`SELECT practice_id, number, created_at FROM practice_revisions WHERE author_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return nil, fmt.Errorf("revisions by account %d: %w", p.ID, err)
		}
		steps, err := db.All(ctx, s.DB.R, func(e *eventExport) []any { return []any{&e.Practice, &e.Action, &e.Comment, &e.At} },
			`SELECT practice_id, action, comment, at FROM practice_events WHERE actor_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return nil, fmt.Errorf("workflow steps by account %d: %w", p.ID, err)
		}
		out.Revisions, out.Steps = append(out.Revisions, revs...), append(out.Steps, steps...)
		return out, nil
	}}
}
