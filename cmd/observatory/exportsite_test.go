package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export-site copies a database's public site to a directory in the
// languages asked for; a language it does not know is a usage error.
func TestExportSite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	if _, stderr, code := run(t, "", "seed", "--demo", "--db", db); code != 0 {
		t.Fatalf("seed: %d %s", code, stderr)
	}
	dir := t.TempDir()
	out, stderr, code := run(t, "", "export-site", "--db", db, "--lang", "fr", dir)
	if code != 0 || !strings.Contains(out, "files written") {
		t.Fatalf("export-site: %d\n%s\n%s", code, out, stderr)
	}
	for _, f := range []string{"fr/index.html", "fr/practices/index.html", "data/observatory-data.zip", "static"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the copy lacks %s", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "de")); err == nil {
		t.Error("German was copied though only French was asked for")
	}
	if _, stderr, code := run(t, "", "export-site", "--db", db, "--lang", "xx", dir); code != 2 || !strings.Contains(stderr, `"xx"`) {
		t.Errorf("--lang xx: exit %d, %s", code, stderr)
	}
	if _, _, code := run(t, "", "export-site", "--db", db); code != 2 {
		t.Errorf("no directory: exit %d", code)
	}
}
