package web

import (
	"net/url"
	"strings"
)

// LocalPath returns s when a browser, after the normalisation it applies to
// a Location or a link (removing tabs and newlines, reading backslashes as
// slashes, "//" as the start of another host), would stay on this site with
// it; else "". It is the one check for every redirect target a user can
// choose ("next" after sign-in, the page a form came from).
//
// It refuses rather than repairs: a target that needs normalising was not
// written by this site. Percent-encoded forms are decoded (repeatedly, as
// a chain of servers might) and checked again.
func LocalPath(s string) string {
	if !strings.HasPrefix(s, "/") {
		return ""
	}
	for decoded, i := s, 0; ; i++ {
		if !plainPath(decoded) || i == 4 {
			return ""
		}
		next, err := url.PathUnescape(decoded)
		if err != nil {
			return ""
		}
		if next == decoded {
			break
		}
		decoded = next
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return s
}

// plainPath reports whether s is a path that reads the same to every
// parser: no control characters, spaces or backslashes, no "//" (another
// host, once a parser drops what lies between the slashes) and no dot
// segments (which can climb to a "//").
func plainPath(s string) bool {
	path := s
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if !strings.HasPrefix(path, "/") || strings.Contains(path, "//") {
		return false
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == 0xa0 || r == 0xfeff || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
