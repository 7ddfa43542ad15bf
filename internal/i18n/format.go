package i18n

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the network's zone is known on every host

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

var months = map[string][12]string{
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

var weekdays = map[string][7]string{
	"de": {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
}

func monthName(lang string, m time.Month) string {
	ms, ok := months[lang]
	if !ok {
		ms = months[Default]
	}
	return ms[m-1]
}

// Date formats a calendar date the way the language writes it:
// "2. September 2019", "2 September 2019", "2 septembre 2019".
func Date(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d, m, y := strconv.Itoa(t.Day()), monthName(lang, t.Month()), strconv.Itoa(t.Year())
	switch lang {
	case "de":
		return d + ". " + m + " " + y
	case "fr":
		if t.Day() == 1 {
			d = "1er"
		}
		return d + " " + m + " " + y
	}
	return d + " " + m + " " + y
}

// Weekday is the day's name in lang.
func Weekday(lang string, t time.Time) string {
	ws, ok := weekdays[lang]
	if !ok {
		ws = weekdays[Default]
	}
	return ws[t.Weekday()]
}

// DateTime formats a date with its time of day: "2. September 2019, 14:30 Uhr",
// "2 September 2019, 2:30 pm", "2 septembre 2019, 14 h 30".
func DateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Date(lang, t) + ", " + Clock(lang, t)
}

// Clock formats a time of day per language.
func Clock(lang string, t time.Time) string {
	switch lang {
	case "de":
		return t.Format("15:04") + " Uhr"
	case "fr":
		return strings.Replace(t.Format("15 h 04"), " h 00", " h", 1)
	}
	return t.Format("3:04 pm")
}

// MonthYear formats "September 2019" / "septembre 2019".
func MonthYear(lang string, t time.Time) string {
	return monthName(lang, t.Month()) + " " + strconv.Itoa(t.Year())
}

func tag(lang string) language.Tag {
	t, err := language.Parse(lang)
	if err != nil {
		return language.English
	}
	return t
}

// Number formats an integer with the language's grouping: 148.000,
// 148,000, 148 000.
func Number(lang string, n int64) string {
	return message.NewPrinter(tag(lang)).Sprintf("%d", n)
}

// CountryName is a country's name (ISO 3166 alpha-2) in lang, from CLDR:
// "GB" is "Vereinigtes Königreich" on German pages.
func CountryName(lang, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(tag(lang)).Name(r); name != "" {
		return name
	}
	return code
}

// LanguageName is a language's name in lang, from CLDR ("fr" on German pages: "Französisch").
func LanguageName(lang, code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := display.Languages(tag(lang)).Name(t); name != "" {
		return name
	}
	return code
}

// NetworkZone is the zone of the network's secretariat: times that belong
// to no city are shown, and entered, in it.
const NetworkZone = "Europe/Berlin"

// NetworkLocation is NetworkZone loaded (UTC if the zone data were missing).
var NetworkLocation = func() *time.Location {
	loc, err := time.LoadLocation(NetworkZone)
	if err != nil {
		return time.UTC
	}
	return loc
}()

// NetworkTime formats t as DateTime does, in the network's zone and with
// the zone's short name: "8 June 2027, 8:30 pm CEST".
func NetworkTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(NetworkLocation)
	return DateTime(lang, t) + " " + t.Format("MST")
}

var partialDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// ParsePartialDate reads a date written as precisely as it is known:
// YYYY, YYYY-MM or YYYY-MM-DD, in the years 1900 to 2200; ok is false for
// anything else.
func ParsePartialDate(s string) (time.Time, bool) {
	if !partialDate.MatchString(s) {
		return time.Time{}, false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// PartialDate formats such a date in lang with its precision: "2019",
// "May 2019", "2 May 2019"; anything else as it is.
func PartialDate(lang, s string) string {
	t, ok := ParsePartialDate(s)
	switch {
	case !ok:
		return s
	case len(s) == 7:
		return MonthYear(lang, t)
	case len(s) == 10:
		return Date(lang, t)
	}
	return s
}
