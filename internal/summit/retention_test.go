package summit_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// The delegations' e-mail addresses, travel times and needs are erased
// once the retention after the summit's last day has passed, not a second
// earlier; names, roles and states stay; another summit is untouched; a
// second run changes nothing.
func TestPersonalDataErasedAfterRetention(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		held := f.summit(0, 0) // 10–12 June 2030 in Warsaw
		later, err := f.st.Save(ctx, 0, summit.SummitInput{Number: 4, Title: i18n.Text{"en": "Fourth Summit"}, SourceLang: "en",
			HostCityID: f.cities["toulouse"], StartsOn: "2031-06-10", EndsOn: "2031-06-12", Status: summit.StatusOpen, OfferHours: 72}, secretariat)
		if err != nil {
			t.Fatal(err)
		}
		for _, sid := range []int64{held, later} {
			_, err := f.st.Register(ctx, sid, summit.Registration{CityID: f.cities["montreal"], ContactEmail: "protocol@montreal.example",
				Notes: "Arriving with a wheelchair user", Head: summit.DelegateInput{Name: "Valérie Plante-Test", Role: "mayor",
					Email: "mayor@montreal.example", Arrival: "2030-06-09T18:30", Departure: "2030-06-12T20:00", Dietary: "vegetarian",
					Accessibility: "step-free rooms", Interpretation: "fr", Consent: true}}, audit.Actor{})
			if err != nil {
				t.Fatal(err)
			}
		}
		personal := func(sid int64) int64 {
			return testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegates WHERE summit_id = $1 AND (email <> '' OR arrival <> ''
				OR departure <> '' OR dietary <> '' OR accessibility <> '' OR interpretation <> '')`, sid) +
				testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND (contact_email <> '' OR notes <> '')`, sid)
		}
		if personal(held) != 2 || personal(later) != 2 {
			t.Fatalf("before: %d and %d rows with personal details", personal(held), personal(later))
		}
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		// The last day is 12 June; 90 days after it end with 10 September, Warsaw time.
		due := time.Date(2030, 9, 11, 0, 0, 0, 0, warsaw)
		if n, err := f.st.ErasePersonalData(ctx, due.Add(-time.Second), 90); err != nil || n != 0 {
			t.Fatalf("a second early: %d erased, %v", n, err)
		}
		if personal(held) != 2 {
			t.Fatal("details erased before the retention ended")
		}
		if n, err := f.st.ErasePersonalData(ctx, due, 90); err != nil || n != 1 {
			t.Fatalf("when due: %d erased, %v", n, err)
		}
		if personal(held) != 0 || personal(later) != 2 {
			t.Fatalf("after: %d rows of the held summit and %d of the later one keep personal details", personal(held), personal(later))
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegates WHERE summit_id = $1 AND name = 'Valérie Plante-Test' AND role = 'mayor'`, held) != 1 ||
			testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'pending'`, held) != 1 {
			t.Error("the record of who took part was changed")
		}
		if testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'summit.personal_data_erase' AND target = $1`, "summit:"+itoa(held)) != 1 {
			t.Error("no audit entry for the erasure")
		}
		if n, err := f.st.ErasePersonalData(ctx, due.AddDate(1, 0, 0), 90); err != nil || n != 1 {
			t.Fatalf("a year later: %d erased (the later summit only), %v", n, err)
		}
		if n, err := f.st.ErasePersonalData(ctx, due.AddDate(1, 0, 0), 90); err != nil || n != 0 {
			t.Fatalf("again: %d erased, %v", n, err)
		}
	})
}

// The registration form says what is kept, until when, and links the
// privacy notice; once the date has passed it says the details are gone.
func TestRegistrationFormStatesRetention(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil) // 29–31 August 2031 in Düsseldorf
		c := w.cityClient(t, "montreal")
		page := c.Get("/en/summits/" + id + "/delegation")
		if page.StatusCode == 301 {
			page = c.Get(page.Header.Get("Location"))
		}
		berlin, _ := time.LoadLocation("Europe/Berlin")
		date := i18n.Date("en", time.Date(2031, 11, 30, 0, 0, 0, 0, berlin))
		page.Expect(t, 200, "erased 90 days after the summit, on "+date, `href="/en/privacy"`)
		if !strings.Contains(page.Body, `name="dietary"`) {
			t.Fatal("not the registration form")
		}
	})
}

// Once the date has passed, the secretariat's form for the delegation's
// people says the details were erased, and when.
func TestDelegationFormAfterRetention(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"starts_on": {"2020-06-10"}, "ends_on": {"2020-06-12"}})
		sid, _ := strconv.ParseInt(id, 10, 64)
		del, err := w.s.App.Summits.Store.Register(context.Background(), sid, summit.Registration{CityID: w.cities["montreal"],
			Head: summit.DelegateInput{Name: "Head of Montréal", Role: "mayor", Email: "head@montreal.example"}}, audit.Actor{})
		if err != nil {
			t.Fatal(err)
		}
		berlin, _ := time.LoadLocation("Europe/Berlin")
		date := i18n.Date("en", time.Date(2020, 9, 11, 0, 0, 0, 0, berlin))
		w.admin.Get("/en/admin/summits/"+id+"/registrations/"+itoa(del.ID)).Expect(t, 200, "were erased on "+date, `href="/en/privacy"`)
	})
}
