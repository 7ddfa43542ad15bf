package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"

	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/summit"
)

// Invented place names: a start, an ending, and now and then a word
// before them, to build names that read like towns without being any.
var (
	cityStarts   = []string{"Al", "Bel", "Cor", "Dar", "El", "Fal", "Gran", "Hal", "Is", "Jor", "Kel", "Lor", "Mar", "Nor", "Or", "Pal", "Quin", "Ros", "Sal", "Tor", "Ul", "Val", "Wes", "Zan", "Ber", "Cam", "Del", "Mon", "Riv", "Sen"}
	cityEndings  = []string{"ava", "berg", "bridge", "burg", "dale", "field", "ford", "gate", "heim", "ia", "ino", "mont", "mouth", "ona", "polis", "port", "sund", "ton", "ville", "wick", "stad", "ora", "enza", "ac", "ovo"}
	cityPrefixes = []string{"Nova ", "San ", "Saint-", "Port ", "Neu-", "Villa ", "Upper ", "Lower "}
)

// Cities adds n invented member cities for measuring pages at scale:
// each near a city already in the network (so several in each country),
// with a mayor, one or two partnerships with the others, and a delegation
// to the first summit. seed makes the names and places repeatable.
func Cities(ctx context.Context, d *db.DB, n int, seed uint64) error {
	if n <= 0 {
		return nil
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		type anchor struct {
			country, tz string
			lat, lon    float64
		}
		rows, err := tx.QueryContext(ctx, `SELECT country, timezone, lat, lon FROM cities WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id`)
		if err != nil {
			return fmt.Errorf("reading the cities: %w", err)
		}
		var anchors []anchor
		for rows.Next() {
			var a anchor
			if err := rows.Scan(&a.country, &a.tz, &a.lat, &a.lon); err != nil {
				rows.Close()
				return fmt.Errorf("reading the cities: %w", err)
			}
			anchors = append(anchors, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading the cities: %w", err)
		}
		if len(anchors) == 0 {
			return errors.New("there are no cities: load the demo content first (observatory seed --demo)")
		}
		var summitID int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM summits ORDER BY number LIMIT 1`).Scan(&summitID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reading the first summit: %w", err)
		}
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		now := db.Now()
		ids := make([]int64, 0, n)
		for range n {
			a := anchors[rng.IntN(len(anchors))]
			name := cityStarts[rng.IntN(len(cityStarts))] + cityEndings[rng.IntN(len(cityEndings))]
			if rng.IntN(5) == 0 {
				name = cityPrefixes[rng.IntN(len(cityPrefixes))] + name
			}
			c := &city.City{Name: name, Country: a.country, Timezone: a.tz,
				Lat: clamp(a.lat+rng.Float64()*3-1.5, -89, 89), Lon: clamp(a.lon+rng.Float64()*3-1.5, -179, 179),
				Population: int64(20000 + rng.IntN(2000000)), PopulationYear: 2015 + rng.IntN(9),
				DescriptionLang: "en", Membership: city.Member, MemberSince: strconv.Itoa(2015 + rng.IntN(10))}
			if p := c.Check(); len(p) > 0 {
				return fmt.Errorf("generated city %s: %v", name, p)
			}
			if err := city.Create(ctx, tx, c); err != nil {
				return fmt.Errorf("generated city %s: %w", name, err)
			}
			mayor := "(demo) Mayor of " + name
			if err := city.AddPerson(ctx, tx, &city.Person{CityID: c.ID, Name: mayor, Role: "mayor"}); err != nil {
				return fmt.Errorf("generated city %s: %w", name, err)
			}
			// Partners among the cities made before, at most two.
			for k := range min(len(ids), 1+rng.IntN(2)) {
				other := ids[rng.IntN(len(ids))]
				if k > 0 && other == ids[len(ids)-1] {
					continue
				}
				p := &city.Partnership{CityID: c.ID, PartnerCityID: other, Since: 1960 + rng.IntN(60), Kind: "twin"}
				if err := city.AddPartnership(ctx, tx, p); err != nil && !errors.Is(err, city.ErrDuplicate) {
					return fmt.Errorf("generated partnership of %s: %w", name, err)
				}
			}
			ids = append(ids, c.ID)
			if summitID == 0 {
				continue
			}
			var del int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO summit_delegations (summit_id, city_id, state, reason, created_at, updated_at)
				VALUES ($1, $2, $3, '', $4, $4) RETURNING id`, summitID, c.ID, summit.StateConfirmed, now).Scan(&del); err != nil {
				return fmt.Errorf("generated delegation of %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO summit_delegates (delegation_id, summit_id, is_head, name, role, consent, badge_token, feed_token,
				position, created_at, updated_at) VALUES ($1, $2, TRUE, $3, 'mayor', TRUE, $4, $5, 0, $6, $6)`,
				del, summitID, mayor, summit.NewToken(), summit.NewToken(), now); err != nil {
				return fmt.Errorf("generated delegate of %s: %w", name, err)
			}
		}
		return nil
	})
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }
