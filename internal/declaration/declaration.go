// Package declaration keeps the network's declarations: their texts in
// several languages and in versions that never change once published, the
// cities' signatures and withdrawals, and an append-only log in which every
// publication, signature and withdrawal is chained by hash and signed with
// the platform's Ed25519 key, so that anyone can verify — on the platform
// or offline with `observatory verify` — that a signature belongs to
// exactly that text.
package declaration

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Statuses of a declaration.
const (
	StatusDraft  = "draft"  // only the secretariat sees it
	StatusOpen   = "open"   // public, open for signature
	StatusClosed = "closed" // public, no new signatures
)

// Statuses lists them in the order forms show them.
var Statuses = []string{StatusDraft, StatusOpen, StatusClosed}

// Roles lists the signer roles.
var Roles = []string{RoleMayor, RoleDeputyMayor}

// Declaration is one declaration with its current text.
type Declaration struct {
	ID             int64
	Slug           string
	Status         string
	Intro          i18n.Text
	IntroLang      string
	AdoptedOn      string // YYYY-MM-DD, the local date
	AdoptedPlace   string
	AdoptedCity    CityRef
	SummitID       int64
	SummitTitle    i18n.Text
	SummitLang     string
	summitStatus   string
	summitHost     string // the host city's slug
	summitStart    string
	timezone       string // the adoption city's zone
	Demo           bool
	CurrentVersion int // the latest published version, 0 when none
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Titles of the version shown (the current one, or for the
	// secretariat the latest draft) and its authoritative language.
	Titles        i18n.Text
	Authoritative string
	// Active is the number of signatures not withdrawn.
	Active int
	// Versions are filled by Get: published ones, plus drafts for the secretariat.
	Versions []*Version
}

// CityRef names a city and links to its page.
type CityRef struct {
	ID      int64
	Slug    string
	Name    string
	Names   i18n.Text
	Country string
}

// DisplayName is the city's name in lang.
func (c CityRef) DisplayName(lang string) string {
	if n := strings.TrimSpace(c.Names[lang]); n != "" {
		return n
	}
	return c.Name
}

// Path is the city page's path without the language.
func (c CityRef) Path() string { return "/cities/" + strconv.FormatInt(c.ID, 10) + "-" + c.Slug }

// Path is the declaration page's path without the language.
func (d *Declaration) Path() string { return Path(d.ID, d.Slug) }

// SlugIn is the readable part of the page's address in lang: from the
// title in that language (or the one shown instead), else the stored slug.
func (d *Declaration) SlugIn(lang string) string {
	return web.Slug(d.Titles.Get(lang, d.Authoritative), 80, d.Slug)
}

// PathIn is the declaration page's path in lang, its slug in that
// language; any other slug redirects there.
func (d *Declaration) PathIn(lang string) string { return Path(d.ID, d.SlugIn(lang)) }

// LangPaths are the page's paths in each interface language.
func (d *Declaration) LangPaths() map[string]string {
	out := map[string]string{}
	for _, l := range i18n.Langs {
		out[l] = d.PathIn(l)
	}
	return out
}

// Path is a declaration page's path without the language.
func Path(id int64, slug string) string {
	return "/declarations/" + strconv.FormatInt(id, 10) + "-" + slug
}

// Location is the zone in which the declaration's times are shown and
// entered: the adoption city's, or UTC.
func (d *Declaration) Location() *time.Location {
	if loc, err := time.LoadLocation(d.timezone); err == nil && d.timezone != "" {
		return loc
	}
	return time.UTC
}

// SummitPath is the summit page's path without the language, or "" when
// there is no summit or the public may not see it.
func (d *Declaration) SummitPath() string {
	if d.SummitID == 0 || d.summitStatus == "draft" {
		return ""
	}
	ref := strconv.FormatInt(d.SummitID, 10)
	if d.summitHost != "" && len(d.summitStart) >= 4 {
		ref += "-" + d.summitHost + "-" + d.summitStart[:4]
	}
	return "/summits/" + ref
}

// Title is the title for a reader of lang.
func (d *Declaration) Title(lang string) i18n.Resolved { return d.Titles.In(lang, d.Authoritative) }

// Public reports whether the public may see the declaration.
func (d *Declaration) Public() bool { return d.Status != StatusDraft && d.CurrentVersion > 0 }

// Adopted is the adoption date as a time (zero when unknown).
func (d *Declaration) Adopted() time.Time {
	t, _ := time.Parse(time.DateOnly, d.AdoptedOn)
	return t
}

// Current is the current published version (nil when none).
func (d *Declaration) Current() *Version {
	for _, v := range d.Versions {
		if v.Number == d.CurrentVersion {
			return v
		}
	}
	return nil
}

// Latest is the newest version, published or not.
func (d *Declaration) Latest() *Version {
	if len(d.Versions) == 0 {
		return nil
	}
	return d.Versions[len(d.Versions)-1]
}

// Version is one version's texts.
type Version struct {
	Number        int
	Authoritative string
	Texts         Texts
	Hash          string
	CreatedAt     time.Time
	PublishedAt   *time.Time
}

// Published reports whether the version was published (and so is frozen).
func (v *Version) Published() bool { return v.PublishedAt != nil }

// Text picks the text for a reader of lang: the reader's language, the
// authoritative one, then the others (i18n.FallbackOrder).
func (v *Version) Text(lang string) (Text, string) {
	for _, l := range i18n.FallbackOrder(lang, v.Authoritative) {
		if t, ok := v.Texts[l]; ok {
			return t, l
		}
	}
	for _, l := range v.Texts.Langs() {
		return v.Texts[l], l
	}
	return Text{}, ""
}

// Titles are the version's titles by language.
func (v *Version) Titles() i18n.Text {
	out := i18n.Text{}
	for l, t := range v.Texts {
		out[l] = t.Title
	}
	return out
}

// Signature is a city's signature as the pages list it.
type Signature struct {
	ID          int64
	City        CityRef
	Continent   string
	Lat, Lon    float64
	Version     int
	Signer      string
	Role        string
	Lang        string
	Mode        string
	Place       string
	SignedAt    time.Time
	LogSeq      int64
	WithdrawnAt *time.Time
	Withdrawal  int64
	WithdrawnBy string
	WithdrawnAs string
	Reason      string
}

// Active reports whether the signature was not withdrawn.
func (s *Signature) Active() bool { return s.WithdrawnAt == nil }

// Errors the store returns for requests that break the rules; handlers
// show each as a message (see Handlers.ruleKey).
var (
	ErrNotFound         = errors.New("declaration not found")
	ErrNotOpen          = errors.New("the declaration is not open for signature")
	ErrVersionChanged   = errors.New("the version read is not the current version any more")
	ErrAlreadySigned    = errors.New("the city has already signed this declaration")
	ErrNotSigned        = errors.New("the city has no active signature on this declaration")
	ErrNotMember        = errors.New("only member cities sign declarations")
	ErrNothingToPublish = errors.New("there is no new version to publish")
	ErrNoVersion        = errors.New("publish a version before opening the declaration")
	ErrCityUnknown      = errors.New("unknown city")
)

// FieldError says which input is wrong, as a catalog key.
type FieldError struct {
	Field string
	Key   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Key }

// FieldErrors are every problem of one input.
type FieldErrors []*FieldError

func (fe FieldErrors) Error() string {
	var s []string
	for _, e := range fe {
		s = append(s, e.Error())
	}
	return strings.Join(s, "; ")
}

// Slugify makes the readable part of a declaration's URL from its title.
func Slugify(title string) string { return web.Slug(title, 80, "declaration") }
