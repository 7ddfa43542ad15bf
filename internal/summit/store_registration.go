package summit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
)

// NewToken returns 160 random bits in lower-case base32: unguessable, and
// easy to type at the door if a badge's code will not scan.
func NewToken() string {
	b := make([]byte, 20)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// DelegateInput is one person of a delegation as entered.
type DelegateInput struct {
	IsHead         bool
	Name           string
	Title          string
	Role           string
	Email          string
	Arrival        string
	Departure      string
	Dietary        string
	Accessibility  string
	Interpretation string
	Consent        bool
}

// Validate checks a person's fields against the summit (arrival and
// departure are local times there).
func (in *DelegateInput) Validate() error {
	in.Name, in.Title, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title), strings.TrimSpace(in.Email)
	in.Dietary, in.Accessibility = strings.TrimSpace(in.Dietary), strings.TrimSpace(in.Accessibility)
	in.Arrival, in.Departure = strings.TrimSpace(in.Arrival), strings.TrimSpace(in.Departure)
	switch {
	case in.Name == "" || len([]rune(in.Name)) > 120:
		return fieldErr("name", "summit.err.name")
	case len([]rune(in.Title)) > 60:
		return fieldErr("title", "form.too_long")
	case !slices.Contains(Roles, in.Role):
		return fieldErr("role", "form.invalid")
	case in.IsHead && !CanHead(in.Role):
		return fieldErr("role", "summit.err.head_role")
	case in.Email != "" && !validEmail(in.Email):
		return fieldErr("email", "summit.err.email")
	case len(in.Dietary) > 300:
		return fieldErr("dietary", "form.too_long")
	case len(in.Accessibility) > 300:
		return fieldErr("accessibility", "form.too_long")
	}
	if in.Arrival != "" {
		if _, ok := parseLocal(in.Arrival, time.UTC); !ok {
			return fieldErr("arrival", "summit.err.datetime")
		}
	}
	if in.Departure != "" {
		if _, ok := parseLocal(in.Departure, time.UTC); !ok {
			return fieldErr("departure", "summit.err.datetime")
		}
	}
	if in.Arrival != "" && in.Departure != "" {
		a, _ := parseLocal(in.Arrival, time.UTC)
		d, _ := parseLocal(in.Departure, time.UTC)
		if d.Before(a) {
			return fieldErr("departure", "summit.err.time_order")
		}
	}
	if in.Interpretation != "" {
		c, ok := normalizeCodes(in.Interpretation)
		if !ok || strings.Contains(c, ",") {
			return fieldErr("interpretation", "summit.err.language")
		}
		in.Interpretation = c
	}
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, ".") && len(s) <= 254
}

// Registration is what a city sends to register its delegation.
type Registration struct {
	CityID       int64
	Head         DelegateInput
	Notes        string
	ContactEmail string
}

// usage counts the delegations and people holding a place.
func usage(ctx context.Context, q db.Querier, summitID int64) (delegations, people int, err error) {
	err = q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT d.id), COUNT(p.id) FROM summit_delegations d
		LEFT JOIN summit_delegates p ON p.delegation_id = d.id
		WHERE d.summit_id = $1 AND d.state IN `+holdingStates, summitID).Scan(&delegations, &people)
	return
}

// fits reports whether a delegation of size more people finds a place.
func fits(s *Summit, delegations, people, size int) bool {
	return (s.MaxDelegations == 0 || delegations+1 <= s.MaxDelegations) && (s.MaxPeople == 0 || people+size <= s.MaxPeople)
}

// Register creates the city's delegation with its head: pending when a
// place is free and no one queues before it, otherwise on the waiting list.
// The UNIQUE (summit_id, city_id) constraint, not a check before the
// insert, is what keeps parallel attempts from creating two.
func (st *Store) Register(ctx context.Context, summitID int64, reg Registration, by audit.Actor) (*Delegation, error) {
	reg.Head.IsHead = true
	if err := reg.Head.Validate(); err != nil {
		return nil, fmt.Errorf("summit: register: %w", err)
	}
	reg.Notes = strings.TrimSpace(reg.Notes)
	if len(reg.Notes) > 2000 {
		return nil, fieldErr("notes", "form.too_long")
	}
	var id int64
	now := st.now()
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		if !s.RegistrationOpenAt(now) {
			return ErrRegistrationShut
		}
		var membership string
		if err := tx.QueryRowContext(ctx, `SELECT membership FROM cities WHERE id = $1`, reg.CityID).Scan(&membership); err != nil || membership != "member" {
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return ErrNotMember
		}
		if err := st.expireDue(ctx, tx, s, now); err != nil {
			return err
		}
		dels, people, err := usage(ctx, tx, summitID)
		if err != nil {
			return err
		}
		var queued int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'waiting'`, summitID).Scan(&queued); err != nil {
			return err
		}
		state, queuedAt := StatePending, any(nil)
		if queued > 0 || !fits(s, dels, people, 1) {
			state, queuedAt = StateWaiting, now
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO summit_delegations (summit_id, city_id, state, queued_at, contact_email, notes, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			summitID, reg.CityID, state, queuedAt, reg.ContactEmail, reg.Notes, nullID(by.UserID), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return ErrAlreadyRegistered
		}
		if err != nil {
			return err
		}
		if err := insertDelegate(ctx, tx, summitID, id, 0, reg.Head, now); err != nil {
			return err
		}
		if err := record(ctx, tx, by, "summit.register", kindDelegation, id, state); err != nil {
			return err
		}
		if err := st.changed(ctx, tx, s, id, state, "", by.UserID, now); err != nil {
			return err
		}
		return st.promote(ctx, tx, s, now)
	})
	if err != nil {
		return nil, fmt.Errorf("summit: register: %w", err)
	}
	return st.Delegation(ctx, id)
}

