package practice_test

import (
	"context"
	"encoding/json"
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

		// Tokens: only read:private shows what its owner sees signed in,
		// and only what the pages show them (their city's workspace).
		own, ownPW := srv.User(auth.RoleEditor, w.ouaga)
		writeOnly := newToken(t, srv, own, "writer", nil, auth.ScopePracticesWrite)
		otherReader := newToken(t, srv, editor, "other city", nil, auth.ScopeReadPrivate)
		reader := newToken(t, srv, own, "reader", nil, auth.ScopeReadPrivate)
		for _, tok := range []string{writeOnly, otherReader} {
			var bodies []string
			for _, path := range []string{"/api/v1/practices", "/api/v1/practices?theme=safety", "/api/v1/practices?q=Projet",
				fmt.Sprintf("/api/v1/practices/%d", revised)} {
				res := public.Get(path, "Authorization", "Bearer "+tok).Expect(t, 200)
				if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
					t.Errorf("%s with a token: Cache-Control %q", path, cc)
				}
				bodies = append(bodies, res.Body)
			}
			for _, id := range []int64{draft, submitted, returned, archived} {
				public.Get(fmt.Sprintf("/api/v1/practices/%d", id), "Authorization", "Bearer "+tok).Expect(t, 404)
			}
			for _, b := range bodies {
				for _, word := range words {
					if strings.Contains(strings.ToLower(b), strings.ToLower(word)) {
						t.Fatalf("unpublished text %q shows to a token:\n%s", word, b[:min(len(b), 2000)])
					}
				}
			}
		}
		// Kept for the public first: the token still gets its own answer.
		public.Get("/api/v1/practices?lang=fr").Expect(t, 200)
		public.Get("/api/v1/practices?lang=fr").Expect(t, 200)
		res := public.Get("/api/v1/practices?lang=fr", "Authorization", "Bearer "+reader).Expect(t, 200, "Draftwort", "Submitwort", "Returnwort", "Revisionwort")
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("a read:private answer is %q", cc)
		}
		if strings.Contains(res.Body, "Archivwort") {
			t.Errorf("the workspace lists no archived practice, the API neither:\n%s", res.Body)
		}
		var l struct {
			Total int
			Work  []struct {
				ID     int64
				State  string
				Review string
				API    string
			}
		}
		if err := json.Unmarshal([]byte(res.Body), &l); err != nil {
			t.Fatal(err)
		}
		if l.Total != 2 || len(l.Work) != 5 {
			t.Errorf("read:private list: total %d, work %+v", l.Total, l.Work)
		}
		// The same workspace as the page shows the editor signed in.
		ownClient := srv.Client()
		ownClient.Login(own.Email, ownPW)
		for _, it := range l.Work {
			ownClient.Get("/en/practices/work").Expect(t, 200, fmt.Sprintf("/en/practices/%d/work", it.ID))
			if it.ID == submitted && it.Review != "submitted" || it.ID == draft && it.State != "draft" {
				t.Errorf("work item %+v", it)
			}
		}
		// An unpublished practice leads to its working copy, as the page does.
		for _, id := range []int64{draft, submitted, returned} {
			res := public.Get(fmt.Sprintf("/api/v1/practices/%d", id), "Authorization", "Bearer "+reader).Expect(t, 303)
			if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, fmt.Sprintf("/api/v1/practices/%d/work", id)) {
				t.Errorf("Location %q", loc)
			}
			public.Get(fmt.Sprintf("/api/v1/practices/%d/work", id), "Authorization", "Bearer "+reader).Expect(t, 200, "wort")
		}
		// Asked by a token first, twice: the public is never given its answer.
		for range 2 {
			public.Get("/api/v1/practices?lang=de", "Authorization", "Bearer "+reader).Expect(t, 200, "Draftwort")
		}
		for range 2 {
			b := public.Get("/api/v1/practices?lang=de").Expect(t, 200).Body
			if strings.Contains(b, "wort") || strings.Contains(b, `"work"`) {
				t.Fatalf("a token's private answer reached the public:\n%s", b)
			}
			public.Get(fmt.Sprintf("/api/v1/practices/%d", draft)).Expect(t, 404)
		}
	})
}
