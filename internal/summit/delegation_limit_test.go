package summit_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// A summit that sets no size still bounds every delegation (50 people);
// the person over the bound is refused in the editor's language and
// nothing is stored; a size the secretariat sets takes its place, up to 500.
func TestDelegationSizeLimit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		r := ref(t, d, id)
		page := "/de/summits/" + r + "/delegation"
		mtl := w.cityClient(t, "montreal")
		mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}}).Expect(t, 303)
		var delegation int64
		if err := d.R.QueryRow(`SELECT id FROM summit_delegations`).Scan(&delegation); err != nil {
			t.Fatal(err)
		}
		// Up to the bound through the store, the last one through the form.
		st := &summit.Store{DB: d}
		for i := 2; i < summit.DefaultDelegationSize; i++ {
			if err := st.AddDelegate(ctx, delegation, summit.DelegateInput{Name: fmt.Sprintf("Adviser %d", i), Role: "official"}, audit.Actor{}); err != nil {
				t.Fatalf("person %d: %v", i, err)
			}
		}
		mtl.Post(page+"/members", url.Values{"name": {"Adviser 50"}, "role": {"official"}}).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "Eine Delegation hat höchstens 50 Personen.")
		mtl.Post(page+"/members", url.Values{"name": {"Adviser 51"}, "role": {"official"}}).Expect(t, 409, "größte erlaubte Stärke")
		fr := "/fr/summits/" + r + "/delegation"
		mtl.Post(fr+"/members", url.Values{"name": {"Conseillère 51"}, "role": {"official"}}).Expect(t, 409, "taille maximale autorisée")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegates WHERE delegation_id = $1`, delegation); n != summit.DefaultDelegationSize {
			t.Fatalf("%d people stored", n)
		}
		if err := st.AddDelegate(ctx, delegation, summit.DelegateInput{Name: "One too many", Role: "official"}, audit.Actor{}); !errors.Is(err, summit.ErrDelegationSize) {
			t.Fatalf("store: %v", err)
		}
		// The secretariat cannot lift the bound past 500, and may set 60.
		w.admin.Post("/en/admin/summits/"+id, summitForm(w, url.Values{"max_delegation_size": {"501"}})).Expect(t, 422, "at most 500 people")
		w.admin.Post("/en/admin/summits/"+id, summitForm(w, url.Values{"max_delegation_size": {"60"}})).Expect(t, 303)
		mtl.Post(page+"/members", url.Values{"name": {"Adviser 51"}, "role": {"official"}}).Expect(t, 303)
		mtl.Get(page).Expect(t, 200, "höchstens 60 Personen")
	})
}

func summitForm(w *world, extra url.Values) url.Values {
	form := url.Values{"number": {"2"}, "title_en": {"Second Summit on Living Together"}, "source_lang": {"en"},
		"host_city_id": {itoa(w.cities["dusseldorf"])}, "starts_on": {"2031-08-29"}, "ends_on": {"2031-08-31"},
		"status": {"registration_open"}, "offer_hours": {"72"}}
	for k, v := range extra {
		form[k] = v
	}
	return form
}

// BenchmarkAddDelegate adds people to a delegation that already has
// "size" of them (the summit's size set to the cap): the cost of an add
// does not grow with the delegation. Each round removes what it added.
func BenchmarkAddDelegate(b *testing.B) {
	for _, size := range []int{10, 450} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			ctx := context.Background()
			d := testutil.NewSQLite(b)
			city := insertCity(b, d, "montreal", "Montréal", "CA", 1780000, 45.5, -73.57, "America/Toronto", "member")
			st := &summit.Store{DB: d}
			id, err := st.Save(ctx, 0, summit.SummitInput{Number: 3, Title: map[string]string{"en": "Third"}, SourceLang: "en", HostCityID: city,
				StartsOn: "2031-06-10", EndsOn: "2031-06-12", Status: summit.StatusOpen, MaxDelegationSize: summit.MaxDelegationSizeCap, OfferHours: 72}, audit.Actor{})
			if err != nil {
				b.Fatal(err)
			}
			del, err := st.Register(ctx, id, summit.Registration{CityID: city, Head: summit.DelegateInput{Name: "Head", Role: "mayor"}}, audit.Actor{})
			if err != nil {
				b.Fatal(err)
			}
			for i := 1; i < size; i++ {
				if err := st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: fmt.Sprintf("P%d", i), Role: "official"}, audit.Actor{}); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			for b.Loop() {
				n++
				if err := st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: fmt.Sprintf("N%d", n), Role: "official"}, audit.Actor{}); err != nil {
					b.Fatal(err)
				}
				if n%40 == 0 {
					b.StopTimer()
					if _, err := d.W.Exec(`DELETE FROM summit_delegates WHERE delegation_id = $1 AND name LIKE 'N%'`, del.ID); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			}
		})
	}
}
