package search

import (
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	long := strings.Repeat("Einleitung ohne Treffer. ", 10) + "Hier steht die Schule im Satz. " + strings.Repeat("Noch mehr Text. ", 10)
	tests := []struct {
		name, text, lang, query string
		max                     int
		want                    string
	}{
		{"stem match", "Die Schule am Park", "de", "Schulen", 0, "Die <mark>Schule</mark> am Park"},
		{"accent-free query", "L'école du quartier", "fr", "ecoles", 0, "L&#39;<mark>école</mark> du quartier"},
		{"every occurrence", "Housing first: houses for all", "en", "housing", 0,
			"<mark>Housing</mark> first: <mark>houses</mark> for all"},
		{"phrase words", "A city of light, a city of culture", "en", `"city of light"`, 0,
			"A <mark>city</mark> of <mark>light</mark>, a <mark>city</mark> of culture"},
		{"escaping", `<script>alert("x")</script> Schule & Co`, "de", "Schule", 0,
			"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>Schule</mark> &amp; Co"},
		{"hostile query text", "<b>bold</b>", "en", "<b>", 0, "&lt;<mark>b</mark>&gt;bold&lt;/<mark>b</mark>&gt;"},
		{"stop words not marked", "die Schule", "de", "die", 0, "die Schule"},
		{"exclusions not marked", "Parking and bikes", "en", "-parking", 0, "Parking and bikes"},
		{"whitespace collapsed", "  Die\n\n Schule\t ", "de", "Schule", 0, "Die <mark>Schule</mark>"},
		{"window around first match", long, "de", "Schule", 40,
			"… steht die <mark>Schule</mark> im Satz. Noch mehr …"},
		{"no match: start of text", long, "de", "Fahrrad", 30, "Einleitung ohne Treffer. …"},
		{"match near the end", "Anfang " + strings.Repeat("Wort ", 20) + "Ende Schule", "de", "Schule", 20,
			"… Wort Ende <mark>Schule</mark>"},
		{"one long word", strings.Repeat("ä", 50), "de", "x", 10, "ääääääääää …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Highlight(tt.text, tt.lang, Parse(tt.query), tt.max); got != tt.want {
				t.Errorf("Highlight = %q\n                want %q", got, tt.want)
			}
		})
	}
}

// safeHTML reports whether s holds no markup except the mark tags.
func safeHTML(s string) bool {
	s = strings.ReplaceAll(s, "<mark>", "")
	s = strings.ReplaceAll(s, "</mark>", "")
	return !strings.ContainsAny(s, `<>"'`)
}

func TestHighlightSafe(t *testing.T) {
	for _, in := range hostile {
		text := in + " <img src=x onerror='alert(1)'> " + in
		if got := Highlight(text, "en", Parse(in), 80); !safeHTML(got) {
			t.Errorf("Highlight(%q) = %q: unsafe", text, got)
		}
	}
}

// PlainTextLike is text as snippets get it: white space collapsed.
func PlainTextLike(text string) string { return strings.Join(strings.Fields(text), " ") }

func BenchmarkHighlight(b *testing.B) {
	for _, lang := range stemLanguages {
		text := PlainTextLike(paragraphs[lang])
		q := Parse("familles Schulen families")
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Highlight(text, lang, q, 240)
			}
		})
	}
}
