// Package news publishes the network's news items (dated, with a place,
// photos and video links, in several languages), keeps the one calendar of
// everything dated with the days observed every year, and gives the press
// its galleries and a press page per summit.
package news

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

// Item states. Only published items are public; a scheduled one becomes
// published at its time by the publishing job.
const (
	StateDraft     = "draft"
	StateScheduled = "scheduled"
	StatePublished = "published"
	StateArchived  = "archived"
)

// Translation states, per field and language, and per language for the
// whole item (Partial: some fields of the original are not translated).
const (
	Original   = "original"
	Translated = "translated"
	Partial    = "partial"
	Outdated   = "outdated" // the original changed since
)

// Fields are the translatable fields, in the order a page shows them.
var Fields = []string{"title", "lead", "body", "place"}

// ContentLangs are the languages an item is written in.
var ContentLangs = i18n.Langs

// Item is one news item.
type Item struct {
	ID          int64
	SourceLang  string
	Title       i18n.Text
	Lead        i18n.Text
	Body        i18n.Text // Markdown
	Place       i18n.Text
	Trans       map[string]map[string]string // field → lang → Translated or Outdated
	DatedOn     string                       // YYYY-MM-DD
	EndsOn      string                       // for an announced event, else ""
	IsEvent     bool                         // an announced event: in the calendar
	CityID      int64
	City        string // the city's name, joined
	CityNames   i18n.Text
	CityZone    string
	SummitID    int64
	Observance  int64 // the observed day the item's event belongs to, 0 when none
	Tags        []string
	Links       []Link
	PressName   string
	PressEmail  string
	PressPhone  string
	State       string
	PublishAt   *time.Time
	PublishedAt *time.Time
	Sequence    int
	CreatedBy   int64
	UpdatedAt   time.Time
	Media       []Media
}

// Link points to a page of the platform the item is about.
type Link struct {
	Path  string `json:"path"` // after the language prefix: /summits/2-dusseldorf-2019
	Label string `json:"label"`
}

// Kind is what the link points to: "summits", "declarations", "practices",
// "cities", "news" or "calendar", for a label when it has none.
func (l Link) Kind() string {
	k, _, _ := strings.Cut(strings.TrimPrefix(l.Path, "/"), "/")
	return k
}

// linkPrefixes are the pages an item may point to.
var linkPrefixes = []string{"/summits/", "/declarations/", "/practices/", "/cities/", "/news/", "/calendar/"}

// Media is a photo, or the still image of a video link.
type Media struct {
	ID        int64
	Kind      string // "photo" or "video"
	ImageID   int64
	ImageType string
	ImageKey  string
	Width     int
	Height    int
	Caption   i18n.Text
	Credit    string
	Licence   string
	TakenOn   string
	VideoURL  string
	Position  int
	// For galleries: the item the photo belongs to.
	ItemID    int64
	ItemTitle i18n.Text
	ItemLang  string
}

// URL is where the image is served (at the resolution stored).
func (m Media) URL() string { return media.URL(m.ImageID, m.ImageType, m.ImageKey) }

