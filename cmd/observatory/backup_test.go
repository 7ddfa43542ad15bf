package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"observatory/internal/testutil"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	for name, src := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			if _, stderr, code := run(t, "", "seed", "--demo", "--db", src); code != 0 {
				t.Fatalf("seed: %s", stderr)
			}
			file := filepath.Join(t.TempDir(), "network.jsonl.gz")
			out, stderr, code := run(t, "", "backup", "--db", src, file)
			if code != 0 || !strings.Contains(out, "tables") || !strings.Contains(out, "rows") {
				t.Fatalf("backup: exit %d, %s%s", code, out, stderr)
			}
			if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("archive: %v %v", fi, err)
			}
			_, stderr, code = run(t, "", "backup", "--db", src, file)
			if code != 1 || !strings.Contains(stderr, "--force") {
				t.Errorf("backup over an existing file: exit %d, %s", code, stderr)
			}
			if _, stderr, code = run(t, "", "backup", "--db", src, file, "--force"); code != 0 {
				t.Errorf("backup --force: exit %d, %s", code, stderr)
			}

			targets := map[string]string{"sqlite": testutil.SQLiteDSN(t)}
			if os.Getenv(testutil.PostgresEnv) != "" {
				targets["postgres"] = testutil.PostgresDSN(t)
			}
			for to, dst := range targets {
				out, stderr, code := run(t, "", "restore", "--db", dst, file)
				if code != 0 || !strings.Contains(out, "practices indexed") {
					t.Fatalf("restore into %s: exit %d, %s%s", to, code, out, stderr)
				}
				_, stderr, code = run(t, "", "restore", "--db", dst, file)
				if lines := strings.Split(strings.TrimSpace(stderr), "\n"); code != 1 || len(lines) != 1 || !strings.Contains(stderr, "not empty") {
					t.Errorf("second restore into %s: exit %d, %q", to, code, stderr)
				}
				if out, stderr, code := run(t, "", "user", "list", "--db", dst); code != 0 || !strings.Contains(out, "admin@observatory.example") {
					t.Errorf("accounts after restore into %s: %s%s", to, out, stderr)
				}
			}

			_, stderr, code = run(t, "", "restore", "--db", testutil.SQLiteDSN(t), filepath.Join(t.TempDir(), "missing.gz"))
			if code != 1 || !strings.Contains(stderr, "cannot read") {
				t.Errorf("restore of a missing file: exit %d, %s", code, stderr)
			}
			if _, _, code = run(t, "", "restore"); code != 2 {
				t.Errorf("restore without a file: exit %d, want 2", code)
			}
		})
	}
}
