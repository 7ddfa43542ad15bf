package news

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"observatory/internal/web"
)

// icsEvent is one VEVENT with its texts in one language.
type icsEvent struct {
	web.Date
	Summary  string
	Location string
	URL      string
}

// writeICS renders an iCalendar (RFC 5545) document: all-day dates as
// VALUE=DATE, recurring ones with their RRULE (one VEVENT, not one per
// year), timed ones in their own zone with TZID and the VTIMEZONE that
// defines it; CRLF line ends, lines folded at 75 octets, texts escaped.
func writeICS(name string, events []icsEvent, now time.Time) []byte {
	var b bytes.Buffer
	w := func(line string) { foldLine(&b, line) }
	w("BEGIN:VCALENDAR")
	w("VERSION:2.0")
	w("PRODID:-//Observatory//Calendar//EN")
	w("CALSCALE:GREGORIAN")
	w("METHOD:PUBLISH")
	w("NAME:" + escapeText(name))
	w("X-WR-CALNAME:" + escapeText(name))
	w("REFRESH-INTERVAL;VALUE=DURATION:PT12H")
	w("X-PUBLISHED-TTL:PT12H")
	// One VTIMEZONE per zone used, covering the span of its events.
	spans := map[string][2]time.Time{}
	for _, e := range events {
		if e.AllDay || e.Start.Location() == time.UTC || e.Start.Location().String() == "UTC" {
			continue
		}
		z := e.Start.Location().String()
		sp, ok := spans[z]
		end := e.End
		if end.IsZero() {
			end = e.Start
		}
		if !ok || e.Start.Before(sp[0]) {
			sp[0] = e.Start
		}
		if !ok || end.After(sp[1]) {
			sp[1] = end
		}
		spans[z] = sp
	}
	zones := make([]string, 0, len(spans))
	for z := range spans {
		zones = append(zones, z)
	}
	slices.Sort(zones)
	for _, z := range zones {
		writeTimezone(&b, spans[z][0].Location(), spans[z][0], spans[z][1])
	}
	for _, e := range events {
		w("BEGIN:VEVENT")
		w("UID:" + e.UID)
		stamp := e.Updated
		if stamp.IsZero() {
			stamp = now
		}
		w("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		w("LAST-MODIFIED:" + stamp.UTC().Format("20060102T150405Z"))
		w(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
		switch {
		case e.AllDay:
			w("DTSTART;VALUE=DATE:" + e.Start.Format("20060102"))
			end := e.End
			if end.IsZero() || !end.After(e.Start) {
				end = e.Start.AddDate(0, 0, 1)
			}
			w("DTEND;VALUE=DATE:" + end.Format("20060102"))
		case e.Start.Location() == time.UTC || e.Start.Location().String() == "UTC":
			w("DTSTART:" + e.Start.UTC().Format("20060102T150405Z"))
			if !e.End.IsZero() {
				w("DTEND:" + e.End.UTC().Format("20060102T150405Z"))
			}
		default:
			z := e.Start.Location().String()
			w("DTSTART;TZID=" + z + ":" + e.Start.Format("20060102T150405"))
			if !e.End.IsZero() {
				w("DTEND;TZID=" + z + ":" + e.End.In(e.Start.Location()).Format("20060102T150405"))
			}
		}
		if e.RRule != "" {
			w("RRULE:" + e.RRule)
		}
		w("SUMMARY:" + escapeText(e.Summary))
		if e.Location != "" {
			w("LOCATION:" + escapeText(e.Location))
		}
		if e.URL != "" {
			w("URL:" + e.URL)
		}
		w("CATEGORIES:" + strings.ToUpper(e.Kind))
		if e.AllDay {
			w("TRANSP:TRANSPARENT")
		}
		w("END:VEVENT")
	}
	w("END:VCALENDAR")
	return b.Bytes()
}

var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// foldLine writes one content line, folded at 75 octets without cutting a
// character in two.
func foldLine(b *bytes.Buffer, line string) {
	n := 0
	for len(line) > 0 {
		_, size := utf8.DecodeRuneInString(line)
		limit := 75
		if n > 0 {
			limit = 74 // the continuation's leading space counts
		}
		if n+size > limit {
			b.WriteString("\r\n ")
			n = 0
			continue
		}
		b.WriteString(line[:size])
		line = line[size:]
		n += size
	}
	b.WriteString("\r\n")
}

// writeTimezone defines loc from one year before from to one after to, with
// each offset change as its own STANDARD or DAYLIGHT observance.
func writeTimezone(b *bytes.Buffer, loc *time.Location, from, to time.Time) {
	w := func(line string) { foldLine(b, line) }
	w("BEGIN:VTIMEZONE")
	w("TZID:" + loc.String())
	start := time.Date(from.Year()-1, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(to.Year()+1, 12, 31, 0, 0, 0, 0, loc)
	_, prev := start.Zone()
	first := true
	emit := func(at time.Time, fromOff, toOff int, dst bool, name string) {
		kind := "STANDARD"
		if dst {
			kind = "DAYLIGHT"
		}
		w("BEGIN:" + kind)
		// DTSTART is the local time before the change.
		w("DTSTART:" + at.UTC().Add(time.Duration(fromOff)*time.Second).Format("20060102T150405"))
		w("TZOFFSETFROM:" + formatOffset(fromOff))
		w("TZOFFSETTO:" + formatOffset(toOff))
		if name != "" {
			w("TZNAME:" + name)
		}
		w("END:" + kind)
	}
	for t := start; t.Before(end); {
		next := t.AddDate(0, 0, 1)
		_, off := next.Zone()
		if off != prev {
			// Find the instant of the change to the second.
			lo, hi := t.Unix(), next.Unix()
			for hi-lo > 1 {
				mid := (lo + hi) / 2
				if _, o := time.Unix(mid, 0).In(loc).Zone(); o == prev {
					lo = mid
				} else {
					hi = mid
				}
			}
			at := time.Unix(hi, 0).In(loc)
			name, _ := at.Zone()
			emit(at, prev, off, at.IsDST(), name)
			prev = off
			first = false
		}
		t = next
	}
	if first {
		name, off := start.Zone()
		emit(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(off)*time.Second), off, off, false, name)
	}
	w("END:VTIMEZONE")
}

func formatOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}
