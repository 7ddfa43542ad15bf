package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/jobs"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

// Three servers asking at once to run a Once job: exactly one runs it; the
// holder may run it again in the next period, the others not before the
// lease ends.
func TestOnceJobRunsOnOneServer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var runs atomic.Int32
		j := web.Job{Name: "test.once", Every: time.Hour, Once: true, Run: func(context.Context) error {
			runs.Add(1)
			return nil
		}}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		servers := []*jobs.Runner{{DB: d, Log: log, Holder: "a"}, {DB: d, Log: log, Holder: "b"}, {DB: d, Log: log, Holder: "c"}}
		var wg sync.WaitGroup
		for _, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.RunOnce(ctx, j); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := runs.Load(); n != 1 {
			t.Fatalf("the job ran %d times across three servers, want 1", n)
		}
		var holder string
		if err := d.R.QueryRowContext(ctx, `SELECT holder FROM job_leases WHERE name = 'test.once'`).Scan(&holder); err != nil {
			t.Fatal(err)
		}
		for _, s := range servers {
			if err := s.RunOnce(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		if n := runs.Load(); n != 2 {
			t.Fatalf("after a second round the job ran %d times, want 2 (only the holder %s renews)", n, holder)
		}
		// A job that is not Once runs on every server.
		j.Once, j.Name = false, "test.each"
		for _, s := range servers {
			if err := s.RunOnce(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		if n := runs.Load(); n != 5 {
			t.Fatalf("an every-server job ran %d times in all, want 5", n)
		}
	})
}

// A job without a period (a warm-up) runs once, at start, on every server.
func TestJobWithoutPeriodRunsAtStart(t *testing.T) {
	d := testutil.NewSQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{})
	rn := &jobs.Runner{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rn.Start(ctx, []web.Job{{Name: "test.warm", Run: func(context.Context) error {
		close(ran) // a second run would panic here
		return nil
	}}})
	<-ran
}