func insertDelegate(ctx context.Context, tx *sql.Tx, summitID, delegationID int64, position int, in DelegateInput, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO summit_delegates (delegation_id, summit_id, is_head, name, title, role, email, arrival, departure,
		dietary, accessibility, interpretation, consent, badge_token, feed_token, position, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
		delegationID, summitID, in.IsHead, in.Name, in.Title, in.Role, in.Email, in.Arrival, in.Departure, in.Dietary,
		in.Accessibility, in.Interpretation, in.Consent, NewToken(), NewToken(), position, now)
	if db.IsUniqueViolation(err) {
		return ErrHeadTaken
	}
	return err
}

// changed records a state change in the delegation's history (the city's
// on-screen notices), drops its session sign-ups when it no longer holds a
// place, and e-mails everyone in it, all in the transaction of the change.
func (st *Store) changed(ctx context.Context, tx *sql.Tx, s *Summit, delegationID int64, state, reason string, actor int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO summit_delegation_events (delegation_id, at, state, reason, actor_id) VALUES ($1, $2, $3, $4, $5)`,
		delegationID, now, state, reason, nullID(actor)); err != nil {
		return err
	}
	if !holdsPlace(state) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM summit_signups WHERE delegate_id IN (SELECT id FROM summit_delegates WHERE delegation_id = $1)`, delegationID); err != nil {
			return err
		}
	}
	return st.notify(ctx, tx, s, delegationID, state, reason)
}

