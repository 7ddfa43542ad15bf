package practice_test

import (
	"fmt"
	"net/url"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Removing a theme or a target group asks first, naming it; only the
// confirmed second step removes it, and a term in use is still refused
// then. A city's editor is refused at both steps.
func TestRemovingATermAsksFirst(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		publish(t, srv.App.Practices.Store, rec(w.dus, "de", "Bezahlbar wohnen", "Wohnungen für alle.", "Die Stadt baut.", "housing"))
		admin, pw := srv.User(auth.RoleAdmin, 0)
		a := srv.Client()
		a.Login(admin.Email, pw)
		editor, epw := srv.User(auth.RoleEditor, w.dus)
		e := srv.Client()
		e.Login(editor.Email, epw)
		termID := func(kind, key string) int64 {
			var id int64
			if err := d.R.QueryRow(`SELECT id FROM practice_terms WHERE kind = $1 AND key = $2`, kind, key).Scan(&id); err != nil {
				t.Fatalf("%s %s: %v", kind, key, err)
			}
			return id
		}
		exists := func(id int64) bool {
			var n int
			d.R.QueryRow(`SELECT COUNT(*) FROM practice_terms WHERE id = $1`, id).Scan(&n)
			return n == 1
		}
		yes := url.Values{"confirm": {"yes"}}

		theme := termID("theme", "dialogue")
		del := fmt.Sprintf("/en/admin/practice-terms/%d/delete", theme)
		a.Post(del, nil).Expect(t, 200, "Remove the theme “Interfaith and intercultural dialogue”?", "This cannot be undone.",
			"The audit log keeps a record of the removal.", `action="`+del+`"`, `name="confirm" value="yes"`, ">Remove</button>",
			`<a href="/en/admin/practice-terms">Cancel</a>`)
		e.Post(del, nil).Expect(t, 403)
		e.Post(del, yes).Expect(t, 403)
		if !exists(theme) {
			t.Fatal("the theme was removed without confirmation")
		}
		a.Post(del, yes).Expect(t, 303)
		if exists(theme) {
			t.Fatal("the confirmed removal left the theme")
		}
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'practice.term.delete'`).Scan(&n)
		if n != 1 {
			t.Errorf("%d removals recorded, want 1", n)
		}
		a.Post(del, nil).Expect(t, 404)

		group := termID("group", "older-people")
		del = fmt.Sprintf("/de/admin/practice-terms/%d/delete", group)
		a.Post(del, nil).Expect(t, 200, "Die Zielgruppe „Ältere Menschen“ entfernen?", "Das lässt sich nicht rückgängig machen.",
			">Entfernen</button>", ">Abbrechen</a>")
		if !exists(group) {
			t.Fatal("the target group was removed without confirmation")
		}
		a.Post(del, yes).Expect(t, 303)
		if exists(group) {
			t.Fatal("the confirmed removal left the target group")
		}

		// A theme in use: asked, then refused as before, and kept.
		used := termID("theme", "housing")
		del = fmt.Sprintf("/fr/admin/practice-terms/%d/delete", used)
		a.Post(del, nil).Expect(t, 200, "Supprimer le thème « Logement » ?")
		a.Post(del, yes).Expect(t, 409, "ne peut pas être supprimé")
		if !exists(used) {
			t.Fatal("a theme in use was removed")
		}
	})
}
