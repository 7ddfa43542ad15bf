package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// keyRow is one line of `observatory keys list`.
type keyRow struct{ id, state, from, until, entries, pub string }

func listKeys(t *testing.T, dsn string) []keyRow {
	t.Helper()
	out, stderr, code := run(t, "", "keys", "list", "--db", dsn)
	if code != 0 {
		t.Fatalf("keys list: exit %d, %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "ID ") {
		t.Fatalf("keys list: no header in %q", out)
	}
	var rows []keyRow
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 6 {
			t.Fatalf("keys list: line %q has %d columns, want 6", l, len(f))
		}
		rows = append(rows, keyRow{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
	return rows
}

// keysFixture is a declaration open for signature and two cities.
type keysFixture struct {
	d      *db.DB
	st     *declaration.Store
	id     int64
	hash   string
	cities []int64
}

func newKeysFixture(t *testing.T, dsn string) *keysFixture {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f := &keysFixture{d: d, st: &declaration.Store{DB: d}}
	for _, c := range []struct{ slug, name, country string }{{"lisbon", "Lisboa", "PT"}, {"lyon", "Lyon", "FR"}} {
		var id int64
		if err := d.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
			VALUES ($1, $2, $3, 'europe', 45, 5, 'member', $4, $4) RETURNING id`, c.slug, c.name, c.country, db.Now()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.cities = append(f.cities, id)
	}
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if f.id, err = f.st.Create(ctx, tx, declaration.Input{Authoritative: "fr", Texts: declaration.Texts{
			"fr": {Title: "Déclaration de Lisbonne", Body: "Nous nous engageons pour le vivre-ensemble."},
			"en": {Title: "Lisbon Declaration", Body: "We commit to living together."}}}); err != nil {
			return err
		}
		if _, err := f.st.Publish(ctx, tx, f.id, time.Time{}); err != nil {
			return err
		}
		return f.st.SetStatus(ctx, tx, f.id, declaration.StatusOpen)
	})
	if err != nil {
		t.Fatal(err)
	}
	decl, err := f.st.Get(ctx, f.id, false)
	if err != nil {
		t.Fatal(err)
	}
	f.hash = decl.Current().Hash
	return f
}

func (f *keysFixture) sign(t *testing.T, city int, signer string) *declaration.Entry {
	t.Helper()
	ctx := context.Background()
	var e *declaration.Entry
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = f.st.Sign(ctx, tx, declaration.SignInput{Declaration: f.id, Version: 1, VersionHash: f.hash, Lang: "en",
			CityID: f.cities[city], Signer: signer, Role: declaration.RoleMayor, Mode: declaration.ModeInPerson, Place: "Câmara Municipal"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *keysFixture) bundle(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := f.st.Bundle(context.Background(), f.id, "https://observatory.example")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// An operator lists, rotates and exports the signing keys from the command
// line; what was signed before a rotation keeps verifying after it.
func TestKeysCommands(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if _, stderr, code := run(t, "", "migrate", "--db", dsn); code != 0 {
				t.Fatalf("migrate: exit %d, %s", code, stderr)
			}
			// A migrated database has no key yet; list creates the first,
			// as the server does when it starts, and only once.
			keys := listKeys(t, dsn)
			if len(keys) != 1 || keys[0].state != "current" || keys[0].until != "-" || keys[0].entries != "0" {
				t.Fatalf("keys on a fresh database: %+v", keys)
			}
			first := keys[0]
			if again := listKeys(t, dsn); len(again) != 1 || again[0] != first {
				t.Fatalf("a second list changed the keys: %+v", again)
			}

			f := newKeysFixture(t, dsn)
			if e := f.sign(t, 0, "Carlos Moedas"); e.Key != first.id {
				t.Fatalf("signed with key %s before the rotation, want %s", e.Key, first.id)
			}
			before := f.bundle(t, dir, "before.json")

			out, stderr, code := run(t, "", "keys", "rotate", "--db", dsn)
			if code != 0 || !strings.Contains(out, "key "+first.id+" was retired at ") {
				t.Fatalf("rotate: exit %d, stdout %q, stderr %q", code, out, stderr)
			}
			keys = listKeys(t, dsn)
			if len(keys) != 2 {
				t.Fatalf("after the rotation: %+v", keys)
			}
			old, cur := keys[0], keys[1]
			if old.id != first.id || old.state != "retired" || old.until == "-" || old.from != first.from || old.pub != first.pub || old.entries != "2" {
				t.Errorf("the old key after the rotation: %+v (was %+v; it signed the publication and one signature)", old, first)
			}
			if cur.id == first.id || cur.state != "current" || cur.until != "-" || cur.entries != "0" || cur.from != old.until {
				t.Errorf("the new key: %+v (old key retired at %s)", cur, old.until)
			}
			if !strings.Contains(out, "Signing key "+cur.id+" is now in use") {
				t.Errorf("rotate does not name the new key %s: %q", cur.id, out)
			}

			// The rotation is in the audit log, as the admin page records it.
			entries, err := audit.List(context.Background(), f.d, audit.Filter{Action: "declaration.key.rotate"})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Target != "key:"+cur.id || entries[0].IP != "cli" || !strings.Contains(entries[0].Detail, "command line") ||
				!strings.Contains(entries[0].Detail, first.id) {
				t.Errorf("audit log: %+v", entries)
			}

			if e := f.sign(t, 1, "Grégory Doucet"); e.Key != cur.id {
				t.Fatalf("signed with key %s after the rotation, want %s", e.Key, cur.id)
			}
			after := f.bundle(t, dir, "after.json")

			// The exported set holds both keys, the old one with the end of
			// its validity, and is what the server publishes.
			exported, stderr, code := run(t, "", "keys", "export-public", "--db", dsn)
			if code != 0 {
				t.Fatalf("export-public: exit %d, %s", code, stderr)
			}
			var set declaration.KeySet
			if err := json.Unmarshal([]byte(exported), &set); err != nil {
				t.Fatalf("export-public printed no key set: %v\n%s", err, exported)
			}
			if len(set.Keys) != 2 || set.Keys[0].ID != old.id || set.Keys[0].PublicKey != old.pub || set.Keys[0].ValidUntil == nil ||
				*set.Keys[0].ValidUntil != old.until || set.Keys[1].ID != cur.id || set.Keys[1].ValidUntil != nil {
				t.Errorf("exported keys: %+v", set.Keys)
			}
			srv := testutil.NewServer(t, f.d).Client()
			for _, path := range []string{"/.well-known/observatory-keys.json", "/api/v1/keys"} {
				if res := srv.Get(path).Expect(t, 200); res.Body != exported {
					t.Errorf("%s differs from export-public:\n%s\n---\n%s", path, res.Body, exported)
				}
			}
			keysFile := filepath.Join(dir, "keys.json")
			if err := os.WriteFile(keysFile, []byte(exported), 0o600); err != nil {
				t.Fatal(err)
			}

			// Entries signed before and after the rotation verify against
			// the exported keys, and so does the bundle saved before it.
			out, stderr, code = run(t, "", "verify", "--keys", keysFile, after)
			used := []string{old.id, cur.id}
			sort.Strings(used) // the verifier names them in that order
			if code != 0 || !strings.Contains(out, "3 log entries") || !strings.Contains(out, "key(s) "+strings.Join(used, ", ")+", all among the given published keys") {
				t.Errorf("bundle after the rotation: exit %d\n%s%s", code, out, stderr)
			}
			if out, stderr, code = run(t, "", "verify", "--keys", keysFile, before); code != 0 || !strings.Contains(out, "2 log entries") {
				t.Errorf("bundle saved before the rotation: exit %d\n%s%s", code, out, stderr)
			}

			// A second rotation retires the second key; one key is current.
			if _, stderr, code := run(t, "", "keys", "rotate", "--db", dsn); code != 0 {
				t.Fatalf("second rotate: exit %d, %s", code, stderr)
			}
			keys = listKeys(t, dsn)
			current := 0
			for _, k := range keys {
				if k.state == "current" {
					current++
				}
			}
			if len(keys) != 3 || current != 1 || keys[1].id != cur.id || keys[1].state != "retired" || keys[2].state != "current" {
				t.Errorf("after two rotations: %+v", keys)
			}
		})
	}
}

func TestKeysUsageAndFailures(t *testing.T) {
	for _, args := range [][]string{{"keys"}, {"keys", "forget"}, {"keys", "list", "extra"}, {"keys", "rotate", "--no-such-flag"}} {
		// A wrong flag also prints the flags, as for every command; the
		// last line says what was wrong.
		_, stderr, code := run(t, "", args...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != 2 || !strings.HasPrefix(lines[len(lines)-1], "observatory keys: ") || strings.Contains(stderr, "panic") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, code, stderr)
		}
	}
	for _, action := range []string{"list", "rotate", "export-public"} {
		out, stderr, code := run(t, "", "keys", action, "--db", "mysql://localhost/x")
		if code != 1 || out != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
			!strings.Contains(stderr, "only SQLite file paths and postgres:// URLs are supported") {
			t.Errorf("keys %s on a bad database: exit %d, stdout %q, stderr %q", action, code, out, stderr)
		}
	}
}