// setState moves a delegation to state inside tx, checking that the move
// is allowed from where it is and, when it takes a place, that one is free.
func (st *Store) setState(ctx context.Context, tx *sql.Tx, s *Summit, id int64, from []string, state, reason string, by audit.Actor, now time.Time) error {
	var cur string
	var size int
	err := tx.QueryRowContext(ctx, `SELECT d.state, (SELECT COUNT(*) FROM summit_delegates p WHERE p.delegation_id = d.id)
		FROM summit_delegations d WHERE d.id = $1 AND d.summit_id = $2`, id, s.ID).Scan(&cur, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if !slices.Contains(from, cur) {
		return ErrTransition
	}
	if holdsPlace(state) && !holdsPlace(cur) {
		dels, people, err := usage(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if !fits(s, dels, people, size) {
			return ErrFull
		}
	}
	var queued, expires any
	if state == StateWaiting {
		queued = now
	}
	if state == StateOffered {
		expires = now.Add(time.Duration(s.OfferHours) * time.Hour)
	}
	// A delegation keeps its place in the queue while it waits; anything
	// else clears the queue mark and the offer's deadline.
	if _, err := tx.ExecContext(ctx, `UPDATE summit_delegations SET state = $1, reason = $2, queued_at = $3, offer_expires_at = $4, updated_at = $5 WHERE id = $6`,
		state, reason, queued, expires, now, id); err != nil {
		return err
	}
	if err := record(ctx, tx, by, "summit.delegation."+state, kindDelegation, id, reason); err != nil {
		return err
	}
	return st.changed(ctx, tx, s, id, state, reason, by.UserID, now)
}

// transition runs one state change of a delegation as one transaction,
// expiring due offers first and offering freed places after.
func (st *Store) transition(ctx context.Context, delegationID int64, from []string, state, reason string, by audit.Actor, check func(tx *sql.Tx, s *Summit) error) error {
	now := st.now()
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var summitID int64
		err := tx.QueryRowContext(ctx, `SELECT summit_id FROM summit_delegations WHERE id = $1`, delegationID).Scan(&summitID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		if err := st.expireDue(ctx, tx, s, now); err != nil {
			return err
		}
		if check != nil {
			if err := check(tx, s); err != nil {
				return err
			}
		}
		if err := st.setState(ctx, tx, s, delegationID, from, state, reason, by, now); err != nil {
			return err
		}
		return st.promote(ctx, tx, s, now)
	})
}

var notConfirmed = []string{StatePending, StateOffered, StateWaiting, StateDeclined, StateWithdrawn, StateExpired}

// Confirm admits a delegation (the secretariat). One that holds no place
// yet needs a free one.
func (st *Store) Confirm(ctx context.Context, id int64, by audit.Actor) error {
	return st.transition(ctx, id, notConfirmed, StateConfirmed, "", by, nil)
}

// Decline refuses a delegation, with the reason the city is told.
func (st *Store) Decline(ctx context.Context, id int64, reason string, by audit.Actor) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return fieldErr("reason", "summit.err.reason")
	}
	return st.transition(ctx, id, []string{StatePending, StateOffered, StateWaiting, StateConfirmed, StateExpired, StateWithdrawn}, StateDeclined, reason, by, nil)
}

// WaitList puts a delegation at the end of the waiting list (the secretariat).
func (st *Store) WaitList(ctx context.Context, id int64, by audit.Actor) error {
	return st.transition(ctx, id, []string{StatePending, StateOffered, StateConfirmed, StateDeclined, StateExpired, StateWithdrawn}, StateWaiting, "", by, nil)
}

// Withdraw is the city calling its delegation off.
func (st *Store) Withdraw(ctx context.Context, id int64, by audit.Actor) error {
	return st.transition(ctx, id, []string{StatePending, StateConfirmed, StateWaiting, StateOffered}, StateWithdrawn, "", by, nil)
}

// Reopen registers a withdrawn or lapsed delegation again, with the people
// it had: pending if a place is free and no one waits, else at the end of
// the waiting list.
func (st *Store) Reopen(ctx context.Context, id int64, by audit.Actor) error {
	now := st.now()
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var summitID int64
		var cur string
		var size int
		err := tx.QueryRowContext(ctx, `SELECT summit_id, state, (SELECT COUNT(*) FROM summit_delegates p WHERE p.delegation_id = d.id)
			FROM summit_delegations d WHERE id = $1`, id).Scan(&summitID, &cur, &size)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		if !s.RegistrationOpen() {
			return ErrRegistrationShut
		}
		if err := st.expireDue(ctx, tx, s, now); err != nil {
			return err
		}
		dels, people, err := usage(ctx, tx, summitID)
		if err != nil {
			return err
		}
		var queued int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'waiting'`, summitID).Scan(&queued); err != nil {
			return err
		}
		state := StatePending
		if queued > 0 || !fits(s, dels, people, size) {
			state = StateWaiting
		}
		if err := st.setState(ctx, tx, s, id, []string{StateWithdrawn, StateExpired}, state, "", by, now); err != nil {
			return err
		}
		return st.promote(ctx, tx, s, now)
	})
}

// AcceptOffer takes up a place offered from the waiting list before its
// deadline; the delegation then waits for the secretariat's review like any
// new registration.
func (st *Store) AcceptOffer(ctx context.Context, id int64, by audit.Actor) error {
	// Lapse overdue offers in a transaction of their own, so that the lapse
	// stands even though this acceptance is then refused.
	if _, err := st.ExpireOffers(ctx, st.now()); err != nil {
		return fmt.Errorf("summit: accept offer: %w", err)
	}
	return st.transition(ctx, id, []string{StateOffered}, StatePending, "", by, func(tx *sql.Tx, s *Summit) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM summit_delegations WHERE id = $1`, id).Scan(&state); err != nil {
			return err
		}
		if state == StateExpired {
			return ErrOfferOver
		}
		return nil
	})
}

