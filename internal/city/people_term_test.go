package city

import "testing"

func TestPersonTerm(t *testing.T) {
	day := "2026-11-27"
	for _, c := range []struct {
		start, end                string
		current, upcoming, former bool
	}{
		{"", "", true, false, false},
		{"2020", "", true, false, false},
		{"2027", "", false, true, false},
		{"2026-12-01", "", false, true, false},
		{"2014", "2020", false, false, true},
		{"2014", "2026", true, false, false},
		{"2014", "2026-11-26", false, false, true},
	} {
		p := &Person{TermStart: c.start, TermEnd: c.end}
		if p.Current(day) != c.current || p.Upcoming(day) != c.upcoming || p.Former(day) != c.former {
			t.Errorf("term %q–%q on %s: current %v upcoming %v former %v", c.start, c.end, day, p.Current(day), p.Upcoming(day), p.Former(day))
		}
	}
}
