package declaration_test

import (
	"regexp"
	"strconv"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

var (
	isoTime     = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)
	networkTime = regexp.MustCompile(`\d{4}, \d{1,2}[:.h ]+\d\d( [ap]m| Uhr)? CES?T[ <]`)
)

// The secretariat's pages show when versions were published and keys
// became valid in words, in the network's zone with its short name: no
// "UTC", no machine time.
func TestDeclarationAdminTimesReadable(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		id := createThroughForms(t, a, d)
		for _, lang := range []string{"de", "en", "fr"} {
			for _, page := range []string{"/admin/declarations", "/admin/declarations/" + strconv.FormatInt(id, 10)} {
				body := a.Get("/"+lang+page).Expect(t, 200).Lacks(t, "UTC").Body
				if m := isoTime.FindString(body); m != "" {
					t.Errorf("%s%s shows a machine time: %s", lang, page, m)
				}
				if !networkTime.MatchString(body) {
					t.Errorf("%s%s shows no time in the network's zone", lang, page)
				}
			}
		}
	})
}