// DeclineOffer turns an offered place down; it goes to the next in line.
func (st *Store) DeclineOffer(ctx context.Context, id int64, by audit.Actor) error {
	return st.transition(ctx, id, []string{StateOffered}, StateWithdrawn, "", by, nil)
}

// BulkResult says what a bulk confirmation did with each delegation.
type BulkResult struct {
	Confirmed []int64
	Skipped   map[int64]string // id → catalog key of the reason
}

// ConfirmMany confirms the given delegations in one transaction; those
// that cannot be (no free place, wrong state) are skipped and reported.
func (st *Store) ConfirmMany(ctx context.Context, summitID int64, ids []int64, by audit.Actor) (BulkResult, error) {
	res := BulkResult{Skipped: map[int64]string{}}
	now := st.now()
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		res = BulkResult{Skipped: map[int64]string{}}
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		if err := st.expireDue(ctx, tx, s, now); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT bulk`); err != nil {
				return err
			}
			err := st.setState(ctx, tx, s, id, notConfirmed, StateConfirmed, "", by, now)
			var re *RuleError
			switch {
			case err == nil:
				res.Confirmed = append(res.Confirmed, id)
			case errors.As(err, &re) || errors.Is(err, ErrNotFound):
				if re == nil {
					re = ErrTransition
				}
				res.Skipped[id] = re.Key
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT bulk`); err != nil {
					return err
				}
				continue
			default:
				return err
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT bulk`); err != nil {
				return err
			}
		}
		return st.promote(ctx, tx, s, now)
	})
	return res, err
}

// expireDue lapses the summit's offers whose deadline has passed.
func (st *Store) expireDue(ctx context.Context, tx *sql.Tx, s *Summit, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM summit_delegations WHERE summit_id = $1 AND state = 'offered' AND offer_expires_at <= $2 ORDER BY offer_expires_at, id`, s.ID, now)
	if err != nil {
		return err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := st.setState(ctx, tx, s, id, []string{StateOffered}, StateExpired, "", audit.System("summit.waiting-lists"), now); err != nil {
			return err
		}
	}
	return nil
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// promote offers free places to the waiting list in its order, each with a
// deadline. A delegation too large for the people left is passed over for
// the next one that fits, rather than blocking the list.
func (st *Store) promote(ctx context.Context, tx *sql.Tx, s *Summit, now time.Time) error {
	if s.Status != StatusOpen && s.Status != StatusClosed {
		return nil
	}
	if !now.Before(s.Start()) {
		return nil // too late for anyone to travel
	}
	dels, people, err := usage(ctx, tx, s.ID)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT d.id, (SELECT COUNT(*) FROM summit_delegates p WHERE p.delegation_id = d.id)
		FROM summit_delegations d WHERE d.summit_id = $1 AND d.state = 'waiting' ORDER BY d.queued_at, d.id`, s.ID)
	if err != nil {
		return err
	}
	type waiting struct {
		id   int64
		size int
	}
	var queue []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.size); err != nil {
			rows.Close()
			return err
		}
		queue = append(queue, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, w := range queue {
		if s.MaxDelegations > 0 && dels >= s.MaxDelegations {
			break
		}
		if !fits(s, dels, people, w.size) {
			continue
		}
		if err := st.setState(ctx, tx, s, w.id, []string{StateWaiting}, StateOffered, "", audit.System("summit.waiting-lists"), now); err != nil {
			return err
		}
		dels, people = dels+1, people+w.size
	}
	return nil
}

// ExpireOffers lapses every offer whose deadline is before now and offers
// the places to the next in line. It returns the number of lapsed offers.
func (st *Store) ExpireOffers(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC().Truncate(time.Second)
	rows, err := st.DB.R.QueryContext(ctx, `SELECT DISTINCT summit_id FROM summit_delegations WHERE state = 'offered' AND offer_expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("summit: expire offers: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return 0, fmt.Errorf("summit: expire offers: %w", err)
	}
	total := 0
	for _, sid := range ids {
		err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
			s, err := st.lock(ctx, tx, sid)
			if err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'offered' AND offer_expires_at <= $2`, sid, now).Scan(&n); err != nil {
				return err
			}
			if err := st.expireDue(ctx, tx, s, now); err != nil {
				return err
			}
			total += n
			return st.promote(ctx, tx, s, now)
		})
		if err != nil {
			return total, fmt.Errorf("summit: expire offers: %w", err)
		}
	}
	return total, nil
}

// Tick is the periodic step the app runs: lapse overdue offers, then offer
// any place that became free some other way (a limit raised) to the
// waiting lists of summits that take registrations.
func (st *Store) Tick(ctx context.Context) error {
	now := st.now()
	if _, err := st.ExpireOffers(ctx, now); err != nil {
		return fmt.Errorf("summit: tick: %w", err)
	}
	rows, err := st.DB.R.QueryContext(ctx, `SELECT DISTINCT d.summit_id FROM summit_delegations d JOIN summits s ON s.id = d.summit_id
		WHERE d.state = 'waiting' AND s.status IN ('registration_open', 'registration_closed')`)
	if err != nil {
		return fmt.Errorf("summit: tick: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return fmt.Errorf("summit: tick: %w", err)
	}
	for _, sid := range ids {
		if err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
			s, err := st.lock(ctx, tx, sid)
			if err != nil {
				return err
			}
			return st.promote(ctx, tx, s, now)
		}); err != nil {
			return fmt.Errorf("summit: tick: %w", err)
		}
	}
	return nil
}

// AddDelegate adds a person to a delegation that is still active, within
// the delegation's size limit (Summit.DelegationLimit) and, when it holds
// a place, the summit's. It reads the delegation's size from the index of
// its people rather than the whole delegation, so an add costs the same at
// any size.
func (st *Store) AddDelegate(ctx context.Context, delegationID int64, in DelegateInput, by audit.Actor) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("summit: add delegate: %w", err)
	}
	now := st.now()
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var summitID int64
		err := tx.QueryRowContext(ctx, `SELECT summit_id FROM summit_delegations WHERE id = $1`, delegationID).Scan(&summitID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		d := &Delegation{ID: delegationID, SummitID: summitID}
		if err := tx.QueryRowContext(ctx, `SELECT state FROM summit_delegations WHERE id = $1`, delegationID).Scan(&d.State); err != nil {
			return err
		}
		if !d.Active() {
			return ErrNotActive
		}
		var size, heads, last int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN is_head THEN 1 ELSE 0 END), 0), COALESCE(MAX(position), -1)
			FROM summit_delegates WHERE delegation_id = $1`, delegationID).Scan(&size, &heads, &last); err != nil {
			return err
		}
		if size+1 > s.DelegationLimit() {
			return ErrDelegationSize
		}
		if d.HoldsPlace() && s.MaxPeople > 0 {
			_, people, err := usage(ctx, tx, s.ID)
			if err != nil {
				return err
			}
			if people+1 > s.MaxPeople {
				return ErrPeopleFull
			}
		}
		if in.IsHead && heads > 0 {
			// A new head takes the headship over from the present one.
			if _, err := tx.ExecContext(ctx, `UPDATE summit_delegates SET is_head = FALSE WHERE delegation_id = $1 AND is_head = TRUE`, d.ID); err != nil {
				return err
			}
		}
		if err := insertDelegate(ctx, tx, s.ID, d.ID, last+1, in, now); err != nil {
			return err
		}
		return record(ctx, tx, by, "summit.delegate.add", kindDelegation, d.ID, in.Name)
	})
	if err != nil {
		return fmt.Errorf("summit: add delegate: %w", err)
	}
	return nil
}

