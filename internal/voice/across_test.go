package voice_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// Two app servers' writers on one database: an idea the second stores
// with a lower id but commits after the first server stored one of its
// own is still compared for near-duplicates by the first. (PostgreSQL
// gives ids at insert, not at commit.)
func TestDuplicateCommittedLaterWithLowerID(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := db.Now()
		var city int64
		if err := d.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
			VALUES ('lower', 'Lower', 'DE', 'europe', 51, 6, 'member', $1, $1) RETURNING id`, now).Scan(&city); err != nil {
			t.Fatal(err)
		}
		s1, s2 := &voice.Store{DB: d}, &voice.Store{DB: d}
		cons, err := s1.SaveConsultation(ctx, audit.System("test"), 0, voice.ConsultationInput{CityID: city, Slug: "lower", Question: i18n.Text{"en": "Lower?"},
			SourceLang: "en", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour), RetentionDays: 1, Moderation: "after"})
		if err != nil {
			t.Fatal(err)
		}
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		w1, w2 := voice.NewWriter(wctx, s1), voice.NewWriter(wctx, s2)
		idea := func(text string) voice.Submission {
			return voice.Submission{ConsultationID: cons, Body: text, Lang: "en", Channel: voice.ChannelAPI, State: voice.StatePublished,
				Simhash: voice.Simhash(text)}
		}
		// The second server's transaction is held open after its insert.
		held, release := make(chan int, 1), make(chan struct{})
		voice.BeforeCommit(w2, func(tx *sql.Tx) {
			pid := 0
			if d.Dialect.Engine == db.Postgres {
				if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
					t.Error(err)
				}
			}
			held <- pid
			<-release
		})
		text := "More drinking fountains in every park of the city, above all in summer for children and older people"
		second := make(chan error, 1)
		go func() { _, err := w2.Submit(ctx, idea(text)); second <- err }()
		pid := <-held
		voice.BeforeCommit(w2, nil)
		first := make(chan error, 1)
		go func() { _, err := w1.Submit(ctx, idea("A night bus along the river on weekends")); first <- err }()
		// The first server commits its idea, or waits for the second's
		// transaction: either way the second's then commits.
		waits := func() bool {
			if d.Dialect.Engine != db.Postgres {
				return d.W.Stats().WaitCount > 0
			}
			var n int
			if err := d.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n > 0
		}
		var firstErr error
		for done := false; !done; {
			select {
			case firstErr = <-first:
				first, done = nil, true
			default:
				if done = waits(); !done {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
		close(release)
		if err := <-second; err != nil {
			t.Fatal(err)
		}
		if first != nil {
			firstErr = <-first
		}
		if firstErr != nil {
			t.Fatal(firstErr)
		}
		var lower, higher int64
		if err := d.R.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM voice_ideas WHERE consultation_id = $1`, cons).Scan(&lower, &higher); err != nil {
			t.Fatal(err)
		}
		acc, err := w1.Submit(ctx, idea(text+"!"))
		if err != nil {
			t.Fatal(err)
		}
		var flags string
		if err := d.R.QueryRowContext(ctx, `SELECT flags FROM voice_ideas WHERE id = $1`, acc.ID).Scan(&flags); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(flags, voice.FlagDuplicate) || acc.State != voice.StateWaiting {
			t.Fatalf("a near-duplicate of another server's idea committed later is not held: state %s, flags %q (ideas %d…%d)", acc.State, flags, lower, higher)
		}
	})
}
