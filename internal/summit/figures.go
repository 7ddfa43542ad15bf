package summit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"observatory/internal/audit"
	"observatory/internal/geo"
)

// Figures counts what the press reports, from confirmed delegations only.
func (st *Store) Figures(ctx context.Context, summitID int64) (Figures, error) {
	_, f, err := st.Confirmed(ctx, summitID)
	return f, err
}

// Confirmed returns the cities of the confirmed delegations, in no
// particular order, with what the summit's pages show of them (their
// names, country, place and population; no slug, continent or time zone),
// and the figures counted from them: two statements whatever the number of
// delegations.
func (st *Store) Confirmed(ctx context.Context, summitID int64) ([]CityRef, Figures, error) {
	var f Figures
	rows, err := st.DB.R.QueryContext(ctx, `SELECT d.id, c.id, c.name, c.names, c.country, c.population, c.lat, c.lon
		FROM summit_delegations d JOIN cities c ON c.id = d.city_id WHERE d.summit_id = $1 AND d.state = 'confirmed'`, summitID)
	if err != nil {
		return nil, f, fmt.Errorf("summit: confirmed delegations: %w", err)
	}
	defer rows.Close()
	var cities []CityRef
	of := map[int64]int{} // delegation id: index in cities
	var names string
	for rows.Next() {
		var c CityRef
		var id int64
		if err := rows.Scan(&id, &c.ID, &c.Name, &names, &c.Country, &c.Population, &c.Lat, &c.Lon); err != nil {
			return nil, f, fmt.Errorf("summit: confirmed delegations: %w", err)
		}
		if names != "{}" { // most cities have no names of their own; skip the JSON
			if err := c.Names.Scan(names); err != nil {
				return nil, f, fmt.Errorf("summit: confirmed delegations: %w", err)
			}
		}
		of[id] = len(cities)
		cities = append(cities, c)
	}
	if err := rows.Err(); err != nil {
		return nil, f, fmt.Errorf("summit: confirmed delegations: %w", err)
	}
	rows.Close()
	// Continents follow from the countries (geo's table), whatever the cities table says.
	countries, weight := map[string]bool{}, map[string]int{}
	for _, c := range cities {
		f.Residents += c.Population
		countries[c.Country] = true
		if k := geo.Continent(c.Country); k != "" {
			weight[k]++
		}
	}
	f.Delegations, f.Countries, f.Continents = len(cities), len(countries), continentList(weight)
	rows, err = st.DB.R.QueryContext(ctx, `SELECT p.delegation_id, p.role FROM summit_delegates p
		JOIN summit_delegations d ON d.id = p.delegation_id WHERE d.summit_id = $1 AND d.state = 'confirmed'`, summitID)
	if err != nil {
		return nil, f, fmt.Errorf("summit: confirmed delegates: %w", err)
	}
	defer rows.Close()
	mayorCountries := map[string]bool{}
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, f, fmt.Errorf("summit: confirmed delegates: %w", err)
		}
		i, ok := of[id]
		if !ok {
			continue // confirmed after the first statement read the delegations
		}
		f.Guests++
		if role == "mayor" || role == "deputy_mayor" {
			f.Mayors++
			mayorCountries[cities[i].Country] = true
		}
	}
	f.MayorCountries = len(mayorCountries)
	return cities, f, rows.Err()
}

// continentList orders continents by how many delegations come from each
// (the press names the largest first), merging the two Americas into one
// key when both are present.
func continentList(weight map[string]int) []string {
	if weight[geo.NorthAmerica] > 0 && weight[geo.SouthAmerica] > 0 {
		weight["americas"] = weight[geo.NorthAmerica] + weight[geo.SouthAmerica]
		delete(weight, geo.NorthAmerica)
		delete(weight, geo.SouthAmerica)
	}
	order := map[string]int{}
	for i, c := range append(geo.Continents(), "americas") {
		order[c] = i
	}
	var out []string
	for c := range weight {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if weight[out[i]] != weight[out[j]] {
			return weight[out[i]] > weight[out[j]]
		}
		return order[out[i]] < order[out[j]]
	})
	return out
}

// CheckIn is the outcome of scanning a badge at the door.
type CheckIn struct {
	Delegate Delegate
	// Repeat is set when the person had already checked in (at Delegate.CheckedInAt);
	// the second scan is flagged and not counted again.
	Repeat bool
	// NotConfirmed is set when the delegation is not confirmed: nobody is checked in.
	NotConfirmed bool
	// Closed is set outside the summit's check-in window (CheckInWindow):
	// nobody is checked in.
	Closed bool
}

// ErrUnknownToken means no badge of this summit carries the token.
var ErrUnknownToken = errors.New("unknown check-in token")