// UpdateDelegate changes a person's details. The head stays a mayor or
// deputy mayor; handing the headship over means marking another person head.
func (st *Store) UpdateDelegate(ctx context.Context, delegationID, delegateID int64, in DelegateInput, by audit.Actor) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("summit: update delegate: %w", err)
	}
	return st.memberChange(ctx, delegationID, by, func(tx *sql.Tx, s *Summit, d *Delegation, now time.Time) error {
		var cur *Delegate
		for i := range d.Delegates {
			if d.Delegates[i].ID == delegateID {
				cur = &d.Delegates[i]
			}
		}
		if cur == nil {
			return ErrNotFound
		}
		if cur.IsHead && !in.IsHead {
			return ErrHeadNeeded
		}
		if in.IsHead && !cur.IsHead {
			if _, err := tx.ExecContext(ctx, `UPDATE summit_delegates SET is_head = FALSE WHERE delegation_id = $1`, d.ID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE summit_delegates SET is_head = $1, name = $2, title = $3, role = $4, email = $5, arrival = $6,
			departure = $7, dietary = $8, accessibility = $9, interpretation = $10, consent = $11, updated_at = $12 WHERE id = $13`,
			in.IsHead, in.Name, in.Title, in.Role, in.Email, in.Arrival, in.Departure, in.Dietary, in.Accessibility,
			in.Interpretation, in.Consent, now, delegateID)
		if err != nil {
			return err
		}
		return record(ctx, tx, by, "summit.delegate.update", kindDelegation, d.ID, in.Name)
	})
}

// RemoveDelegate takes a person off a delegation (not its head); the
// freed place may go to the waiting list.
func (st *Store) RemoveDelegate(ctx context.Context, delegationID, delegateID int64, by audit.Actor) error {
	return st.memberChange(ctx, delegationID, by, func(tx *sql.Tx, s *Summit, d *Delegation, now time.Time) error {
		for _, p := range d.Delegates {
			if p.ID == delegateID {
				if p.IsHead {
					return ErrRemoveHead
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM summit_delegates WHERE id = $1`, delegateID); err != nil {
					return err
				}
				if err := record(ctx, tx, by, "summit.delegate.remove", kindDelegation, d.ID, p.Name); err != nil {
					return err
				}
				return st.promote(ctx, tx, s, now)
			}
		}
		return ErrNotFound
	})
}

