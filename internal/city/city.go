// Package city is the network's member cities: their profiles, people,
// partnerships and figures; the public directory, map and city pages; the
// editing pages for city editors and the secretariat; the JSON API and the
// CSV export.
package city

import (
	"embed"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/media"
)

//go:embed templates
var Templates embed.FS

// Membership states.
const (
	Member    = "member"
	Candidate = "candidate"
	Former    = "former"
)

// Statuses lists the membership states in display order.
var Statuses = []string{Member, Candidate, Former}

// City is one city's record.
type City struct {
	ID              int64
	Slug            string
	Name            string    // the default name, used where a language has none
	Names           i18n.Text // the name per language, when it differs ("Warschau", "Varsovie")
	Country         string    // ISO 3166-1 alpha-2
	Continent       string    // a geo continent key, derived from the country
	Region          string    // state, province or region within the country, as written locally
	Population      int64     // 0: not known
	PopulationYear  int       // the year the population was counted; 0: not known
	Lat, Lon        float64
	Timezone        string // IANA name, e.g. Europe/Berlin
	Website         string
	Description     i18n.Text
	DescriptionLang string // the language the description was written in
	PhotoID         int64
	PhotoType       string
	PhotoKey        string // the image's SHA-256, part of its address
	Membership      string
	MemberSince     string // "2016" or "2016-05-12"; "" when not known
	MemberUntil     string

	// Residents of foreign nationality, with the largest groups in
	// ForeignGroups (loaded by Store.Residents).
	ForeignResidents     int64
	ForeignNationalities int
	ForeignAsOf          string

	CreatedAt, UpdatedAt time.Time
}

// DisplayName is the city's name in lang.
func (c *City) DisplayName(lang string) string { return displayName(c.Name, c.Names, lang) }

func displayName(name string, names i18n.Text, lang string) string {
	if n := strings.TrimSpace(names[lang]); n != "" {
		return n
	}
	return name
}

// OtherName is a name of the city besides the one a page shows it by.
type OtherName struct {
	Name     string
	Lang     string // the language it is written in; "" for the default name
	LangName string // that language's name in the reader's language
}

// OtherNames lists, for a reader in lang, the city's default name when the
// page shows another, then its names in languages the interface does not
// have (Чернівці, İzmir), by language code.
func (c *City) OtherNames(lang string) []OtherName {
	shown := c.DisplayName(lang)
	var out []OtherName
	if c.Name != shown {
		out = append(out, OtherName{Name: c.Name})
	}
	for _, l := range slices.Sorted(maps.Keys(c.Names)) {
		if n := strings.TrimSpace(c.Names[l]); !i18n.Supported(l) && n != "" && n != shown && n != c.Name {
			out = append(out, OtherName{Name: n, Lang: l, LangName: i18n.LanguageName(lang, l)})
		}
	}
	return out
}

// Path is the city page's path without the language: /cities/3-dusseldorf.
func (c *City) Path() string { return Path(c.ID, c.Slug) }

// Path is a city page's path without the language.
func Path(id int64, slug string) string {
	return "/cities/" + strconv.FormatInt(id, 10) + "-" + slug
}

// PhotoURL is where the city's photo is served, or "".
func (c *City) PhotoURL() string { return media.URL(c.PhotoID, c.PhotoType, c.PhotoKey) }

// JoinedYear is the year the city became a member, 0 when not known.
func (c *City) JoinedYear() int { return yearOf(c.MemberSince) }

// LeftYear is the year the membership ended, 0 when it has not.
func (c *City) LeftYear() int { return yearOf(c.MemberUntil) }

func yearOf(d string) int {
	if len(d) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(d[:4])
	return y
}

// Person is one of a city's representatives.
type Person struct {
	ID        int64
	CityID    int64
	Name      string
	Role      string // one of Roles
	Title     string // as written locally: "Oberbürgermeister", "maire"
	TermStart string // "2014" or "2014-09-01"
	TermEnd   string
	PhotoID   int64
	PhotoType string
	PhotoKey  string // the image's SHA-256, part of its address
	UserID    int64  // the account of this person, when linked
	Position  int
}

// Roles lists the roles of a city's people in display order.
var Roles = []string{"mayor", "deputy_mayor", "council_member", "diversity_officer", "staff"}

// Current reports whether the person is in office on day (an ISO date).
func (p *Person) Current(day string) bool { return !p.Upcoming(day) && !p.Former(day) }

// Upcoming reports whether the person's term starts after day.
func (p *Person) Upcoming(day string) bool {
	return p.TermStart != "" && p.TermStart > day[:min(len(day), len(p.TermStart))]
}

// Former reports whether the person's term ended before day.
func (p *Person) Former(day string) bool {
	return p.TermEnd != "" && p.TermEnd < day[:min(len(day), len(p.TermEnd))]
}

// PhotoURL is where the person's photo is served, or "".
func (p *Person) PhotoURL() string { return media.URL(p.PhotoID, p.PhotoType, p.PhotoKey) }

// Partnership kinds.
var Kinds = []string{"twin", "partner", "friendship"}

// Partnership is a twinning or partnership between a city and another,
// which is either a city in the directory (PartnerCityID) or named only.
type Partnership struct {
	ID             int64
	CityID         int64 // the city that recorded it
	PartnerCityID  int64 // 0: the partner is not in the directory
	PartnerName    string
	PartnerCountry string
	Since          int // the year it began; 0: not known
	Kind           string

	// Other is the other side, seen from the city whose page shows it.
	Other Ref
}

// Ref names a city briefly: enough to show and link it.
type Ref struct {
	ID         int64 // 0: not in the directory
	Slug       string
	Name       string
	Names      i18n.Text
	Country    string
	Membership string
	Lat, Lon   float64 // only for a city in the directory
}

// DisplayName is the name in lang.
func (r Ref) DisplayName(lang string) string { return displayName(r.Name, r.Names, lang) }

// Path is the city page, or "" for a partner outside the directory.
func (r Ref) Path() string {
	if r.ID == 0 {
		return ""
	}
	return Path(r.ID, r.Slug)
}

// RoundYears are the anniversaries a page points out.
var RoundYears = []int{10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100, 125, 150}

// Anniversary is the number of years the partnership completes in year,
// when that is a round number; otherwise 0.
func (p *Partnership) Anniversary(year int) int {
	if p.Since == 0 {
		return 0
	}
	for _, n := range RoundYears {
		if year-p.Since == n {
			return n
		}
	}
	return 0
}

// Group is the number of a city's residents holding one foreign nationality.
type Group struct {
	Country   string
	Residents int64
}

// FormatDate writes a stored date for lang: a year as it is, a calendar
// date the way the language writes dates.
func FormatDate(lang, d string) string {
	if len(d) == 4 {
		return d
	}
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return i18n.Date(lang, t)
}

// SinceIn and UntilIn are the membership dates written for lang.
func (c *City) SinceIn(lang string) string { return FormatDate(lang, c.MemberSince) }
func (c *City) UntilIn(lang string) string { return FormatDate(lang, c.MemberUntil) }

// ForeignAsOfIn is the date of the foreign-residents count written for lang.
func (c *City) ForeignAsOfIn(lang string) string { return FormatDate(lang, c.ForeignAsOf) }

// StartIn and EndIn are the term's dates written for lang.
func (p *Person) StartIn(lang string) string { return FormatDate(lang, p.TermStart) }
func (p *Person) EndIn(lang string) string   { return FormatDate(lang, p.TermEnd) }

// Paragraphs splits a text at blank lines.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
