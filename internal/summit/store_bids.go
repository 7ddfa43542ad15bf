package summit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/i18n"
)

// BidInput is a city's bid as entered.
type BidInput struct {
	CityID        int64
	ProposedStart string
	ProposedEnd   string
	Venue         string
	Statement     i18n.Text
	SourceLang    string
}

func (in *BidInput) validate() error {
	in.Venue = strings.TrimSpace(in.Venue)
	in.Statement = in.Statement.Clean()
	start, err1 := time.Parse("2006-01-02", in.ProposedStart)
	end, err2 := time.Parse("2006-01-02", in.ProposedEnd)
	switch {
	case err1 != nil:
		return fieldErr("proposed_start", "summit.err.date")
	case err2 != nil:
		return fieldErr("proposed_end", "summit.err.date")
	case end.Before(start):
		return fieldErr("proposed_end", "summit.err.date_order")
	case end.Sub(start) > 30*24*time.Hour:
		return fieldErr("proposed_end", "summit.err.too_long")
	case in.Venue == "" || len([]rune(in.Venue)) > 300:
		return fieldErr("venue", "summit.err.bid_venue")
	case !i18n.Supported(in.SourceLang):
		return fieldErr("source_lang", "form.invalid")
	case in.Statement.Empty():
		return fieldErr("statement_"+in.SourceLang, "summit.err.statement")
	}
	for _, l := range i18n.Langs {
		if len([]rune(in.Statement[l])) > 5000 {
			return fieldErr("statement_"+l, "form.too_long")
		}
	}
	return nil
}

// SubmitBid files or updates a member city's bid to host the summit after
// summitID, while the secretariat takes bids.
func (st *Store) SubmitBid(ctx context.Context, summitID int64, in BidInput, by audit.Actor) (int64, error) {
	if err := in.validate(); err != nil {
		return 0, fmt.Errorf("summit: submit bid: %w", err)
	}
	var id int64
	now := st.now()
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		if !s.BidsOpenAt(now) || !s.Public() {
			return ErrBidsClosed
		}
		var membership string
		if err := tx.QueryRowContext(ctx, `SELECT membership FROM cities WHERE id = $1`, in.CityID).Scan(&membership); err != nil || membership != "member" {
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return ErrNotMember
		}
		// A city changes its bid until the choice is made; a withdrawn bid may be filed again.
		err = tx.QueryRowContext(ctx, `INSERT INTO summit_bids (summit_id, city_id, proposed_start, proposed_end, venue, statement, source_lang,
			state, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $9)
			ON CONFLICT (summit_id, city_id) DO UPDATE SET proposed_start = excluded.proposed_start, proposed_end = excluded.proposed_end,
			venue = excluded.venue, statement = excluded.statement, source_lang = excluded.source_lang, state = 'submitted', updated_at = excluded.updated_at
			WHERE summit_bids.state IN ('submitted', 'withdrawn') RETURNING id`,
			summitID, in.CityID, in.ProposedStart, in.ProposedEnd, in.Venue, in.Statement, in.SourceLang, nullID(by.UserID), now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrBidsClosed // the choice is made
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, by, "summit.bid.submit", kindBid, id, "")
	})
	return id, err
}

// WithdrawBid withdraws a city's bid.
func (st *Store) WithdrawBid(ctx context.Context, summitID, cityID int64, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := expectOne(tx.ExecContext(ctx, `UPDATE summit_bids SET state = 'withdrawn', updated_at = $1 WHERE summit_id = $2 AND city_id = $3 AND state = 'submitted'`,
			st.now(), summitID, cityID))
		if err != nil {
			return err
		}
		return record(ctx, tx, by, "summit.bid.withdraw", kindSummit, summitID, "city:"+itoa(cityID))
	})
}

// ChooseBid makes a bid the choice for the next host and closes the
// bidding. Unless the summit after this one exists already, it also
// creates it as a draft — numbered next, hosted by the chosen city on the
// dates it proposed, titled by title — for the secretariat to complete;
// next is the id of the summit after this one, created tells whether it
// was created now; next is 0 when there is none (a bid without usable dates).
func (st *Store) ChooseBid(ctx context.Context, summitID, bidID int64, by audit.Actor, title func(year int, host CityRef) i18n.Text) (next int64, created bool, err error) {
	now := st.now()
	err = st.DB.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		err = expectOne(tx.ExecContext(ctx, `UPDATE summit_bids SET state = 'chosen', updated_at = $1 WHERE id = $2 AND summit_id = $3 AND state IN ('submitted', 'not_chosen')`,
			now, bidID, summitID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE summit_bids SET state = 'not_chosen', updated_at = $1 WHERE summit_id = $2 AND id <> $3 AND state IN ('submitted', 'chosen')`,
			now, summitID, bidID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE summits SET bids_open = FALSE, updated_at = $1 WHERE id = $2`, now, summitID); err != nil {
			return err
		}
		if err := record(ctx, tx, by, "summit.bid.choose", kindBid, bidID, ""); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id FROM summits WHERE number = $1`, cur.Number+1).Scan(&next)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err // there is one already (chosen before): the secretariat checks it
		}
		var b Bid
		dest := append([]any{&b.ProposedStart, &b.ProposedEnd}, cityDest(&b.City)...)
		if err := tx.QueryRowContext(ctx, `SELECT b.proposed_start, b.proposed_end, `+cityColumns+`
			FROM summit_bids b JOIN cities c ON c.id = b.city_id WHERE b.id = $1`, bidID).Scan(dest...); err != nil {
			return err
		}
		in := SummitInput{Number: cur.Number + 1, Title: title(parseDay(b.ProposedStart, time.UTC).Year(), b.City), SourceLang: cur.SourceLang,
			HostCityID: b.City.ID, StartsOn: b.ProposedStart, EndsOn: b.ProposedEnd, Status: StatusDraft, OfferHours: cur.OfferHours}
		if len(in.Validate()) > 0 {
			return nil // a bid without usable dates: the secretariat creates the summit itself
		}
		next, err = st.saveTx(ctx, tx, 0, in, by, now)
		created = err == nil
		return err
	})
	return next, created, err
}

// Bids lists the bids to host the summit after summitID, oldest first;
// withdrawn ones only when all is set.
func (st *Store) Bids(ctx context.Context, summitID int64, all bool) ([]Bid, error) {
	q := `SELECT b.id, b.summit_id, b.proposed_start, b.proposed_end, b.venue, b.statement, b.source_lang, b.state, b.created_at, b.updated_at, ` +
		cityColumns + ` FROM summit_bids b JOIN cities c ON c.id = b.city_id WHERE b.summit_id = $1`
	if !all {
		q += ` AND b.state <> 'withdrawn'`
	}
	rows, err := st.DB.R.QueryContext(ctx, q+` ORDER BY b.created_at, b.id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: bids: %w", err)
	}
	defer rows.Close()
	var out []Bid
	for rows.Next() {
		var b Bid
		dest := append([]any{&b.ID, &b.SummitID, &b.ProposedStart, &b.ProposedEnd, &b.Venue, &b.Statement, &b.SourceLang, &b.State,
			&b.CreatedAt, &b.UpdatedAt}, cityDest(&b.City)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("summit: bids: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BidOf returns a city's bid, or ErrNotFound.
func (st *Store) BidOf(ctx context.Context, summitID, cityID int64) (*Bid, error) {
	bids, err := st.Bids(ctx, summitID, true)
	if err != nil {
		return nil, fmt.Errorf("summit: bid of: %w", err)
	}
	for i := range bids {
		if bids[i].City.ID == cityID {
			return &bids[i], nil
		}
	}
	return nil, ErrNotFound
}
