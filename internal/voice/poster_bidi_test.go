package voice

import "testing"

// Lines as the bidirectional algorithm orders them for display, left to
// right (Arabic unshaped here: the order is what is checked).
func TestVisualOrder(t *testing.T) {
	for _, c := range []struct {
		logical string
		rtl     bool
		want    string
	}{
		{"abc def", false, "abc def"},
		{"car سيارة in Arabic", false, "car ةرايس in Arabic"},
		{"سيارة NRW-Forum جديدة", true, "ةديدج NRW-Forum ةرايس"},
		{"أ (ب) ج", true, "ج (ب) أ"},
		{"abc 123", true, "abc 123"}, // W7: the digits follow the Latin letters
		{"في 2025", true, "2025 يف"},
		{"خصم 50% اليوم", true, "مويلا %50 مصخ"},
		{"زوروا https://example.org/ar/ideas اليوم", true, "مويلا https://example.org/ar/ideas اوروز"},
		{"ثمن 1.5 يورو", true, "وروي 1.5 نمث"},
		{"NRW-Forum: معرض", false, "NRW-Forum: ضرعم"},
		{"ما رأيك؟ ", true, "؟كيأر ام"},
	} {
		rs := []rune(c.logical)
		base := firstStrong(rs)
		if c.rtl {
			base = 1
		}
		lv := bidiLevels(rs, base)
		var got []rune
		for _, i := range visualOrder(rs, lv, base) {
			r := rs[i]
			if m, ok := mirrored[r]; ok && lv[i]%2 == 1 {
				r = m
			}
			got = append(got, r)
		}
		// Trailing white space stays at the line's logical end, off the text.
		if s := string(got); s != c.want && s != " "+c.want && s != c.want+" " {
			t.Errorf("%q: got %q, want %q", c.logical, s, c.want)
		}
	}
}
