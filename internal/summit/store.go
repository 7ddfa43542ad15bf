package summit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Store keeps summits and everything that belongs to them. Every rule about
// who may see what is applied here, once: the public never gets drafts.
type Store struct {
	DB      *db.DB
	Catalog *i18n.Catalog // for the e-mails sent at each change of state
	BaseURL string        // for links in e-mails
	// Now is the clock; tests set it. Nil means db.Now.
	Now func() time.Time
	// KeepDays is how many days after a summit's last day its delegations'
	// personal details are kept (0: config.DefaultDelegateDataDays).
	KeepDays int
}

// Keep is the retention in days after a summit's last day.
func (st *Store) Keep() int {
	if st.KeepDays <= 0 {
		return config.DefaultDelegateDataDays
	}
	return st.KeepDays
}

func (st *Store) now() time.Time {
	if st.Now != nil {
		return st.Now().UTC().Truncate(time.Second)
	}
	return db.Now()
}

// ErrNotFound means no such summit (or one the viewer may not see).
var ErrNotFound = errors.New("not found")

// RuleError is a request that breaks a rule of registration; Key is the
// catalog key that explains it to the user.
type RuleError struct{ Key string }

func (e *RuleError) Error() string { return e.Key }

var (
	ErrAlreadyRegistered = &RuleError{"summit.err.already_registered"}
	ErrRegistrationShut  = &RuleError{"summit.err.registration_closed"}
	ErrNotMember         = &RuleError{"summit.err.not_member"}
	ErrFull              = &RuleError{"summit.err.full"}
	ErrPeopleFull        = &RuleError{"summit.err.people_full"}
	ErrDelegationSize    = &RuleError{"summit.err.delegation_size"}
	ErrTransition        = &RuleError{"summit.err.transition"}
	ErrOfferOver         = &RuleError{"summit.err.offer_over"}
	ErrHeadNeeded        = &RuleError{"summit.err.head_needed"}
	ErrHeadTaken         = &RuleError{"summit.err.head_taken"}
	ErrRemoveHead        = &RuleError{"summit.err.remove_head"}
	ErrNotActive         = &RuleError{"summit.err.not_active"}
	ErrBidsClosed        = &RuleError{"summit.err.bids_closed"}
	ErrAlreadyBid        = &RuleError{"summit.err.already_bid"}
	ErrNotConfirmed      = &RuleError{"summit.err.badges_unconfirmed"}
)

const summitColumns = `s.id, s.number, s.title, s.theme, s.description, s.source_lang, s.timezone, s.starts_on, s.ends_on,
	s.status, COALESCE(s.max_delegations, 0), COALESCE(s.max_people, 0), COALESCE(s.max_delegation_size, 0),
	s.offer_hours, s.bids_open, s.website, s.updated_at, s.registration_closes_on, s.bids_close_on, ` + cityColumns

const cityColumns = `c.id, c.slug, c.name, c.names, c.country, c.continent, c.population, c.lat, c.lon, c.timezone`

type scanner interface{ Scan(dest ...any) error }

func scanSummit(r scanner) (*Summit, error) {
	s := &Summit{}
	err := r.Scan(&s.ID, &s.Number, &s.Title, &s.Theme, &s.Description, &s.SourceLang, &s.Timezone, &s.StartsOn, &s.EndsOn,
		&s.Status, &s.MaxDelegations, &s.MaxPeople, &s.MaxDelegationSize, &s.OfferHours, &s.BidsOpen, &s.Website, &s.UpdatedAt,
		&s.RegistrationClosesOn, &s.BidsCloseOn,
		&s.Host.ID, &s.Host.Slug, &s.Host.Name, &s.Host.Names, &s.Host.Country, &s.Host.Continent, &s.Host.Population,
		&s.Host.Lat, &s.Host.Lon, &s.Host.Timezone)
	return s, err
}

func cityDest(c *CityRef) []any {
	return []any{&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent, &c.Population, &c.Lat, &c.Lon, &c.Timezone}
}

