package web

import (
	"net/http"
	"strconv"
	"strings"
)

// ParseRef reads the last part of a readable URL, "12-some-slug" or "12":
// the id, the slug after it (empty for "12"), and whether it names an id.
func ParseRef(ref string) (id int64, slug string, ok bool) {
	num, slug, _ := strings.Cut(ref, "-")
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	return id, slug, true
}

// PathRef is ParseRef of the request's path value name.
func PathRef(r *http.Request, name string) (id int64, slug string, ok bool) {
	return ParseRef(r.PathValue(name))
}
