// Package voice lets residents give ideas for their city without an
// account — online, on a tablet at an exhibition or on a paper card — and
// lets the city's moderators publish, answer and export them.
package voice

import (
	"strings"
	"time"

	"observatory/internal/i18n"
)

// Idea states. Only published ideas are ever shown to the public.
const (
	StateWaiting   = "waiting"
	StatePublished = "published"
	StateHidden    = "hidden"
	StateSpam      = "spam"
	StateMerged    = "merged"
)

// Channels an idea can come through.
const (
	ChannelOnline = "online"
	ChannelKiosk  = "kiosk"
	ChannelPaper  = "paper"
	ChannelAPI    = "api"
)

// Flags a moderator sees on an idea in the queue.
const (
	FlagNoPoW     = "no_pow"
	FlagLinks     = "links"
	FlagWords     = "words"
	FlagBurst     = "burst"
	FlagDuplicate = "duplicate"
	FlagFast      = "fast"
	FlagReported  = "reported"
	FlagPaper     = "transcribed"
)

// Reasons are the categories of the moderation charter for not publishing.
var Reasons = []string{"offtopic", "personal", "insult", "advertising", "duplicate", "illegal"}

// AgeGroups a resident may tell.
var AgeGroups = []string{"under18", "18-29", "30-49", "50-64", "65plus"}

// Text bounds of an idea, in characters.
const (
	MinText = 10
	MaxText = 2000
)

// Consultation is one city's question to its residents.
type Consultation struct {
	ID            int64
	CityID        int64
	CityName      string
	CitySlug      string
	Slug          string
	Question      i18n.Text
	SourceLang    string
	Themes        []string
	OpensAt       time.Time
	ClosesAt      time.Time
	RetentionDays int
	Moderation    string // "before" or "after" publication
	Privacy       i18n.Text
	Charter       i18n.Text
	UpdatedAt     time.Time
	Published     int // published ideas
	Exhibitions   []Exhibition
}

// Open reports whether ideas are taken at t.
func (c *Consultation) Open(t time.Time) bool { return !t.Before(c.OpensAt) && t.Before(c.ClosesAt) }

// Path is the consultation's page after the language prefix.
func (c *Consultation) Path() string { return "/ideas/" + c.Slug }

// HasTheme reports whether key is one of the consultation's themes.
func (c *Consultation) HasTheme(key string) bool {
	for _, t := range c.Themes {
		if t == key {
			return true
		}
	}
	return false
}

// Exhibition is a venue where the consultation is shown for some days.
type Exhibition struct {
	ID             int64
	ConsultationID int64
	Venue          string
	Address        string
	Lat, Lon       float64
	StartsOn       string // YYYY-MM-DD, local to the city
	EndsOn         string
	Hours          string
	UpdatedAt      time.Time
	Stations       []Station
}

// Station is one tablet at an exhibition.
type Station struct {
	ID           int64
	ExhibitionID int64
	Name         string
	Revoked      bool
	LastContact  time.Time
	Backlog      int
	Today        int
}

// Idea is one resident's idea.
type Idea struct {
	ID             int64
	ConsultationID int64
	Consultation   string // its slug
	CityID         int64
	Receipt        string
	Body           string
	Lang           string
	Theme          string
	Neighbourhood  string
	AgeGroup       string
	Channel        string
	ExhibitionID   int64
	Venue          string
	StationID      int64
	Station        string
	Card           string
	State          string
	Reason         string
	MergedInto     int64
	Flags          []string
	Supports       int
	Reports        int
	HasEmail       bool
	CreatedAt      time.Time
	DecidedAt      time.Time
	Practices      []PracticeLink
}

// PracticeLink is a practice of a member city that answers an idea.
type PracticeLink struct {
	ID    int64
	Slug  string
	Title i18n.Text
	Lang  string
	City  string
}

// Path is the practice's page after the language prefix.
func (p PracticeLink) Path() string { return "/practices/" + itoa(p.ID) + "-" + p.Slug }

// HasFlag reports whether the idea carries flag f.
func (i *Idea) HasFlag(f string) bool {
	for _, x := range i.Flags {
		if x == f {
			return true
		}
	}
	return false
}

func joinFlags(f []string) string { return strings.Join(f, ",") }

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
