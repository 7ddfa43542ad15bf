package news_test

import (
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// A title and a lead with the characters markup escapes reach a feed
// reader exactly as written in every format: escaped once.
func TestNewsFeedsEscapeOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		in := item("en", `Rock & Roll <b>"Bühne"</b> it's 1 < 2 > 0`, dus, "2019-09-02")
		in.Lead = `Tom & Jerry's <script>alert("x")</script> &amp; 'quotes' "double" < > &`
		create(t, srv.App.News.Store, in, news.StatePublished, time.Time{})
		c := srv.Client()

		var rss struct {
			Items []struct {
				Title       string `xml:"title"`
				Description string `xml:"description"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal([]byte(c.Get("/en/news/feed.rss").Expect(t, 200).Body), &rss); err != nil {
			t.Fatal(err)
		}
		var atom struct {
			Entries []struct {
				Title   string `xml:"title"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(c.Get("/en/news/feed.atom").Expect(t, 200).Body), &atom); err != nil {
			t.Fatal(err)
		}
		var js struct {
			Items []struct {
				Title   string `json:"title"`
				Summary string `json:"summary"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(c.Get("/en/news/feed.json").Expect(t, 200).Body), &js); err != nil {
			t.Fatal(err)
		}
		if len(rss.Items) != 1 || len(atom.Entries) != 1 || len(js.Items) != 1 {
			t.Fatalf("items: rss %d, atom %d, json %d", len(rss.Items), len(atom.Entries), len(js.Items))
		}
		for format, got := range map[string][2]string{
			"rss":  {rss.Items[0].Title, rss.Items[0].Description},
			"atom": {atom.Entries[0].Title, atom.Entries[0].Summary},
			"json": {js.Items[0].Title, js.Items[0].Summary},
		} {
			if got[0] != in.Title || got[1] != in.Lead {
				t.Errorf("%s: decoded title %q, lead %q; want %q, %q", format, got[0], got[1], in.Title, in.Lead)
			}
		}
	})
}
