package testutil

import (
	"context"
	"os"
	"testing"

	"observatory/internal/db"
)

// EachCountingDB is EachDB with databases that count their statements
// (OpenCounting): compare Statements(d) before and after a request to
// show that a list page runs as many statements for 50 items as for 10.
func EachCountingDB(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openCounting(t, SQLiteDSN(t))) })
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, openCounting(t, PostgresDSN(t))) })
	}
}

func openCounting(t testing.TB, dsn string) *db.DB {
	t.Helper()
	d, err := OpenCounting(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}
