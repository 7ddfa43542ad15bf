package practice_test

import (
	"context"
	"encoding/csv"
	"errors"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

func explain(key string) string { return key }

// full is a record with every field filled.
func full(city int64) practice.Record {
	r := rec(city, "fr", "=HYPERLINK(\"http://evil.example\")", "Des écoles ouvertes le soir.", "Les **écoles** restent ouvertes.", "education", "participation")
	r.Title["en"] = "Schools open in the evening"
	r.Summary["en"] = "Schools stay open at night."
	r.Results = i18n.Text{"fr": "Deux fois plus de familles."}
	r.Transfer = i18n.Text{"fr": "Il faut un gardien."}
	r.Lessons = i18n.Text{"fr": "Commencer petit."}
	r.Groups = []string{"families", "youth"}
	r.End, r.Status = "2021-06", "completed"
	r.Partners, r.Funders = []string{"+Association des parents"}, []string{"@Fondation"}
	r.Budget, r.Evidence = "50k-250k", "evaluated"
	r.Contact = practice.Contact{Name: "Awa Ouédraogo", Role: "Mairie", Email: "awa@example.org"}
	r.Links = []practice.Link{{URL: "https://example.org/ecoles", Label: "Le projet"}}
	r.Videos = []practice.Link{{URL: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", Label: "Reportage"}}
	return r
}

var volatile = regexp.MustCompile(`"(id|url|published_at)":("[^"]*"|\d+),?`)

// The JSON export imports again unchanged, into another installation or
// the same one (where it changes nothing); CSV cells cannot run formulas.
func TestExportImportRoundTrip(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		s := srv.App.Practices.Store
		publish(t, s, full(w.ouaga))
		publish(t, s, rec(w.dus, "de", "Plätze zuerst", "Erst die Plätze, dann die Häuser.", "Ein Platz wird belebt.", "public-space"))
		c := srv.Client()
		export := c.Get("/en/practices/export.json?sort=title").Expect(t, 200, `"uid"`, `"city":"Ouagadougou"`).Body

		// CSV: one row per practice, dangerous cells defused.
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.Get("/en/practices/export.csv?sort=title").Expect(t, 200).Body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][2] != "Title" {
			t.Fatalf("csv: %v", rows)
		}
		line := strings.Join(rows[1], "|") + strings.Join(rows[2], "|")
		for _, want := range []string{"'+Association des parents", "'@Fondation", "Schools open in the evening", "Burkina Faso", "Families; Young people"} {
			if !strings.Contains(line, want) {
				t.Errorf("csv lacks %q: %v", want, rows)
			}
		}
		frRows, _ := csv.NewReader(strings.NewReader(c.Get("/fr/practices/export.csv?city=ouagadougou").Body)).ReadAll()
		if len(frRows) != 2 || frRows[1][2] != `'=HYPERLINK("http://evil.example")` {
			t.Errorf("formula not escaped: %v", frRows)
		}

		// The same file again changes nothing here.
		ctx := context.Background()
		rep, err := s.Import(ctx, strings.NewReader(export), practice.Actor{}, false, explain)
		if err != nil || rep.Created != 0 || rep.Updated != 2 {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		var revs int
		d.R.QueryRow(`SELECT COUNT(*) FROM practice_revisions`).Scan(&revs)
		if revs != 2 {
			t.Errorf("re-import stored %d revisions, want the 2 there were", revs)
		}

		// Another installation with the same cities gets the same practices.
		d2 := testutil.NewSQLite(t)
		newWorld(t, d2)
		s2 := practice.NewStore(d2)
		rep, err = s2.Import(ctx, strings.NewReader(export), practice.Actor{}, false, explain)
		if err != nil || rep.Created != 2 || rep.Published != 2 {
			t.Fatalf("import elsewhere: %+v %v", rep, err)
		}
		srv2 := testutil.NewServer(t, d2)
		again := srv2.Client().Get("/en/practices/export.json?sort=title").Expect(t, 200).Body
		if volatile.ReplaceAllString(again, "") != volatile.ReplaceAllString(export, "") {
			t.Errorf("the export changed after a round trip:\n%s\n%s", export, again)
		}
		// Its search works at once.
		srv2.Client().Get("/en/practices?q=%C3%A9coles").Expect(t, 200, "Schools open in the evening")
	})
}

// An import checks every line first and reports each bad one by number;
// with any bad line nothing is imported.
func TestImportReportsBadLines(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s := practice.NewStore(d)
		ctx := context.Background()
		good := `{"city": "Düsseldorf", "language": "de", "title": "Bezahlbar wohnen", "summary": "In allen Stadtteilen.", "body": "Die Stadt baut.", "themes": ["Wohnen", "public-space"], "status": "running", "start": "2017", "published": true}`
		montreal := `{"city": "montreal", "language": "en", "title": "Night libraries", "summary": "Open late.", "body": "Reading.", "themes": ["culture"], "status": "planned", "start": "2025-09", "published": false}`
		file := strings.Join([]string{
			good,
			``,
			`{"city": "Atlantis", "language": "de", "title": "X", "summary": "Y", "body": "Z", "themes": ["housing"], "status": "running", "start": "2017", "published": true}`,
			`{"city": 1, "language": "de", "title": "X", "summary": "Y", "body": "Z", "themes": ["Wohnen"], "status": "soon", "start": "May", "published": "yes"}`,
			`{"city": "Ouagadougou", "language": "fr", "title": "Sans thème", "summary": "Y", "body": "Z", "themes": [], "status": "running", "start": "2017", "published": true, "colour": "red"}`,
			montreal,
		}, "\n")
		rep, err := s.Import(ctx, strings.NewReader(file), practice.Actor{}, false, explain)
		if !errors.Is(err, practice.ErrImportInvalid) || len(rep.Bad) != 3 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		for i, want := range []struct {
			line int
			text string
		}{{3, `no city is called "Atlantis"`}, {4, `not a valid practice`}, {5, `unknown field "colour"`}} {
			if rep.Bad[i].Line != want.line || !strings.Contains(rep.Bad[i].Error(), want.text) {
				t.Errorf("bad line %d: %v, want line %d with %q", i, rep.Bad[i], want.line, want.text)
			}
		}
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM practices`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d practices imported from a bad file", n)
		}
		// A line without unknown fields but with bad values says each.
		rep, _ = s.Import(ctx, strings.NewReader(`{"city": 1, "language": "de", "title": "X", "summary": "Y", "body": "Z", "themes": ["Wohnen"], "status": "soon", "start": "May", "published": true}`), practice.Actor{}, true, explain)
		if len(rep.Bad) != 1 || !strings.Contains(rep.Bad[0].Error(), `status: "soon"`) || !strings.Contains(rep.Bad[0].Error(), "start: practice.err.date") {
			t.Errorf("bad values: %+v", rep.Bad)
		}
		// A dry run checks and stores nothing.
		rep, err = s.Import(ctx, strings.NewReader(good+"\n"+montreal), practice.Actor{}, true, explain)
		if err != nil || rep.Published != 1 || rep.Drafts != 1 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		d.R.QueryRow(`SELECT COUNT(*) FROM practices`).Scan(&n)
		if n != 0 {
			t.Fatal("a dry run imported")
		}
		rep, err = s.Import(ctx, strings.NewReader(good+"\n"+montreal), practice.Actor{}, false, explain)
		if err != nil || rep.Created != 2 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		res, err := s.Search(ctx, practice.Params{Q: "wohnen", Lang: "en", Size: 10, Page: 1})
		if err != nil || res.Total != 1 || res.Items[0].City.ID != w.dus {
			t.Fatalf("imported practice not found: %+v %v", res, err)
		}
		// The unpublished one is a draft, visible to no search.
		if res, _ := s.Search(ctx, practice.Params{Q: "libraries", Lang: "en", Size: 10, Page: 1}); res.Total != 0 {
			t.Error("an imported draft is public")
		}
	})
}

// A NUL character in an imported line (written "\u0000") is a bad line
// named with its field; nothing is imported, on PostgreSQL as on SQLite.
func TestImportRefusesNUL(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		newWorld(t, d)
		s := practice.NewStore(d)
		file := `{"city": "Düsseldorf", "language": "de", "title": "Bezahlbar\u0000 wohnen", "summary": "In allen Stadtteilen.", "body": "Die Stadt baut.", "themes": ["Wohnen"], "status": "running", "start": "2017", "published": true}` + "\n" +
			`{"city": "Düsseldorf", "language": "de", "title": "Bezahlbar wohnen", "summary": "In allen Stadtteilen.", "body": "Die Stadt baut.", "themes": ["Wohnen"], "status": "running", "start": "2017", "published": true, "contact": {"name": "A\u0000B"}}`
		rep, err := s.Import(context.Background(), strings.NewReader(file), practice.Actor{}, false, explain)
		if !errors.Is(err, practice.ErrImportInvalid) || len(rep.Bad) != 2 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		for i, field := range []string{"title", "contact"} {
			if msg := rep.Bad[i].Error(); !strings.Contains(msg, "NUL") || !strings.Contains(msg, field) {
				t.Errorf("line %d: %s", i+1, msg)
			}
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM practices`); n != 0 {
			t.Fatalf("%d practices imported", n)
		}
	})
}
