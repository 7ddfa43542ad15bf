package stats

import (
	"context"
	"strconv"

	"observatory/internal/web"
)

// Datasets are the network's figures as open data, one figure per row: a
// figure's name, its key (a year, a continent, a country; empty for a
// total) and its value, computed as on the figures page and in the API.
func (s *Store) Datasets() []web.Dataset {
	return []web.Dataset{{
		Name: "figures", Title: "stats.data.figures", Description: "stats.data.figures.desc",
		Columns: []web.DataColumn{{Name: "figure", Type: "string"}, {Name: "key", Type: "string"}, {Name: "value", Type: "integer"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(updated_at) AS TEXT) FROM cities`))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			n, err := s.Network(ctx)
			if err != nil {
				return err
			}
			for _, f := range []struct {
				name  string
				value int64
			}{{"member_cities", n.Cities}, {"countries", n.Countries}, {"continents", n.Continents}, {"residents", n.Residents}} {
				if err := row(f.name, "", f.value); err != nil {
					return err
				}
			}
			for _, y := range n.Joins {
				if err := row("new_members", strconv.Itoa(y.Year), y.Count); err != nil {
					return err
				}
			}
			for _, k := range n.ByContinent {
				if err := row("members_by_continent", k.Key, k.Count); err != nil {
					return err
				}
				if err := row("residents_by_continent", k.Key, k.Residents); err != nil {
					return err
				}
			}
			for _, k := range n.ByCountry {
				if err := row("members_by_country", k.Key, k.Count); err != nil {
					return err
				}
				if err := row("residents_by_country", k.Key, k.Residents); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}
