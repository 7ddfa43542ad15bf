package city

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"

	"observatory/internal/i18n"
)

// partnershipColumns reads a partnership with the other side as seen from
// the city $1: the partner when $1 recorded it, the recording city when
// $1 is the partner.
const partnershipColumns = `p.id, p.city_id, COALESCE(p.partner_city_id, 0), p.partner_name, p.partner_country,
	COALESCE(p.since, 0), p.kind, COALESCE(o.id, 0), COALESCE(o.slug, ''), COALESCE(o.name, ''), COALESCE(o.names, '{}'),
	COALESCE(o.country, ''), COALESCE(o.membership, ''), COALESCE(o.lat, 0), COALESCE(o.lon, 0)`

const partnershipFrom = ` FROM city_partnerships p
	LEFT JOIN cities o ON o.id = CASE WHEN p.city_id = $1 THEN p.partner_city_id ELSE p.city_id END`

func scanPartnership(row scanner) (*Partnership, error) {
	var p Partnership
	var o Ref
	var names i18n.Text
	err := row.Scan(&p.ID, &p.CityID, &p.PartnerCityID, &p.PartnerName, &p.PartnerCountry, &p.Since, &p.Kind,
		&o.ID, &o.Slug, &o.Name, &names, &o.Country, &o.Membership, &o.Lat, &o.Lon)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	o.Names = names
	if o.ID == 0 {
		o = Ref{Name: p.PartnerName, Country: p.PartnerCountry}
	}
	p.Other = o
	return &p, nil
}

// Partnerships lists a city's partnerships, whichever of the two cities
// recorded them, oldest first.
func (s *Store) Partnerships(ctx context.Context, cityID int64) ([]*Partnership, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+partnershipColumns+partnershipFrom+`
		WHERE p.city_id = $1 OR p.partner_city_id = $1`, cityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Partnership
	for rows.Next() {
		p, err := scanPartnership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sortPartnerships(out)
	return out, rows.Err()
}

func sortPartnerships(ps []*Partnership) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.Since == 0) != (b.Since == 0) {
			return b.Since == 0 // unknown years last
		}
		if a.Since != b.Since {
			return a.Since < b.Since
		}
		return strings.ToLower(a.Other.Name) < strings.ToLower(b.Other.Name)
	})
}

// PartnershipForUpdate reads a partnership that city cityID is part of
// (on either side), inside a write transaction.
func PartnershipForUpdate(ctx context.Context, tx *sql.Tx, cityID, id int64) (*Partnership, error) {
	return scanPartnership(tx.QueryRowContext(ctx, `SELECT `+partnershipColumns+partnershipFrom+`
		WHERE p.id = $2 AND (p.city_id = $1 OR p.partner_city_id = $1)`, cityID, id))
}

// ErrDuplicate: the two cities already have a partnership on record.
var ErrDuplicate = errors.New("partnership already recorded")

// AddPartnership records p. A partnership between two cities of the
// directory is one row, shown on both pages, so it is refused when either
// city recorded it already.
func AddPartnership(ctx context.Context, tx *sql.Tx, p *Partnership) error {
	if err := checkDuplicate(ctx, tx, p); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `INSERT INTO city_partnerships (city_id, partner_city_id, partner_name, partner_country, since, kind)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		p.CityID, nullInt(p.PartnerCityID), p.PartnerName, p.PartnerCountry, nullInt(p.Since), p.Kind).Scan(&p.ID)
}

func checkDuplicate(ctx context.Context, tx *sql.Tx, p *Partnership) error {
	var n int
	var err error
	if p.PartnerCityID != 0 {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM city_partnerships WHERE id <> $3 AND
			((city_id = $1 AND partner_city_id = $2) OR (city_id = $2 AND partner_city_id = $1))`,
			p.CityID, p.PartnerCityID, p.ID).Scan(&n)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM city_partnerships WHERE id <> $4 AND city_id = $1
			AND partner_city_id IS NULL AND LOWER(partner_name) = LOWER($2) AND partner_country = $3`,
			p.CityID, p.PartnerName, p.PartnerCountry, p.ID).Scan(&n)
	}
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrDuplicate
	}
	return nil
}

// UpdatePartnership writes p (found with PartnershipForUpdate).
func UpdatePartnership(ctx context.Context, tx *sql.Tx, p *Partnership) error {
	if err := checkDuplicate(ctx, tx, p); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE city_partnerships SET partner_city_id = $1, partner_name = $2, partner_country = $3,
		since = $4, kind = $5 WHERE id = $6`,
		nullInt(p.PartnerCityID), p.PartnerName, p.PartnerCountry, nullInt(p.Since), p.Kind, p.ID)
	return oneRow(res, err)
}

// DeletePartnership removes a partnership.
func DeletePartnership(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM city_partnerships WHERE id = $1`, id)
	return oneRow(res, err)
}

// Jubilee is a partnership completing a round number of years.
type Jubilee struct {
	Years int
	Since int
	A, B  Ref // the two sides; B.ID is 0 for a partner outside the directory
	Kind  string
}

// Anniversaries lists the partnerships that complete a round number of
// years in year, largest first. One statement.
func (s *Store) Anniversaries(ctx context.Context, year int) ([]Jubilee, error) {
	var starts []any
	var ph []string
	for _, n := range RoundYears {
		starts = append(starts, year-n)
		ph = append(ph, "$"+strconv.Itoa(len(starts)))
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.since, p.kind, a.id, a.slug, a.name, a.names, a.country, a.membership,
		COALESCE(b.id, 0), COALESCE(b.slug, ''), COALESCE(b.name, p.partner_name), COALESCE(b.names, '{}'),
		COALESCE(b.country, p.partner_country), COALESCE(b.membership, '')
		FROM city_partnerships p JOIN cities a ON a.id = p.city_id LEFT JOIN cities b ON b.id = p.partner_city_id
		WHERE p.since IN (`+strings.Join(ph, ", ")+`) ORDER BY p.since, a.name, p.id`, starts...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Jubilee
	for rows.Next() {
		var j Jubilee
		if err := rows.Scan(&j.Since, &j.Kind, &j.A.ID, &j.A.Slug, &j.A.Name, &j.A.Names, &j.A.Country, &j.A.Membership,
			&j.B.ID, &j.B.Slug, &j.B.Name, &j.B.Names, &j.B.Country, &j.B.Membership); err != nil {
			return nil, err
		}
		j.Years = year - j.Since
		out = append(out, j)
	}
	return out, rows.Err()
}
