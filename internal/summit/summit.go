// Package summit runs the network's summits: the public pages (venues,
// programme, speakers, partners, live figures), registration of city
// delegations with limits and a waiting list, the secretariat's tools
// (review, exports, badges, check-in at the door) and bids to host the next
// summit, with an iCalendar feed and a JSON API beside the pages.
package summit

import (
	"fmt"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // summits keep their host's zone even where the system has no zoneinfo

	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

// Summit statuses, in the order a summit passes through them. Drafts are
// seen by the secretariat only.
const (
	StatusDraft     = "draft"
	StatusAnnounced = "announced"
	StatusOpen      = "registration_open"
	StatusClosed    = "registration_closed"
	StatusHeld      = "held"
)

// Statuses lists every status in order.
var Statuses = []string{StatusDraft, StatusAnnounced, StatusOpen, StatusClosed, StatusHeld}

// Session kinds.
var Kinds = []string{"reception", "plenary", "workshop", "tour", "ceremony", "press_conference", "exhibition"}

// Partner kinds, in the order the page shows them.
var PartnerKinds = []string{"main_sponsor", "supporting_partner", "media_partner"}

// Delegation states. Pending, offered and confirmed delegations hold a
// place; waiting ones queue for one.
const (
	StatePending   = "pending"
	StateConfirmed = "confirmed"
	StateDeclined  = "declined"
	StateWaiting   = "waiting"
	StateOffered   = "offered"
	StateExpired   = "expired"
	StateWithdrawn = "withdrawn"
)

// States lists every delegation state, in the order the review queue shows them.
var States = []string{StatePending, StateOffered, StateWaiting, StateConfirmed, StateDeclined, StateWithdrawn, StateExpired}

// holdsPlace reports whether a delegation in state counts against the limits.
func holdsPlace(state string) bool {
	return state == StatePending || state == StateConfirmed || state == StateOffered
}

// holdingStates is holdsPlace as an SQL list.
const holdingStates = `('pending', 'confirmed', 'offered')`

// Delegate roles. Mayors and deputy mayors are counted in the figures and
// may head a delegation.
var Roles = []string{"mayor", "deputy_mayor", "council_member", "official", "expert", "other"}

// CanHead reports whether a delegate with role may head a delegation.
func CanHead(role string) bool { return role == "mayor" || role == "deputy_mayor" }

// Bid states.
const (
	BidSubmitted = "submitted"
	BidWithdrawn = "withdrawn"
	BidChosen    = "chosen"
	BidNotChosen = "not_chosen"
)

// Summit is one summit of the network.
type Summit struct {
	ID          int64
	Number      int
	Title       i18n.Text
	Theme       i18n.Text
	Description i18n.Text
	SourceLang  string
	Host        CityRef
	Timezone    string
	StartsOn    string // YYYY-MM-DD in Timezone
	EndsOn      string
	Status      string
	// Limits; 0 means none, except for MaxDelegationSize: 0 means
	// DefaultDelegationSize (see DelegationLimit).
	MaxDelegations    int
	MaxPeople         int
	MaxDelegationSize int
	OfferHours        int
	BidsOpen          bool
	Website           string
	UpdatedAt         time.Time
	// Deadlines, days in the summit's zone ("" when none): the last day
	// to register a delegation, and to bid to host the next summit.
	RegistrationClosesOn string
	BidsCloseOn          string
}

// CityRef is a city as summits show it, joined from the cities table:
// the city as every capability shows it, with where it lies.
type CityRef struct {
	web.CityRef
	Population int64
	Lat, Lon   float64
	Timezone   string
}

// Location is the summit's time zone (UTC when the name is unknown).
func (s *Summit) Location() *time.Location {
	if loc, ok := zones.Load(s.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return time.UTC
	}
	zones.Store(s.Timezone, loc)
	return loc
}

// zones keeps the time zones loaded by name: loading one reads and parses
// its file, and a summit's page asks for its zone at every session.
var zones sync.Map

// Start and End are the first and last day at midnight in the summit's zone.
func (s *Summit) Start() time.Time { return parseDay(s.StartsOn, s.Location()) }
func (s *Summit) End() time.Time   { return parseDay(s.EndsOn, s.Location()) }

// Year is the summit's year.
func (s *Summit) Year() int { return s.Start().Year() }

// Slug is the readable part of the summit's address: host and year.
func (s *Summit) Slug() string {
	if s.Host.Slug == "" {
		return strconv.Itoa(s.Year())
	}
	return s.Host.Slug + "-" + strconv.Itoa(s.Year())
}

// Ref is the summit's path segment: "2-dusseldorf-2019".
func (s *Summit) Ref() string { return strconv.FormatInt(s.ID, 10) + "-" + s.Slug() }

// DefaultDelegationSize is how many people a delegation may have when
// the summit sets no size; MaxDelegationSizeCap is the most a summit may
// set. Every delegation has a bound, so no list of people grows without one.
const (
	DefaultDelegationSize = 50
	MaxDelegationSizeCap  = 500
)

// DelegationLimit is how many people one delegation may have.
func (s *Summit) DelegationLimit() int {
	if s.MaxDelegationSize > 0 {
		return s.MaxDelegationSize
	}
	return DefaultDelegationSize
}

// RegistrationDeadline is the end of the last day to register (the
// first moment registration is shut), zero when there is none.
func (s *Summit) RegistrationDeadline() time.Time {
	return s.dayAfter(s.RegistrationClosesOn)
}

// BidsDeadline is the end of the last day to bid, zero when there is none.
func (s *Summit) BidsDeadline() time.Time { return s.dayAfter(s.BidsCloseOn) }

func (s *Summit) dayAfter(day string) time.Time {
	t := parseDay(day, s.Location())
	if t.IsZero() {
		return t
	}
	return t.AddDate(0, 0, 1)
}

// RegistrationCloseDay and BidsCloseDay are the deadlines' days, zero
// when none.
func (s *Summit) RegistrationCloseDay() time.Time {
	return parseDay(s.RegistrationClosesOn, s.Location())
}
func (s *Summit) BidsCloseDay() time.Time { return parseDay(s.BidsCloseOn, s.Location()) }

// RegistrationOpenAt reports whether cities may register at t: the
// summit's state says so and its deadline has not passed.
func (s *Summit) RegistrationOpenAt(t time.Time) bool {
	d := s.RegistrationDeadline()
	return s.RegistrationOpen() && (d.IsZero() || t.Before(d))
}

// BidsOpenAt reports whether cities may bid at t.
func (s *Summit) BidsOpenAt(t time.Time) bool {
	d := s.BidsDeadline()
	return s.BidsOpen && (d.IsZero() || t.Before(d))
}

// Public reports whether the public may see the summit.
func (s *Summit) Public() bool { return s.Status != StatusDraft }

// RegistrationOpen reports whether cities may register now.
func (s *Summit) RegistrationOpen() bool { return s.Status == StatusOpen }

// Days lists the summit's days.
func (s *Summit) Days() []time.Time {
	var out []time.Time
	for d := s.Start(); !d.After(s.End()) && len(out) < 31; d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

func parseDay(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Venue is a place where the summit meets.
type Venue struct {
	ID       int64
	SummitID int64
	Name     i18n.Text
	Address  string
	Lat, Lon *float64
	Position int
}

// Session is one item of the programme.
type Session struct {
	ID             int64
	SummitID       int64
	Kind           string
	Title          i18n.Text
	Description    i18n.Text
	StartsAt       time.Time // UTC
	EndsAt         time.Time
	VenueID        int64
	Venue          i18n.Text
	VenueAddress   string
	Room           string
	Languages      []string
	Interpretation []string
	Capacity       int // 0: no limit
	SignedUp       int
	Speakers       []Speaker
	UpdatedAt      time.Time
}

// Full reports whether no seat is left.
func (s *Session) Full() bool { return s.Capacity > 0 && s.SignedUp >= s.Capacity }

// Left is the number of seats left (only meaningful with a capacity).
func (s *Session) Left() int { return max(0, s.Capacity-s.SignedUp) }

// Speaker speaks at one or more sessions.
type Speaker struct {
	ID          int64
	SummitID    int64
	Name        string
	Role        i18n.Text
	Affiliation string // a city or an organisation
	CityID      int64
	City        string
	Bio         i18n.Text
	Position    int
	SessionIDs  []int64
	PhotoID     int64
	PhotoType   string
	PhotoKey    string // the image's SHA-256, part of its address
}

// PhotoURL is where the speaker's photo is served, or "".
func (sp Speaker) PhotoURL() string { return media.URL(sp.PhotoID, sp.PhotoType, sp.PhotoKey) }

// Partner is a sponsor or partner organisation.
type Partner struct {
	ID       int64
	SummitID int64
	Kind     string
	Name     i18n.Text
	URL      string
	Position int
	LogoID   int64
	LogoType string
	LogoKey  string // the image's SHA-256, part of its address
}

// LogoURL is where the partner's logo is served, or "".
func (p Partner) LogoURL() string { return media.URL(p.LogoID, p.LogoType, p.LogoKey) }

// Delegation is one city's registration for a summit.
type Delegation struct {
	ID             int64
	SummitID       int64
	City           CityRef
	State          string
	Reason         string
	QueuedAt       *time.Time
	OfferExpiresAt *time.Time
	ContactEmail   string
	Notes          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Delegates      []Delegate
	Events         []Event
	QueuePosition  int // 1-based place on the waiting list, 0 when not waiting
}

// Head is the delegation's head, or nil.
func (d *Delegation) Head() *Delegate {
	for i := range d.Delegates {
		if d.Delegates[i].IsHead {
			return &d.Delegates[i]
		}
	}
	return nil
}

// HoldsPlace reports whether the delegation counts against the limits.
func (d *Delegation) HoldsPlace() bool { return holdsPlace(d.State) }

// Active reports whether the city may still change its delegation.
func (d *Delegation) Active() bool { return holdsPlace(d.State) || d.State == StateWaiting }

// Delegate is one person in a delegation.
type Delegate struct {
	ID             int64
	DelegationID   int64
	SummitID       int64
	IsHead         bool
	Name           string
	Title          string
	Role           string
	Email          string
	Arrival        string // "2019-08-30T14:05" in the summit's zone, or ""
	Departure      string
	Dietary        string
	Accessibility  string
	Interpretation string // language code
	Consent        bool
	BadgeToken     string
	FeedToken      string
	CheckedInAt    *time.Time
	Position       int
	SessionIDs     []int64
	// Joined for lists and badges.
	City  CityRef
	State string
}

// DisplayName is the name with its title: "Dr Mazda Adli".
func (d *Delegate) DisplayName() string {
	if d.Title == "" {
		return d.Name
	}
	return d.Title + " " + d.Name
}

// Event is one change of a delegation's state: the city's notices.
type Event struct {
	At     time.Time
	State  string
	Reason string
}

// Bid is a city's offer to host the summit after this one.
type Bid struct {
	ID            int64
	SummitID      int64
	City          CityRef
	ProposedStart string
	ProposedEnd   string
	Venue         string
	Statement     i18n.Text
	SourceLang    string
	State         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Figures are a summit's live figures, from confirmed registrations only.
type Figures struct {
	Delegations    int
	Guests         int
	Mayors         int // mayors and deputy mayors
	Countries      int
	MayorCountries int
	Continents     []string // geo continent keys, in geo.Continents order
	Residents      int64
}

// FieldError names a field and the catalog key of its problem.
type FieldError struct {
	Field string
	Key   string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Key) }

func fieldErr(field, key string) error { return &FieldError{Field: field, Key: key} }
