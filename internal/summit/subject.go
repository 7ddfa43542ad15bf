package summit

import (
	"context"
	"fmt"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Kinds of subject in the audit log (the targets "summit:3",
// "summit_delegation:12" … keep these codes).
const (
	kindSummit     = "summit"
	kindDelegation = "summit_delegation"
	kindDelegate   = "summit_delegate"
	kindBid        = "summit_bid"
)

// record writes the audit entry for action on the thing of kind and id, in
// q (the transaction that made the change), named readably and linked to
// the secretariat's page of it.
func record(ctx context.Context, q db.Querier, by audit.Actor, action, kind string, id int64, detail string) error {
	s, err := subject(ctx, q, kind, id)
	if err != nil {
		return fmt.Errorf("naming %s %d for the audit log: %w", kind, id, err)
	}
	return by.Record(ctx, q, action, s, detail)
}

// subject names a summit, a city's registration, a delegate or a bid: the
// summit's title in its own language, the city's name, the delegate's.
func subject(ctx context.Context, q db.Querier, kind string, id int64) (audit.Subject, error) {
	s := audit.Subject{Kind: kind, ID: id}
	var title i18n.Text
	var lang, city, name string
	var summitID, delegationID int64
	var err error
	switch kind {
	case kindSummit:
		err = q.QueryRowContext(ctx, `SELECT id, title, source_lang FROM summits WHERE id = $1`, id).Scan(&summitID, &title, &lang)
	case kindDelegation:
		err = q.QueryRowContext(ctx, `SELECT s.id, s.title, s.source_lang, c.name, d.id FROM summit_delegations d
			JOIN summits s ON s.id = d.summit_id JOIN cities c ON c.id = d.city_id WHERE d.id = $1`, id).Scan(&summitID, &title, &lang, &city, &delegationID)
	case kindDelegate:
		err = q.QueryRowContext(ctx, `SELECT s.id, s.title, s.source_lang, c.name, d.id, m.name FROM summit_delegates m
			JOIN summit_delegations d ON d.id = m.delegation_id JOIN summits s ON s.id = d.summit_id
			JOIN cities c ON c.id = d.city_id WHERE m.id = $1`, id).Scan(&summitID, &title, &lang, &city, &delegationID, &name)
	case kindBid:
		err = q.QueryRowContext(ctx, `SELECT s.id, s.title, s.source_lang, c.name FROM summit_bids b
			JOIN summits s ON s.id = b.summit_id JOIN cities c ON c.id = b.city_id WHERE b.id = $1`, id).Scan(&summitID, &title, &lang, &city)
	default:
		return s, fmt.Errorf("unknown kind %q", kind)
	}
	if err != nil {
		return s, err
	}
	s.Title = title.Get(lang, lang)
	s.Path = "/admin/summits/" + itoa(summitID)
	switch kind {
	case kindDelegation:
		s.Title = city + " · " + s.Title
		s.Path += "/registrations/" + itoa(delegationID)
	case kindDelegate:
		s.Title = name + " (" + city + ") · " + s.Title
		s.Path += "/registrations/" + itoa(delegationID)
	case kindBid:
		s.Title = city + " · " + s.Title
		s.Path += "/bids"
	}
	return s, nil
}

// RecordBadges records that n badges of the summit were printed (they carry
// the check-in tokens).
func (st *Store) RecordBadges(ctx context.Context, by audit.Actor, summitID int64, n int) error {
	return record(ctx, st.DB.W, by, "summit.badges", kindSummit, summitID, itoa(int64(n)))
}
