package db_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Every committed transaction advances the data version, a rolled back
// one does not, and every caller sees at least the version of the last
// write finished before it asked, however many ask at once.
func TestDataVersionFollowsEveryCommit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v0, err := d.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		write := func(fail bool) {
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, 'v') ON CONFLICT (key) DO UPDATE SET value = excluded.value`, "k"); err != nil {
					return err
				}
				if fail {
					return errors.New("no")
				}
				return nil
			})
			if (err != nil) != fail {
				t.Fatalf("write (fail %v): %v", fail, err)
			}
		}
		write(true)
		if v, _ := d.DataVersion(ctx); v != v0 {
			t.Errorf("a rolled back transaction moved the version from %d to %d", v0, v)
		}
		last := v0
		for range 20 {
			write(false)
			var wg sync.WaitGroup
			got := make([]int64, 8)
			for i := range got {
				wg.Go(func() {
					v, err := d.DataVersion(ctx)
					if err != nil {
						t.Error(err)
					}
					got[i] = v
				})
			}
			wg.Wait()
			for _, v := range got {
				if v <= last {
					t.Fatalf("after a commit a reader saw %d, not past %d", v, last)
				}
			}
			last = got[0]
		}
		if err := d.Bump(ctx); err != nil {
			t.Fatal(err)
		}
		if v, _ := d.DataVersion(ctx); v <= last {
			t.Errorf("Bump left the version at %d", v)
		}
	})
}

// A committed transaction that changed no row (a job that found nothing
// due) leaves the version, so kept pages stay valid; one changed row in
// it, through a trigger's table or not, moves it.
func TestDataVersionStaysWithoutChanges(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		version := func() int64 {
			v, err := d.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		run := func(q string, args ...any) {
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&n); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		v0 := version()
		run(`UPDATE settings SET value = 'x' WHERE key = $1`, "no such key")
		run(`DELETE FROM settings WHERE key = $1`, "no such key")
		run(`INSERT INTO settings (key, value) VALUES ($1, 'v') ON CONFLICT (key) DO NOTHING`, "kept")
		v1 := version()
		if v1 == v0 {
			t.Fatalf("inserting a row left the version at %d", v0)
		}
		run(`INSERT INTO settings (key, value) VALUES ($1, 'v') ON CONFLICT (key) DO NOTHING`, "kept")
		run(`UPDATE settings SET value = 'x' WHERE key = $1`, "no such key")
		if v := version(); v != v1 {
			t.Errorf("transactions that changed nothing moved the version from %d to %d", v1, v)
		}
		run(`UPDATE settings SET value = 'w' WHERE key = $1`, "kept")
		if v := version(); v == v1 {
			t.Errorf("an update left the version at %d", v)
		}
	})
}
