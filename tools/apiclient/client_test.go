package apiclient_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
	"observatory/tools/apiclient"
)

// A program that knows only the OpenAPI document (this generated client)
// lists the published practices page by page and creates a draft with a
// personal token, against the real server.
func TestGeneratedClient(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		ctx := context.Background()
		city := testutil.AddCity(t, d, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe"})
		admin := audit.System("test")
		for i := range 7 {
			id, err := s.App.Practices.Store.Create(ctx, admin, practice.Record{Lang: "en", CityID: city,
				Title: i18n.Text{"en": fmt.Sprintf("Practice number %d", i)}, Summary: i18n.Text{"en": "A summary."},
				Body: i18n.Text{"en": "A body."}, Themes: []string{"public-space"}, Status: "running", Start: "2020"})
			if err == nil {
				err = s.App.Practices.Store.Publish(ctx, admin, id)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		ed, _ := s.User(auth.RoleEditor, city)
		secret, _, err := s.App.Users.CreateToken(ctx, admin, ed, "client", []string{auth.ScopePracticesWrite}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := apiclient.NewClientWithResponses(s.URL, apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+secret)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}

		// Every published practice, three at a time, following next.
		limit := 3
		params := &apiclient.ListPracticesParams{Limit: &limit}
		seen, pages := map[int]bool{}, 0
		for {
			res, err := c.ListPracticesWithResponse(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			if res.JSON200 == nil {
				t.Fatalf("list: %d %s", res.StatusCode(), res.Body)
			}
			pages++
			for _, it := range res.JSON200.Items {
				if seen[it.Id] {
					t.Errorf("practice %d twice", it.Id)
				}
				seen[it.Id] = true
			}
			if res.JSON200.Next == nil {
				break
			}
			u, err := url.Parse(*res.JSON200.Next)
			if err != nil {
				t.Fatal(err)
			}
			cursor := u.Query().Get("cursor")
			params = &apiclient.ListPracticesParams{Limit: &limit, Cursor: &cursor}
			if pages > 10 {
				t.Fatal("the pages do not end")
			}
		}
		if len(seen) != 7 || pages != 3 {
			t.Errorf("%d practices in %d pages, want 7 in 3", len(seen), pages)
		}

		// A draft for the editor's city.
		lang := apiclient.PracticeInLanguage("de")
		title, summary, key := "Nachbarschaftsgarten", "Nachbarn pflanzen gemeinsam.", "client-1"
		themes := []string{"public-space"}
		res, err := c.CreatePracticeWithResponse(ctx, &apiclient.CreatePracticeParams{IdempotencyKey: &key},
			apiclient.PracticeIn{Language: &lang, Title: &title, Summary: &summary, Themes: &themes})
		if err != nil {
			t.Fatal(err)
		}
		if res.JSON201 == nil {
			t.Fatalf("create: %d %s", res.StatusCode(), res.Body)
		}
		w := res.JSON201
		if w.State != "draft" || w.City.Id != int(city) || w.Record.Title["de"] != title || w.PublicUrl != nil {
			t.Errorf("draft: %+v", w)
		}
		// Drafts are not public: the list still has seven.
		all, err := c.ListPracticesWithResponse(ctx, &apiclient.ListPracticesParams{})
		if err != nil || all.JSON200 == nil || all.JSON200.Total != 7 {
			t.Errorf("after the draft: %v %v", err, all.JSON200)
		}
		// Without the token the client is refused.
		anon, _ := apiclient.NewClientWithResponses(s.URL)
		refused, err := anon.CreatePracticeWithResponse(ctx, &apiclient.CreatePracticeParams{}, apiclient.PracticeIn{Title: &title})
		if err != nil || refused.ApplicationproblemJSON401 == nil {
			t.Errorf("without a token: %v %d", err, refused.StatusCode())
		}
	})
}
