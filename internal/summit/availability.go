package summit

import (
	"context"
	"fmt"
	"time"

	"observatory/internal/i18n"
)

// Availability is what a city sees before it registers: whether a place is
// free for one more delegation, and how many wait already.
type Availability struct {
	Full    bool // the next registration goes on the waiting list
	Waiting int  // delegations on the waiting list now
}

// Availability tells whether a registration now would find a place: the
// same rule as Register (a free place and nobody queuing before it).
func (st *Store) Availability(ctx context.Context, s *Summit) (Availability, error) {
	dels, people, err := usage(ctx, st.DB.R, s.ID)
	if err != nil {
		return Availability{}, fmt.Errorf("summit: availability: %w", err)
	}
	var a Availability
	if err := st.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'waiting'`, s.ID).Scan(&a.Waiting); err != nil {
		return Availability{}, fmt.Errorf("summit: availability: %w", err)
	}
	a.Full = a.Waiting > 0 || !fits(s, dels, people, 1)
	return a, nil
}

// CanConfirm reports whether the secretariat can confirm the delegation
// now: it holds a place already, or a place is free for it.
func (st *Store) CanConfirm(ctx context.Context, s *Summit, d *Delegation) (bool, error) {
	if d.State == StateConfirmed {
		return false, nil
	}
	if holdsPlace(d.State) {
		return true, nil
	}
	dels, people, err := usage(ctx, st.DB.R, s.ID)
	if err != nil {
		return false, fmt.Errorf("summit: can confirm: %w", err)
	}
	return fits(s, dels, people, len(d.Delegates)), nil
}

// Offered lists the cities whose delegations hold an offered place, in
// the order of the waiting list they came from. Compared before and after
// a change of the limits, it names the cities the change let in.
func (st *Store) Offered(ctx context.Context, summitID int64) ([]CityRef, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT `+cityColumns+` FROM summit_delegations d JOIN cities c ON c.id = d.city_id
		WHERE d.summit_id = $1 AND d.state = 'offered' ORDER BY d.id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: offered: %w", err)
	}
	defer rows.Close()
	var out []CityRef
	for rows.Next() {
		var c CityRef
		if err := rows.Scan(cityDest(&c)...); err != nil {
			return nil, fmt.Errorf("summit: offered: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CheckInWindow is when the door is open: from the day before the summit's
// first day to the end of the day after its last, in its time zone.
func (s *Summit) CheckInWindow() (from, until time.Time) {
	return s.Start().AddDate(0, 0, -1), s.End().AddDate(0, 0, 2)
}

// Over reports whether the summit's last day has passed at now.
func (s *Summit) Over(now time.Time) bool { return !now.Before(s.End().AddDate(0, 0, 1)) }

// Past reports whether the summit's last day has passed.
func (s *Summit) Past() bool { return s.Over(time.Now()) }

// When is a moment as people read it: the date and time in the summit's
// time zone, in lang, with the zone's name ("30 August 2019, 14:05 (Europe/Berlin)").
func (s *Summit) When(lang string, t time.Time) string {
	return i18n.DateTime(lang, t.In(s.Location())) + " (" + s.Location().String() + ")"
}

// Stay formats an arrival or departure as stored ("2019-08-30T14:05" in the
// summit's zone) for reading; a value that does not parse is shown as it is.
func (s *Summit) Stay(lang, v string) string {
	t, err := time.ParseInLocation("2006-01-02T15:04", v, s.Location())
	if err != nil {
		return v
	}
	return i18n.DateTime(lang, t)
}

// InterpretationName names the language the person needs interpretation
// into, in lang.
func (p *Delegate) InterpretationName(lang string) string {
	return i18n.LanguageName(lang, p.Interpretation)
}
