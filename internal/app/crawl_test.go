package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

var (
	hrefRe = regexp.MustCompile(`(?:href|src)="(/[^"#]*)"`)
	// A catalog key shown instead of its text: "city.err.name", "nav.cities".
	rawKeyRe = regexp.MustCompile(`>\s*((?:nav|home|auth|admin|form|error|pager|layout|role|city|stats|practice|summit|declaration)(?:\.[a-z0-9_]+)+)\s*<`)
	// Action names in the audit log look like keys and are meant to.
	codeRe = regexp.MustCompile(`<code>[^<]*</code>`)
	// What a reader sees: text between tags and the attributes read aloud or shown.
	visibleRe = regexp.MustCompile(`>([^<]+)<|\b(?:alt|title|aria-label|placeholder|content)="([^"]*)"`)
	keyLikeRe = regexp.MustCompile(`[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+`)
)

// Every page a visitor — and the secretariat — can reach from the home
// page, in every language, with the demo content: none fails, none links
// to a page that is not there, none shows a catalog key instead of its
// text (and NewServer fails the test for any string a language lacks).
func TestCrawlDemoSite(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		res, err := demo.Load(context.Background(), d, s.App.Users)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, k := range s.App.Catalog.Keys("en") {
			keys[k] = true
		}
		t.Run("public", func(t *testing.T) { crawl(t, s.Client(), keys, "/de/", "/en/", "/fr/") })
		admin := s.Client()
		admin.Login(res.AdminEmail, res.AdminPassword)
		t.Run("secretariat", func(t *testing.T) { crawl(t, admin, keys, "/en/admin", "/fr/admin", "/de/admin") })
	})
}

func crawl(t *testing.T, c *testutil.Client, keys map[string]bool, start ...string) {
	seen := map[string]bool{}
	queue := start
	from := map[string]string{}
	pages := 0
	for len(queue) > 0 && pages < 800 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		res := c.Get(p)
		pages++
		switch {
		case res.StatusCode >= 500:
			t.Errorf("%s (linked from %s): %d", p, from[p], res.StatusCode)
			continue
		case res.StatusCode == 404:
			t.Errorf("%s (linked from %s): not found", p, from[p])
			continue
		case res.StatusCode != 200:
			continue
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		checkText(t, p, res.Body, keys)
		for _, m := range hrefRe.FindAllStringSubmatch(res.Body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			u, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s links to a bad address %q", p, link)
				continue
			}
			// Stay in the public site; follow each page once, without query variants beyond the first.
			if strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/media/") {
				if !seen[link] {
					seen[link] = true
					if r := c.Get(link); r.StatusCode != 200 {
						t.Errorf("%s (linked from %s): %d", link, p, r.StatusCode)
					}
				}
				continue
			}
			key := u.Path
			if u.RawQuery != "" && !seen[u.Path+"?"] {
				key = link
				seen[u.Path+"?"] = true
			}
			if !seen[key] {
				from[key] = p
				queue = append(queue, key)
			}
		}
	}
	if pages < 100 {
		t.Errorf("only %d pages reached", pages)
	}
	t.Logf("%d pages crawled", pages)
}

// checkText fails on what a template or a message left unfinished: a
// parameter the message did not get ("<no value>"), a bad format verb
// ("%!d(string=…)"), or a catalog key shown instead of its text.
func checkText(t *testing.T, page, body string, keys map[string]bool) {
	t.Helper()
	for _, bad := range []string{"&lt;no value&gt;", "<no value>", "%!"} {
		if i := strings.Index(body, bad); i >= 0 {
			t.Errorf("%s shows %q: …%s…", page, bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	text := codeRe.ReplaceAllString(body, "")
	if m := rawKeyRe.FindStringSubmatch(text); m != nil {
		t.Errorf("%s shows the catalog key %q", page, m[1])
	}
	for _, m := range visibleRe.FindAllStringSubmatch(text, -1) {
		for _, k := range keyLikeRe.FindAllString(m[1]+" "+m[2], -1) {
			if keys[k] {
				t.Errorf("%s shows the catalog key %q", page, k)
				return
			}
		}
	}
}
