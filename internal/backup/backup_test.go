package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/backup"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/demo"
	"observatory/internal/news"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// engines opens a new migrated database of each engine under test.
func engines() map[string]func(testing.TB) *db.DB {
	m := map[string]func(testing.TB) *db.DB{"sqlite": testutil.NewSQLite}
	if os.Getenv(testutil.PostgresEnv) != "" {
		m["postgres"] = testutil.NewPostgres
	}
	return m
}

// demoDB is a database of the given engine with the demo network loaded.
func demoDB(t *testing.T, open func(testing.TB) *db.DB) *db.DB {
	t.Helper()
	d := open(t)
	s := testutil.NewServer(t, d)
	if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
		t.Fatal(err)
	}
	return d
}

func archive(t *testing.T, d *db.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	st, err := backup.Backup(context.Background(), d, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(buf.Len()) || st.Rows == 0 || st.Tables == 0 {
		t.Fatalf("backup stats %+v for %d bytes", st, buf.Len())
	}
	return buf.Bytes()
}

func TestRoundTripAcrossEngines(t *testing.T) {
	ctx := context.Background()
	for srcName, openSrc := range engines() {
		src := demoDB(t, openSrc)
		data := archive(t, src)
		for dstName, openDst := range engines() {
			t.Run(srcName+"_to_"+dstName, func(t *testing.T) {
				dst := openDst(t)
				st, err := backup.Restore(ctx, dst, bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				if st.Indexed == 0 {
					t.Error("no practice was put in the search index")
				}
				sameRows(t, src, dst)
				sameSearch(t, src, dst)
				bundlesVerify(t, src, dst)
				acceptsNewRows(t, dst)
			})
		}
	}
}

// rows reads every row of every table, each as one line of values
// normalized so that equal values read the same on either engine.
func rows(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	ts, err := backup.Tables(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tb := range ts {
		cols := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			cols[i] = `"` + c + `"`
		}
		rs, err := d.R.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM "`+tb.Name+`"`)
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		lines := []string{}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				fmt.Fprintf(&b, "%s=%s|", tb.Columns[i], normalize(tb.Kinds[i], v))
			}
			lines = append(lines, b.String())
		}
		rs.Close()
		slices.Sort(lines)
		out[tb.Name] = lines
	}
	return out
}

func normalize(kind string, v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return "bytes:" + base64.StdEncoding.EncodeToString(x)
	case int64:
		if kind == "bool" {
			return fmt.Sprint(x != 0)
		}
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%v", v)
}

func sameRows(t *testing.T, src, dst *db.DB) {
	t.Helper()
	a, b := rows(t, src), rows(t, dst)
	if len(a) != len(b) {
		t.Errorf("tables: %d before, %d after", len(a), len(b))
	}
	for name, ra := range a {
		rb := b[name]
		if len(ra) != len(rb) {
			t.Errorf("table %s: %d rows before, %d after", name, len(ra), len(rb))
			continue
		}
		for i := range ra {
			if ra[i] != rb[i] {
				t.Errorf("table %s: row differs:\nbefore %s\nafter  %s", name, ra[i], rb[i])
				break
			}
		}
	}
	for _, name := range []string{"practices", "cities", "declaration_log", "users", "summits"} {
		if len(a[name]) == 0 {
			t.Errorf("the demo has no rows in %s: the comparison proves little", name)
		}
	}
}

func sameSearch(t *testing.T, src, dst *db.DB) {
	t.Helper()
	ctx := context.Background()
	found := 0
	for _, q := range []string{"integration", "jeunes", "wohnen", "dialogue", "Montréal", "school -youth"} {
		p := practice.Params{Q: q, Lang: "en", Size: practice.MaxPageSize, Page: 1}
		ra, err := practice.NewStore(src).Search(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := practice.NewStore(dst).Search(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(r *practice.Results) []int64 {
			var out []int64
			for _, it := range r.Items {
				out = append(out, it.ID)
			}
			slices.Sort(out)
			return out
		}
		if ra.Total != rb.Total || !slices.Equal(ids(ra), ids(rb)) {
			t.Errorf("search %q: %d hits %v before, %d hits %v after", q, ra.Total, ids(ra), rb.Total, ids(rb))
		}
		found += ra.Total
	}
	if found == 0 {
		t.Error("no search found anything in the demo: the comparison proves little")
	}
	// The news' full-text index is rebuilt as well.
	found = 0
	for _, q := range []string{"Partnerschaft", "UNESCO", "Düsseldorf"} {
		p := news.SearchParams{Q: q, Lang: "de", Page: 1, Size: 50}
		ra, err := (&news.Store{DB: src}).Search(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := (&news.Store{DB: dst}).Search(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if ra.Total != rb.Total || len(ra.Items) != len(rb.Items) {
			t.Errorf("news search %q: %d hits before, %d after", q, ra.Total, rb.Total)
		}
		found += ra.Total
	}
	if found == 0 {
		t.Error("no news search found anything in the demo")
	}
}

func bundlesVerify(t *testing.T, src, dst *db.DB) {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	rs, err := dst.R.QueryContext(ctx, `SELECT DISTINCT declaration_id FROM declaration_log ORDER BY declaration_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		ids = append(ids, id)
	}
	rs.Close()
	if len(ids) == 0 {
		t.Fatal("the restored database has no declaration log")
	}
	for _, id := range ids {
		before, bb, err := (&declaration.Store{DB: src}).VerifyStored(ctx, id, true)
		if err != nil {
			t.Fatal(err)
		}
		after, ba, err := (&declaration.Store{DB: dst}).VerifyStored(ctx, id, true)
		if err != nil {
			t.Fatal(err)
		}
		if !after.OK() || !before.OK() {
			t.Errorf("declaration %d: verification before %v, after %v", id, before.Problems, after.Problems)
		}
		if len(ba.Entries) == 0 || len(ba.Entries) != len(bb.Entries) || ba.Entries[len(ba.Entries)-1].Hash != bb.Entries[len(bb.Entries)-1].Hash {
			t.Errorf("declaration %d: %d entries before, %d after, or another head", id, len(bb.Entries), len(ba.Entries))
		}
	}
}

// acceptsNewRows: generated ids continue after the restored ones.
func acceptsNewRows(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	u, err := (&auth.Store{DB: d, Hasher: auth.NewHasher(0)}).Create(ctx, auth.NewUser{Email: "new.editor@example.org", Name: "New editor", Role: auth.RoleAdmin, Password: "a long enough passphrase"})
	if err != nil {
		t.Fatalf("creating an account after a restore: %v", err)
	}
	var maxID int64
	d.R.QueryRowContext(ctx, `SELECT MAX(id) FROM users WHERE id <> $1`, u.ID).Scan(&maxID)
	if u.ID <= maxID {
		t.Errorf("new account got id %d, restored ids go up to %d", u.ID, maxID)
	}
	var termID int64
	if err := d.W.QueryRowContext(ctx, `INSERT INTO practice_terms (kind, key, names, position, created_at)
		VALUES ('theme', 'restored-new', '{}', 99, $1) RETURNING id`, db.Now()).Scan(&termID); err != nil {
		t.Fatalf("adding a theme after a restore: %v", err)
	}
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRefusesNonEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			d := demoDB(t, open)
			data := archive(t, d)
			before := rows(t, d)
			_, err := backup.Restore(ctx, d, bytes.NewReader(data))
			if !errors.Is(err, backup.ErrNotEmpty) || !strings.Contains(err.Error(), "holds rows") {
				t.Fatalf("restore into a full database: %v", err)
			}
			after := rows(t, d)
			for tb := range before {
				if !slices.Equal(before[tb], after[tb]) {
					t.Errorf("table %s changed", tb)
				}
			}
		})
	}
}

