package db_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

func TestMigrateIsIdempotent(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		n, err := d.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate: applied %d, err %v", n, err)
		}
		st, err := d.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if m.AppliedAt == nil {
				t.Errorf("migration %d not applied", m.Version)
			}
		}
	})
}

// Two app servers starting together on one database must not both migrate.
func TestConcurrentMigrateAppliesOnce(t *testing.T) {
	dsns := map[string]func(testing.TB) string{"sqlite": testutil.SQLiteDSN, "postgres": testutil.PostgresDSN}
	for name, mk := range dsns {
		t.Run(name, func(t *testing.T) {
			dsn := mk(t)
			ctx := context.Background()
			var wg sync.WaitGroup
			counts := make([]int, 4)
			errs := make([]error, 4)
			for i := range counts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d, err := db.Open(ctx, dsn)
					if err != nil {
						errs[i] = err
						return
					}
					defer d.Close()
					counts[i], errs[i] = d.Migrate(ctx)
				}()
			}
			wg.Wait()
			total := 0
			for i := range counts {
				if errs[i] != nil {
					t.Fatalf("server %d: %v", i, errs[i])
				}
				total += counts[i]
			}
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ms, _ := d.Migrations()
			if total != len(ms) {
				t.Fatalf("migrations applied %d times in all, want %d", total, len(ms))
			}
		})
	}
}

func TestTimesAndConstraints(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := db.Now()
		_, err := d.W.ExecContext(ctx, `INSERT INTO users (email, name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			"a@example.org", "A", "admin", now)
		if err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := d.R.QueryRowContext(ctx, `SELECT created_at FROM users WHERE email = $1`, "a@example.org").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(now) {
			t.Errorf("time round trip: got %v, want %v", got, now)
		}
		var n int
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE created_at < $1`, now.Add(time.Second)).Scan(&n)
		if n != 1 {
			t.Errorf("time comparison found %d rows, want 1", n)
		}
		_, err = d.W.ExecContext(ctx, `INSERT INTO users (email, name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			"a@example.org", "B", "admin", now)
		if !db.IsUniqueViolation(err) {
			t.Errorf("duplicate e-mail: got %v, want a unique violation", err)
		}
		_, err = d.W.ExecContext(ctx, `INSERT INTO users (email, name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			"b@example.org", "B", "emperor", now)
		if err == nil {
			t.Error("a role outside the list was accepted")
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for dsn, want := range map[string]string{
		"":                                     "no database given",
		"mysql://x":                            "only SQLite file paths and postgres:// URLs",
		"postgres://nobody@127.0.0.1:1/none":   "cannot reach PostgreSQL at postgres://nobody@127.0.0.1:1/none",
		"postgres://u:secret@127.0.0.1:1/none": "postgres://u:xxxxx@127.0.0.1:1/none",
		"/proc/definitely/not/writable/obs.db": "cannot create the folder",
	} {
		_, err := db.Open(ctx, dsn)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%q) = %v, want one line containing %q", dsn, err, want)
		}
	}
}

// SQLite's read connections keep a smaller page cache than the writer's:
// every connection has its own, and the operating system caches the file.
func TestSQLiteReaderCache(t *testing.T) {
	d, err := db.Open(context.Background(), testutil.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var r, w int
	if err := d.R.QueryRow(`PRAGMA cache_size`).Scan(&r); err != nil {
		t.Fatal(err)
	}
	if err := d.W.QueryRow(`PRAGMA cache_size`).Scan(&w); err != nil {
		t.Fatal(err)
	}
	if r != -512 || w != -2000 {
		t.Errorf("cache_size: readers %d, writer %d; want -512 (512 KiB) and SQLite's -2000", r, w)
	}
}
