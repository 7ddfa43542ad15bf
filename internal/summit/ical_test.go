package summit

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCalendarFoldsEscapesAndNamesItsZone(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	long := strings.Repeat("Düsseldorf ", 20) // multi-byte characters across the fold
	cal := &Calendar{Name: "Summit, 2019", ProdID: "-//Observatory//Summits//EN", Location: berlin, Events: []CalEvent{{
		UID: "summit-session-1@example.org", Start: time.Date(2019, 8, 30, 12, 0, 0, 0, time.UTC), End: time.Date(2019, 8, 30, 14, 0, 0, 0, time.UTC),
		Stamp: time.Date(2019, 7, 2, 8, 0, 0, 0, time.UTC), Summary: "Welcome; city hall, Golden Book",
		Description: "Line one\nLine two with a back\\slash\n\n" + long, Location: "Rathaus, Marktplatz 2",
	}}}
	out := cal.Bytes()
	if bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends without CR")
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold split a character: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(string(out), "\r\n ", "")
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
		"X-WR-CALNAME:Summit\\, 2019\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n",
		// The summer-time onset of 2019: 31 March, 02:00 local standard time.
		"BEGIN:DAYLIGHT\r\nDTSTART:20190331T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n",
		"DTSTART;TZID=Europe/Berlin:20190830T140000\r\n",
		"DTEND;TZID=Europe/Berlin:20190830T160000\r\n",
		"DTSTAMP:20190702T080000Z\r\n",
		"SUMMARY:Welcome\\; city hall\\, Golden Book\r\n",
		"DESCRIPTION:Line one\\nLine two with a back\\\\slash\\n\\n" + long,
		"LOCATION:Rathaus\\, Marktplatz 2\r\n",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("calendar lacks %q\n%s", want, unfolded)
		}
	}
	// The autumn change after the summit is not needed, nor the spring of 2017.
	if strings.Contains(unfolded, "DTSTART:20191027") || strings.Contains(unfolded, "DTSTART:20170326") {
		t.Errorf("the zone lists changes outside the events:\n%s", unfolded)
	}
}

func TestCalendarZoneWithoutChanges(t *testing.T) {
	ouaga, _ := time.LoadLocation("Africa/Ouagadougou")
	cal := &Calendar{ProdID: "x", Location: ouaga, Events: []CalEvent{{UID: "a", Start: time.Date(2027, 6, 9, 8, 0, 0, 0, time.UTC),
		End: time.Date(2027, 6, 9, 9, 0, 0, 0, time.UTC), Summary: "s"}}}
	out := strings.ReplaceAll(string(cal.Bytes()), "\r\n ", "")
	if !strings.Contains(out, "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n") {
		t.Errorf("zone without changes:\n%s", out)
	}
	utc := &Calendar{ProdID: "x", Location: time.UTC, Events: cal.Events}
	if u := string(utc.Bytes()); strings.Contains(u, "VTIMEZONE") || !strings.Contains(u, "DTSTART:20270609T080000Z") {
		t.Errorf("UTC calendar:\n%s", u)
	}
}

func TestFormatOffset(t *testing.T) {
	for sec, want := range map[int]string{3600: "+0100", -18000: "-0500", 19800: "+0530", 0: "+0000", -(3600 + 1800 + 15): "-013015"} {
		if got := formatOffset(sec); got != want {
			t.Errorf("formatOffset(%d) = %s, want %s", sec, got, want)
		}
	}
}

func TestBadgeSheetIsAPDFWithEveryName(t *testing.T) {
	sheet := &BadgeSheet{Summit: "Second Summit on Living Together", Dates: "30 August – 1 September 2019", Created: time.Unix(1567000000, 0),
		Badges: []Badge{{Name: "Michał Olszewski", Title: "Deputy mayor", City: "Warsaw", Country: "PL", Token: NewToken(), Head: true},
			{Name: "Armand Béouindé", City: "Ouagadougou", Country: "BF", Token: NewToken()},
			{Name: "Сергей", City: "Москва", Country: "RU", Token: NewToken()},
			{Name: "A", City: "B", Country: "DE", Token: NewToken()},
			{Name: "Fifth badge, second page", City: "Düsseldorf", Country: "DE", Token: NewToken()}}}
	var a, b bytes.Buffer
	if err := sheet.Write(&a); err != nil {
		t.Fatal(err)
	}
	if err := sheet.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.Contains(a.Bytes(), []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	if n := bytes.Count(a.Bytes(), []byte("/Type /Page\n")) + bytes.Count(a.Bytes(), []byte("/Type /Page ")); n != 2 {
		t.Errorf("%d pages for five badges, want 2", n)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same badges gave different bytes")
	}
}

func TestTokensAreLongAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := NewToken()
		if len(tok) != 32 || seen[tok] || strings.ToLower(tok) != tok {
			t.Fatalf("token %q", tok)
		}
		seen[tok] = true
	}
	if normalizeToken("  ABCD efgh ") != "abcdefgh" || normalizeToken("https://x.example/checkin?token=ABC") != "abc" {
		t.Error("normalizeToken")
	}
}

func TestContinentList(t *testing.T) {
	got := continentList(map[string]int{"europe": 20, "africa": 6, "asia": 4, "north-america": 5, "south-america": 1})
	want := []string{"europe", "africa", "americas", "asia"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("continents %v, want %v", got, want)
	}
}
