package voice_test

import (
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// The consultation form offers the cities in the reader's alphabetical
// order: Málaga before Mostar (byte order puts it after).
func TestConsultationCitiesInAlphabeticalOrder(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		addCity(t, d, "mostar", "Mostar")
		addCity(t, d, "malaga", "Málaga")
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		c := f.s.Client()
		c.Login(admin.Email, pw)
		for _, lang := range []string{"de", "en", "fr"} {
			body := c.Get("/"+lang+"/admin/ideas/consultations/new").Expect(t, 200, ">Málaga<", ">Mostar<").Body
			if strings.Index(body, ">Málaga<") > strings.Index(body, ">Mostar<") {
				t.Errorf("%s: cities not in alphabetical order", lang)
			}
		}
	})
}
