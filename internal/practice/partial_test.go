package practice_test

import (
	"fmt"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A translation that has the title but not the rest is "partly translated",
// not "translated"; once every field is there, it is "translated".
func TestPartlyTranslatedIsSaid(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		r := rec(w.ouaga, "fr", "Jardins partagés", "Des jardins pour tous.", "Le jardin est ouvert.", "public-space")
		r.Title["en"] = "Shared gardens"
		partial := publish(t, srv.App.Practices.Store, r)
		r = rec(w.ouaga, "fr", "Maisons ouvertes", "Des maisons pour tous.", "La maison est ouverte.", "housing")
		r.Title["en"], r.Summary["en"], r.Body["en"] = "Open houses", "Houses for all.", "The house is open."
		full := publish(t, srv.App.Practices.Store, r)

		c := srv.Client()
		get := func(path string) *testutil.Response {
			res := c.Get(path)
			if res.StatusCode == 301 {
				res = c.Get(res.Header.Get("Location"))
			}
			return res
		}
		page := get(fmt.Sprintf("/en/practices/%d", partial)).Expect(t, 200, "<strong>English</strong> <span class=\"muted\">(partly translated)</span>").Body
		if strings.Contains(page, "(translated)") {
			t.Errorf("a partial translation is called translated")
		}
		get(fmt.Sprintf("/fr/practices/%d", partial)).Expect(t, 200, "(partiellement traduit)")
		get(fmt.Sprintf("/de/practices/%d", partial)).Expect(t, 200, "(teilweise übersetzt)")
		page = get(fmt.Sprintf("/en/practices/%d", full)).Expect(t, 200, "<strong>English</strong> <span class=\"muted\">(translated)</span>").Body
		if strings.Contains(page, "partly translated") {
			t.Errorf("a full translation is called partial")
		}
	})
}
