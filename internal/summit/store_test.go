package summit_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// fixture is a store on a real database with a few member cities and a
// clock the test moves.
type fixture struct {
	t      *testing.T
	d      *db.DB
	st     *summit.Store
	clock  time.Time
	cities map[string]int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, d: d, clock: time.Date(2030, 1, 10, 9, 0, 0, 0, time.UTC), cities: map[string]int64{}}
	f.st = &summit.Store{DB: d, Catalog: cat, BaseURL: "https://observatory.example", Now: func() time.Time { return f.clock }}
	for _, c := range []struct {
		slug, name, country string
		pop                 int64
		lat, lon            float64
		tz                  string
	}{
		{"dusseldorf", "Düsseldorf", "DE", 620000, 51.23, 6.78, "Europe/Berlin"},
		{"montreal", "Montréal", "CA", 1780000, 45.5, -73.57, "America/Toronto"},
		{"warsaw", "Warsaw", "PL", 1790000, 52.23, 21.01, "Europe/Warsaw"},
		{"ouagadougou", "Ouagadougou", "BF", 2450000, 12.37, -1.53, "Africa/Ouagadougou"},
		{"kolkata", "Kolkata", "IN", 4500000, 22.57, 88.36, "Asia/Kolkata"},
		{"toulouse", "Toulouse", "FR", 480000, 43.6, 1.44, "Europe/Paris"},
		{"bogota", "Bogotá", "CO", 7400000, 4.71, -74.07, "America/Bogota"},
	} {
		f.cities[c.slug] = insertCity(t, d, c.slug, c.name, c.country, c.pop, c.lat, c.lon, c.tz, "member")
	}
	f.cities["candidate"] = insertCity(t, d, "candidate-town", "Candidate Town", "IT", 1000, 41, 12, "Europe/Rome", "candidate")
	return f
}

func insertCity(t testing.TB, d *db.DB, slug, name, country string, pop int64, lat, lon float64, tz, membership string) int64 {
	return testutil.AddCity(t, d, testutil.City{Slug: slug, Name: name, Country: country, Population: pop, Lat: lat, Lon: lon, Timezone: tz, Membership: membership})
}

var secretariat = audit.Actor{Email: "secretariat@example.org"}

func (f *fixture) summit(maxDelegations, maxPeople int) int64 {
	f.t.Helper()
	id, err := f.st.Save(context.Background(), 0, summit.SummitInput{
		Number: 3, Title: i18n.Text{"en": "Third Summit", "de": "Dritter Gipfel"}, SourceLang: "en", HostCityID: f.cities["warsaw"],
		StartsOn: "2030-06-10", EndsOn: "2030-06-12", Status: summit.StatusOpen, MaxDelegations: maxDelegations, MaxPeople: maxPeople,
		OfferHours: 72,
	}, secretariat)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) register(summitID int64, city string) *summit.Delegation {
	f.t.Helper()
	d, err := f.st.Register(context.Background(), summitID, summit.Registration{CityID: f.cities[city], ContactEmail: city + "@example.org",
		Head: summit.DelegateInput{Name: "Mayor of " + city, Role: "mayor", Email: "mayor." + city + "@example.org", Consent: true}}, audit.Actor{})
	if err != nil {
		f.t.Fatalf("registering %s: %v", city, err)
	}
	return d
}

