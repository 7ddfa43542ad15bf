package summit_test

import (
	"net/url"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A city corrects a person of its delegation, the secretariat corrects
// another, and a removal asks first; the lists show the result.
func TestDelegationMembersAreEdited(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		ref := id + "-dusseldorf-2031"
		mtl := w.cityClient(t, "montreal")
		page := "/en/summits/" + ref + "/delegation"
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}, "consent": {"1"}}).Expect(t, 303)
		mtl.Post(page+"/members", url.Values{"name": {"Magda Popeano"}, "role": {"council_member"}, "consent": {"1"}}).Expect(t, 303)
		mid := itoa(testutil.Count(t, d, `SELECT id FROM summit_delegates WHERE name = 'Magda Popeano'`))
		mtl.Get(page+"/members/"+mid).Expect(t, 200, `value="Magda Popeano"`)
		// Bad input: the page comes back with what was typed, nothing changes.
		mtl.Post(page+"/members/"+mid, url.Values{"name": {""}, "role": {"council_member"}, "email": {"magda@montreal.example"}}).
			Expect(t, 422, `value="magda@montreal.example"`)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegates WHERE name = 'Magda Popeano'`); n != 1 {
			t.Fatalf("a refused edit changed the person (%d left under the old name)", n)
		}
		mtl.Post(page+"/members/"+mid, url.Values{"name": {"Magda Popeanu"}, "role": {"council_member"}, "consent": {"1"}}).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "The details of Magda Popeanu are saved.", "Magda Popeanu").Lacks(t, "Magda Popeano")
		// Another city cannot open it.
		w.cityClient(t, "warsaw").Get(page+"/members/"+mid).Lacks(t, "Magda Popeanu")

		// The secretariat edits the head of the delegation from its own pages.
		did := itoa(testutil.Count(t, d, `SELECT id FROM summit_delegations`))
		head := itoa(testutil.Count(t, d, `SELECT id FROM summit_delegates WHERE name = 'Valérie Plante'`))
		admin := "/en/admin/summits/" + id + "/registrations/" + did
		w.admin.Get(admin+"/members/"+head).Expect(t, 200, `value="Valérie Plante"`)
		w.admin.Post(admin+"/members/"+head, url.Values{"is_head": {"1"}, "name": {"Valérie Plante"}, "role": {"mayor"}, "title": {"Mayor of Montréal"}, "consent": {"1"}}).Expect(t, 303)
		w.admin.Get(admin).Expect(t, 200, "The details of Valérie Plante are saved.", "Mayor of Montréal")

		// Removing asks first; only the confirmation removes.
		mtl.Post(page+"/members/"+mid+"/remove", nil).Expect(t, 200, "Remove Magda Popeanu from the delegation of Montréal?")
		mtl.Get(page).Expect(t, 200, "Magda Popeanu")
		mtl.Post(page+"/members/"+mid+"/remove", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "Valérie Plante").Lacks(t, "Magda Popeanu")
	})
}

// The secretariat's programme page lists what the summit has, and moving a
// partner changes the order visitors see.
func TestProgrammeAdminAndMovingPartners(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		base := "/en/admin/summits/" + id
		w.admin.Get(base+"/programme").Expect(t, 200, "Second Summit on Living Together")
		w.admin.Post(base+"/venues", url.Values{"name_en": {"City Hall"}, "address": {"Marktplatz 2, 40213 Düsseldorf"}}).Expect(t, 303)
		w.admin.Post(base+"/speakers", url.Values{"name": {"Henriette Vamberg"}, "role_en": {"Partner, Gehl Architects"}}).Expect(t, 303)
		w.admin.Post(base+"/sessions", url.Values{"kind": {"reception"}, "title_en": {"Welcome at city hall"},
			"starts": {"2031-08-29T15:00"}, "ends": {"2031-08-29T17:30"}}).Expect(t, 303)
		for _, name := range []string{"Airport", "Stadtwerke", "Messe"} {
			w.admin.Post(base+"/partners", url.Values{"kind": {"supporting_partner"}, "name_en": {name}}).Expect(t, 303)
		}
		w.admin.Get(base+"/programme").Expect(t, 200, "City Hall", "Henriette Vamberg", "Welcome at city hall", "Airport", "Stadtwerke", "Messe")
		order := func(body string, names ...string) bool {
			last := -1
			for _, n := range names {
				i := strings.Index(body, n)
				if i <= last {
					return false
				}
				last = i
			}
			return true
		}
		public := "/en/summits/" + id + "-dusseldorf-2031"
		if body := w.s.Client().Get(public).Expect(t, 200).Body; !order(body, "Airport", "Stadtwerke", "Messe") {
			t.Fatal("partners are not shown in the order they were added")
		}
		messe := itoa(testutil.Count(t, d, `SELECT id FROM summit_partners WHERE name LIKE '%Messe%'`))
		airport := itoa(testutil.Count(t, d, `SELECT id FROM summit_partners WHERE name LIKE '%Airport%'`))
		res := w.admin.Post(base+"/partners/"+messe+"/move", url.Values{"dir": {"up"}}).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != base+"/programme#partners" {
			t.Errorf("after moving: %s", loc)
		}
		w.admin.Post(base+"/partners/"+airport+"/move", url.Values{"dir": {"down"}}).Expect(t, 303)
		if body := w.s.Client().Get(public).Expect(t, 200).Body; !order(body, "Messe", "Airport", "Stadtwerke") {
			t.Error("after moving Messe up and Airport down, visitors do not see Messe, Airport, Stadtwerke")
		}
		if body := w.admin.Get(base + "/programme").Body; !order(body, "Messe", "Airport", "Stadtwerke") {
			t.Error("the programme page does not show the new order")
		}
		// The first stays first when moved up; a city may not move anything.
		w.admin.Post(base+"/partners/"+messe+"/move", url.Values{"dir": {"up"}}).Expect(t, 303)
		w.cityClient(t, "warsaw").Post(base+"/partners/"+messe+"/move", url.Values{"dir": {"down"}}).Expect(t, 403)
		if body := w.s.Client().Get(public).Body; !order(body, "Messe", "Airport", "Stadtwerke") {
			t.Error("the order changed although nothing should have moved")
		}
	})
}

// A full summit puts the next city on the waiting list; a freed place is
// offered to the first in line, who declines it, and it goes to the next.
func TestWaitingListAndDecliningAnOffer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"max_delegations": {"1"}})
		ref := id + "-dusseldorf-2031"
		page := "/en/summits/" + ref + "/delegation"
		mtl, waw, oua := w.cityClient(t, "montreal"), w.cityClient(t, "warsaw"), w.cityClient(t, "ouagadougou")
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}}).Expect(t, 303)
		waw.Post(page, url.Values{"name": {"Rafał Trzaskowski"}, "role": {"mayor"}}).Expect(t, 303)
		oua.Post(page, url.Values{"name": {"Armand Béouindé"}, "role": {"mayor"}}).Expect(t, 303)
		waw.Get(page).Expect(t, 200, "number 1 on the waiting list")
		oua.Get(page).Expect(t, 200, "number 2 on the waiting list")
		mtl.Post(page+"/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		waw.Get(page).Expect(t, 200, "place offered", "Accept the place")
		oua.Get(page).Expect(t, 200, "number 1 on the waiting list")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE body LIKE '%offered to the delegation of Warsaw%'`); n != 1 {
			t.Errorf("%d offer mails to Warsaw", n)
		}
		// Declining asks first, naming the summit and the city; nothing changes until confirmed.
		waw.Post(page+"/decline-offer", nil).Expect(t, 200, "decline the place offered to Warsaw?", "The place goes to the next city on the waiting list.")
		waw.Get(page).Expect(t, 200, "place offered")
		waw.Post(page+"/decline-offer", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		waw.Get(page).Expect(t, 200, "The delegation has been withdrawn.", "withdrawn").Lacks(t, "Accept the place")
		oua.Get(page).Expect(t, 200, "place offered", "Accept the place")
		// A declined offer cannot be accepted afterwards.
		waw.Post(page+"/accept", nil)
		waw.Get(page).Lacks(t, "Accept the place", "pending review")
		oua.Post(page+"/accept", nil).Expect(t, 303)
		oua.Get(page).Expect(t, 200, "pending review")
		w.admin.Get("/en/admin/summits/"+id+"/registrations").Expect(t, 200, "Ouagadougou", "Warsaw")
	})
}