// CheckInToken checks a person in by their badge's token. Only the first
// scan counts: the update applies only while checked_in_at is empty, so two
// doors scanning the same badge at once still count it once.
func (st *Store) CheckInToken(ctx context.Context, summitID int64, token string, by audit.Actor) (*CheckIn, error) {
	now := st.now()
	var out *CheckIn
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		list, err := st.delegates(ctx, tx, `p.summit_id = $1 AND p.badge_token = $2`, summitID, token)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrUnknownToken
		}
		out = &CheckIn{Delegate: list[0]}
		s, err := st.get(ctx, tx, summitID, true)
		if err != nil {
			return err
		}
		if from, until := s.CheckInWindow(); now.Before(from) || !now.Before(until) {
			out.Closed = true
			return record(ctx, tx, by, "summit.checkin.refused", kindDelegate, out.Delegate.ID, "closed")
		}
		if out.Delegate.State != StateConfirmed {
			out.NotConfirmed = true
			return record(ctx, tx, by, "summit.checkin.refused", kindDelegate, out.Delegate.ID, out.Delegate.State)
		}
		res, err := tx.ExecContext(ctx, `UPDATE summit_delegates SET checked_in_at = $1, checked_in_by = $2 WHERE id = $3 AND checked_in_at IS NULL`,
			now, nullID(by.UserID), out.Delegate.ID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		action := "summit.checkin"
		if n == 0 {
			out.Repeat = true
			action = "summit.checkin.repeat"
			var at time.Time
			if err := tx.QueryRowContext(ctx, `SELECT checked_in_at FROM summit_delegates WHERE id = $1`, out.Delegate.ID).Scan(&at); err != nil {
				return err
			}
			at = at.UTC()
			out.Delegate.CheckedInAt = &at
		} else {
			out.Delegate.CheckedInAt = &now
		}
		return record(ctx, tx, by, action, kindDelegate, out.Delegate.ID, out.Delegate.Name)
	})
	return out, err
}

// CheckInCounts is the door's tally: people checked in of those confirmed.
func (st *Store) CheckInCounts(ctx context.Context, summitID int64) (in, expected int, err error) {
	err = st.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN p.checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0), COUNT(p.id)
		FROM summit_delegates p JOIN summit_delegations d ON d.id = p.delegation_id
		WHERE p.summit_id = $1 AND d.state = 'confirmed'`, summitID).Scan(&in, &expected)
	return
}

// PersonalFeed finds a delegate by their calendar token and returns the
// summit and the sessions they signed up for. Drafts and people whose
// delegation no longer holds a place get nothing.
func (st *Store) PersonalFeed(ctx context.Context, token string) (*Summit, *Delegate, []*Session, error) {
	list, err := st.delegates(ctx, st.DB.R, `p.feed_token = $1`, token)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(list) == 0 || !holdsPlace(list[0].State) {
		return nil, nil, nil, ErrNotFound
	}
	p := list[0]
	s, err := st.Get(ctx, p.SummitID, false)
	if err != nil {
		return nil, nil, nil, err
	}
	sessions, err := st.sessions(ctx, `WHERE x.id IN (SELECT session_id FROM summit_signups WHERE delegate_id = $1)`, p.ID)
	return s, &p, sessions, err
}

// FiguresAll returns the headline figures of every summit, for the list:
// two statements for all summits together.
func (st *Store) FiguresAll(ctx context.Context) (map[int64]Figures, error) {
	out := map[int64]Figures{}
	rows, err := st.DB.R.QueryContext(ctx, `SELECT d.summit_id, COUNT(DISTINCT d.id), COUNT(p.id),
		COALESCE(SUM(CASE WHEN p.role IN ('mayor', 'deputy_mayor') THEN 1 ELSE 0 END), 0), COUNT(DISTINCT c.country)
		FROM summit_delegations d JOIN cities c ON c.id = d.city_id LEFT JOIN summit_delegates p ON p.delegation_id = d.id
		WHERE d.state = 'confirmed' GROUP BY d.summit_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f Figures
		if err := rows.Scan(&id, &f.Delegations, &f.Guests, &f.Mayors, &f.Countries); err != nil {
			return nil, err
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = st.DB.R.QueryContext(ctx, `SELECT d.summit_id, COALESCE(SUM(c.population), 0) FROM summit_delegations d
		JOIN cities c ON c.id = d.city_id WHERE d.state = 'confirmed' GROUP BY d.summit_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		f := out[id]
		f.Residents = n
		out[id] = f
	}
	return out, rows.Err()
}

// ConfirmedCities lists the cities whose delegations are confirmed, by name.
func (st *Store) ConfirmedCities(ctx context.Context, summitID int64) ([]CityRef, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT `+cityColumns+` FROM summit_delegations d JOIN cities c ON c.id = d.city_id
		WHERE d.summit_id = $1 AND d.state = 'confirmed' ORDER BY c.name`, summitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CityRef
	for rows.Next() {
		var c CityRef
		if err := rows.Scan(cityDest(&c)...); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
