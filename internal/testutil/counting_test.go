package testutil_test

import (
	"context"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

func TestStatementCounter(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		before := testutil.Statements(d)
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id > $1`, 0).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)`, "k", "v"); err != nil {
			t.Fatal(err)
		}
		st, err := d.W.PrepareContext(ctx, `SELECT value FROM settings WHERE key = $1`)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for range 3 {
			var v string
			if err := st.QueryRowContext(ctx, "k").Scan(&v); err != nil || v != "v" {
				t.Fatalf("prepared: %q %v", v, err)
			}
		}
		if got := testutil.Statements(d) - before; got != 5 {
			t.Errorf("counted %d statements, want 5", got)
		}
	})
}
