package web

import (
	"fmt"
	"testing"
	"time"
)

func TestParseDBTime(t *testing.T) {
	want := time.Date(2026, 3, 1, 9, 30, 5, 0, time.UTC)
	for _, s := range []string{"2026-03-01T09:30:05Z", "2026-03-01 09:30:05+00:00", "2026-03-01 09:30:05+00",
		"2026-03-01 10:30:05+01", "2026-03-01 09:30:05 +0000 UTC", "2026-03-01 09:30:05"} {
		if got := ParseDBTime(s); !got.Equal(want) {
			t.Errorf("%q: %v", s, got)
		}
	}
	if !ParseDBTime("").IsZero() || !ParseDBTime("soon").IsZero() {
		t.Error("nonsense read as a time")
	}
}

func TestTextRows(t *testing.T) {
	var got []string
	row := func(v ...any) error { got = append(got, fmt.Sprintln(v...)[:len(fmt.Sprintln(v...))-1]); return nil }
	err := TextRows(row, 7, "title", map[string]string{"fr": "Bonjour", "de": "Hallo", "en": "", "tr": "Merhaba"}, "de",
		map[string]string{"fr": "outdated"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"7 title de Hallo original", "7 title fr Bonjour outdated", "7 title tr Merhaba translation"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
