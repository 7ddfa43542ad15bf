package summit_test

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// The secretariat sets a summit's registration and bid deadlines; bad
// days are refused in the page's language; both deadlines appear in the
// calendar (kind "deadline") and its iCalendar feed, and the summit page
// says until when registration is open.
func TestDeadlinesInFormAndCalendar(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// Next year: inside the calendar feed's window whenever the test runs.
		y := strconv.Itoa(time.Now().Year() + 1)
		dates := url.Values{"starts_on": {y + "-08-29"}, "ends_on": {y + "-08-31"}}
		with := func(kv ...string) url.Values {
			v := url.Values{}
			for k, vs := range dates {
				v[k] = vs
			}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		id := w.createSummit(t, with("registration_closes_on", y+"-06-30", "bids_close_on", y+"-08-15", "bids_open", "1"))
		w.admin.Post("/de/admin/summits/"+id, summitForm(w, with("registration_closes_on", "30.6."+y))).Expect(t, 422, "Datum")
		w.admin.Post("/fr/admin/summits/"+id, summitForm(w, with("registration_closes_on", y+"-09-01"))).
			Expect(t, 422, "La date limite d’inscription ne peut pas être postérieure au dernier jour du sommet.")
		r := ref(t, d, id)
		w.s.Client().Get("/en/summits/"+r).Expect(t, 200, "Registration is open until 30 June "+y+" (inclusive).", "Bids are taken until 15 August "+y)
		w.s.Client().Get("/api/v1/summits/"+id).Expect(t, 200, `"registration_closes_on":"`+y+`-06-30"`, `"bids_close_on":"`+y+`-08-15"`)
		w.s.Client().Get("/en/calendar?kind=deadline&month="+y+"-06").Expect(t, 200, "Registration closes: Second Summit on Living Together").
			Lacks(t, "Bids for the next summit close")
		w.s.Client().Get("/de/calendar?kind=deadline&month="+y+"-08").Expect(t, 200, "Bewerbungsschluss für den nächsten Gipfel")
		ics := w.s.Client().Get("/en/calendar.ics?kind=deadline").Expect(t, 200, "UID:summit-registration-"+id+"@observatory",
			"UID:summit-bids-"+id+"@observatory", "DTSTART;VALUE=DATE:"+y+"0630")
		if strings.Contains(ics.Body, "UID:summit-"+id+"@observatory") {
			t.Error("the kind filter let the summit itself through")
		}
		// Clearing the deadlines takes them out of the calendar.
		w.admin.Post("/en/admin/summits/"+id, summitForm(w, dates)).Expect(t, 303)
		w.s.Client().Get("/en/calendar.ics?kind=deadline").Expect(t, 200).Lacks(t, "summit-registration-"+id)
	})
}

// Past its deadline a summit takes no registration and no bid, though
// its state still says open.
func TestRegistrationAndBidsShutAtTheirDeadline(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id, err := f.st.Save(ctx, 0, summit.SummitInput{Number: 3, Title: map[string]string{"en": "Third Summit"}, SourceLang: "en",
			HostCityID: f.cities["warsaw"], StartsOn: "2030-06-10", EndsOn: "2030-06-12", Status: summit.StatusOpen, OfferHours: 72,
			BidsOpen: true, RegistrationClosesOn: "2030-01-10", BidsCloseOn: "2030-01-10"}, secretariat)
		if err != nil {
			t.Fatal(err)
		}
		// 10 January, 9:00 UTC: still the deadline's day in Warsaw.
		f.register(id, "montreal")
		f.clock = time.Date(2030, 1, 10, 23, 30, 0, 0, time.UTC) // 00:30 on 11 January in Warsaw
		_, err = f.st.Register(ctx, id, summit.Registration{CityID: f.cities["kolkata"], Head: summit.DelegateInput{Name: "Mayor", Role: "mayor"}}, audit.Actor{})
		if !errors.Is(err, summit.ErrRegistrationShut) {
			t.Fatalf("registering after the deadline: %v", err)
		}
		_, err = f.st.SubmitBid(ctx, id, summit.BidInput{CityID: f.cities["toulouse"], ProposedStart: "2032-06-01", ProposedEnd: "2032-06-03",
			Venue: "Capitole", SourceLang: "fr", Statement: map[string]string{"fr": "Toulouse accueille."}}, audit.Actor{})
		if !errors.Is(err, summit.ErrBidsClosed) {
			t.Fatalf("bidding after the deadline: %v", err)
		}
	})
}