// List returns the summits, newest first; drafts only when all is set
// (for the secretariat).
func (st *Store) List(ctx context.Context, all bool) ([]*Summit, error) {
	q := `SELECT ` + summitColumns + ` FROM summits s JOIN cities c ON c.id = s.host_city_id`
	if !all {
		q += ` WHERE s.status <> 'draft'`
	}
	rows, err := st.DB.R.QueryContext(ctx, q+` ORDER BY s.starts_on DESC, s.number DESC`)
	if err != nil {
		return nil, fmt.Errorf("summit: list: %w", err)
	}
	defer rows.Close()
	var out []*Summit
	for rows.Next() {
		s, err := scanSummit(rows)
		if err != nil {
			return nil, fmt.Errorf("summit: list: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Get returns one summit; a draft only when all is set.
func (st *Store) Get(ctx context.Context, id int64, all bool) (*Summit, error) {
	return st.get(ctx, st.DB.R, id, all)
}

func (st *Store) get(ctx context.Context, q db.Querier, id int64, all bool) (*Summit, error) {
	s, err := scanSummit(q.QueryRowContext(ctx, `SELECT `+summitColumns+` FROM summits s JOIN cities c ON c.id = s.host_city_id WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !all && !s.Public()) {
		return nil, ErrNotFound
	}
	return s, err
}

// lock reads the summit inside tx and, on PostgreSQL, holds its row until
// the transaction ends, so that every check of a limit and the write that
// follows it happen one summit-change at a time.
func (st *Store) lock(ctx context.Context, tx *sql.Tx, id int64) (*Summit, error) {
	var one int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM summits WHERE id = $1`+st.DB.Dialect.ForUpdate(), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return st.get(ctx, tx, id, true)
}

// SummitInput is what the secretariat enters for a summit.
type SummitInput struct {
	Number            int
	Title             i18n.Text
	Theme             i18n.Text
	Description       i18n.Text
	SourceLang        string
	HostCityID        int64
	Timezone          string // empty: the host city's
	StartsOn, EndsOn  string
	Status            string
	MaxDelegations    int
	MaxPeople         int
	MaxDelegationSize int
	OfferHours        int
	BidsOpen          bool
	Website           string
	// Deadlines, days in the summit's zone ("" when none).
	RegistrationClosesOn string
	BidsCloseOn          string
}

// Validate checks the input; the first problem per field is returned as a
// list of FieldErrors.
func (in *SummitInput) Validate() []*FieldError {
	var errs []*FieldError
	bad := func(f, k string) { errs = append(errs, &FieldError{f, k}) }
	if in.Number <= 0 || in.Number > 1000 {
		bad("number", "summit.err.number")
	}
	in.Title = in.Title.Clean()
	if in.Title.Empty() {
		bad("title_"+orLang(in.SourceLang), "summit.err.title")
	}
	for _, l := range i18n.Langs {
		if len([]rune(in.Title[l])) > 200 {
			bad("title_"+l, "form.too_long")
		}
	}
	in.Theme, in.Description = in.Theme.Clean(), in.Description.Clean()
	if !i18n.Supported(in.SourceLang) {
		bad("source_lang", "form.invalid")
	}
	if in.HostCityID <= 0 {
		bad("host_city_id", "summit.err.host")
	}
	if in.Timezone != "" {
		if _, err := time.LoadLocation(in.Timezone); err != nil || in.Timezone == "Local" {
			bad("timezone", "summit.err.timezone")
		}
	}
	start, err1 := time.Parse("2006-01-02", in.StartsOn)
	end, err2 := time.Parse("2006-01-02", in.EndsOn)
	switch {
	case err1 != nil:
		bad("starts_on", "summit.err.date")
	case err2 != nil:
		bad("ends_on", "summit.err.date")
	case end.Before(start):
		bad("ends_on", "summit.err.date_order")
	case end.Sub(start) > 30*24*time.Hour:
		bad("ends_on", "summit.err.too_long")
	}
	if !slices.Contains(Statuses, in.Status) {
		bad("status", "form.invalid")
	}
	if in.RegistrationClosesOn != "" {
		if d, err := time.Parse("2006-01-02", in.RegistrationClosesOn); err != nil {
			bad("registration_closes_on", "summit.err.date")
		} else if err2 == nil && d.After(end) {
			bad("registration_closes_on", "summit.err.deadline_after_end")
		}
	}
	if in.BidsCloseOn != "" {
		if _, err := time.Parse("2006-01-02", in.BidsCloseOn); err != nil {
			bad("bids_close_on", "summit.err.date")
		}
	}
	for f, v := range map[string]int{"max_delegations": in.MaxDelegations, "max_people": in.MaxPeople, "max_delegation_size": in.MaxDelegationSize} {
		if v < 0 || v > 100000 {
			bad(f, "summit.err.limit")
		}
	}
	if in.MaxDelegationSize > MaxDelegationSizeCap {
		bad("max_delegation_size", "summit.err.delegation_size_cap")
	}
	if in.OfferHours < 1 || in.OfferHours > 24*30 {
		bad("offer_hours", "summit.err.offer_hours")
	}
	if in.Website != "" && !validURL(in.Website) {
		bad("website", "summit.err.url")
	}
	return errs
}

func orLang(l string) string {
	if i18n.Supported(l) {
		return l
	}
	return i18n.Default
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 500
}

func nullInt(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

func nullID(n int64) any {
	if n <= 0 {
		return nil
	}
	return n
}

// Save creates (id 0) or updates a summit, records it in the audit log
// and, as a raised limit may free places, offers them to the waiting list.
func (st *Store) Save(ctx context.Context, id int64, in SummitInput, by audit.Actor) (int64, error) {
	if errs := in.Validate(); len(errs) > 0 {
		return 0, errs[0]
	}
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = st.saveTx(ctx, tx, id, in, by, st.now())
		return err
	})
	return id, err
}

// saveTx is Save inside the caller's transaction, for a valid input.
func (st *Store) saveTx(ctx context.Context, tx *sql.Tx, id int64, in SummitInput, by audit.Actor, now time.Time) (int64, error) {
	var cityTZ string
	err := tx.QueryRowContext(ctx, `SELECT timezone FROM cities WHERE id = $1`, in.HostCityID).Scan(&cityTZ)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fieldErr("host_city_id", "summit.err.host")
	}
	if err != nil {
		return 0, err
	}
	if in.Timezone == "" {
		in.Timezone = cityTZ
	}
	if _, err := time.LoadLocation(in.Timezone); err != nil {
		in.Timezone = "UTC"
	}
	args := []any{in.Number, in.Title, in.Theme, in.Description, in.SourceLang, in.HostCityID, in.Timezone, in.StartsOn, in.EndsOn,
		in.Status, nullInt(in.MaxDelegations), nullInt(in.MaxPeople), nullInt(in.MaxDelegationSize), in.OfferHours, in.BidsOpen,
		in.Website, now, in.RegistrationClosesOn, in.BidsCloseOn}
	action := "summit.update"
	if id == 0 {
		action = "summit.create"
		err = tx.QueryRowContext(ctx, `INSERT INTO summits (number, title, theme, description, source_lang, host_city_id, timezone,
			starts_on, ends_on, status, max_delegations, max_people, max_delegation_size, offer_hours, bids_open, website, created_at, updated_at,
			registration_closes_on, bids_close_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19) RETURNING id`, args...).Scan(&id)
	} else {
		if _, err := st.lock(ctx, tx, id); err != nil {
			return 0, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE summits SET number = $1, title = $2, theme = $3, description = $4, source_lang = $5,
			host_city_id = $6, timezone = $7, starts_on = $8, ends_on = $9, status = $10, max_delegations = $11, max_people = $12,
			max_delegation_size = $13, offer_hours = $14, bids_open = $15, website = $16, updated_at = $17,
			registration_closes_on = $18, bids_close_on = $19 WHERE id = $20`, append(args, id)...)
	}
	if db.IsUniqueViolation(err) {
		return 0, fieldErr("number", "summit.err.number_taken")
	}
	if err != nil {
		return 0, err
	}
	if err := record(ctx, tx, by, action, kindSummit, id, in.Status); err != nil {
		return 0, err
	}
	s, err := st.get(ctx, tx, id, true)
	if err != nil {
		return 0, err
	}
	return id, st.promote(ctx, tx, s, now)
}

// Cities lists the member cities for the secretariat's forms, by name.
func (st *Store) Cities(ctx context.Context) ([]CityRef, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT `+cityColumns+` FROM cities c WHERE c.membership = 'member' ORDER BY c.name`)
	if err != nil {
		return nil, fmt.Errorf("summit: cities: %w", err)
	}
	defer rows.Close()
	var out []CityRef
	for rows.Next() {
		var c CityRef
		if err := rows.Scan(cityDest(&c)...); err != nil {
			return nil, fmt.Errorf("summit: cities: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// City returns one city.
func (st *Store) City(ctx context.Context, id int64) (*CityRef, error) {
	c := &CityRef{}
	err := st.DB.R.QueryRowContext(ctx, `SELECT `+cityColumns+` FROM cities c WHERE c.id = $1`, id).Scan(cityDest(c)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

func splitCodes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
