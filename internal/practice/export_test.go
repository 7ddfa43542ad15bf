package practice

import (
	"context"
	"fmt"
)

// MatchOutcome is what a match found, for tests.
type MatchOutcome struct {
	Found  []int64
	Total  int
	Sort   string
	Facets []Facet
}

// MatchBothWays answers p, which must select in exactly one facet, both
// from the search without the selection and by visiting every hit.
func (s *Store) MatchBothWays(ctx context.Context, p Params) (within, all MatchOutcome, err error) {
	n, err := s.index.Current(ctx)
	if err != nil {
		return within, all, err
	}
	q := p.query(n)
	selected := 0
	for _, v := range q.Select {
		if len(v) > 0 {
			selected++
		}
	}
	if selected != 1 {
		return within, all, fmt.Errorf("%+v selects in more or fewer than one facet", p)
	}
	w, err := n.Match(ctx, q)
	if err != nil {
		return within, all, err
	}
	a, err := n.MatchEveryHit(ctx, q)
	if err != nil {
		return within, all, err
	}
	return MatchOutcome{n.IDs(w, 0, w.Total()), w.Total(), w.Sort, facets(n, w, p.Lang)},
		MatchOutcome{n.IDs(a, 0, a.Total()), a.Total(), a.Sort, facets(n, a, p.Lang)}, nil
}
