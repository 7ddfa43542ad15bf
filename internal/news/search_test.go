package news_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// Published news is found by its words through the news search, with
// facets by city, year and tag; drafts, scheduled and archived items are
// not, until and unless they are published; a change of text is found at
// once; a practices search links to the same words in the news.
func TestNewsSearch(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		st := srv.App.News.Store
		ctx := context.Background()
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		chem := addCity(t, d, "chemnitz", "Chemnitz", "Europe/Berlin")
		pub := item("de", "Bürgermeister treffen sich im Rathaus", dus, "2019-09-02")
		pub.Body = "Die Stadt lädt zum **Gipfel** der Vielfalt."
		a := create(t, st, pub, news.StatePublished, time.Time{})
		other := item("en", "Chemnitz celebrates its partnership anniversary", chem, "2018-05-16")
		other.Tags = []string{"anniversary"}
		create(t, st, other, news.StatePublished, time.Time{})
		create(t, st, item("de", "Geheimer Entwurf über das Rathaus", dus, "2027-01-01"), news.StateDraft, time.Time{})
		sched := create(t, st, item("de", "Geplante Meldung über das Rathaus", dus, "2027-02-01"), news.StateScheduled, time.Now().Add(time.Hour))
		arch := create(t, st, item("de", "Archivierte Meldung über das Rathaus", dus, "2017-01-01"), news.StatePublished, time.Time{})
		if err := st.SetState(ctx, admin, arch, news.StateArchived, time.Time{}); err != nil {
			t.Fatal(err)
		}
		c := srv.Client()
		// Only the published item is found.
		c.Get("/de/news?q=Rathaus").Expect(t, 200, "1 Meldung zu „Rathaus“", "Bürgermeister treffen sich im Rathaus", `href="/de/practices?q=Rathaus"`).
			Lacks(t, "Geheimer Entwurf", "Geplante Meldung", "Archivierte Meldung")
		c.Get("/en/news?q=anniversary").Expect(t, 200, "Chemnitz celebrates", "<h3>Tag</h3>", "anniversary</span>").Lacks(t, "Bürgermeister")
		// Words from the body and the city's name find it too.
		c.Get("/de/news?q=Gipfel+Düsseldorf").Expect(t, 200, "Bürgermeister treffen sich")
		// Facets narrow and count.
		r, err := st.Search(ctx, news.SearchParams{Q: "anniversary", Lang: "en", Page: 1, Size: 10})
		if err != nil || r.Total != 1 {
			t.Fatalf("search: %+v %v", r, err)
		}
		r, err = st.Search(ctx, news.SearchParams{Q: "", Cities: []string{strconv.FormatInt(dus, 10)}, Lang: "de", Page: 1, Size: 10})
		if err != nil || r.Total != 1 || r.Items[0].ID != a {
			t.Fatalf("by city: %+v %v", r, err)
		}
		var cityCount int
		for _, f := range r.Facets {
			if f.Name == "city" {
				for _, v := range f.Values {
					if v.Value == strconv.FormatInt(dus, 10) {
						cityCount = v.Count
					}
				}
			}
		}
		if cityCount != 1 {
			t.Errorf("Düsseldorf's count: %d (%+v)", cityCount, r.Facets)
		}
		c.Get("/de/news?q=Rathaus&year=2019&city="+strconv.FormatInt(dus, 10)).Expect(t, 200, "Bürgermeister treffen sich", "2019")
		c.Get("/de/news?q=Rathaus&year=2018").Expect(t, 200, "0 Meldungen").Lacks(t, "Bürgermeister treffen sich")
		c.Get("/de/news?q=Rathaus&year=soon").Expect(t, 400)
		// The scheduled item is found once it is published, not before.
		if _, err := st.PublishDue(ctx, time.Now().Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		c.Get("/de/news?q=Rathaus").Expect(t, 200, "Geplante Meldung").Lacks(t, "Geheimer Entwurf", "Archivierte Meldung")
		// A published item taken back to draft is gone from the search.
		if err := st.SetState(ctx, admin, sched, news.StateDraft, time.Time{}); err != nil {
			t.Fatal(err)
		}
		c.Get("/de/news?q=Rathaus").Expect(t, 200).Lacks(t, "Geplante Meldung")
		// A changed text is found by its new words, not its old ones.
		in := item("de", "Bürgermeisterinnen treffen sich im Stadtschloss", dus, "2019-09-02")
		if err := st.Update(ctx, admin, a, in); err != nil {
			t.Fatal(err)
		}
		c.Get("/de/news?q=Stadtschloss").Expect(t, 200, "Bürgermeisterinnen treffen sich")
		c.Get("/de/news?q=Gipfel").Expect(t, 200, "0 Meldungen")
		// The API answers the same search.
		c.Get("/api/v1/news?q=Stadtschloss").Expect(t, 200, `"total":1`, "Bürgermeisterinnen treffen sich")
		c.Get("/api/v1/news?q=Geheimer").Expect(t, 200, `"total":0`)
		// A practices search offers the news search for the same words.
		c.Get("/en/practices?q=housing").Expect(t, 200, `href="/en/news?q=housing"`)
	})
}
