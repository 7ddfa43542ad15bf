package summit_test

import (
	"net/url"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Deleting a venue, session, speaker or partner asks first, naming it and
// what goes with it; only the confirmed second step deletes. A city's
// editor is refused at both steps.
func TestDeletingProgrammeItemsAsksFirst(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		base := "/admin/summits/" + id
		w.admin.Post("/en"+base+"/venues", url.Values{"name_en": {"City Hall"}, "address": {"Marktplatz 2"}}).Expect(t, 303)
		w.admin.Post("/en"+base+"/speakers", url.Values{"name": {"Henriette Vamberg"}}).Expect(t, 303)
		var venue, speaker string
		d.R.QueryRow(`SELECT id FROM summit_venues`).Scan(&venue)
		d.R.QueryRow(`SELECT id FROM summit_speakers`).Scan(&speaker)
		w.admin.Post("/en"+base+"/sessions", url.Values{"kind": {"reception"}, "title_en": {"Welcome at city hall"}, "title_de": {"Empfang im Rathaus"},
			"starts": {"2031-08-29T15:00"}, "ends": {"2031-08-29T17:30"}, "venue_id": {venue}, "speaker": {speaker}}).Expect(t, 303)
		w.admin.Post("/en"+base+"/partners", url.Values{"kind": {"main_sponsor"}, "name_en": {"Düsseldorf Airport"}}).Expect(t, 303)
		var session, partner string
		d.R.QueryRow(`SELECT id FROM summit_sessions`).Scan(&session)
		d.R.QueryRow(`SELECT id FROM summit_partners`).Scan(&partner)
		mtl := w.cityClient(t, "montreal")
		r := ref(t, d, id)
		mtl.Post("/en/summits/"+r+"/delegation", url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}}).Expect(t, 303)
		var head string
		d.R.QueryRow(`SELECT id FROM summit_delegates`).Scan(&head)
		mtl.Post("/en/summits/"+r+"/delegation/signups", url.Values{"signup": {session + ":" + head}}).Expect(t, 303)

		items := []struct {
			path, table, id string
			says            []string
		}{
			{"/en" + base + "/venues/", "summit_venues", venue, []string{"Delete the venue “City Hall”?",
				"One session takes place here; it stays in the programme without a venue."}},
			{"/de" + base + "/sessions/", "summit_sessions", session, []string{"Den Programmpunkt „Empfang im Rathaus“ löschen?",
				"Eine Person hat sich dafür angemeldet; die Anmeldung wird mitgelöscht.", ">Löschen</button>", ">Abbrechen</a>"}},
			{"/fr" + base + "/speakers/", "summit_speakers", speaker, []string{"Supprimer Henriette Vamberg de la liste des intervenants ?",
				"La personne est aussi retirée de la séance où elle intervient."}},
			{"/en" + base + "/partners/", "summit_partners", partner, []string{"Delete the partner “Düsseldorf Airport”?"}},
		}
		left := func(table, id string) int {
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		yes := url.Values{"confirm": {"yes"}}
		// Every question first, while everything still exists.
		for _, it := range items {
			del := it.path + it.id + "/delete"
			says := append([]string{`action="` + del + `"`, `name="confirm" value="yes"`}, it.says...)
			w.admin.Post(del, nil).Expect(t, 200, says...)
			mtl.Post(del, nil).Expect(t, 403)
			mtl.Post(del, yes).Expect(t, 403)
			if left(it.table, it.id) != 1 {
				t.Fatalf("%s: deleted without confirmation", del)
			}
		}
		for _, it := range items {
			del := it.path + it.id + "/delete"
			w.admin.Post(del, yes).Expect(t, 303)
			if left(it.table, it.id) != 0 {
				t.Errorf("%s: the confirmed deletion left the row", del)
			}
			w.admin.Post(del, nil).Expect(t, 404)
		}
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_signups`).Scan(&n)
		if n != 0 {
			t.Errorf("%d sign-ups left for the deleted session", n)
		}
	})
}

// Taking a person off a delegation asks first, on the city's page and on
// the secretariat's; whoever may not change the delegation is refused at
// both steps.
func TestRemovingADelegateAsksFirst(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		r := ref(t, d, id)
		mtl := w.cityClient(t, "montreal")
		page := "/en/summits/" + r + "/delegation"
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}}).Expect(t, 303)
		mtl.Post(page+"/members", url.Values{"name": {"Magda Popeanu"}, "role": {"council_member"}}).Expect(t, 303)
		mtl.Post(page+"/members", url.Values{"name": {"Luc Rabouin"}, "role": {"council_member"}}).Expect(t, 303)
		var did, magda, luc string
		d.R.QueryRow(`SELECT id FROM summit_delegations`).Scan(&did)
		d.R.QueryRow(`SELECT id FROM summit_delegates WHERE name = 'Magda Popeanu'`).Scan(&magda)
		d.R.QueryRow(`SELECT id FROM summit_delegates WHERE name = 'Luc Rabouin'`).Scan(&luc)
		left := func(mid string) int {
			var n int
			d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegates WHERE id = $1`, mid).Scan(&n)
			return n
		}
		mod, pw := w.s.User(auth.RoleModerator, 0)
		mc := w.s.Client()
		mc.Login(mod.Email, pw)
		yes := url.Values{"confirm": {"yes"}}

		// The city's own page.
		del := page + "/members/" + magda + "/remove"
		mtl.Post(del, nil).Expect(t, 200, "Remove Magda Popeanu from the delegation of Montréal?", "This cannot be undone.",
			"Their details and session sign-ups are deleted.", ">Remove from the delegation</button>", `<a href="`+page+`">Cancel</a>`)
		mc.Post(del, nil).Expect(t, 403)
		mc.Post(del, yes).Expect(t, 403)
		if left(magda) != 1 {
			t.Fatal("removed without confirmation")
		}
		mtl.Post(del, yes).Expect(t, 303)
		if left(magda) != 0 {
			t.Fatal("the confirmed removal left the person")
		}

		// The secretariat's page.
		admin := "/fr/admin/summits/" + id + "/registrations/" + did
		del = admin + "/members/" + luc + "/remove"
		w.admin.Post(del, nil).Expect(t, 200, "Retirer Luc Rabouin de la délégation de Montréal ?", "Cette action est irréversible.",
			">Retirer de la délégation</button>", `<a href="`+admin+`">Annuler</a>`)
		mtl.Post(del, nil).Expect(t, 403)
		mtl.Post(del, yes).Expect(t, 403)
		if left(luc) != 1 {
			t.Fatal("removed without confirmation")
		}
		w.admin.Post(del, yes).Expect(t, 303)
		if left(luc) != 0 {
			t.Fatal("the confirmed removal left the person")
		}
	})
}
