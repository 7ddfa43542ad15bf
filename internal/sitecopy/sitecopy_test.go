package sitecopy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/app"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/sitecopy"
	"observatory/internal/testutil"
)

var (
	linkRe = regexp.MustCompile(`(?i)\b(href|src)="([^"]*)"`)
	formRe = regexp.MustCompile(`(?i)<form\b[^>]*>`)
)

// The demo site copied to files: every link between the files leads to a
// file that is there, no link is absolute on the site (it would need the
// server), no page offers a form that is not marked as needing the server,
// and a plain file server serves the copy.
func TestCopyOfTheDemoSite(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		res, err := sitecopy.Copy(context.Background(), s.App.Handler, dir, sitecopy.Options{
			Base: "https://observatory.example.org", Langs: []string{"de", "en"}, Skip: []string{"fr"}, Start: app.ExportStart})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pages < 200 {
			t.Fatalf("only %d pages copied", res.Pages)
		}
		t.Logf("%+v", res)
		pages, apis := 0, 0
		err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			pages++
			body, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			for _, f := range formRe.FindAllString(string(body), -1) {
				if !strings.Contains(f, "data-needs-server") {
					t.Errorf("%s: %s", rel, f)
				}
			}
			for _, m := range linkRe.FindAllStringSubmatch(string(body), -1) {
				link := strings.ReplaceAll(m[2], "&amp;", "&")
				u, err := url.Parse(link)
				if err != nil {
					t.Errorf("%s: bad link %q", rel, link)
					continue
				}
				switch {
				case u.Scheme != "" || u.Host != "":
					if u.Host == "observatory.example.org" && (strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/en/")) {
						t.Errorf("%s links to %s on the live site, which the copy has", rel, link)
					}
					continue
				case strings.HasPrefix(u.Path, "/"):
					t.Errorf("%s: %q needs the server", rel, link)
					continue
				case u.Path == "":
					continue // a fragment
				}
				target := filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path))
				if strings.Contains(target, string(filepath.Separator)+"api"+string(filepath.Separator)) {
					apis++
				}
				if st, err := os.Stat(target); err != nil || st.IsDir() {
					t.Errorf("%s: dead link %q", rel, link)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"en/index.html", "de/data/index.html", "data/observatory-data.zip", "data/cities.csv",
			"data/catalog.jsonld", "sitemap.xml", "en/practices/index.html", "en/practices/feed.atom"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("the copy lacks %s", f)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "fr")); err == nil {
			t.Error("French was copied though not asked for")
		}
		// A plain file server serves it.
		fsrv := httptest.NewServer(http.FileServer(http.Dir(dir)))
		defer fsrv.Close()
		for _, p := range []string{"/en/", "/de/cities/", "/data/practices.json", "/en/data/"} {
			r, err := http.Get(fsrv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != http.StatusOK {
				t.Errorf("file server: %s %d", p, r.StatusCode)
			}
		}
		t.Logf("%d pages checked, %d links into the copied API", pages, apis)
	})
}
