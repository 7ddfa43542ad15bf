package declaration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Canonical forms.
//
// What is hashed and signed is a byte string that anyone can rebuild from
// a bundle, so it is defined exactly:
//
// Text. Every title and body is normalized before it is stored and again
// before it is hashed: Unicode NFC; CR LF and lone CR become LF; spaces and
// tabs at the end of each line are removed; blank lines at the start and
// end are removed (a title is additionally one line: any line break becomes
// a space).
//
// JSON. Canonical JSON is UTF-8 without any whitespace outside strings;
// object keys are sorted by their bytes; integers are written in decimal
// without sign for zero and positives; strings escape only '"', '\' and the
// control characters U+0000–U+001F (as \b \t \n \f \r, others as \u00XX
// with lowercase hex) — every other character, including '<', '>', '&' and
// U+2028, is written as itself. This is RFC 8785 (JCS) for the values used
// here (strings, integers, objects).
//
// Version. The canonical form of a version is the canonical JSON of
//
//	{"authoritative": LANG, "declaration": ID, "format": "observatory-declaration-version/1",
//	 "texts": {LANG: {"body": BODY, "title": TITLE}, …}, "version": N}
//
// with one entry in "texts" per language, so languages come sorted by code.
// Its hash is the lowercase hex SHA-256 of those bytes.
//
// Log entry. See Entry.Payload: every field of the entry but its hash and
// signature, plus "format": "observatory-log-entry/1". The entry's hash is
// the hex SHA-256 of the payload; the signature is Ed25519 over the payload.

// VersionFormat and EntryFormat name the canonical forms; a change to
// either would get a new number.
const (
	VersionFormat = "observatory-declaration-version/1"
	EntryFormat   = "observatory-log-entry/1"
	BundleFormat  = "observatory-declaration-bundle/1"
)

// ZeroHash is the "previous hash" of a chain's first entry.
var ZeroHash = strings.Repeat("0", 64)

// NormalizeBody normalizes a text body as described above.
func NormalizeBody(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// NormalizeTitle normalizes a title: a body, then on one line.
func NormalizeTitle(s string) string {
	s = NormalizeBody(s)
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.TrimSpace(s)
}

// object is a JSON object under construction; values are string, int64,
// int or object.
type object map[string]any

// canonicalJSON encodes v as canonical JSON (see above).
func canonicalJSON(v object) []byte {
	return appendValue(make([]byte, 0, 512), v)
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return appendString(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case object:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, x[k])
		}
		return append(b, '}')
	}
	panic(fmt.Sprintf("canonical JSON: unsupported value %T", v))
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, "\uFFFD"...) // never reached for normalized text
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch {
		case c == '"':
			b = append(b, '\\', '"')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Text is one language's title and body of a version.
type Text struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Normalize returns the text in its normalized form.
func (t Text) Normalize() Text {
	return Text{Title: NormalizeTitle(t.Title), Body: NormalizeBody(t.Body)}
}

// Texts are a version's texts by language code.
type Texts map[string]Text

// Normalize drops languages without a title and body and normalizes the rest.
func (ts Texts) Normalize() Texts {
	out := Texts{}
	for l, t := range ts {
		t = t.Normalize()
		if t.Title != "" || t.Body != "" {
			out[l] = t
		}
	}
	return out
}

// Langs lists the languages, sorted.
func (ts Texts) Langs() []string {
	ls := make([]string, 0, len(ts))
	for l := range ts {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// CanonicalVersion is the canonical form of version number of declaration
// with the given authoritative language and texts.
func CanonicalVersion(declaration int64, number int, authoritative string, texts Texts) []byte {
	ts := object{}
	for l, t := range texts {
		t = t.Normalize()
		ts[l] = object{"title": t.Title, "body": t.Body}
	}
	return canonicalJSON(object{
		"format":        VersionFormat,
		"declaration":   declaration,
		"version":       number,
		"authoritative": authoritative,
		"texts":         ts,
	})
}

// VersionHash is the hex SHA-256 of the version's canonical form.
func VersionHash(declaration int64, number int, authoritative string, texts Texts) string {
	return sha256Hex(CanonicalVersion(declaration, number, authoritative, texts))
}
