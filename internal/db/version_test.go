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
