package practice_test

import (
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
)

// The editor's city choice and the search's city facet list the cities
// in the reader's alphabetical order: Málaga before Mostar (byte order
// puts it after).
func TestCitiesInAlphabeticalOrder(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		mostar := addCity(t, d, "mostar", "Mostar", nil, "BA", "europe")
		malaga := addCity(t, d, "malaga", "Málaga", i18n.Text{"fr": "Malaga"}, "ES", "europe")
		s := srv.App.Practices.Store
		publish(t, s, rec(mostar, "en", "Old bridge festival", "The bridge brings people together.", "Every summer.", "culture"))
		publish(t, s, rec(malaga, "en", "Shaded squares", "Trees for every square.", "The city plants.", "public-space"))

		for _, lang := range []string{"de", "en", "fr"} {
			l := getList(t, srv.Client(), "lang="+lang)
			var labels []string
			for _, v := range l.Facets["city"] {
				labels = append(labels, v.Label)
			}
			want := map[string]string{"de": "Málaga Mostar", "en": "Málaga Mostar", "fr": "Malaga Mostar"}[lang]
			if got := strings.Join(labels, " "); got != want {
				t.Errorf("%s: city facet %q, want %q", lang, got, want)
			}
		}

		admin, pw := srv.User(auth.RoleAdmin, 0)
		c := srv.Client()
		c.Login(admin.Email, pw)
		body := c.Get("/en/practices/new").Expect(t, 200, ">Málaga (", ">Mostar (").Body
		if strings.Index(body, ">Málaga (") > strings.Index(body, ">Mostar (") {
			t.Errorf("editor: cities not in alphabetical order")
		}
	})
}
