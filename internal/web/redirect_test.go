package web_test

import (
	"net/url"
	"testing"

	"observatory/internal/web"
)

// Every target a browser would take to another site, after the
// normalisation it applies (tabs and newlines removed, backslashes read as
// slashes, "//" as another host, percent-encoded forms), is refused; paths
// on this site pass unchanged.
func TestLocalPath(t *testing.T) {
	refused := []string{
		"",
		"//evil.example/",
		"///evil.example/",
		"////evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"\\/evil.example",
		"/\t/evil.example/",
		"/\n/evil.example/",
		"/\r\n/evil.example/",
		"\t//evil.example",
		" //evil.example",
		"/ /evil.example",
		"/%09/evil.example/",
		"/%0a/evil.example/",
		"/%0d/evil.example/",
		"/%2F/evil.example/",
		"/%2f%2fevil.example",
		"%2F%2Fevil.example",
		"/%5Cevil.example",
		"/%5c%5cevil.example",
		"/%2509/evil.example/",
		"/%252F/evil.example",
		"https://evil.example/",
		"http:evil.example",
		"https:/evil.example",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"evil.example",
		"en/account",
		"/\x00/evil.example",
		"/%00",
		"/..//evil.example",
		"/./\\evil.example",
		"/en/../..//evil.example",
		"//evil.example@127.0.0.1/",
		"/\u00a0/evil.example",
		"/\x7f/evil.example",
		"/en/%",
	}
	for _, s := range refused {
		if got := web.LocalPath(s); got != "" {
			t.Errorf("LocalPath(%q) = %q, want it refused", s, got)
		}
	}
	allowed := []string{
		"/",
		"/en/",
		"/en/account",
		"/fr/admin/users?page=2",
		"/de/practices?q=Schule&theme=health#results",
		"/en/cities/dusseldorf",
		"/en/practices/12-gesunde-schule",
		"/en/practices?q=%C3%A9cole",
		"/en/summits/2027/delegation?next=%2Fen%2F",
	}
	for _, s := range allowed {
		if got := web.LocalPath(s); got != s {
			t.Errorf("LocalPath(%q) = %q, want it kept", s, got)
		}
	}
	// What a browser would make of every refused one, for the record: none
	// of the allowed ones leaves the site.
	base, _ := url.Parse("https://observatory.example.org/en/login")
	for _, s := range allowed {
		u, err := base.Parse(s)
		if err != nil || u.Host != base.Host {
			t.Errorf("%q leaves the site: %v %v", s, u, err)
		}
	}
}
