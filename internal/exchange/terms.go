package exchange

import (
	"context"
	"strings"

	"observatory/internal/i18n"
)

// themeNames names the practices' themes in lang (key → name).
func (s *Store) themeNames(lang string) map[string]string {
	out := map[string]string{}
	rows, err := s.DB.R.QueryContext(context.Background(), `SELECT key, names FROM practice_terms WHERE kind = 'theme'`)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n i18n.Text
		if rows.Scan(&k, &n) == nil {
			out[k] = n.Get(lang, i18n.Default)
		}
	}
	return out
}

// similarCity is a city facing the same challenges, by its practices.
type similarCity struct {
	City   City
	Shared []string
}

// SimilarCities are the cities whose practices share the most themes with
// city's (as the library computed them), for suggesting whom to invite.
func (s *Store) SimilarCities(ctx context.Context, city int64) ([]similarCity, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.id, c.slug, c.name, c.names, c.country, c.continent, x.shared
		FROM practice_city_similar x JOIN cities c ON c.id = x.other_id
		WHERE x.city_id = $1 AND c.membership = 'member' ORDER BY x.score DESC, c.id LIMIT 5`, city)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []similarCity
	for rows.Next() {
		var sc similarCity
		var shared string
		if err := rows.Scan(&sc.City.ID, &sc.City.Slug, &sc.City.Name, &sc.City.Names, &sc.City.Country, &sc.City.Continent, &shared); err != nil {
			return nil, err
		}
		sc.Shared = strings.Fields(strings.ReplaceAll(shared, ",", " "))
		out = append(out, sc)
	}
	return out, rows.Err()
}
