package voice_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// An e-mail address given with an idea is confirmed by a link built from
// the configured public address only, is never shown, and is deleted with
// the other personal data when the retention period ends.
func TestEmailConfirmationAndRetention(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.App.Voice.BaseURL = "https://ideas.example"
		c := f.s.Client()
		res := c.Post("/de/ideas/morgen", url.Values{"text": {"Eine Idee mit Antwort per E-Mail"}, "email": {"anna@example.org"}, "neighbourhood": {"Bilk"}})
		res.Expect(t, http.StatusSeeOther)
		var body string
		if err := d.R.QueryRowContext(context.Background(), `SELECT body FROM mail_outbox WHERE recipient = 'anna@example.org'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`https://ideas\.example/de/ideas/confirm/[A-Z0-9]+`).FindString(body)
		if link == "" {
			t.Fatalf("no confirmation link from the public address in %q", body)
		}
		receipt := receiptRe.FindStringSubmatch(res.Header.Get("Location"))[1]
		c.Get("/de/ideas/receipt/"+receipt).Expect(t, http.StatusOK).Lacks(t, "anna@example.org")
		c.Get(strings.TrimPrefix(link, "https://ideas.example")).Expect(t, http.StatusSeeOther)
		if n := f.count(t, `receipt = $1 AND email_confirmed = TRUE`, receipt); n != 1 {
			t.Fatal("e-mail not confirmed")
		}
		published := f.ideaID(t, f.give(t, f.after, "Eine veröffentlichte Idee, die bleibt"))
		// Retention: close the consultations long ago.
		if _, err := d.W.ExecContext(context.Background(), `UPDATE voice_consultations SET closes_at = $1, retention_days = 1`, db.Now().AddDate(0, 0, -3)); err != nil {
			t.Fatal(err)
		}
		f.decide(t, "publish", published)
		if _, err := d.W.ExecContext(context.Background(), `UPDATE voice_ideas SET email = 'bob@example.org' WHERE id = $1`, published); err != nil {
			t.Fatal(err)
		}
		n, err := f.s.App.Voice.Store.Retention(context.Background(), time.Now().UTC())
		if err != nil || n != 1 {
			t.Fatalf("retention deleted %d (%v), want the 1 unpublished idea", n, err)
		}
		if f.count(t, `email <> '' OR neighbourhood <> '' OR prefix_hash <> ''`) != 0 || f.count(t, `id = $1`, published) != 1 {
			t.Fatal("personal data kept after retention, or a published idea deleted")
		}
	})
}

// A busy network prefix gets harder challenges and, past its limit, is
// refused (429) with nothing stored.
func TestDifficultyRisesAndLimit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.App.Voice.Limit = 9
		maxnumber := func() int64 {
			var ch voice.Challenge
			f.getJSON(t, "/api/v1/ideas/challenge", &ch)
			return ch.MaxNumber
		}
		if m := maxnumber(); m != 200 {
			t.Fatalf("quiet prefix: maxnumber %d", m)
		}
		for i := range 8 {
			f.give(t, f.c, "Idee Nummer "+strings.Repeat("x", i)+" für einen belebten Platz")
		}
		if m := maxnumber(); m != 800 {
			t.Fatalf("busy prefix: maxnumber %d, want 800", m)
		}
		f.give(t, f.c, "Die neunte Idee aus demselben Netz")
		a := f.postJSON(t, "/api/v1/ideas", map[string]any{"consultation": f.c.ID, "text": "Die zehnte Idee ist zu viel", "altcha": f.solved(t).Encode()})
		if a.Status != http.StatusTooManyRequests {
			t.Fatalf("over the limit: %d %v", a.Status, a.Body)
		}
		if n := f.count(t, `1 = 1`); n != 9 {
			t.Fatalf("%d ideas stored, want 9", n)
		}
		raw, _ := json.Marshal(a.Body)
		if !strings.Contains(string(raw), "limit") {
			t.Fatalf("answer: %s", raw)
		}
	})
}