// Provider names the video's host for the link's text.
func (m Media) Provider() string {
	u, err := url.Parse(m.VideoURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// Date is the item's date at midnight (UTC; it is a calendar date).
func (it *Item) Date() time.Time {
	t, _ := time.Parse("2006-01-02", it.DatedOn)
	return t
}

// EndDate is the last day of an announced event.
func (it *Item) EndDate() time.Time {
	if it.EndsOn == "" {
		return it.Date()
	}
	t, _ := time.Parse("2006-01-02", it.EndsOn)
	return t
}

// Text returns a translatable field by name.
func (it *Item) Text(field string) *i18n.Text {
	switch field {
	case "title":
		return &it.Title
	case "lead":
		return &it.Lead
	case "body":
		return &it.Body
	case "place":
		return &it.Place
	}
	return nil
}

// FieldState is the state of field in lang: Original, Translated,
// Outdated, or "" when there is no text in lang.
func (it *Item) FieldState(field, lang string) string {
	t := it.Text(field)
	if t == nil || strings.TrimSpace((*t)[lang]) == "" {
		return ""
	}
	if lang == it.SourceLang {
		return Original
	}
	if s := it.Trans[field][lang]; s != "" {
		return s
	}
	return Translated
}

// LangState is the state of the whole item in lang: Original, Translated
// (every field of the original is translated and up to date), Partial
// (some are missing), Outdated (some changed in the original since), or ""
// when nothing is written in lang.
func (it *Item) LangState(lang string) string {
	if lang == it.SourceLang {
		return Original
	}
	have, missing, outdated := 0, 0, 0
	for _, f := range Fields {
		if strings.TrimSpace((*it.Text(f))[it.SourceLang]) == "" {
			continue
		}
		switch it.FieldState(f, lang) {
		case "":
			missing++
		case Outdated:
			outdated++
			have++
		default:
			have++
		}
	}
	switch {
	case have == 0:
		return ""
	case outdated > 0:
		return Outdated
	case missing > 0:
		return Partial
	}
	return Translated
}

// Slug is the readable part of the item's address in lang.
func (it *Item) Slug(lang string) string {
	return web.Slug(it.Title.Get(lang, it.SourceLang), 60, "item")
}

// Path is the item's page in lang, after the language prefix.
func (it *Item) Path(lang string) string {
	return "/news/" + strconv.FormatInt(it.ID, 10) + "-" + it.Slug(lang)
}

// CityIn is the item's city in lang.
func (it *Item) CityIn(lang string) string {
	if v := strings.TrimSpace(it.CityNames[lang]); v != "" {
		return v
	}
	return it.City
}

// Photos and Videos split the item's media.
func (it *Item) Photos() []Media { return it.mediaOf("photo") }
func (it *Item) Videos() []Media { return it.mediaOf("video") }

func (it *Item) mediaOf(kind string) []Media {
	var out []Media
	for _, m := range it.Media {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// Image is the item's first photo, for cards and link previews.
func (it *Item) Image() *Media {
	for i := range it.Media {
		if it.Media[i].ImageID != 0 {
			return &it.Media[i]
		}
	}
	return nil
}

// ParseRef reads the id from "12-some-slug" or "12".
func ParseRef(ref string) (int64, bool) {
	num, _, _ := strings.Cut(ref, "-")
	id, err := strconv.ParseInt(num, 10, 64)
	return id, err == nil && id > 0
}

// Observance is a day observed every year.
type Observance struct {
	ID        int64
	Key       string
	Title     i18n.Text
	About     i18n.Text
	Source    i18n.Text
	Month     int
	Day       int
	Since     int // the first year observed, 0 when unknown
	CityID    int64
	City      string
	CityNames i18n.Text
	Sequence  int
	UpdatedAt time.Time
}

// Path is the observance's page after the language prefix.
func (o *Observance) Path() string { return "/calendar/observances/" + o.Key }

// UID is the observance's stable iCalendar identifier.
func (o *Observance) UID() string { return "observance-" + o.Key + "@observatory" }

// Next lists the observance's next n dates on or after from.
func (o *Observance) Next(from time.Time, n int) []time.Time {
	var out []time.Time
	for y := from.Year(); len(out) < n && y < from.Year()+n+2; y++ {
		d := time.Date(y, time.Month(o.Month), o.Day, 0, 0, 0, 0, time.UTC)
		if d.Month() != time.Month(o.Month) || d.Before(time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// First is the first date observed (the date in its first year, or in 2000).
func (o *Observance) First() time.Time {
	y := o.Since
	if y == 0 {
		y = 2000
	}
	return time.Date(y, time.Month(o.Month), o.Day, 0, 0, 0, 0, time.UTC)
}

// CityIn is the observance's city in lang ("" for the network's days).
func (o *Observance) CityIn(lang string) string {
	if v := strings.TrimSpace(o.CityNames[lang]); v != "" {
		return v
	}
	return o.City
}

// ThumbHeight is the image's height when shown width pixels wide.
func (m Media) ThumbHeight(width int) int {
	if m.Width == 0 {
		return width * 3 / 4
	}
	return width * m.Height / m.Width
}

// Zone is the zone in which the item's publishing time is entered: its
// city's, or the network's when it is about no city.
func (it *Item) Zone() string {
	if it.CityID == 0 || it.CityZone == "" {
		return i18n.NetworkZone
	}
	return it.CityZone
}

// Location is Zone loaded; the network's zone if the city's is unknown.
func (it *Item) Location() *time.Location {
	if loc, err := time.LoadLocation(it.Zone()); err == nil {
		return loc
	}
	return i18n.NetworkLocation
}
