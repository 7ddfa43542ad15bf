package i18n

import (
	"bytes"
	"slices"

	"golang.org/x/text/collate"
)

// SortByName sorts xs by the names name gives, in the alphabetical order of
// the language lang ("Málaga" before "Mostar", "Ölstadt" where a German
// reader looks for it), the same on every database engine. The sort is
// stable: equal names keep their order.
func SortByName[T any](lang string, xs []T, name func(T) string) {
	col := collate.New(tag(lang))
	var buf collate.Buffer
	keys := make(map[string][]byte, len(xs))
	for _, x := range xs {
		n := name(x)
		if _, ok := keys[n]; !ok {
			keys[n] = slices.Clone(col.KeyFromString(&buf, n))
			buf.Reset()
		}
	}
	slices.SortStableFunc(xs, func(a, b T) int {
		return bytes.Compare(keys[name(a)], keys[name(b)])
	})
}

// Compare compares two names in the alphabetical order of lang.
func Compare(lang, a, b string) int {
	return collate.New(tag(lang)).CompareString(a, b)
}