func (f *fixture) state(id int64) *summit.Delegation {
	f.t.Helper()
	d, err := f.st.Delegation(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) mails(to string) int {
	var n int
	if err := f.d.R.QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1`, to).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestOneDelegationPerCityUnderConcurrency(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.summit(0, 0)
		const n = 50
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.st.Register(context.Background(), id, summit.Registration{CityID: f.cities["montreal"],
					Head: summit.DelegateInput{Name: fmt.Sprintf("Head %d", i), Role: "mayor"}}, audit.Actor{})
			}()
		}
		close(start)
		wg.Wait()
		ok, dup := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, summit.ErrAlreadyRegistered):
				dup++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		var rows, people int
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1`, id).Scan(&rows)
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegates WHERE summit_id = $1`, id).Scan(&people)
		if ok != 1 || dup != n-1 || rows != 1 || people != 1 {
			t.Fatalf("%d created, %d refused as duplicates; %d delegations and %d people stored — want exactly one", ok, dup, rows, people)
		}
	})
}

func TestWaitingListPromotionWithDeadline(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(2, 0)
		a, b := f.register(id, "montreal"), f.register(id, "dusseldorf")
		c, e := f.register(id, "ouagadougou"), f.register(id, "kolkata")
		for _, x := range []struct {
			d     *summit.Delegation
			state string
			pos   int
		}{{a, "pending", 0}, {b, "pending", 0}, {c, "waiting", 1}, {e, "waiting", 2}} {
			if x.d.State != x.state || x.d.QueuePosition != x.pos {
				t.Fatalf("%s: %s at %d, want %s at %d", x.d.City.Name, x.d.State, x.d.QueuePosition, x.state, x.pos)
			}
		}
		if f.mails("ouagadougou@example.org") != 1 || f.mails("mayor.ouagadougou@example.org") != 1 {
			t.Error("the waiting city was not told")
		}
		// A confirmed city withdraws: the first in line is offered the place, with a deadline.
		if err := f.st.Confirm(ctx, a.ID, secretariat); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(time.Hour)
		if err := f.st.Withdraw(ctx, a.ID, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		got := f.state(c.ID)
		wantDeadline := f.clock.Add(72 * time.Hour)
		if got.State != summit.StateOffered || got.OfferExpiresAt == nil || !got.OfferExpiresAt.Equal(wantDeadline) {
			t.Fatalf("first in line: %s until %v, want offered until %v", got.State, got.OfferExpiresAt, wantDeadline)
		}
		if s := f.state(e.ID); s.State != summit.StateWaiting || s.QueuePosition != 1 {
			t.Fatalf("second in line: %s at %d", s.State, s.QueuePosition)
		}
		var body string
		d.R.QueryRow(`SELECT body FROM mail_outbox WHERE recipient = 'ouagadougou@example.org' ORDER BY id DESC LIMIT 1`).Scan(&body)
		if !contains(body, "/summits/"+itoa(id)+"-warsaw-2030/delegation") {
			t.Errorf("the offer mail lacks the link to accept:\n%s", body)
		}
		// Before the deadline nothing lapses.
		if n, err := f.st.ExpireOffers(ctx, wantDeadline.Add(-time.Second)); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d lapsed, %v", n, err)
		}
		// After it, the offer lapses and goes to the next in line, with a deadline of its own.
		later := wantDeadline.Add(time.Minute)
		f.clock = later
		if n, err := f.st.ExpireOffers(ctx, later); err != nil || n != 1 {
			t.Fatalf("after the deadline: %d lapsed, %v", n, err)
		}
		if s := f.state(c.ID); s.State != summit.StateExpired {
			t.Fatalf("lapsed offer is %s", s.State)
		}
		next := f.state(e.ID)
		if next.State != summit.StateOffered || !next.OfferExpiresAt.Equal(later.Add(72*time.Hour)) {
			t.Fatalf("next in line: %s until %v", next.State, next.OfferExpiresAt)
		}
		// The lapsed city can no longer accept; the next one can.
		if err := f.st.AcceptOffer(ctx, c.ID, audit.Actor{}); !errors.Is(err, summit.ErrTransition) && !errors.Is(err, summit.ErrOfferOver) {
			t.Fatalf("accepting a lapsed offer: %v", err)
		}
		if err := f.st.AcceptOffer(ctx, e.ID, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		if s := f.state(e.ID); s.State != summit.StatePending {
			t.Fatalf("accepted offer: %s", s.State)
		}
		// Full again: the secretariat cannot confirm a waiting city past the limit.
		w := f.register(id, "toulouse")
		if w.State != summit.StateWaiting {
			t.Fatalf("new registration on a full summit: %s", w.State)
		}
		if err := f.st.Confirm(ctx, w.ID, secretariat); !errors.Is(err, summit.ErrFull) {
			t.Fatalf("confirming past the limit: %v", err)
		}
		// Raising the limit offers the place at once.
		s, _ := f.st.Get(ctx, id, true)
		in := summit.SummitInput{Number: s.Number, Title: s.Title, SourceLang: s.SourceLang, HostCityID: s.Host.ID, StartsOn: s.StartsOn,
			EndsOn: s.EndsOn, Status: s.Status, MaxDelegations: 3, OfferHours: 72}
		if _, err := f.st.Save(ctx, id, in, secretariat); err != nil {
			t.Fatal(err)
		}
		if s := f.state(w.ID); s.State != summit.StateOffered {
			t.Fatalf("after raising the limit: %s", s.State)
		}
		// Every change left a notice on screen as well.
		if h := f.state(c.ID); len(h.Events) != 3 || h.Events[0].State != summit.StateExpired {
			t.Errorf("history of the lapsed delegation: %+v", h.Events)
		}
	})
}

func TestPeopleLimitAndDeclineReason(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(0, 3)
		a := f.register(id, "montreal")
		add := func(del *summit.Delegation, name string) error {
			return f.st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: name, Role: "official"}, audit.Actor{})
		}
		if err := add(a, "One"); err != nil {
			t.Fatal(err)
		}
		if err := add(a, "Two"); err != nil {
			t.Fatal(err)
		}
		if err := add(a, "Three"); !errors.Is(err, summit.ErrPeopleFull) {
			t.Fatalf("a fourth person on a summit for three: %v", err)
		}
		b := f.register(id, "warsaw")
		if b.State != summit.StateWaiting {
			t.Fatalf("no people left, yet %s", b.State)
		}
		if err := f.st.Decline(ctx, a.ID, "", secretariat); err == nil {
			t.Fatal("declined without a reason")
		}
		if err := f.st.Decline(ctx, a.ID, "The delegation came too late.", secretariat); err != nil {
			t.Fatal(err)
		}
		got := f.state(a.ID)
		if got.State != summit.StateDeclined || got.Reason != "The delegation came too late." {
			t.Fatalf("declined: %+v", got)
		}
		var body string
		d.R.QueryRow(`SELECT body FROM mail_outbox WHERE recipient = 'montreal@example.org' ORDER BY id DESC LIMIT 1`).Scan(&body)
		if !contains(body, "The delegation came too late.") {
			t.Errorf("the decline mail lacks the reason:\n%s", body)
		}
		if s := f.state(b.ID); s.State != summit.StateOffered {
			t.Fatalf("the freed places were not offered: %s", s.State)
		}
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'summit.delegation.declined'`).Scan(&n)
		if n != 1 {
			t.Errorf("%d audit entries for the decline", n)
		}
		if _, err := f.st.Register(ctx, id, summit.Registration{CityID: f.cities["candidate"], Head: summit.DelegateInput{Name: "X", Role: "mayor"}}, audit.Actor{}); !errors.Is(err, summit.ErrNotMember) {
			t.Errorf("a candidate city registered: %v", err)
		}
	})
}

