// Package stats is the network in figures: the /figures page, the figures
// on the home page and in the API (all from Network, so they always
// agree), and the server-drawn bar charts other pages use. Capabilities add
// their own sections to the figures page.
package stats

import (
	"context"
	"sort"
	"strconv"

	"observatory/internal/db"
)

// Network is the network's headline figures, counted over member cities.
type Network struct {
	Cities     int64 `json:"member_cities"`
	Countries  int64 `json:"countries"`
	Continents int64 `json:"continents"`
	Residents  int64 `json:"residents"` // the member cities' populations added up
	// Joins counts the cities that became members each year, including
	// those that have left since; years without any are listed with 0.
	Joins       []YearCount `json:"new_members_per_year"`
	ByContinent []KeyCount  `json:"members_by_continent"`
	ByCountry   []KeyCount  `json:"members_by_country"`
}

// YearCount is a number of cities in one year.
type YearCount struct {
	Year  int   `json:"year"`
	Count int64 `json:"count"`
}

// KeyCount is a number of cities (and their residents) for a continent or
// country key.
type KeyCount struct {
	Key       string `json:"key"`
	Count     int64  `json:"count"`
	Residents int64  `json:"residents"`
}

// Store computes figures from the database.
type Store struct {
	DB *db.DB
}

// Network computes the network's figures in two statements.
func (s *Store) Network(ctx context.Context) (Network, error) {
	n := Network{Joins: []YearCount{}}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT continent, country, COUNT(*), CAST(COALESCE(SUM(population), 0) AS BIGINT)
		FROM cities WHERE membership = 'member' GROUP BY continent, country`)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	conts, countries := map[string]*KeyCount{}, map[string]*KeyCount{}
	add := func(m map[string]*KeyCount, key string, c, r int64) {
		if m[key] == nil {
			m[key] = &KeyCount{Key: key}
		}
		m[key].Count += c
		m[key].Residents += r
	}
	for rows.Next() {
		var cont, country string
		var c, r int64
		if err := rows.Scan(&cont, &country, &c, &r); err != nil {
			return n, err
		}
		add(conts, cont, c, r)
		add(countries, country, c, r)
		n.Cities += c
		n.Residents += r
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	n.Countries, n.Continents = int64(len(countries)), int64(len(conts))
	n.ByContinent, n.ByCountry = sorted(conts), sorted(countries)

	rows2, err := s.DB.R.QueryContext(ctx, `SELECT substr(member_since, 1, 4), COUNT(*) FROM cities
		WHERE membership IN ('member', 'former') AND member_since IS NOT NULL
		GROUP BY substr(member_since, 1, 4) ORDER BY 1`)
	if err != nil {
		return n, err
	}
	defer rows2.Close()
	for rows2.Next() {
		var y string
		var c int64
		if err := rows2.Scan(&y, &c); err != nil {
			return n, err
		}
		year, err := strconv.Atoi(y)
		if err != nil {
			continue
		}
		for len(n.Joins) > 0 && n.Joins[len(n.Joins)-1].Year < year-1 {
			n.Joins = append(n.Joins, YearCount{Year: n.Joins[len(n.Joins)-1].Year + 1})
		}
		n.Joins = append(n.Joins, YearCount{Year: year, Count: c})
	}
	return n, rows2.Err()
}

// sorted lists the counts, most cities first, then by key.
func sorted(m map[string]*KeyCount) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for _, kc := range m {
		out = append(out, *kc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
