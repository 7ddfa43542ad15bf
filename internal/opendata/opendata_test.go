package opendata_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/i18n"
	"observatory/internal/jobs"
	"observatory/internal/news"
	"observatory/internal/opendata"
	"observatory/internal/testutil"
)

// archive is the downloaded ZIP: each file's bytes by name.
type archive map[string][]byte

func download(t *testing.T, c *testutil.Client) (archive, string) {
	t.Helper()
	res := c.Get("/data/"+opendata.ArchiveName).Expect(t, http.StatusOK)
	zr, err := zip.NewReader(strings.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	a := archive{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		a[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return a, res.Header.Get("ETag")
}

// rows reads a dataset's CSV: its header and rows.
func (a archive) rows(t *testing.T, name string) ([]string, [][]string) {
	t.Helper()
	data, ok := a[name+".csv"]
	if !ok {
		t.Fatalf("the archive lacks %s.csv", name)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s.csv: %v", name, err)
	}
	return recs[0], recs[1:]
}

// column is one column of a dataset's CSV.
func (a archive) column(t *testing.T, name, col string) []string {
	head, rows := a.rows(t, name)
	i := slices.Index(head, col)
	if i < 0 {
		t.Fatalf("%s.csv has no column %s", name, col)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r[i])
	}
	return out
}

func ids(t *testing.T, d *db.DB, q string) []string {
	t.Helper()
	rows, err := d.R.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// The ZIP holds every dataset as CSV and JSON with a datapackage.json that
// describes every column; its CSV rows are what the public API lists; it
// holds nothing unpublished and no e-mail address; and it is built once per
// data version.
func TestArchive(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
			t.Fatal(err)
		}
		// A draft beside the demo's published news (a draft is never public).
		draft, err := s.App.News.Store.Create(context.Background(), audit.System("test"), news.Input{Lang: "en",
			Title: "Unpublished draft about the harbour", Lead: "Not yet", Body: "Still being written", DatedOn: "2026-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		a, etag := download(t, c)
		for file, data := range a {
			if bytes.Contains(data, []byte("Unpublished draft about the harbour")) {
				t.Errorf("%s holds the draft news item %d", file, draft)
			}
		}

		// The package describes every file's every column.
		var pkg struct {
			Profile   string `json:"profile"`
			Licenses  []struct{ Name string }
			Resources []struct {
				Name, Path string
				Schema     struct {
					Fields []struct{ Name, Type, Description string }
				}
			}
		}
		if err := json.Unmarshal(a["datapackage.json"], &pkg); err != nil {
			t.Fatal(err)
		}
		if pkg.Profile != "tabular-data-package" || len(pkg.Licenses) != 1 || pkg.Licenses[0].Name != "CC-BY-4.0" {
			t.Errorf("package %+v", pkg)
		}
		names := map[string]bool{}
		for _, r := range pkg.Resources {
			names[r.Name] = true
			head, _ := a.rows(t, r.Name)
			var fields []string
			for _, f := range r.Schema.Fields {
				fields = append(fields, f.Name)
				if f.Description == "" || strings.HasPrefix(f.Description, "data.col.") || f.Type == "" {
					t.Errorf("%s.%s is not described: %+v", r.Name, f.Name, f)
				}
			}
			if !slices.Equal(head, fields) {
				t.Errorf("%s.csv has columns %v, the package says %v", r.Name, head, fields)
			}
			var js struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(a[r.Name+".json"], &js); err != nil {
				t.Fatalf("%s.json: %v", r.Name, err)
			}
			if _, rows := a.rows(t, r.Name); len(rows) != len(js.Items) {
				t.Errorf("%s: %d CSV rows, %d JSON items", r.Name, len(rows), len(js.Items))
			}
		}
		for _, want := range []string{"cities", "city_texts", "partnerships", "representatives", "practices", "practice_texts",
			"summits", "summit_texts", "summit_sessions", "summit_participants", "declarations", "declaration_texts",
			"declaration_signatures", "declaration_log", "consultations", "ideas", "news", "news_texts", "figures"} {
			if !names[want] {
				t.Errorf("the package lacks %s", want)
			}
		}

		// As many rows as the public API lists.
		count := func(name string) int { _, rows := a.rows(t, name); return len(rows) }
		for name, path := range map[string]string{"cities": "/api/v1/cities?status=all", "summits": "/api/v1/summits",
			"declarations": "/api/v1/declarations", "practices": "/api/v1/practices", "news": "/api/v1/news",
			"consultations": "/api/v1/consultations"} {
			if n, api := count(name), len(c.APIItems(path)); n != api || n == 0 {
				t.Errorf("%s.csv has %d rows, the API lists %d", name, n, api)
			}
		}
		ideas, sessions, people := 0, 0, 0
		for _, k := range c.APIItems("/api/v1/consultations") {
			ideas += len(c.APIItems(fmt.Sprintf("/api/v1/ideas?consultation=%v", k["id"])))
		}
		for _, sm := range c.APIItems("/api/v1/summits") {
			var full struct{ Sessions, Participants []any }
			json.Unmarshal([]byte(c.Get(fmt.Sprintf("/api/v1/summits/%v", sm["id"])).Body), &full)
			sessions += len(full.Sessions)
			people += len(full.Participants)
		}
		for name, api := range map[string]int{"ideas": ideas, "summit_sessions": sessions, "summit_participants": people} {
			if n := count(name); n != api || n == 0 {
				t.Errorf("%s.csv has %d rows, the API lists %d", name, n, api)
			}
		}

		// Nothing unpublished, nobody's e-mail address, no staff.
		for name, q := range map[string]string{
			"practices": `SELECT CAST(id AS TEXT) FROM practices WHERE state <> 'published'`,
			"ideas":     `SELECT CAST(id AS TEXT) FROM voice_ideas WHERE state <> 'published'`,
			"news":      `SELECT CAST(id AS TEXT) FROM news_items WHERE state <> 'published'`,
			"summits":   `SELECT CAST(id AS TEXT) FROM summits WHERE status = 'draft'`,
		} {
			hidden := ids(t, d, q)
			if len(hidden) == 0 && name != "summits" {
				t.Fatalf("the demo has no unpublished %s to test with", name)
			}
			shown := a.column(t, name, "id")
			for _, id := range hidden {
				if slices.Contains(shown, id) {
					t.Errorf("%s.csv lists the unpublished %s", name, id)
				}
			}
		}
		bodies := ids(t, d, `SELECT body FROM voice_ideas WHERE state <> 'published'`)
		secrets := ids(t, d, `SELECT email FROM users UNION SELECT email FROM summit_delegates WHERE email <> ''
			UNION SELECT email FROM voice_ideas WHERE email <> '' UNION SELECT receipt FROM voice_ideas`)
		for file, data := range a {
			for _, x := range append(bodies, secrets...) {
				if len(x) > 8 && bytes.Contains(data, []byte(x)) {
					t.Errorf("%s contains %q", file, x)
				}
			}
		}
		staff := ids(t, d, `SELECT name FROM city_people WHERE role = 'staff'`)
		for _, n := range a.column(t, "representatives", "name") {
			if slices.Contains(staff, n) {
				t.Errorf("representatives.csv names %s, who is staff", n)
			}
		}
		if n := count("summit_participants"); int64(n) != testutil.Count(t, d, `SELECT COUNT(*) FROM summit_delegates p
			JOIN summit_delegations g ON g.id = p.delegation_id JOIN summits s ON s.id = p.summit_id
			WHERE p.consent = TRUE AND g.state = 'confirmed' AND s.status <> 'draft'`) {
			t.Errorf("summit_participants.csv has %d rows, not the consenting people", n)
		}

		// Built once per version: the same bytes again, one build kept;
		// a change makes a new version.
		c.Get("/data/"+opendata.ArchiveName, "If-None-Match", etag).Expect(t, http.StatusNotModified)
		c.Get("/data/cities.csv").Expect(t, http.StatusOK, "id,slug,name,")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 1 {
			t.Errorf("%d builds kept", n)
		}
		builds := make(chan func(), 4)
		s.App.Data.Store.Go = func(f func()) { builds <- f }
		testutil.AddCity(t, d, testutil.City{Slug: "neustadt", Name: "Neustadt", Country: "DE", Continent: "europe", Lat: 50, Lon: 10})
		if _, stale := download(t, c); stale != etag {
			t.Errorf("before the new build: ETag %s, not the previous build's %s", stale, etag)
		}
		(<-builds)()
		b, etag2 := download(t, c)
		if etag2 == etag || !bytes.Contains(b["cities.csv"], []byte("Neustadt")) {
			t.Errorf("after a change: ETag %s (was %s)", etag2, etag)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 1 {
			t.Errorf("%d builds kept", n)
		}
		// A counter that moves without a change time (a support) is a change too.
		if err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE voice_ideas SET supports = supports + 1 WHERE id = (SELECT MIN(id) FROM voice_ideas WHERE state = 'published')`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, e := download(t, c); e != etag2 || len(builds) != 1 {
			t.Fatalf("before the new build: ETag %s (previous %s), %d builds started", e, etag2, len(builds))
		}
		(<-builds)()
		if _, etag3 := download(t, c); etag3 == etag2 {
			t.Error("a new support left the files as they were")
		}
	})
}

// After a change the portal serves the previous build at once, its ETag
// and its time on the page, while one new build is made in the background;
// once that build is done, the new one is served.
func TestLatestBuildWhileBuilding(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := testutil.NewServer(t, d)
		st := s.App.Data.Store
		builds := make(chan func(), 4)
		st.Go = func(f func()) { builds <- f }
		c := s.Client()

		// The very first build is made on demand.
		_, etag1 := download(t, c)
		if etag1 == "" || len(builds) != 0 {
			t.Fatalf("first build: ETag %q, %d background builds", etag1, len(builds))
		}
		b1, err := st.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"de", "en", "fr"} {
			page := c.Get("/"+lang+"/data").Expect(t, http.StatusOK, `data-built="`+b1.Version+`"`)
			want := s.App.Render.Catalog.T(lang, "data.built", "Time", i18n.NetworkTime(lang, b1.BuiltAt))
			if !strings.Contains(html.UnescapeString(page.Body), want) {
				t.Errorf("/%s/data does not say %q", lang, want)
			}
			if regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d`).MatchString(page.Body) {
				t.Errorf("/%s/data shows a raw timestamp", lang)
			}
		}

		// A change: every answer is the previous build, at once, and one
		// build starts in the background.
		testutil.AddCity(t, d, testutil.City{Slug: "neustadt", Name: "Neustadt", Country: "DE", Continent: "europe", Lat: 50, Lon: 10})
		a, etag := download(t, c)
		if etag != etag1 || bytes.Contains(a["cities.csv"], []byte("Neustadt")) {
			t.Errorf("before the new build: ETag %s (previous %s)", etag, etag1)
		}
		if res := c.Get("/data/cities.csv").Expect(t, http.StatusOK); res.Header.Get("ETag") != etag1 {
			t.Errorf("cities.csv: ETag %s, not the previous build's %s", res.Header.Get("ETag"), etag1)
		}
		c.Get("/data/"+opendata.ArchiveName, "If-None-Match", etag1).Expect(t, http.StatusNotModified)
		c.Get("/en/data").Expect(t, http.StatusOK, `data-built="`+b1.Version+`"`)
		if n := len(builds); n != 1 {
			t.Fatalf("%d background builds started, want 1", n)
		}

		// The build done, the new one is served.
		(<-builds)()
		a, etag2 := download(t, c)
		if etag2 == etag1 || !bytes.Contains(a["cities.csv"], []byte("Neustadt")) {
			t.Errorf("after the new build: ETag %s (previous %s)", etag2, etag1)
		}
		c.Get("/data/"+opendata.ArchiveName, "If-None-Match", etag1).Expect(t, http.StatusOK)
		c.Get("/en/data").Expect(t, http.StatusOK, `data-built="`+strings.Trim(etag2, `"`)+`"`)
		if len(builds) != 0 {
			t.Errorf("%d more background builds", len(builds))
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 1 {
			t.Errorf("%d builds kept", n)
		}
	})
}

// Two servers on one database: a build a visitor starts takes the build
// job's lease, so while one server holds it (its job runs, or a visitor's
// build) the other builds nothing and serves the latest complete build;
// the lease given back, the new version is served by both.
func TestOneServerBuildsAVersion(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s1, s2 := testutil.NewServer(t, d), testutil.NewServer(t, d)
		b1, b2 := make(chan func(), 4), make(chan func(), 4)
		s1.App.Data.Store.Go = func(f func()) { b1 <- f }
		s2.App.Data.Store.Go = func(f func()) { b2 <- f }
		c1, c2 := s1.Client(), s2.Client()
		_, etag1 := download(t, c1)
		if _, e := download(t, c2); e != etag1 {
			t.Fatalf("the second server serves %s, the first %s", e, etag1)
		}
		job := s1.App.Data.Store.Job()

		// The first server's job holds the lease: the second server's
		// visitor starts a build that builds nothing.
		testutil.AddCity(t, d, testutil.City{Slug: "neustadt", Name: "Neustadt", Country: "DE", Continent: "europe", Lat: 50, Lon: 10})
		if ok, err := jobs.Lease(ctx, d, s1.App.Holder, job); err != nil || !ok {
			t.Fatalf("the first server's lease: %v %v", ok, err)
		}
		if _, e := download(t, c2); e != etag1 || len(b2) != 1 {
			t.Fatalf("before the build: ETag %s (previous %s), %d builds started", e, etag1, len(b2))
		}
		(<-b2)()
		a, e := download(t, c2)
		if e != etag1 || bytes.Contains(a["cities.csv"], []byte("Neustadt")) {
			t.Errorf("the second server built without the lease: ETag %s (previous %s)", e, etag1)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 1 {
			t.Errorf("%d builds kept", n)
		}
		if len(b2) != 0 {
			t.Errorf("the second server tries again at once: %d builds started", len(b2))
		}

		// The holder builds (its lease is its own), then gives it back.
		if _, e := download(t, c1); e != etag1 || len(b1) != 1 {
			t.Fatalf("first server before its build: ETag %s, %d builds started", e, len(b1))
		}
		(<-b1)()
		for _, c := range []*testutil.Client{c1, c2} {
			a, e := download(t, c)
			if e == etag1 || !bytes.Contains(a["cities.csv"], []byte("Neustadt")) {
				t.Errorf("after the build: ETag %s (previous %s)", e, etag1)
			}
		}
		if ok, err := jobs.Lease(ctx, d, s2.App.Holder, job); err != nil || !ok {
			t.Errorf("the lease was not given back: %v %v", ok, err)
		}
		if len(b1)+len(b2) != 0 {
			t.Errorf("%d more builds started", len(b1)+len(b2))
		}
	})
}

// The portal's page lists every dataset with its files and columns, in
// every language; the catalogue names them with their licence; unknown
// files are 404.
func TestPortalAndCatalog(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		c := s.Client()
		for _, lang := range []string{"de", "en", "fr"} {
			c.Get("/"+lang+"/data").Expect(t, http.StatusOK, `href="/data/cities.csv"`, `href="/data/practices.json"`,
				`href="/data/`+opendata.ArchiveName+`"`, `href="/data/catalog.jsonld"`, "creativecommons.org/licenses/by/4.0")
		}
		c.Get("/en/").Expect(t, http.StatusOK, `href="/en/data"`)
		res := c.Get("/data/catalog.jsonld").Expect(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/ld+json") {
			t.Errorf("catalogue served as %s", ct)
		}
		var cat map[string]any
		if err := json.Unmarshal([]byte(res.Body), &cat); err != nil {
			t.Fatal(err)
		}
		sets, _ := cat["dcat:dataset"].([]any)
		if cat["@type"] != "dcat:Catalog" || len(sets) < 15 {
			t.Fatalf("catalogue: %s", res.Body[:min(len(res.Body), 500)])
		}
		ds := sets[0].(map[string]any)
		dist, _ := ds["dcat:distribution"].([]any)
		if len(dist) != 2 || ds["dct:license"] == nil || ds["dct:title"] == nil {
			t.Errorf("dataset %v", ds)
		}
		for _, bad := range []string{"nothing.csv", "cities.xml", "..%2Fetc.csv", "datapackage.jsonx"} {
			c.Get("/data/"+bad).Expect(t, http.StatusNotFound)
		}
	})
}

