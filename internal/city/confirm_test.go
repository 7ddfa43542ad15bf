package city_test

import (
	"fmt"
	"net/url"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Deleting a representative or a partnership asks first, naming it; only
// the confirmed second step deletes. A refused editor is refused at both
// steps and nothing changes.
func TestDeletingAsksFirst(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		dus, war := cityID(t, d, "dusseldorf"), cityID(t, d, "warsaw")
		editor, pw := s.User(auth.RoleEditor, dus)
		c := s.Client()
		c.Login(editor.Email, pw)
		wEditor, wpw := s.User(auth.RoleEditor, war)
		wc := s.Client()
		wc.Login(wEditor.Email, wpw)
		yes := url.Values{"confirm": {"yes"}}

		// A representative.
		c.Post(fmt.Sprintf("/de/cities/%d/people", dus), url.Values{"name": {"Miriam Koch"}, "role": {"deputy_mayor"}}).Expect(t, 303)
		pid := testutil.Count(t, d, `SELECT id FROM city_people WHERE name = 'Miriam Koch'`)
		del := fmt.Sprintf("/de/cities/%d/people/%d/delete", dus, pid)
		c.Post(del, nil).Expect(t, 200, "<h1 id=\"confirm-h\">Miriam Koch aus der Liste der Vertreterinnen und Vertreter von Düsseldorf löschen?</h1>",
			"Das lässt sich nicht rückgängig machen.", "Der Änderungsverlauf der Stadt hält fest, was gelöscht wurde.",
			`action="`+del+`"`, `<input type="hidden" name="confirm" value="yes">`, ">Löschen</button>",
			fmt.Sprintf(`<a href="/de/cities/%d/people">Abbrechen</a>`, dus))
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_people WHERE id = $1`, pid); n != 1 {
			t.Fatal("the question deleted the representative")
		}
		// Warsaw's editor is refused at both steps.
		wc.Post(del, nil).Expect(t, 403)
		wc.Post(del, yes).Expect(t, 403)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_people WHERE id = $1`, pid); n != 1 {
			t.Fatal("a refused editor deleted the representative")
		}
		c.Post(del, yes).Expect(t, 303)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_people WHERE id = $1`, pid); n != 0 {
			t.Fatal("the confirmed deletion left the representative")
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'city.person.delete'`); n != 1 {
			t.Errorf("%d deletions recorded, want 1", n)
		}
		// Gone is gone: neither step finds it again.
		c.Post(del, nil).Expect(t, 404)
		c.Post(del, yes).Expect(t, 404)

		// A partnership with a city outside the directory.
		c.Post(fmt.Sprintf("/en/cities/%d/partners", dus), url.Values{"partner": {""}, "partner_name": {"Nantes"}, "partner_country": {"FR"},
			"since": {"2019"}, "kind": {"friendship"}}).Expect(t, 303)
		nantes := testutil.Count(t, d, `SELECT id FROM city_partnerships WHERE partner_name = 'Nantes'`)
		del = fmt.Sprintf("/en/cities/%d/partners/%d/delete", dus, nantes)
		c.Post(del, nil).Expect(t, 200, "Delete the partnership with Nantes?", "This cannot be undone.", ">Delete</button>", ">Cancel</a>").
			Lacks(t, "also disappears")
		wc.Post(del, nil).Expect(t, 403)
		wc.Post(del, yes).Expect(t, 403)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_partnerships WHERE id = $1`, nantes); n != 1 {
			t.Fatal("the question or a refused editor deleted the partnership")
		}
		c.Post(del, yes).Expect(t, 303)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_partnerships WHERE id = $1`, nantes); n != 0 {
			t.Fatal("the confirmed deletion left the partnership")
		}

		// The partnership of two member cities, seen from Warsaw: the
		// question says Düsseldorf loses it too.
		shared := testutil.Count(t, d, `SELECT id FROM city_partnerships WHERE city_id = $1 AND partner_city_id = $2`, dus, war)
		del = fmt.Sprintf("/fr/cities/%d/partners/%d/delete", war, shared)
		wc.Post(del, nil).Expect(t, 200, "Supprimer le partenariat avec Düsseldorf ?", "Il disparaît aussi de la page de Düsseldorf.",
			">Supprimer</button>", ">Annuler</a>")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_partnerships WHERE id = $1`, shared); n != 1 {
			t.Fatal("the question deleted the shared partnership")
		}
		wc.Post(del, yes).Expect(t, 303)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_partnerships WHERE id = $1`, shared); n != 0 {
			t.Fatal("the confirmed deletion left the shared partnership")
		}
	})
}
