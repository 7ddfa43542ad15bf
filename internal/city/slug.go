package city

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Letters that do not decompose into a base letter and a mark.
var special = strings.NewReplacer("ß", "ss", "ł", "l", "Ł", "l", "ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae",
	"œ", "oe", "Œ", "oe", "đ", "d", "Đ", "d", "ı", "i", "þ", "th", "ð", "d")

// Slugify makes the readable part of a city's URL from its name: lower
// case, diacritics dropped, anything else between words a single hyphen —
// "Düsseldorf" → "dusseldorf", "Porto-Novo" → "porto-novo".
func Slugify(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, err := transform.String(t, special.Replace(name))
	if err != nil {
		s = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r) // a name in another script keeps its letters
			hyphen = false
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		out = "city"
	}
	return out
}
