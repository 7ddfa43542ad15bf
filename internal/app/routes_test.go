package app_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

// publicWrites are the only routes that change something without a
// permission in the route table: signing in (password, then the second
// factor's code) and out, choosing a password
// with a mailed token, asking for one, checking a declaration's bundle
// (which changes nothing but is an upload), and residents' ideas given,
// supported, reported and deleted without an account (and kiosks' reports).
var publicWrites = []string{
	"POST /ideas/{ref}",
	"POST /ideas/{ref}/ideas/{id}/support",
	"POST /ideas/{ref}/ideas/{id}/report",
	"POST /ideas/receipt/{code}/delete",
	"POST /api/v1/ideas",
	"POST /api/v1/ideas/station",
	"POST /login",
	"POST /login/code",
	"POST /logout",
	"POST /invitation/{token}",
	"POST /password/forgot",
	"POST /password/reset/{token}",
	"POST /declarations/{ref}/verify",
}

// tokenRoutes are the API's writes and private reads: they answer only a
// personal token with the right scope, for its owner's city, which the
// handlers check (401 without a token, 403 for another city).
var tokenRoutes = []string{
	"POST /api/v1/practices",
	"GET /api/v1/practices/{id}/work",
	"PATCH /api/v1/practices/{id}",
	"POST /api/v1/practices/{id}/submit",
}

// guardedLooking are path segments of pages that only some people may use.
var guardedLooking = regexp.MustCompile(`^/(admin|account)\b|/(edit|new|work|history|delegation|bid|sign|withdraw|people|partners|membership)(/|$)`)

// Every route that is not for everyone shows its permission in the route
// table (rt.Private with ah.Require…): the administration, the account,
// every form that writes, every editing page. Every action named there is
// one the policy knows.
func TestEveryNonPublicRouteShowsItsPermission(t *testing.T) {
	s := testutil.NewServer(t, testutil.NewSQLite(t))
	routes := s.App.Router.Routes
	if len(routes) < 100 {
		t.Fatalf("only %d routes recorded", len(routes))
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		if seen[rt.Pattern] {
			t.Errorf("%s is in the table twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok { // "/": the page-not-found answer for any method
			method, path = "", rt.Pattern
		}
		if len(rt.Actions) == 0 {
			write := method != "GET" && method != "HEAD" && method != ""
			if (write || guardedLooking.MatchString(path)) && !slices.Contains(publicWrites, rt.Pattern) && !slices.Contains(tokenRoutes, rt.Pattern) {
				t.Errorf("%s has no permission in the route table", rt.Pattern)
			}
			continue
		}
		if !rt.Page {
			t.Errorf("%s: a guarded route outside the language tree", rt.Pattern)
		}
		for _, action := range rt.Actions {
			if !slices.ContainsFunc(auth.Roles, func(role string) bool {
				return auth.Can(&web.Viewer{ID: 1, Role: role, CityID: 1}, action)
			}) {
				t.Errorf("%s: no role may %q", rt.Pattern, action)
			}
		}
	}
	for _, p := range append(publicWrites, tokenRoutes...) {
		if !seen[p] {
			t.Errorf("the allow-list names %s, which is not a route", p)
		}
	}
}

// The public is sent to sign in from every guarded page, and a person
// whose role the table does not name is refused, before any handler runs.
func TestGuardedPagesAskToSignIn(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		anon := s.Client()
		u, pw := s.User(auth.RoleModerator, 0)
		moderator := s.Client()
		moderator.Login(u.Email, pw)
		params := regexp.MustCompile(`\{[a-z]+\}`)
		for _, rt := range s.App.Router.Routes {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if len(rt.Actions) == 0 || method != "GET" {
				continue
			}
			p := "/en" + params.ReplaceAllString(path, "1")
			res := anon.Get(p)
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/en/login?next=") {
				t.Errorf("anonymous %s: %d → %q, want a redirect to sign in", p, res.StatusCode, loc)
			}
			if slices.ContainsFunc(rt.Actions, func(a string) bool { return auth.Can(&web.Viewer{Role: auth.RoleModerator}, a) }) {
				continue
			}
			moderator.Get(p).Expect(t, http.StatusForbidden)
		}
	})
}

// The menu shows only sections that exist, in the documented order, and
// the home page offers the same sections.
func TestMenuShowsOnlyWhatExists(t *testing.T) {
	s := testutil.NewServer(t, testutil.NewSQLite(t))
	c := s.Client()
	home := c.Get("/en/").Expect(t, http.StatusOK)
	var paths []string
	for _, n := range s.App.Render.Nav {
		paths = append(paths, n.Path)
		c.Get("/en"+n.Path).Expect(t, http.StatusOK)
		if !strings.Contains(home.Body, `href="/en`+n.Path+`"`) {
			t.Errorf("the home page does not offer %s", n.Path)
		}
	}
	want := []string{"/cities", "/practices", "/exchanges", "/summits", "/declarations", "/ideas", "/news", "/figures", "/data"}
	if !slices.Equal(paths, want) {
		t.Errorf("menu %v, want %v", paths, want)
	}
}
