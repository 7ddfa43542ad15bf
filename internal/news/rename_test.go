package news_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// A news item is found by its city's name; when the city is renamed, the
// new name finds it at once and the old one no longer does (also when the
// old name was searched before).
func TestSearchFollowsRenamedCity(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		st := srv.App.News.Store
		ctx := context.Background()
		city := addCity(t, d, "altheim", "Altheim", "Europe/Berlin")
		other := addCity(t, d, "chemnitz", "Chemnitz", "Europe/Berlin")
		in := news.Input{Lang: "de", Title: "Bürgermeister treffen sich im Rathaus", Lead: "Ein Treffen", Body: "Die Stadt lädt ein.",
			DatedOn: "2026-09-02", CityID: city}
		id := create(t, st, in, news.StatePublished, time.Time{})
		in.CityID, in.Title = other, "Chemnitz feiert"
		create(t, st, in, news.StatePublished, time.Time{})
		found := func(q string) []int64 {
			t.Helper()
			r, err := st.Search(ctx, news.SearchParams{Q: q, Lang: "de", Page: 1, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, it := range r.Items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		if got := found("Altheim"); len(got) != 1 || got[0] != id {
			t.Fatalf("before the rename Altheim finds %v", got)
		}
		if got := found("Neuheim"); len(got) != 0 {
			t.Fatalf("before the rename Neuheim finds %v", got)
		}

		admin, pw := srv.User(auth.RoleAdmin, 0)
		c := srv.Client()
		c.Login(admin.Email, pw)
		c.Post(fmt.Sprintf("/en/cities/%d/edit", city), url.Values{"name": {"Neuheim"}, "name_en": {"Neuheim"},
			"name_fr": {"Neuheim-sur-Rhin"}, "name_de": {"Neuheim"}, "country": {"DE"}, "lat": {"51"}, "lon": {"6"},
			"timezone": {"Europe/Berlin"}, "description_lang": {"de"}}).Expect(t, 303)

		if got := found("Neuheim"); len(got) != 1 || got[0] != id {
			t.Errorf("after the rename Neuheim finds %v", got)
		}
		if got := found("Neuheim-sur-Rhin"); len(got) != 1 || got[0] != id {
			t.Errorf("after the rename the French name finds %v", got)
		}
		if got := found("Altheim"); len(got) != 0 {
			t.Errorf("after the rename Altheim still finds %v", got)
		}
		srv.Client().Get("/de/news?q=Neuheim").Expect(t, 200, "Bürgermeister treffen sich im Rathaus").Lacks(t, "Chemnitz feiert")
		// The other city's news keeps its entry.
		if got := found("Chemnitz"); len(got) != 1 || got[0] == id {
			t.Errorf("Chemnitz finds %v", got)
		}
	})
}
