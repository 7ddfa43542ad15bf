package city

import (
	"context"
	"fmt"
	"slices"

	"observatory/internal/web"
)

// Datasets are the member cities as open data: the cities (every
// membership state, as the API with status=all), their names and
// descriptions per language, their partnerships and their representatives
// in public roles (never staff, never an account or an e-mail address).
func (s *Store) Datasets() []web.Dataset {
	citiesState := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(updated_at) AS TEXT) FROM cities`))
	}
	return []web.Dataset{{
		Name: "cities", Title: "city.data.cities", Description: "city.data.cities.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "slug", Type: "string"}, {Name: "name", Type: "string"},
			{Name: "country", Type: "string"}, {Name: "continent", Type: "string"}, {Name: "region", Type: "string"},
			{Name: "population", Type: "integer"}, {Name: "population_year", Type: "year"}, {Name: "lat", Type: "number"},
			{Name: "lon", Type: "number"}, {Name: "timezone", Type: "string"}, {Name: "website", Type: "string"},
			{Name: "membership", Type: "string"}, {Name: "member_since", Type: "string"}, {Name: "member_until", Type: "string"},
			{Name: "foreign_residents", Type: "integer"}, {Name: "foreign_nationalities", Type: "integer"},
			{Name: "foreign_as_of", Type: "string"}, {Name: "page", Type: "string"}, {Name: "updated_at", Type: "datetime"}},
		State: citiesState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			cities, err := s.all(ctx)
			for _, c := range cities {
				if err == nil {
					err = row(c.ID, c.Slug, c.Name, c.Country, c.Continent, c.Region, orNil(c.Population), orNil(int64(c.PopulationYear)),
						c.Lat, c.Lon, c.Timezone, c.Website, c.Membership, c.MemberSince, c.MemberUntil,
						orNil(c.ForeignResidents), orNil(int64(c.ForeignNationalities)), c.ForeignAsOf, "/en"+c.Path(), c.UpdatedAt)
				}
			}
			return err
		},
	}, {
		Name: "city_texts", Title: "city.data.texts", Description: "city.data.texts.desc", Columns: web.TextColumns,
		State: citiesState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			cities, err := s.all(ctx)
			for _, c := range cities {
				if err == nil {
					err = web.TextRows(row, c.ID, "name", c.Names, "", nil)
				}
				if err == nil {
					err = web.TextRows(row, c.ID, "description", c.Description, c.DescriptionLang, nil)
				}
			}
			return err
		},
	}, {
		Name: "partnerships", Title: "city.data.partnerships", Description: "city.data.partnerships.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "city_id", Type: "integer"},
			{Name: "partner_city_id", Type: "integer"}, {Name: "partner_name", Type: "string"}, {Name: "partner_country", Type: "string"},
			{Name: "since", Type: "year"}, {Name: "kind", Type: "string"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST((SELECT MAX(updated_at) FROM cities) AS TEXT) FROM city_partnerships`))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			return s.each(ctx, `SELECT p.id, p.city_id, p.partner_city_id, COALESCE(o.name, p.partner_name),
				COALESCE(o.country, p.partner_country), p.since, p.kind
				FROM city_partnerships p LEFT JOIN cities o ON o.id = p.partner_city_id ORDER BY p.id`, 7, row)
		},
	}, {
		Name: "representatives", Title: "city.data.people", Description: "city.data.people.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "city_id", Type: "integer"}, {Name: "name", Type: "string"},
			{Name: "role", Type: "string"}, {Name: "title", Type: "string"}, {Name: "term_start", Type: "string"},
			{Name: "term_end", Type: "string"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST((SELECT MAX(updated_at) FROM cities) AS TEXT)
				FROM city_people WHERE role IN ('mayor', 'deputy_mayor', 'council_member', 'diversity_officer')`))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			// Public roles only: the people who hold office or a post the
			// city names publicly; staff stay out.
			return s.each(ctx, `SELECT id, city_id, name, role, title, COALESCE(term_start, ''), COALESCE(term_end, '')
				FROM city_people WHERE role IN ('mayor', 'deputy_mayor', 'council_member', 'diversity_officer')
				ORDER BY city_id, position, id`, 7, row)
		},
	}}
}

// all lists every city, members, candidates and former members, by id.
func (s *Store) all(ctx context.Context) ([]*City, error) {
	cities, err := s.List(ctx, Filter{Status: "all"})
	slices.SortFunc(cities, func(a, b *City) int { return int(a.ID - b.ID) })
	return cities, err
}

// each runs query and hands each row's n columns to row.
func (s *Store) each(ctx context.Context, query string, n int, row func(...any) error) error {
	rows, err := s.DB.ReadRows(ctx, query)
	if err != nil {
		return fmt.Errorf("city open data: %w", err)
	}
	return web.EachRow(rows, n, row)
}

func orNil(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
