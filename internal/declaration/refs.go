package declaration

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"observatory/internal/i18n"
)

// The forms need a few facts owned by other capabilities (cities, their
// representatives, summits); they are read here by joining their tables,
// never by importing their packages.

// CityOption is a city in a choice list.
type CityOption struct {
	CityRef
	Member bool
}

// Cities lists every city by name, members marked.
func (s *Store) Cities(ctx context.Context) ([]CityOption, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, slug, name, names, country, membership = 'member'
		FROM cities ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CityOption
	for rows.Next() {
		var c CityOption
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Member); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// City returns one city's name and link, and whether it is a member.
func (s *Store) City(ctx context.Context, id int64) (CityOption, error) {
	var c CityOption
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, slug, name, names, country, membership = 'member'
		FROM cities WHERE id = $1`, id).Scan(&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Member)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrCityUnknown
	}
	return c, err
}

// Person is a city's mayor or deputy mayor, who may sign for it.
type Person struct {
	ID   int64
	Name string
	Role string
}

// Representatives lists a city's current mayors and deputy mayors.
func (s *Store) Representatives(ctx context.Context, cityID int64) ([]Person, error) {
	today := time.Now().UTC().Format(time.DateOnly)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, role FROM city_people
		WHERE city_id = $1 AND role IN ('mayor', 'deputy_mayor') AND (term_end IS NULL OR term_end = '' OR term_end >= $2)
		ORDER BY CASE role WHEN 'mayor' THEN 0 ELSE 1 END, position, id`, cityID, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Role); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SummitOption is a summit in a choice list.
type SummitOption struct {
	ID       int64
	Title    i18n.Text
	Lang     string
	StartsOn string
}

// Summits lists the summits, the latest first.
func (s *Store) Summits(ctx context.Context) ([]SummitOption, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, title, source_lang, starts_on FROM summits ORDER BY starts_on DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SummitOption
	for rows.Next() {
		var o SummitOption
		if err := rows.Scan(&o.ID, &o.Title, &o.Lang, &o.StartsOn); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
