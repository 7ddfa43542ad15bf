package practice_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// No unpublished text reaches the public, or editors of other cities:
// not on a page, in a search, a facet count, the API, an export or a feed.
func TestUnpublishedIsInvisibleEverywhere(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		s := srv.App.Practices.Store
		ctx := context.Background()
		a := practice.Actor{Email: "secretariat@example.org"}
		secret := func(word string) practice.Record {
			r := rec(w.ouaga, "fr", "Projet "+word, "Résumé "+word, "Texte "+word, "safety")
			r.Title["en"] = "Project " + word
			return r
		}

		// Published, visible: the control.
		visible := publish(t, s, rec(w.ouaga, "fr", "Jardins visibles", "Un jardin visible.", "Le jardin est ouvert.", "public-space"))
		// A draft, a submitted one, a returned one.
		draft, _ := s.Create(ctx, a, secret("Draftwort"))
		submitted, _ := s.Create(ctx, a, secret("Submitwort"))
		if err := s.Submit(ctx, a, submitted); err != nil {
			t.Fatal(err)
		}
		returned, _ := s.Create(ctx, a, secret("Returnwort"))
		if err := s.Submit(ctx, a, returned); err != nil {
			t.Fatal(err)
		}
		if err := s.Return(ctx, a, returned, "Plus de détails."); err != nil {
			t.Fatal(err)
		}
		// Published, then archived.
		archived := publish(t, s, secret("Archivwort"))
		if err := s.Archive(ctx, a, archived, ""); err != nil {
			t.Fatal(err)
		}
		// Published, with a pending revision whose text is not public yet.
		revised := publish(t, s, rec(w.ouaga, "fr", "Maison publique", "Version publique.", "Texte public.", "housing"))
		p, _ := s.Work(ctx, revised)
		next := *p.Head
		next.Title = i18n.Text{"fr": "Maison Revisionwort"}
		next.Body = i18n.Text{"fr": "Texte Revisionwort"}
		next.Themes = []string{"housing", "safety"}
		if _, err := s.Save(ctx, a, revised, p.HeadNumber, next); err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, a, revised); err != nil {
			t.Fatal(err)
		}
		words := []string{"Draftwort", "Submitwort", "Returnwort", "Archivwort", "Revisionwort", "draftwort", "revisionwort"}

		public := srv.Client()
		editor, pw := srv.User(auth.RoleEditor, w.dus) // another city's editor
		other := srv.Client()
		other.Login(editor.Email, pw)
		for _, c := range []*testutil.Client{public, other} {
			var bodies []string
			get := func(path string, status int) {
				res := c.Get(path).Expect(t, status)
				bodies = append(bodies, res.Body)
			}
			for _, lang := range i18n.Langs {
				get("/"+lang+"/practices", 200)
				get("/"+lang+"/practices?sort=title", 200)
				get("/"+lang+"/practices/export.csv", 200)
				get("/"+lang+"/practices/export.json", 200)
				for _, format := range []string{"atom", "rss", "json"} {
					get("/"+lang+"/practices/feed."+format, 200)
					// The feed is not empty: the published ones are in it.
					if b := bodies[len(bodies)-1]; !strings.Contains(b, "Jardins visibles") || !strings.Contains(b, "Maison publique") {
						t.Errorf("%s feed lacks the published practices:\n%s", format, b)
					}
					get("/"+lang+"/practices/feed."+format+"?theme=safety", 200)
					get("/"+lang+"/practices/feed."+format+"?city=ouagadougou", 200)
				}
			}
			// Searching for the secret words finds nothing (the page echoes
			// the query, so it is checked by count).
			for _, word := range words {
				c.Get("/en/practices?q="+word).Expect(t, 200, "0 practices")
				if l := getList(t, c, "q="+url.QueryEscape(word)); l.Total != 0 {
					t.Errorf("%s: %d hits", word, l.Total)
				}
			}
			// Searching for the words around them shows no secret either.
			for _, word := range []string{"Projet", "Project", "Texte", "Résumé", "Maison", "safety", "sécurité"} {
				get("/en/practices?q="+url.QueryEscape(word), 200)
				get("/api/v1/practices?q="+url.QueryEscape(word), 200)
				get("/en/practices/export.csv?q="+url.QueryEscape(word), 200)
				get("/en/practices/export.json?q="+url.QueryEscape(word), 200)
				get("/en/practices/feed.atom?q="+url.QueryEscape(word), 200)
				get("/fr/practices/feed.rss?q="+url.QueryEscape(word), 200)
				get("/de/practices/feed.json?q="+url.QueryEscape(word), 200)
			}
			get("/api/v1/practices", 200)
			get("/api/v1/practices?theme=safety", 200)
			get("/api/v1/practices/export.json", 200)
			for _, id := range []int64{draft, submitted, returned, archived} {
				get(fmt.Sprintf("/en/practices/%d", id), 404)
				get(fmt.Sprintf("/en/practices/%d/print", id), 404)
				get(fmt.Sprintf("/api/v1/practices/%d", id), 404)
				get(fmt.Sprintf("/en/practices/%d/history", id), map[bool]int{true: 303, false: 403}[c == public])
				get(fmt.Sprintf("/en/practices/%d/history/1", id), map[bool]int{true: 303, false: 403}[c == public])
			}
			get(fmt.Sprintf("/api/v1/practices/%d", revised), 200)
			get(fmt.Sprintf("/en/practices/%d", visible), 301)
			for _, b := range bodies {
				for _, word := range words {
					if strings.Contains(strings.ToLower(b), strings.ToLower(word)) {
						t.Fatalf("unpublished text %q shows:\n%s", word, b[:min(len(b), 2000)])
					}
				}
			}
			// Counts: only the two published practices exist.
			l := getList(t, c, "")
			if l.Total != 2 {
				t.Errorf("total %d, want 2", l.Total)
			}
			for _, v := range l.Facets["theme"] {
				if v.Value == "safety" {
					t.Errorf("the safety theme is counted: %+v", v)
				}
			}
			c.Get("/en/practices?q=Maison").Expect(t, 200, "Maison publique", "1 practice")
			// The figures page counts only what is published.
			c.Get("/en/figures").Expect(t, 200, "Best practices in figures", "2 published practices.")
		}
		if n, err := s.Count(ctx); err != nil || n != 2 {
			t.Errorf("Count: %d %v", n, err)
		}
	})
}
