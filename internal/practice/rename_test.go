package practice_test

import (
	"fmt"
	"net/url"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A practice is found by its city's and its themes' names. When the
// secretariat renames a theme or a city, searches follow the new names at
// once — also when the words were searched before and their lists are
// kept in memory — and the old names no longer find it.
func TestSearchFollowsRenamedThemesAndCities(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		_, ids := library(t, d, srv.App.Practices.Store)
		admin, pw := srv.User(auth.RoleAdmin, 0)
		c := srv.Client()
		found := func(q string) map[int64]bool {
			t.Helper()
			out := map[int64]bool{}
			for _, id := range idsOf(getList(t, srv.Client(), "q="+url.QueryEscape(q))) {
				out[id] = true
			}
			return out
		}
		// Searched once before the renames, so the lists are in memory.
		for _, q := range []string{"Kulturarbeit", "culture", "Montreal", "Tiohtiake"} {
			found(q)
		}
		if !found("culture")[ids["city-of-light"]] || found("Kulturarbeit")[ids["city-of-light"]] {
			t.Fatal("before the rename: culture should find the practice, Kulturarbeit not")
		}

		var themeID int64
		if err := d.R.QueryRow(`SELECT id FROM practice_terms WHERE kind = 'theme' AND key = 'culture'`).Scan(&themeID); err != nil {
			t.Fatal(err)
		}
		c.Login(admin.Email, pw)
		c.Post("/en/admin/practice-terms", url.Values{"id": {fmt.Sprint(themeID)}, "kind": {"theme"}, "position": {"1"},
			"name_de": {"Kulturarbeit"}, "name_en": {"Arts and heritage"}, "name_fr": {"Arts et patrimoine"}}).Expect(t, 303)
		if got := found("Kulturarbeit"); !got[ids["city-of-light"]] || got[ids["school"]] {
			t.Errorf("the new German name finds %v", got)
		}
		if got := found("heritage"); !got[ids["city-of-light"]] {
			t.Errorf("the new English name finds %v", got)
		}
		if got := found(`"Arts et patrimoine"`); !got[ids["city-of-light"]] {
			t.Errorf("the new French name as a phrase finds %v", got)
		}

		// A city's new name in another language.
		var montreal int64
		if err := d.R.QueryRow(`SELECT id FROM cities WHERE slug = 'montreal'`).Scan(&montreal); err != nil {
			t.Fatal(err)
		}
		c.Post(fmt.Sprintf("/en/cities/%d/edit", montreal), url.Values{"name": {"Montréal"}, "name_en": {"Montreal"},
			"name_fr": {"Montréal"}, "name_de": {"Tiohtiake"}, "country": {"CA"}, "lat": {"45.5"}, "lon": {"-73.56"},
			"timezone": {"America/Toronto"}, "description_lang": {"fr"}}).Expect(t, 303)
		if got := found("Tiohtiake"); !got[ids["city-of-light"]] || !got[ids["parking"]] || got[ids["school"]] {
			t.Errorf("the city's new name finds %v", got)
		}
		// Practices of other cities and themes keep their entries.
		if got := found("Schule"); !got[ids["school"]] {
			t.Errorf("Schule finds %v after the renames", got)
		}
	})
}
