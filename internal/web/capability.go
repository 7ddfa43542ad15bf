package web

import (
	"context"
	"database/sql"
	"html/template"
	"io/fs"
	"net/http"
	"time"
)

// Capability is what one capability package (city, practice, summit,
// declaration, voice, news, exchange …) tells the app about itself. Each
// package's New(deps) returns its *Handlers, whose method Capability()
// returns this; the app wires each capability in one line; the routes stay
// in the app's route table.
type Capability struct {
	// Name is the package's name; its templates are registered as
	// "Name/file".
	Name string
	// Err says why the capability could not be built (its constructor
	// failed); the app then refuses to start and says so.
	Err error
	// Templates holds the package's pages (*.html) and partials
	// (*.part.html) at its root; nil when it renders nothing.
	Templates fs.FS
	// Nav is its entry in the main menu, nil when it has none; its place is
	// its path's in Renderer.NavOrder (the app's MenuOrder). A menu entry
	// exists only for a capability that is built, so the menu never
	// promises what is not.
	Nav *NavItem
	// Counts are its figures on the secretariat's dashboard.
	Counts []Count
	// CitySections are rendered on each city's page, in list order.
	CitySections []CitySection
	// CityRenamed run in the transaction that changes a city's names, for
	// a capability that keeps copies of them (a search index).
	CityRenamed []func(ctx context.Context, tx *sql.Tx, cityID int64) error
	// FigureSections are rendered on the figures page.
	FigureSections []PageSection
	// HomeSections are rendered on the home page.
	HomeSections []PageSection
	// Jobs run in the background while the server runs.
	Jobs []Job
	// Dates are its dated things for the one calendar (summit sessions,
	// deadlines, exhibitions, news-announced events …).
	Dates []DateSource
	// Sitemap lists its public pages for sitemap.xml.
	Sitemap []SitemapSource
	// PersonalData is what it keeps about a person with an account: their
	// download of everything stored about them, and the erasure the
	// secretariat completes at their request.
	PersonalData []PersonalData
	// Datasets are its tables for the open-data portal (see Dataset).
	Datasets []Dataset
}

// Person is the account a download or an erasure is about.
type Person struct {
	ID    int64  `json:"id"`
	Email string `json:"email"` // as stored, lower case
	Name  string `json:"name"`
}

// PersonalData is one capability's part of what is stored about a person.
// Export returns it for the person's download (anything encoding/json
// writes; nil when there is nothing). Erase removes it, or replaces names
// and addresses by the pseudonym, in tx: the one transaction that
// completes an erasure request. Signed records stay as they are; Export
// says which.
type PersonalData struct {
	Name   string
	Export func(ctx context.Context, p Person) (any, error)
	Erase  func(ctx context.Context, tx *sql.Tx, p Person, pseudonym string) error
}

// DateSource answers the public dated things that overlap [from, to).
type DateSource func(ctx context.Context, from, to time.Time) ([]Date, error)

// Date is one dated thing in the calendar. Texts are per language
// (language code → text; the calendar falls back as content does).
type Date struct {
	UID      string            // stable across changes, e.g. "summit-session-12@observatory"
	Kind     string            // "summit", "session", "deadline", "exhibition", "observance", "event" …
	Title    map[string]string // per language
	Place    map[string]string // per language, may be empty
	Start    time.Time         // with its own location (the event's zone)
	End      time.Time         // exclusive; zero for a point in time
	AllDay   bool
	CityID   int64  // 0 when it belongs to the network
	Path     string // its page after the language prefix
	RRule    string // an RFC 5545 rule for recurring dates, e.g. "FREQ=YEARLY"
	Sequence int    // bumped on every change (iCalendar SEQUENCE)
	Updated  time.Time
}

// SitemapSource lists public pages (paths after the language prefix; each
// is listed in every language with hreflang alternates).
type SitemapSource func(ctx context.Context) ([]SitemapEntry, error)

// SitemapEntry is one public page and when it last changed.
type SitemapEntry struct {
	Path    string
	LastMod time.Time
	// LangPaths are the page's paths per language when they differ from
	// Path (a slug in each language).
	LangPaths map[string]string
}

// Count is one figure on the dashboard: a label's catalog key, where to
// manage it (a path after the language prefix, or empty), and how to count.
type Count struct {
	Key   string
	Path  string
	Value func(ctx context.Context) (int64, error)
}

// CitySection renders a capability's part of a city's page (empty HTML
// when it has nothing to show for that city).
type CitySection func(r *http.Request, cityID int64) (template.HTML, error)

// PageSection renders a capability's part of a shared page.
type PageSection func(r *http.Request) (template.HTML, error)

// Job is background work: at start, then every Every (a job without Every
// runs once, at start). Once means it must run on one app server at a time
// across all servers sharing the database (the runner takes a lease in the
// database before each run).
type Job struct {
	Name  string
	Every time.Duration
	Once  bool
	Run   func(ctx context.Context) error
	// Before runs the job, on every server, before the server takes its
	// first request (loading what the first requests would otherwise
	// wait for); such a job has no Every and no Once.
	Before bool
}