func (st *Store) memberChange(ctx context.Context, delegationID int64, by audit.Actor, fn func(tx *sql.Tx, s *Summit, d *Delegation, now time.Time) error) error {
	now := st.now()
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var summitID int64
		err := tx.QueryRowContext(ctx, `SELECT summit_id FROM summit_delegations WHERE id = $1`, delegationID).Scan(&summitID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		d, err := st.delegation(ctx, tx, `d.id = $1`, delegationID)
		if err != nil {
			return err
		}
		if !d.Active() {
			return ErrNotActive
		}
		return fn(tx, s, d, now)
	})
}

// SignupInput is one person's sign-up for one session.
type SignupInput struct{ SessionID, DelegateID int64 }

// SetSignups replaces a delegation's session sign-ups. A session with a
// capacity takes no more than that; the whole change is refused, naming
// the full session, if any new sign-up does not fit.
func (st *Store) SetSignups(ctx context.Context, delegationID int64, want []SignupInput, by audit.Actor) error {
	return st.memberChange(ctx, delegationID, by, func(tx *sql.Tx, s *Summit, d *Delegation, now time.Time) error {
		if d.State != StatePending && d.State != StateConfirmed {
			return ErrNotActive
		}
		members := map[int64]bool{}
		for _, p := range d.Delegates {
			members[p.ID] = true
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(capacity, 0) FROM summit_sessions WHERE summit_id = $1`, s.ID)
		if err != nil {
			return err
		}
		capacity := map[int64]int{}
		for rows.Next() {
			var id int64
			var c int
			if err := rows.Scan(&id, &c); err != nil {
				rows.Close()
				return err
			}
			capacity[id] = c
		}
		rows.Close()
		have := map[SignupInput]bool{}
		rows, err = tx.QueryContext(ctx, `SELECT su.session_id, su.delegate_id FROM summit_signups su
			JOIN summit_delegates p ON p.id = su.delegate_id WHERE p.delegation_id = $1`, d.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k SignupInput
			if err := rows.Scan(&k.SessionID, &k.DelegateID); err != nil {
				rows.Close()
				return err
			}
			have[k] = true
		}
		rows.Close()
		wantSet := map[SignupInput]bool{}
		for _, k := range want {
			if _, ok := capacity[k.SessionID]; !ok || !members[k.DelegateID] {
				return fieldErr("signups", "form.invalid")
			}
			wantSet[k] = true
		}
		for k := range have {
			if !wantSet[k] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM summit_signups WHERE session_id = $1 AND delegate_id = $2`, k.SessionID, k.DelegateID); err != nil {
					return err
				}
			}
		}
		for _, k := range want {
			if have[k] {
				continue
			}
			if c := capacity[k.SessionID]; c > 0 {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_signups WHERE session_id = $1`, k.SessionID).Scan(&n); err != nil {
					return err
				}
				if n >= c {
					return &SessionFullError{SessionID: k.SessionID}
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO summit_signups (session_id, delegate_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (session_id, delegate_id) DO NOTHING`, k.SessionID, k.DelegateID, now); err != nil {
				return err
			}
			have[k] = true
		}
		return record(ctx, tx, by, "summit.signups", kindDelegation, d.ID, itoa(int64(len(want))))
	})
}