// rewrite unpacks an archive, changes its lines and packs it again.
func rewrite(t *testing.T, data []byte, change func(lines []string) []string) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	lines := change(strings.Split(strings.TrimSuffix(string(plain), "\n"), "\n"))
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write([]byte(strings.Join(lines, "\n") + "\n"))
	w.Close()
	return buf.Bytes()
}

func TestRefusesDamagedArchive(t *testing.T) {
	ctx := context.Background()
	src := demoDB(t, testutil.NewSQLite)
	data := archive(t, src)
	lineOf := func(lines []string, prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line starts with %s", prefix)
		return -1
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"cut", data[:len(data)/2], "ends before its closing line"},
		{"lines lost", rewrite(t, data, func(l []string) []string { return l[:len(l)*2/3] }), "ends before its closing line"},
		{"row lost", rewrite(t, data, func(l []string) []string {
			i := lineOf(l, `{"table":"audit_log"`)
			return slices.Delete(l, i+1, i+2)
		}), "closing line counts"},
		{"bad value", rewrite(t, data, func(l []string) []string {
			i := lineOf(l, `{"table":"declaration_log"`)
			l[i+1] = strings.Replace(l[i+1], "[", `["x",`, 1)
			return l
		}), "damaged"},
		{"garbage", []byte("not an archive at all"), "not an observatory backup"},
		{"older schema", rewrite(t, data, func(l []string) []string {
			l[0] = strings.Replace(l[0], `"migration":`, `"migration":1`, 1)
			return l
		}), "schema version"},
	}
	for dstName, open := range engines() {
		for _, c := range cases {
			t.Run(dstName+"/"+c.name, func(t *testing.T) {
				d := open(t)
				terms := count(t, d, "practice_terms")
				_, err := backup.Restore(ctx, d, bytes.NewReader(c.data))
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("restore of a %s archive: %v; want %q", c.name, err, c.want)
				}
				if n := count(t, d, "cities") + count(t, d, "practices") + count(t, d, "users") + count(t, d, "declaration_log"); n != 0 {
					t.Errorf("a refused restore left %d rows", n)
				}
				if n := count(t, d, "practice_terms"); n != terms {
					t.Errorf("a refused restore changed the themes: %d rows, were %d", n, terms)
				}
				// And the same database takes the whole archive afterwards.
				if _, err := backup.Restore(ctx, d, bytes.NewReader(data)); err != nil {
					t.Fatalf("restore after a refused one: %v", err)
				}
			})
		}
	}
}

// A backup taken while writes go on holds one moment's state: the count
// of practices and of their events stay consistent with each other.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			src := demoDB(t, open)
			stop := make(chan struct{})
			done := make(chan error)
			go func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						done <- nil
						return
					default:
					}
					// Two tables written in one transaction: a torn read would show one without the other.
					err := src.Tx(ctx, func(tx *sql.Tx) error {
						if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, 'x')`, fmt.Sprint("k", i)); err != nil {
							return err
						}
						_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, action, target) VALUES ($1, 'test.write', $2)`, db.Now(), fmt.Sprint("k", i))
						return err
					})
					if err != nil {
						done <- err
						return
					}
				}
			}()
			var data []byte
			for range 3 {
				data = archive(t, src)
			}
			close(stop)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			dst := testutil.NewSQLite(t)
			if _, err := backup.Restore(ctx, dst, bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			var settings, audits int
			dst.R.QueryRow(`SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'`).Scan(&settings)
			dst.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'test.write'`).Scan(&audits)
			if settings != audits {
				t.Errorf("the archive holds %d settings and %d audit rows written together", settings, audits)
			}
		})
	}
}
