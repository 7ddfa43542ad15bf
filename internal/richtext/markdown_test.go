package richtext

import "testing"

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"# Title\n\nSome **bold** and _italic_ text.": "Title Some bold and italic text.",
		"- one\n- two\n1. three":                      "one two three",
		"See [the site](https://example.org) now.":    "See the site now.",
		"![a photo](x.jpg) and `code`":                "a photo and code",
		"> quoted\n\nplain":                           "quoted plain",
		"2019 was good; 3 - 2 = 1":                    "2019 was good; 3 - 2 = 1",
		"Straße & Café":                               "Straße & Café",
	} {
		if got := PlainText(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	}
}
