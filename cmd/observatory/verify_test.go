package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// signedBundles builds a real bundle (good): a declaration published,
// signed by two cities, one of which withdrew; and the bundle as it was
// downloaded before the withdrawal (old: entries 1–3 of 4).
func signedBundles(t *testing.T) (old, good []byte) {
	t.Helper()
	ctx := context.Background()
	d := testutil.NewSQLite(t)
	st := &declaration.Store{DB: d}
	var cities []int64
	for _, c := range []struct{ slug, name, country string }{{"dusseldorf", "Düsseldorf", "DE"}, {"warsaw", "Warsaw", "PL"}} {
		var id int64
		if err := d.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
			VALUES ($1, $2, $3, 'europe', 50, 10, 'member', $4, $4) RETURNING id`, c.slug, c.name, c.country, db.Now()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		cities = append(cities, id)
	}
	var id int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = st.Create(ctx, tx, declaration.Input{Authoritative: "de", Texts: declaration.Texts{
			"de": {Title: "Düsseldorfer Erklärung", Body: "Wir verpflichten uns zum Zusammenleben."},
			"en": {Title: "Düsseldorf Declaration", Body: "We commit to living together."}}}); err != nil {
			return err
		}
		if _, err := st.Publish(ctx, tx, id, time.Time{}); err != nil {
			return err
		}
		return st.SetStatus(ctx, tx, id, declaration.StatusOpen)
	})
	if err != nil {
		t.Fatal(err)
	}
	decl, err := st.Get(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	v := decl.Current()
	for i, signer := range []string{"Thomas Geisel", "Michał Olszewski"} {
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := st.Sign(ctx, tx, declaration.SignInput{Declaration: id, Version: 1, VersionHash: v.Hash, Lang: "en", CityID: cities[i],
				Signer: signer, Role: declaration.RoleMayor, Mode: declaration.ModeInPerson, Place: "Tonhalle Düsseldorf"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	ob, err := st.Bundle(ctx, id, "https://observatory.example")
	if err != nil {
		t.Fatal(err)
	}
	if old, err = json.MarshalIndent(ob, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := st.Withdraw(ctx, tx, declaration.WithdrawInput{Declaration: id, CityID: cities[1], Signer: "Michał Olszewski", Role: declaration.RoleDeputyMayor})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b, err := st.Bundle(ctx, id, "https://observatory.example")
	if err != nil {
		t.Fatal(err)
	}
	if good, err = json.MarshalIndent(b, "", "  "); err != nil {
		t.Fatal(err)
	}
	return old, good
}

func TestVerifyCommand(t *testing.T) {
	old, good := signedBundles(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	okFile := write("good.json", good)
	out, errOut, code := run(t, "", "verify", okFile)
	if code != 0 || !strings.Contains(out, "VALID: declaration") || !strings.Contains(out, "4 log entries") ||
		!strings.Contains(out, "1 active signature(s) from 1 country(ies), 1 withdrawal(s)") {
		t.Fatalf("good bundle: exit %d\n%s%s", code, out, errOut)
	}
	// The same from standard input.
	if _, _, code := run(t, string(good), "verify", "-"); code != 0 {
		t.Fatalf("from stdin: exit %d", code)
	}

	for name, c := range map[string]struct{ from, to, want string }{
		"signer":         {"Thomas Geisel", "Thomas Geiselx", "entry 2: the signature does not match the entry"},
		"text":           {"We commit to living together.", "We commit to nothing.", "entry 1: the text of version 1 is not the text whose hash was signed here"},
		"place of entry": {`"place": "Tonhalle Düsseldorf"`, `"place": "Rathaus"`, "entry 2: the signature does not match"},
	} {
		if !strings.Contains(string(good), c.from) {
			t.Fatalf("%s: the bundle lacks %q", name, c.from)
		}
		bad := write(name+".json", []byte(strings.Replace(string(good), c.from, c.to, 1)))
		out, errOut, code := run(t, "", "verify", bad)
		if code != 1 || !strings.Contains(errOut, "NOT VALID: "+c.want) {
			t.Errorf("%s: exit %d, stderr %q, stdout %q", name, code, errOut, out)
		}
	}

	// Entries taken out of the middle break the chain.
	var b declaration.Bundle
	if err := json.Unmarshal(good, &b); err != nil {
		t.Fatal(err)
	}
	b.Entries = append(b.Entries[:1], b.Entries[2:]...)
	cut, _ := json.Marshal(b)
	if _, errOut, code := run(t, "", "verify", write("cut.json", cut)); code != 1 || !strings.Contains(errOut, "entry 2:") {
		t.Errorf("entry removed: exit %d, %s", code, errOut)
	}

	// The last entries cut off: the signed checkpoint says how many there are.
	if err := json.Unmarshal(good, &b); err != nil {
		t.Fatal(err)
	}
	b.Entries = b.Entries[:2]
	short, _ := json.Marshal(b)
	if _, errOut, code := run(t, "", "verify", write("short.json", short)); code != 1 || !strings.Contains(errOut, "NOT VALID: entries are missing") {
		t.Errorf("last entries cut off: exit %d, %s", code, errOut)
	}
	if !strings.Contains(out, "complete as of entry 4, signed at") {
		t.Errorf("the good bundle's summary does not say how far it is complete:\n%s", out)
	}
	// Compared with the platform's current bundle.
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(good) }))
	defer platform.Close()
	if out, errOut, code := run(t, "", "verify", "--against", platform.URL+"/api/v1/declarations/1/bundle", okFile); code != 0 ||
		!strings.Contains(out, "the same as the platform's current record") {
		t.Errorf("--against the platform: exit %d %s %s", code, out, errOut)
	}
	// A bundle downloaded before the withdrawal is valid on its own, and
	// --against names the entry the platform recorded since.
	oldFile := write("old.json", old)
	if out, errOut, code := run(t, "", "verify", oldFile); code != 0 || !strings.Contains(out, "complete as of entry 3, signed at") {
		t.Errorf("the older bundle alone: exit %d %s %s", code, out, errOut)
	}
	out, errOut, code = run(t, "", "verify", "--against", platform.URL+"/api/v1/declarations/1/bundle", oldFile)
	if code != 1 || !strings.Contains(out, "has 4 entries; this bundle ends at entry 3") ||
		!strings.Contains(out, "missing entry 4: the withdrawal of Warsaw's signature") || !strings.Contains(errOut, "NOT COMPLETE") {
		t.Errorf("--against with an older bundle: exit %d\n%s%s", code, out, errOut)
	}
	// The older bundle cut by one more entry is refused before any comparison.
	if err := json.Unmarshal(old, &b); err != nil {
		t.Fatal(err)
	}
	b.Entries = b.Entries[:2]
	short, _ = json.Marshal(b)
	if _, errOut, code := run(t, "", "verify", "--against", platform.URL+"/api/v1/declarations/1/bundle", write("old-short.json", short)); code != 1 ||
		!strings.Contains(errOut, "NOT VALID: entries are missing") {
		t.Errorf("cut older bundle: exit %d %s", code, errOut)
	}
	if err := json.Unmarshal(good, &b); err != nil {
		t.Fatal(err)
	}

	// Pinned keys: the platform's own pass, any other key fails.
	keys, _ := json.Marshal(map[string]any{"keys": b.Keys})
	if out, errOut, code := run(t, "", "verify", "--keys", write("keys.json", keys), okFile); code != 0 || !strings.Contains(out, "among the given published keys") {
		t.Errorf("with the published keys: exit %d %s %s", code, out, errOut)
	}
	other := b.Keys[0]
	other.PublicKey = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="
	keys, _ = json.Marshal(map[string]any{"keys": []declaration.PublicKey{other}})
	if _, errOut, code := run(t, "", "verify", "--keys", write("other-keys.json", keys), okFile); code != 1 || !strings.Contains(errOut, "entry 1:") {
		t.Errorf("with other keys: exit %d %s", code, errOut)
	}

	if _, errOut, code := run(t, "", "verify", write("junk.json", []byte("{junk"))); code != 1 || !strings.Contains(errOut, "NOT VALID") {
		t.Errorf("junk: exit %d %s", code, errOut)
	}
	if _, _, code := run(t, "", "verify"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}
