package results

import "testing"

// Values with more hits come first; equal counts in the reader's
// alphabetical order, not byte order.
func TestByCount(t *testing.T) {
	vals := ByCount("en", []Value{{Label: "Mostar", Count: 1}, {Label: "Zagreb", Count: 2}, {Label: "Málaga", Count: 1}, {Label: "Lyon", Count: 1}})
	got := ""
	for _, v := range vals {
		got += v.Label + " "
	}
	if want := "Zagreb Lyon Málaga Mostar "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
