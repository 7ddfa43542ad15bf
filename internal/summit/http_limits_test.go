package summit_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Fifty registrations of one city sent at once through the server: one
// delegation, the other 49 told the city is already registered.
func TestOneDelegationPerCityThroughTheServer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, nil)
		page := "/en/summits/" + ref(t, d, id) + "/delegation"
		mtl := w.cityClient(t, "montreal")
		const n = 50
		codes := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res := mtl.Post(page, url.Values{"name": {"Valérie Plante"}, "role": {"mayor"}})
				codes[i], bodies[i] = res.StatusCode, res.Body
			}()
		}
		close(start)
		wg.Wait()
		created, refused := 0, 0
		for i, c := range codes {
			switch {
			case c == http.StatusSeeOther:
				created++
			case c == http.StatusConflict && strings.Contains(bodies[i], "already registered a delegation"):
				refused++
			default:
				t.Errorf("attempt %d: status %d", i, c)
			}
		}
		var rows, people int
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegations`).Scan(&rows)
		d.R.QueryRow(`SELECT COUNT(*) FROM summit_delegates`).Scan(&people)
		if created != 1 || refused != n-1 || rows != 1 || people != 1 {
			t.Fatalf("%d created, %d refused; %d delegations, %d people stored", created, refused, rows, people)
		}
	})
}

// A summit with room for one delegation and one person more: the waiting
// list, the offer with its deadline, the lapse, and the next in line —
// seen as the cities see it.
func TestWaitingListDeadlineThroughTheServer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.createSummit(t, url.Values{"max_delegations": {"1"}, "max_people": {"2"}, "offer_hours": {"48"}})
		r := ref(t, d, id)
		clients := map[string]*testutil.Client{}
		for _, c := range []string{"montreal", "warsaw", "ouagadougou"} {
			clients[c] = w.cityClient(t, c)
			clients[c].Post("/en/summits/"+r+"/delegation", url.Values{"name": {"Mayor of " + c}, "role": {"mayor"},
				"email": {c + "@example.org"}}).Expect(t, 303)
		}
		page := "/en/summits/" + r + "/delegation"
		clients["montreal"].Get(page).Expect(t, 200, "pending review")
		clients["warsaw"].Get(page).Expect(t, 200, "number 1 on the waiting list")
		clients["ouagadougou"].Get(page).Expect(t, 200, "number 2 on the waiting list")
		// The people limit: Montréal may bring one more person, not two.
		clients["montreal"].Post(page+"/members", url.Values{"name": {"Adviser"}, "role": {"official"}}).Expect(t, 303)
		clients["montreal"].Post(page+"/members", url.Values{"name": {"Second adviser"}, "role": {"official"}}).Expect(t, 409, "no room for more people")
		// Montréal withdraws: Warsaw is offered the place, for 48 hours.
		before := time.Now().UTC()
		clients["montreal"].Post(page+"/withdraw", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		clients["warsaw"].Get(page).Expect(t, 200, "place offered", "Accept the place by")
		// Declining asks first; until confirmed the place stays offered.
		clients["warsaw"].Post(page+"/decline-offer", nil).Expect(t, 200, "decline the place offered to Warsaw?", "next city on the waiting list")
		clients["warsaw"].Get(page).Expect(t, 200, "place offered")
		var deadline time.Time
		d.R.QueryRow(`SELECT offer_expires_at FROM summit_delegations WHERE state = 'offered'`).Scan(&deadline)
		if got := deadline.Sub(before); got < 47*time.Hour || got > 49*time.Hour {
			t.Fatalf("deadline %v after the withdrawal, want 48 hours", got)
		}
		var mails int
		d.R.QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'warsaw@example.org' AND body LIKE '%accept it by%'`).Scan(&mails)
		if mails != 1 {
			t.Errorf("%d offer mails to Warsaw", mails)
		}
		// The app's periodic step, after the deadline: Warsaw's offer lapses, Ouagadougou's place comes.
		st := w.s.App.Summits.Store
		if n, err := st.ExpireOffers(context.Background(), deadline.Add(-time.Minute)); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d, %v", n, err)
		}
		if n, err := st.ExpireOffers(context.Background(), deadline.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("after the deadline: %d, %v", n, err)
		}
		clients["warsaw"].Get(page).Expect(t, 200, "offer lapsed", "Register again")
		clients["warsaw"].Post(page+"/accept", nil).Expect(t, 409)
		clients["ouagadougou"].Get(page).Expect(t, 200, "place offered")
		clients["ouagadougou"].Post(page+"/accept", nil).Expect(t, 303)
		clients["ouagadougou"].Get(page).Expect(t, 200, "pending review")
		// Warsaw registers again and queues behind, the summit being full.
		clients["warsaw"].Post(page+"/reopen", nil).Expect(t, 303)
		clients["warsaw"].Get(page).Expect(t, 200, "number 1 on the waiting list")
	})
}
