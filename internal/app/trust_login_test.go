package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// burst sends the forms in parallel, each from its own client, and counts
// the answers by status.
func burst(t *testing.T, s *testutil.Server, forms []url.Values) map[int]int {
	t.Helper()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	for _, f := range forms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := s.Client().Post("/en/login", f)
			mu.Lock()
			got[res.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// A hundred parallel guesses at one address get no more passwords checked
// than the limit allows (a checked wrong password answers 401, a refused
// attempt 429 before any check), a correct password inside a later burst is
// refused as well, and the account holder is told once.
func TestSignInLimitHoldsUnderParallelGuesses(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, pw := s.User(auth.RoleEditor, testCity(t, d))
		limit := 5
		forms := make([]url.Values, 100)
		for i := range forms {
			forms[i] = url.Values{"email": {u.Email}, "password": {fmt.Sprintf("guess number %d", i)}}
		}
		got := burst(t, s, forms)
		if got[401] > limit || got[401]+got[429] != 100 {
			t.Errorf("100 parallel guesses: %v; want at most %d checked (401), the rest refused (429)", got, limit)
		}
		forms = forms[:60]
		forms[30] = url.Values{"email": {u.Email}, "password": {pw}}
		got = burst(t, s, forms)
		if got[303] != 0 || got[429] != 60 {
			t.Errorf("a burst of 60 with the right password inside, once limited: %v; want all 60 refused", got)
		}
		s.Client().Post("/en/login", url.Values{"email": {u.Email}, "password": {pw}}).Expect(t, 429, "Too many failed attempts")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1`, u.Email); n != 1 {
			t.Errorf("notices to the account holder: %d, want 1", n)
		}
		var body string
		d.R.QueryRow(`SELECT body FROM mail_outbox WHERE recipient = $1`, u.Email).Scan(&body)
		if !strings.Contains(body, s.URL+"/en/password/forgot") {
			t.Errorf("the notice does not say how to get back in:\n%s", body)
		}
	})
}

// Failures from one address (a shared NAT) spread over many accounts do
// not shut out the next person behind it.
func TestSignInLimitDoesNotLockOutASharedAddress(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		u, pw := s.User(auth.RoleEditor, testCity(t, d))
		c := s.Client()
		for i := 0; i < 40; i++ {
			c.Post("/en/login", url.Values{"email": {fmt.Sprintf("someone%d@example.org", i)}, "password": {"wrong wrong wrong"}}).Expect(t, 401)
		}
		s.Client().Login(u.Email, pw)
	})
}