// Every licence the portal offers is one --data-license accepts, and the
// setting refuses others.
func TestLicenses(t *testing.T) {
	for _, l := range opendata.Licenses {
		if err := (&config.Config{LogFormat: "text", DataLicense: l.ID}).Check(); err != nil {
			t.Errorf("%s: %v", l.ID, err)
		}
	}
	if err := (&config.Config{LogFormat: "text", DataLicense: "MIT"}).Check(); err == nil {
		t.Error("MIT accepted as a data licence")
	}
}

// The very first build is made under the build job's lease too: while
// one server holds it, another server's visitor waits for that build and
// is served it, or after the bounded wait gets 503 in their language with
// the time to wait; only one build is made.
func TestTheFirstBuildTakesTheLease(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s1, s2 := testutil.NewServer(t, d), testutil.NewServer(t, d)
		c1, c2 := s1.Client(), s2.Client()
		job := s1.App.Data.Store.Job()
		if ok, err := jobs.Lease(ctx, d, s1.App.Holder, job); err != nil || !ok {
			t.Fatalf("the first server's lease: %v %v", ok, err)
		}
		// The first server holds the lease and has not built yet.
		s2.App.Data.Store.FirstWait = time.Millisecond
		for _, p := range []string{"/de/data", "/data/" + opendata.ArchiveName, "/data/catalog.jsonld"} {
			res := c2.Get(p, "Accept-Language", "de").Expect(t, http.StatusServiceUnavailable)
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("%s: no Retry-After", p)
			}
			if p == "/de/data" && !strings.Contains(res.Body, "Gleich bereit") {
				t.Errorf("%s: not in German:\n%s", p, res.Body)
			}
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 0 {
			t.Fatalf("the second server built without the lease: %d builds", n)
		}
		// Waiting long enough, the second server's visitor gets the build
		// the first server makes.
		s2.App.Data.Store.FirstWait = time.Minute
		waited := make(chan *testutil.Response, 1)
		go func() { waited <- c2.Get("/data/" + opendata.ArchiveName) }()
		_, etag1 := download(t, c1)
		res := <-waited
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") != etag1 {
			t.Errorf("the waiting visitor: %d, ETag %q (built %q)", res.StatusCode, res.Header.Get("ETag"), etag1)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM opendata_builds`); n != 1 {
			t.Errorf("%d builds kept", n)
		}
		if _, e := download(t, c2); e != etag1 {
			t.Errorf("the second server serves %s, the first built %s", e, etag1)
		}
		if ok, err := jobs.Lease(ctx, d, s2.App.Holder, job); err != nil || !ok {
			t.Errorf("the lease was not given back: %v %v", ok, err)
		}
	})
}
