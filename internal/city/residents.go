package city

import (
	"context"
	"database/sql"

	"observatory/internal/db"
)

// Residents lists the largest groups of a city's residents by foreign
// nationality, largest first.
func (s *Store) Residents(ctx context.Context, cityID int64) ([]Group, error) {
	return residents(ctx, s.DB.R, cityID)
}

func residents(ctx context.Context, q db.Querier, cityID int64) ([]Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT country, residents FROM city_foreign_residents
		WHERE city_id = $1 ORDER BY residents DESC, country`, cityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.Country, &g.Residents); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SetResidents replaces a city's groups by nationality; the totals and the
// date of the count are on the city record (see Update).
func SetResidents(ctx context.Context, tx *sql.Tx, cityID int64, asOf string, groups []Group) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM city_foreign_residents WHERE city_id = $1`, cityID); err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO city_foreign_residents (city_id, country, residents, as_of)
			VALUES ($1, $2, $3, $4)`, cityID, g.Country, g.Residents, asOf); err != nil {
			return err
		}
	}
	return nil
}
