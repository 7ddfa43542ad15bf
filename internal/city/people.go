package city

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

const personColumns = `p.id, p.city_id, p.name, p.role, p.title, COALESCE(p.term_start, ''), COALESCE(p.term_end, ''),
	COALESCE(p.photo_id, 0), COALESCE(i.content_type, ''), COALESCE(i.sha256, ''), COALESCE(p.user_id, 0), p.position`

const personFrom = ` FROM city_people p LEFT JOIN images i ON i.id = p.photo_id`

func scanPerson(row scanner) (*Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.CityID, &p.Name, &p.Role, &p.Title, &p.TermStart, &p.TermEnd, &p.PhotoID, &p.PhotoType, &p.PhotoKey, &p.UserID, &p.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &p, err
}

// People lists a city's representatives in the order the city set, then
// by role.
func (s *Store) People(ctx context.Context, cityID int64) ([]*Person, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.city_id = $1
		ORDER BY p.position, p.id`, cityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PersonForUpdate reads one person of a city inside a write transaction.
func PersonForUpdate(ctx context.Context, tx *sql.Tx, cityID, id int64) (*Person, error) {
	return scanPerson(tx.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.id = $1 AND p.city_id = $2`, id, cityID))
}

// AddPerson inserts p at the end of its city's list.
func AddPerson(ctx context.Context, q db.Querier, p *Person) error {
	return q.QueryRowContext(ctx, `INSERT INTO city_people (city_id, name, role, title, term_start, term_end, photo_id, user_id, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(position), 0) + 1 FROM city_people WHERE city_id = $1))
		RETURNING id, position`,
		p.CityID, p.Name, p.Role, p.Title, nullStr(p.TermStart), nullStr(p.TermEnd), nullInt(p.PhotoID), nullInt(p.UserID)).
		Scan(&p.ID, &p.Position)
}

// UpdatePerson writes p.
func UpdatePerson(ctx context.Context, tx *sql.Tx, p *Person) error {
	res, err := tx.ExecContext(ctx, `UPDATE city_people SET name = $1, role = $2, title = $3, term_start = $4, term_end = $5,
		photo_id = $6, user_id = $7, position = $8 WHERE id = $9 AND city_id = $10`,
		p.Name, p.Role, p.Title, nullStr(p.TermStart), nullStr(p.TermEnd), nullInt(p.PhotoID), nullInt(p.UserID), p.Position, p.ID, p.CityID)
	return oneRow(res, err)
}

// DeletePerson removes one person of a city.
func DeletePerson(ctx context.Context, tx *sql.Tx, cityID, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM city_people WHERE id = $1 AND city_id = $2`, id, cityID)
	return oneRow(res, err)
}

// Accounts lists the accounts bound to a city, for linking a person to
// the account they sign in with, in the alphabetical order of lang.
func (s *Store) Accounts(ctx context.Context, cityID int64, lang string) ([]option, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, email FROM users WHERE city_id = $1 ORDER BY name, id`, cityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []option{{"", "—"}}
	for rows.Next() {
		var id int64
		var name, email string
		if err := rows.Scan(&id, &name, &email); err != nil {
			return nil, err
		}
		out = append(out, option{strconv.FormatInt(id, 10), name + " <" + email + ">"})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts of city %d: %w", cityID, err)
	}
	i18n.SortByName(lang, out[1:], func(o option) string { return o.Label })
	return out, nil
}
