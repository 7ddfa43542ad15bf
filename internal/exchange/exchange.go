// Package exchange lets member cities ask each other about a practice and
// follow the exchange up: a request, its answer, the meeting, a short
// report and, later, the practice adapted at home. The thread of an
// exchange is private to the two cities and the secretariat; what travelled
// becomes public only once both cities agree.
package exchange

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Kinds of exchange, in the order the form offers them.
var Kinds = []string{"documents", "call", "visit", "peer_review", "staff"}

// States of an exchange.
const (
	Requested = "requested"
	Accepted  = "accepted"
	Declined  = "declined"
	Scheduled = "scheduled"
	Done      = "done"
	Adopted   = "adopted"
)

// States lists every state in the order of the way an exchange goes.
var States = []string{Requested, Accepted, Declined, Scheduled, Done, Adopted}

// Languages an exchange can be held in: the interface's and a few more
// the network's cities work in.
var Languages = []string{"de", "en", "fr", "es", "it", "ar", "tr", "pl", "nl"}

// shownStates are the states in which an exchange both cities agreed to
// show appears in public: it took place or is about to.
var shownStates = []string{Accepted, Scheduled, Done, Adopted}

// followUpMonths are the months after "done" at which both cities are
// asked again what became of the exchange.
var followUpMonths = []int{3, 6, 12}

// reminderAfter is how long a request waits for an answer before the
// asked city is reminded.
const reminderAfter = 10 * 24 * time.Hour

// City is a city as an exchange shows it.
type City = web.CityRef

// PracticeRef is a practice as an exchange links it.
type PracticeRef struct {
	ID        int64
	Slug      string
	Title     i18n.Text
	Lang      string
	Published bool
}

// In is the practice's title in lang.
func (p PracticeRef) In(lang string) string { return p.Title.Get(lang, p.Lang) }

// Path is the practice's public page after the language prefix.
func (p PracticeRef) Path() string {
	return "/practices/" + strconv.FormatInt(p.ID, 10) + "-" + p.Slug
}

// Exchange is one request and what became of it.
type Exchange struct {
	ID            int64
	Practice      PracticeRef
	From          City     // the asking city
	To            City     // the practice's city
	Themes        []string // of the practice asked about
	Kind          string
	State         string
	Message       string
	ProposedDates string
	Languages     []string
	ContactName   string
	ContactEmail  string
	DeclineReason string
	ScheduledOn   string // YYYY-MM-DD
	Place         string
	Learned       string
	WillTry       string
	Adapted       *PracticeRef
	PublicFrom    bool // the asking city agrees to show it
	PublicTo      bool // the asked city agrees to show it
	CreatedAt     time.Time
	AnsweredAt    *time.Time
	DoneAt        *time.Time
	UpdatedAt     time.Time
}

// Public reports whether the public may see the exchange (never its thread).
func (e *Exchange) Public() bool {
	return e.PublicFrom && e.PublicTo && slices.Contains(shownStates, e.State)
}

// Side is which city of e the city is: "from", "to" or "".
func (e *Exchange) Side(city int64) string {
	switch city {
	case e.From.ID:
		return "from"
	case e.To.ID:
		return "to"
	}
	return ""
}

// Message is one entry of an exchange's thread.
type Message struct {
	ID         int64
	Kind       string // "message" or "note" (from the platform)
	AuthorName string
	City       *City // nil for the secretariat and the platform
	Body       string
	CreatedAt  time.Time
	Files      []File
}

// File is an attachment of a message (without its bytes).
type File struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
}

// Request is what the asking city sends.
type Request struct {
	PracticeID    int64
	FromCity      int64
	Kind          string
	Message       string
	ProposedDates string
	Languages     []string
	ContactName   string
	ContactEmail  string
}

// Problems checks a request and returns field → catalog key.
func (q *Request) Problems() map[string]string {
	p := map[string]string{}
	q.Message = strings.TrimSpace(q.Message)
	q.ProposedDates = strings.TrimSpace(q.ProposedDates)
	q.ContactName = strings.TrimSpace(q.ContactName)
	q.ContactEmail = strings.TrimSpace(q.ContactEmail)
	if !slices.Contains(Kinds, q.Kind) {
		p["kind"] = "form.required"
	}
	switch n := len([]rune(q.Message)); {
	case n == 0:
		p["message"] = "form.required"
	case n > maxText:
		p["message"] = "form.too_long"
	}
	if len([]rune(q.ProposedDates)) > maxLine {
		p["dates"] = "form.too_long"
	}
	var langs []string
	for _, l := range q.Languages {
		if slices.Contains(Languages, l) && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	q.Languages = langs
	if len(langs) == 0 {
		p["languages"] = "exchange.err.languages"
	}
	if q.ContactName == "" {
		p["contact_name"] = "form.required"
	} else if len([]rune(q.ContactName)) > maxLine {
		p["contact_name"] = "form.too_long"
	}
	if a, err := mail.ParseAddress(q.ContactEmail); err != nil || a.Address != q.ContactEmail {
		p["contact_email"] = "exchange.err.email"
	}
	return p
}

// Step is a change of state with what it needs.
type Step struct {
	To        string // the new state
	Reason    string // declined
	Date      string // scheduled: YYYY-MM-DD
	Place     string // scheduled: a place, or "call" and a link
	Learned   string // done
	WillTry   string // done
	AdaptedID int64  // adopted: the asking city's own practice
}

const (
	maxText = 5000
	maxLine = 300
)

// Problems checks a step's fields (not whether it may be taken now).
func (s *Step) Problems() map[string]string {
	p := map[string]string{}
	s.Reason, s.Date, s.Place = strings.TrimSpace(s.Reason), strings.TrimSpace(s.Date), strings.TrimSpace(s.Place)
	s.Learned, s.WillTry = strings.TrimSpace(s.Learned), strings.TrimSpace(s.WillTry)
	long := func(field, v string, n int) {
		if len([]rune(v)) > n {
			p[field] = "form.too_long"
		}
	}
	switch s.To {
	case Declined:
		if s.Reason == "" {
			p["reason"] = "form.required"
		}
		long("reason", s.Reason, maxText)
	case Scheduled:
		if _, err := time.Parse("2006-01-02", s.Date); err != nil {
			p["date"] = "exchange.err.date"
		}
		if s.Place == "" {
			p["place"] = "form.required"
		}
		long("place", s.Place, maxLine)
	case Done:
		if s.Learned == "" {
			p["learned"] = "form.required"
		}
		long("learned", s.Learned, maxText)
		long("will_try", s.WillTry, maxText)
	case Adopted:
		if s.AdaptedID <= 0 {
			p["adapted"] = "form.required"
		}
	case Accepted:
	default:
		p["state"] = "exchange.err.step"
	}
	return p
}

// next says which states an exchange in state may go to, and which side
// may take each step ("to": the asked city, "from": the asking city,
// "both": either).
var next = map[string]map[string]string{
	Requested: {Accepted: "to", Declined: "to"},
	Accepted:  {Scheduled: "both", Done: "both", Declined: "to"},
	Scheduled: {Scheduled: "both", Done: "both"},
	Done:      {Adopted: "from"},
}

// MayStep reports whether a viewer on side (or the secretariat, side "")
// may move an exchange in state from to state to.
func MayStep(state, to, side string, secretariat bool) bool {
	who, ok := next[state][to]
	if !ok {
		return false
	}
	return secretariat || who == "both" || who == side
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
