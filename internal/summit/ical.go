package summit

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is an iCalendar (RFC 5545) document of events in one time zone.
type Calendar struct {
	Name     string
	ProdID   string
	Location *time.Location
	Events   []CalEvent
}

// CalEvent is one VEVENT.
type CalEvent struct {
	UID          string
	Start, End   time.Time
	Stamp        time.Time // when the event last changed (DTSTAMP, LAST-MODIFIED)
	Summary      string
	Description  string
	Location     string
	URL          string
	Categories   string
	Lat, Lon     *float64
	Organization string
}

// Bytes renders the calendar: CRLF line ends, lines folded at 75 octets
// without splitting a character, TEXT values escaped, and times given
// with TZID plus the VTIMEZONE that defines it (UTC times end in Z).
func (c *Calendar) Bytes() []byte {
	var b bytes.Buffer
	w := func(name, value string) { writeLine(&b, name+":"+value) }
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", c.ProdID)
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	if c.Name != "" {
		w("X-WR-CALNAME", escapeText(c.Name))
	}
	utc := loc == time.UTC || loc.String() == "UTC"
	if !utc && len(c.Events) > 0 {
		from, to := c.Events[0].Start, c.Events[0].End
		for _, e := range c.Events {
			if e.Start.Before(from) {
				from = e.Start
			}
			if e.End.After(to) {
				to = e.End
			}
		}
		w("X-WR-TIMEZONE", loc.String())
		writeTimezone(&b, loc, from, to)
	}
	for _, e := range c.Events {
		w("BEGIN", "VEVENT")
		w("UID", e.UID)
		w("DTSTAMP", utcStamp(e.Stamp))
		w("LAST-MODIFIED", utcStamp(e.Stamp))
		if utc {
			w("DTSTART", utcStamp(e.Start))
			w("DTEND", utcStamp(e.End))
		} else {
			writeLine(&b, "DTSTART;TZID="+loc.String()+":"+e.Start.In(loc).Format("20060102T150405"))
			writeLine(&b, "DTEND;TZID="+loc.String()+":"+e.End.In(loc).Format("20060102T150405"))
		}
		w("SUMMARY", escapeText(e.Summary))
		if e.Description != "" {
			w("DESCRIPTION", escapeText(e.Description))
		}
		if e.Location != "" {
			w("LOCATION", escapeText(e.Location))
		}
		if e.Lat != nil && e.Lon != nil {
			w("GEO", fmt.Sprintf("%.6f;%.6f", *e.Lat, *e.Lon))
		}
		if e.Categories != "" {
			w("CATEGORIES", escapeText(e.Categories))
		}
		if e.URL != "" {
			w("URL", e.URL)
		}
		w("END", "VEVENT")
	}
	w("END", "VCALENDAR")
	return b.Bytes()
}

func utcStamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeLine writes one content line, folded so that no line exceeds 75
// octets; a continuation starts with one space (RFC 5545 3.1).
func writeLine(b *bytes.Buffer, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// transition is a change of a zone's UTC offset.
type transition struct {
	at       time.Time // UTC instant
	from, to int       // offsets in seconds
	name     string
	dst      bool
}

// transitions finds the offset changes of loc between from and to by
// stepping a day at a time and narrowing each change to the second.
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	offset := func(t time.Time) int { _, o := t.In(loc).Zone(); return o }
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		next := t.Add(24 * time.Hour)
		if offset(t) == offset(next) {
			continue
		}
		lo, hi := t, next
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if offset(mid) == offset(lo) {
				lo = mid
			} else {
				hi = mid
			}
		}
		name, _ := hi.In(loc).Zone()
		out = append(out, transition{at: hi, from: offset(lo), to: offset(hi), name: name, dst: hi.In(loc).IsDST()})
	}
	return out
}

// writeTimezone writes the VTIMEZONE for loc that covers from…to: the
// observance in force at from (its onset found up to two years back) and
// every change until to.
func writeTimezone(b *bytes.Buffer, loc *time.Location, from, to time.Time) {
	w := func(name, value string) { writeLine(b, name+":"+value) }
	w("BEGIN", "VTIMEZONE")
	w("TZID", loc.String())
	ts := transitions(loc, from.AddDate(-2, 0, 0), to.Add(24*time.Hour))
	// Keep the last change before from and every change after it.
	first := 0
	for i, t := range ts {
		if !t.at.After(from) {
			first = i
		}
	}
	if len(ts) == 0 {
		name, off := from.In(loc).Zone()
		w("BEGIN", "STANDARD")
		w("DTSTART", "19700101T000000")
		w("TZOFFSETFROM", formatOffset(off))
		w("TZOFFSETTO", formatOffset(off))
		w("TZNAME", name)
		w("END", "STANDARD")
	}
	for _, t := range ts[min(first, len(ts)):] {
		kind := "STANDARD"
		if t.dst {
			kind = "DAYLIGHT"
		}
		w("BEGIN", kind)
		// The onset in the local time that was in force before it.
		w("DTSTART", t.at.Add(time.Duration(t.from)*time.Second).UTC().Format("20060102T150405"))
		w("TZOFFSETFROM", formatOffset(t.from))
		w("TZOFFSETTO", formatOffset(t.to))
		w("TZNAME", t.name)
		w("END", kind)
	}
	w("END", "VTIMEZONE")
}

// formatOffset writes a UTC offset as ±hhmm (±hhmmss if it has seconds).
func formatOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
