package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Letters that do not decompose into a base letter and a mark.
var slugLetters = strings.NewReplacer("ß", "ss", "ł", "l", "Ł", "l", "ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae",
	"œ", "oe", "Œ", "oe", "đ", "d", "Đ", "d", "ı", "i", "þ", "th", "ð", "d")

// Slug makes the readable part of an address from a name or title: lower
// case, diacritics dropped, a single hyphen between words, at most max bytes
// (cut between words) — "Düsseldorf" → "dusseldorf", "Porto-Novo" →
// "porto-novo". Letters of other scripts are kept. An empty result gives fallback.
func Slug(s string, max int, fallback string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, slugLetters.Replace(s))
	if err != nil {
		folded = s
	}
	var b strings.Builder
	lastCut := 0
	hyphen := false
	for _, r := range strings.ToLower(folded) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len()+len(string(r)) > max {
				break
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			lastCut = b.Len()
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := b.String()
	if len(out) >= max && lastCut > 0 {
		out = out[:lastCut]
	}
	if out = strings.Trim(out, "-"); out == "" {
		return fallback
	}
	return out
}

// CSVCell defuses a cell a spreadsheet would run as a formula: one that
// starts with = + - @ (or a tab or carriage return) gets a leading '.
// Plain numbers are left alone: "-4.02" is a longitude, not a formula.
func CSVCell(s string) string {
	if s == "" || !strings.ContainsAny(s[:1], "=+-@\t\r") {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eExXnN") {
		return s
	}
	return "'" + s
}

// CSVRow applies CSVCell to every cell of row.
func CSVRow(row []string) []string {
	for i := range row {
		row[i] = CSVCell(row[i])
	}
	return row
}

// SiteURL is the site's public address without a trailing slash: the
// configured base URL, or else the address the request came to.
func SiteURL(r *http.Request, baseURL string) string {
	if baseURL != "" {
		return strings.TrimSuffix(baseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
