package exchange

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Peer is a city worth asking or inviting, with why.
type Peer struct {
	City    City
	Reasons []string // "adopted", "themes", "size", "language"
	Shared  []string // theme keys it shares
	score   int
}

// Peers suggests cities for an exchange about practice: those that
// already adopted it, that have published practices on the same themes,
// of similar size, or that write in a language the viewer's city writes
// in. The practice's own city and the viewer's are left out.
func (s *Store) Peers(ctx context.Context, practice, viewerCity int64, limit int) ([]Peer, error) {
	var owner, pop int64
	var themes string
	err := s.DB.R.QueryRowContext(ctx, `SELECT p.city_id, p.themes, c.population FROM practices p JOIN cities c ON c.id = p.city_id
		WHERE p.id = $1 AND p.state = 'published'`, practice).Scan(&owner, &themes, &pop)
	if err != nil {
		return nil, fmt.Errorf("peers for practice %d: %w", practice, err)
	}
	if viewerCity != 0 {
		// Size and languages compare with the viewer's city when there is one.
		if err := s.DB.R.QueryRowContext(ctx, `SELECT population FROM cities WHERE id = $1`, viewerCity).Scan(&pop); err != nil {
			return nil, fmt.Errorf("peers: city %d: %w", viewerCity, err)
		}
	}
	want := strings.Fields(themes)
	peers := map[int64]*Peer{}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, slug, name, names, country, continent, population FROM cities
		WHERE membership = 'member' AND id <> $1 AND id <> $2`, owner, viewerCity)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p Peer
		var cpop int64
		if err := rows.Scan(&p.City.ID, &p.City.Slug, &p.City.Name, &p.City.Names, &p.City.Country, &p.City.Continent, &cpop); err != nil {
			rows.Close()
			return nil, err
		}
		if pop > 0 && cpop > 0 && math.Abs(math.Log(float64(cpop)/float64(pop))) <= math.Ln2 {
			p.Reasons = append(p.Reasons, "size")
			p.score++
		}
		peers[p.City.ID] = &p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Cities that adopted it (shown in public: both agreed).
	adopted, err := s.ids(ctx, `SELECT e.from_city FROM exchanges e JOIN practices p ON p.id = e.practice_id
		WHERE `+public+` AND e.practice_id = $1 AND e.state = 'adopted'`, practice)
	if err != nil {
		return nil, err
	}
	for _, id := range adopted {
		if p := peers[id]; p != nil && !slices.Contains(p.Reasons, "adopted") {
			p.Reasons = append([]string{"adopted"}, p.Reasons...)
			p.score += 4
		}
	}
	// Published practices on the same themes, per city.
	if len(want) > 0 {
		var cond []string
		args := []any{practice}
		for _, t := range want {
			args = append(args, "% "+t+" %")
			cond = append(cond, fmt.Sprintf("(' ' || themes || ' ') LIKE $%d", len(args)))
		}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT city_id, themes FROM practices WHERE state = 'published' AND id <> $1 AND (`+
			strings.Join(cond, " OR ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var city int64
			var th string
			if err := rows.Scan(&city, &th); err != nil {
				rows.Close()
				return nil, err
			}
			p := peers[city]
			if p == nil {
				continue
			}
			for _, t := range strings.Fields(th) {
				if slices.Contains(want, t) && !slices.Contains(p.Shared, t) {
					p.Shared = append(p.Shared, t)
					p.score += 2
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, p := range peers {
			if len(p.Shared) > 0 {
				p.Reasons = append(p.Reasons, "themes")
			}
		}
	}
	// Shared languages of their published practices: one pass over the
	// (city, language) pairs, a few per city.
	if viewerCity != 0 {
		rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT city_id, lang FROM practices WHERE state = 'published'`)
		if err != nil {
			return nil, err
		}
		langs := map[int64][]string{}
		for rows.Next() {
			var city int64
			var l string
			if err := rows.Scan(&city, &l); err != nil {
				rows.Close()
				return nil, err
			}
			langs[city] = append(langs[city], l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for city, ls := range langs {
			p := peers[city]
			if p == nil {
				continue
			}
			if slices.ContainsFunc(ls, func(l string) bool { return slices.Contains(langs[viewerCity], l) }) {
				p.Reasons = append(p.Reasons, "language")
				p.score++
			}
		}
	}
	var out []Peer
	for _, p := range peers {
		if p.score > 1 || slices.Contains(p.Reasons, "adopted") {
			out = append(out, *p)
		}
	}
	slices.SortFunc(out, func(a, b Peer) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return cmp.Compare(a.City.Name, b.City.Name)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Overview is the secretariat's view of all exchanges.
type Overview struct {
	ByState    []Tally
	Total      int
	Answered   int
	WaitMedian time.Duration // time to a first answer
	WaitP90    time.Duration
	Unanswered []*Exchange // requests without an answer, oldest first
}

// Overview counts all exchanges (the secretariat's).
func (s *Store) Overview(ctx context.Context, now time.Time) (*Overview, error) {
	list, err := s.query(ctx, s.DB.R, `TRUE ORDER BY e.created_at, e.id`)
	if err != nil {
		return nil, fmt.Errorf("reading all exchanges: %w", err)
	}
	o := &Overview{Total: len(list)}
	counts := map[string]int{}
	var waits []time.Duration
	for _, e := range list {
		counts[e.State]++
		if e.AnsweredAt != nil {
			waits = append(waits, e.AnsweredAt.Sub(e.CreatedAt))
		} else if e.State == Requested {
			o.Unanswered = append(o.Unanswered, e)
		}
	}
	for _, st := range States {
		o.ByState = append(o.ByState, Tally{Key: st, Count: counts[st]})
	}
	o.Answered = len(waits)
	o.WaitMedian, o.WaitP90 = quantile(waits, 0.5), quantile(waits, 0.9)
	return o, nil
}

// All lists every exchange for the secretariat's export.
func (s *Store) All(ctx context.Context) ([]*Exchange, error) {
	list, err := s.query(ctx, s.DB.R, `TRUE ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("reading all exchanges: %w", err)
	}
	return list, nil
}

// quantile is the nearest-rank q-quantile of ds (0 when empty).
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Waiting counts requests without an answer, for the dashboard.
func (s *Store) Waiting(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM exchanges WHERE state = 'requested' AND answered_at IS NULL`).Scan(&n)
	return n, err
}