// SessionFullError is a sign-up for a session with no seat left.
type SessionFullError struct{ SessionID int64 }

func (e *SessionFullError) Error() string { return "session full" }

const delegationSelect = `SELECT d.id, d.summit_id, d.state, d.reason, d.queued_at, d.offer_expires_at, d.contact_email, d.notes,
	d.created_at, d.updated_at, ` + cityColumns + ` FROM summit_delegations d JOIN cities c ON c.id = d.city_id `

func scanDelegation(r scanner) (*Delegation, error) {
	d := &Delegation{}
	var queued, expires sql.NullTime
	dest := append([]any{&d.ID, &d.SummitID, &d.State, &d.Reason, &queued, &expires, &d.ContactEmail, &d.Notes, &d.CreatedAt, &d.UpdatedAt}, cityDest(&d.City)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	if queued.Valid {
		t := queued.Time.UTC()
		d.QueuedAt = &t
	}
	if expires.Valid {
		t := expires.Time.UTC()
		d.OfferExpiresAt = &t
	}
	return d, nil
}

// Delegation returns one delegation with its people, their sign-ups, its
// history and its place on the waiting list.
func (st *Store) Delegation(ctx context.Context, id int64) (*Delegation, error) {
	return st.delegation(ctx, st.DB.R, `d.id = $1`, id)
}

// DelegationOf returns a city's delegation to a summit, or ErrNotFound.
func (st *Store) DelegationOf(ctx context.Context, summitID, cityID int64) (*Delegation, error) {
	return st.delegation(ctx, st.DB.R, `d.summit_id = $1 AND d.city_id = $2`, summitID, cityID)
}

func (st *Store) delegation(ctx context.Context, q db.Querier, where string, args ...any) (*Delegation, error) {
	d, err := scanDelegation(q.QueryRowContext(ctx, delegationSelect+`WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.Delegates, err = st.delegates(ctx, q, `p.delegation_id = $1`, d.ID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT su.delegate_id, su.session_id FROM summit_signups su JOIN summit_delegates p ON p.id = su.delegate_id
		JOIN summit_sessions x ON x.id = su.session_id WHERE p.delegation_id = $1 ORDER BY x.starts_at, x.id`, d.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var pid, sid int64
		if err := rows.Scan(&pid, &sid); err != nil {
			rows.Close()
			return nil, err
		}
		for i := range d.Delegates {
			if d.Delegates[i].ID == pid {
				d.Delegates[i].SessionIDs = append(d.Delegates[i].SessionIDs, sid)
			}
		}
	}
	rows.Close()
	if rows, err = q.QueryContext(ctx, `SELECT at, state, reason FROM summit_delegation_events WHERE delegation_id = $1 ORDER BY id DESC`, d.ID); err != nil {
		return nil, err
	}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.At, &e.State, &e.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		d.Events = append(d.Events, e)
	}
	rows.Close()
	if d.State == StateWaiting && d.QueuedAt != nil {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'waiting'
			AND (queued_at < $2 OR (queued_at = $2 AND id <= $3))`, d.SummitID, *d.QueuedAt, d.ID).Scan(&d.QueuePosition); err != nil {
			return nil, err
		}
	}
	return d, nil
}

const delegateSelect = `SELECT p.id, p.delegation_id, p.summit_id, p.is_head, p.name, p.title, p.role, p.email, p.arrival, p.departure,
	p.dietary, p.accessibility, p.interpretation, p.consent, p.badge_token, p.feed_token, p.checked_in_at, p.position,
	d.state, ` + cityColumns + ` FROM summit_delegates p JOIN summit_delegations d ON d.id = p.delegation_id JOIN cities c ON c.id = d.city_id `

func (st *Store) delegates(ctx context.Context, q db.Querier, where string, args ...any) ([]Delegate, error) {
	rows, err := q.QueryContext(ctx, delegateSelect+`WHERE `+where+` ORDER BY c.name, d.id, p.is_head DESC, p.position, p.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delegate
	for rows.Next() {
		var p Delegate
		var checked sql.NullTime
		dest := append([]any{&p.ID, &p.DelegationID, &p.SummitID, &p.IsHead, &p.Name, &p.Title, &p.Role, &p.Email, &p.Arrival,
			&p.Departure, &p.Dietary, &p.Accessibility, &p.Interpretation, &p.Consent, &p.BadgeToken, &p.FeedToken, &checked,
			&p.Position, &p.State}, cityDest(&p.City)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if checked.Valid {
			t := checked.Time.UTC()
			p.CheckedInAt = &t
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DelegationFilter narrows the review queue.
type DelegationFilter struct {
	State string // "" for all
}

// Delegations lists a summit's delegations for the review queue: waiting
// ones in queue order, the rest by city; people counted, not loaded.
func (st *Store) Delegations(ctx context.Context, summitID int64, f DelegationFilter) ([]*Delegation, map[int64]int, error) {
	q := delegationSelect + `WHERE d.summit_id = $1`
	args := []any{summitID}
	if f.State != "" {
		q += ` AND d.state = $2`
		args = append(args, f.State)
	}
	q += ` ORDER BY CASE d.state WHEN 'pending' THEN 0 WHEN 'offered' THEN 1 WHEN 'waiting' THEN 2 WHEN 'confirmed' THEN 3 ELSE 4 END,
		d.queued_at, c.name, d.id`
	rows, err := st.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("summit: delegations: %w", err)
	}
	defer rows.Close()
	var out []*Delegation
	for rows.Next() {
		d, err := scanDelegation(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("summit: delegations: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("summit: delegations: %w", err)
	}
	rows.Close()
	// The heads and sizes of all listed delegations, in one statement.
	heads, err := st.delegates(ctx, st.DB.R, `p.summit_id = $1`, summitID)
	if err != nil {
		return nil, nil, fmt.Errorf("summit: delegations: %w", err)
	}
	sizes := map[int64]int{}
	byID := map[int64]*Delegation{}
	for _, d := range out {
		byID[d.ID] = d
	}
	for _, p := range heads {
		sizes[p.DelegationID]++
		if d, ok := byID[p.DelegationID]; ok && p.IsHead {
			d.Delegates = append(d.Delegates, p)
		}
	}
	pos := 0
	for _, d := range out {
		if d.State == StateWaiting {
			pos++
			d.QueuePosition = pos
		}
	}
	return out, sizes, nil
}

// Participants lists the people of the summit's confirmed delegations;
// with consentedOnly, only those who agreed to appear on the list.
func (st *Store) Participants(ctx context.Context, summitID int64, consentedOnly bool) ([]Delegate, error) {
	where := `p.summit_id = $1 AND d.state = 'confirmed'`
	if consentedOnly {
		where += ` AND p.consent = TRUE`
	}
	return st.delegates(ctx, st.DB.R, where, summitID)
}

// Badges lists the people to print badges for: those of the confirmed
// delegations, or of one confirmed delegation (ErrNotConfirmed otherwise: a
// badge opens the door, and only a confirmed delegation may come in).
func (st *Store) Badges(ctx context.Context, summitID, delegationID int64) ([]Delegate, error) {
	if delegationID != 0 {
		var state string
		err := st.DB.R.QueryRowContext(ctx, `SELECT state FROM summit_delegations WHERE id = $1 AND summit_id = $2`, delegationID, summitID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("summit: badges: %w", err)
		}
		if state != StateConfirmed {
			return nil, ErrNotConfirmed
		}
		return st.delegates(ctx, st.DB.R, `p.summit_id = $1 AND p.delegation_id = $2`, summitID, delegationID)
	}
	return st.Participants(ctx, summitID, false)
}

// StateCounts counts a summit's delegations by state.
func (st *Store) StateCounts(ctx context.Context, summitID int64) (map[string]int, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT state, COUNT(*) FROM summit_delegations WHERE summit_id = $1 GROUP BY state`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: state counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("summit: state counts: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// PendingCounts counts the delegations awaiting review, per summit.
func (st *Store) PendingCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT summit_id, COUNT(*) FROM summit_delegations WHERE state = 'pending' GROUP BY summit_id`)
	if err != nil {
		return nil, fmt.Errorf("summit: pending counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("summit: pending counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
