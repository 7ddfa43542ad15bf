package city

import (
	"context"
	"database/sql"
	"fmt"

	"observatory/internal/web"
)

// A city's people (its mayor, officers …) may be linked to an account. The
// entry is the city's public profile of an office holder: an erasure of
// the account unlinks it; the city's editors keep the profile itself.

type personExport struct {
	City  int64  `json:"city_id"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Title string `json:"title"`
}

// PersonalData is the cities' part of a person's download and erasure.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "city_people",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			rows, err := s.DB.R.QueryContext(ctx, `SELECT city_id, name, role, title FROM city_people WHERE user_id = $1 ORDER BY id`, p.ID)
			if err != nil {
				return nil, fmt.Errorf("city profiles of account %d: %w", p.ID, err)
			}
			defer rows.Close()
			out := []personExport{}
			for rows.Next() {
				var e personExport
				if err := rows.Scan(&e.City, &e.Name, &e.Role, &e.Title); err != nil {
					return nil, fmt.Errorf("city profiles of account %d: %w", p.ID, err)
				}
				out = append(out, e)
			}
			return out, rows.Err()
		},
		Erase: func(ctx context.Context, tx *sql.Tx, p web.Person, _ string) error {
			if _, err := tx.ExecContext(ctx, `UPDATE city_people SET user_id = NULL WHERE user_id = $1`, p.ID); err != nil {
				return fmt.Errorf("unlinking account %d from city profiles: %w", p.ID, err)
			}
			return nil
		},
	}
}