func TestSessionCapacity(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(0, 0)
		sid, err := f.st.SaveSession(ctx, id, 0, summit.SessionInput{Kind: "workshop", Title: i18n.Text{"en": "Healthy cities"},
			Starts: "2030-06-11T09:30", Ends: "2030-06-11T11:00", Capacity: 2, Languages: "en, fr"}, secretariat)
		if err != nil {
			t.Fatal(err)
		}
		a, b := f.register(id, "montreal"), f.register(id, "warsaw")
		if err := f.st.AddDelegate(ctx, a.ID, summit.DelegateInput{Name: "Second", Role: "expert"}, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		a = f.state(a.ID)
		var all []summit.SignupInput
		for _, p := range a.Delegates {
			all = append(all, summit.SignupInput{SessionID: sid, DelegateID: p.ID})
		}
		if err := f.st.SetSignups(ctx, a.ID, all, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		var full *summit.SessionFullError
		err = f.st.SetSignups(ctx, b.ID, []summit.SignupInput{{SessionID: sid, DelegateID: b.Delegates[0].ID}}, audit.Actor{})
		if !errors.As(err, &full) || full.SessionID != sid {
			t.Fatalf("third sign-up for two seats: %v", err)
		}
		// Signing up twice is not counted twice; withdrawing frees the seats.
		if err := f.st.SetSignups(ctx, a.ID, all, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		if err := f.st.Withdraw(ctx, a.ID, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		if err := f.st.SetSignups(ctx, b.ID, []summit.SignupInput{{SessionID: sid, DelegateID: b.Delegates[0].ID}}, audit.Actor{}); err != nil {
			t.Fatalf("after the seats were freed: %v", err)
		}
		s, err := f.st.Session(ctx, id, sid)
		if err != nil || s.SignedUp != 1 {
			t.Fatalf("signed up: %d, %v", s.SignedUp, err)
		}
	})
}

func TestSessionCapacityUnderConcurrency(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(0, 0)
		sid, err := f.st.SaveSession(ctx, id, 0, summit.SessionInput{Kind: "tour", Title: i18n.Text{"en": "Bus tour"},
			Starts: "2030-06-10T15:00", Ends: "2030-06-10T17:00", Capacity: 3}, secretariat)
		if err != nil {
			t.Fatal(err)
		}
		var dels []*summit.Delegation
		for _, c := range []string{"montreal", "warsaw", "dusseldorf", "kolkata", "toulouse", "ouagadougou"} {
			dels = append(dels, f.register(id, c))
		}
		var wg sync.WaitGroup
		for _, del := range dels {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.st.SetSignups(ctx, del.ID, []summit.SignupInput{{SessionID: sid, DelegateID: del.Delegates[0].ID}}, audit.Actor{})
			}()
		}
		wg.Wait()
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_signups WHERE session_id = $1`, sid).Scan(&n)
		if n != 3 {
			t.Fatalf("%d sign-ups for 3 seats", n)
		}
	})
}

func TestFiguresCountConfirmedOnly(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(0, 0)
		for _, c := range []string{"montreal", "warsaw", "ouagadougou", "kolkata", "bogota"} {
			del := f.register(id, c)
			if err := f.st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: "Deputy", Role: "deputy_mayor"}, audit.Actor{}); err != nil {
				t.Fatal(err)
			}
			if err := f.st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: "Adviser", Role: "official"}, audit.Actor{}); err != nil {
				t.Fatal(err)
			}
			if c != "kolkata" {
				if err := f.st.Confirm(ctx, del.ID, secretariat); err != nil {
					t.Fatal(err)
				}
			}
		}
		fig, err := f.st.Figures(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := summit.Figures{Delegations: 4, Guests: 12, Mayors: 8, Countries: 4, MayorCountries: 4,
			Continents: []string{"americas", "africa", "europe"}, Residents: 1780000 + 1790000 + 2450000 + 7400000}
		if fmt.Sprint(fig) != fmt.Sprint(want) {
			t.Fatalf("figures %+v, want %+v", fig, want)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHeadshipHandsOver(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.summit(0, 0)
		del := f.register(id, "warsaw")
		if err := f.st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: "Adviser", Role: "official", IsHead: true}, audit.Actor{}); err == nil {
			t.Fatal("an official became head")
		}
		if err := f.st.AddDelegate(ctx, del.ID, summit.DelegateInput{Name: "Michał Olszewski", Role: "deputy_mayor", IsHead: true}, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		got := f.state(del.ID)
		if h := got.Head(); h == nil || h.Name != "Michał Olszewski" || len(got.Delegates) != 2 {
			t.Fatalf("head after handing over: %+v", got.Delegates)
		}
		old := got.Delegates[1]
		if old.IsHead {
			old = got.Delegates[0]
		}
		if err := f.st.RemoveDelegate(ctx, del.ID, got.Head().ID, audit.Actor{}); !errors.Is(err, summit.ErrRemoveHead) {
			t.Errorf("removing the head: %v", err)
		}
		in := summit.DelegateInput{Name: old.Name, Role: "mayor", IsHead: true}
		if err := f.st.UpdateDelegate(ctx, del.ID, old.ID, in, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		if h := f.state(del.ID).Head(); h == nil || h.ID != old.ID {
			t.Errorf("head after handing back: %+v", h)
		}
	})
}
