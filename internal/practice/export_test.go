package practice

import (
	"context"
	"fmt"
)

// MatchOutcome is what a match found, for tests.
type MatchOutcome struct {
	Found  []int32
	Total  int
	Sort   string
	Facets []Facet
}

// MatchBothWays answers p, which must select in exactly one facet, both
// from the search without the selection and by visiting every hit.
func (s *Store) MatchBothWays(ctx context.Context, p Params) (within, all MatchOutcome, err error) {
	n, err := s.index.current(ctx)
	if err != nil {
		return within, all, err
	}
	f := n.compile(p)
	i, ok := f.single()
	if !ok {
		return within, all, fmt.Errorf("%+v selects in more or fewer than one facet", p)
	}
	w, err := s.matchWithin(ctx, n, p, f, i)
	if err != nil {
		return within, all, err
	}
	a, err := s.matchAll(ctx, n, p, f)
	if err != nil {
		return within, all, err
	}
	return MatchOutcome{w.found, len(w.found), w.sort, n.facets(p, f, w.counts)},
		MatchOutcome{a.found, len(a.found), a.sort, n.facets(p, f, a.counts)}, nil
}
