package practice_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// What a feed reader takes from a feed, whatever its format.
type feedView struct {
	Title, Subtitle, Lang, Link string
	Entries                     []feedItem
}

type feedItem struct {
	ID, Title, Link, Summary, City string
	Published                      time.Time
	Categories                     []string
}

// The three formats as a reader parses them.
type atomDoc struct {
	XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string   `xml:"lang,attr"`
	Title    string   `xml:"title"`
	Subtitle string   `xml:"subtitle"`
	ID       string   `xml:"id"`
	Updated  string   `xml:"updated"`
	Links    []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Summary   string `xml:"summary"`
		Links     []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Author struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Categories []struct {
			Term  string `xml:"term,attr"`
			Label string `xml:"label,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string     `xml:"title"`
		Links []struct { // the channel's link, and the feed's own as atom:link
			XMLName xml.Name
			Href    string `xml:"href,attr"`
			Value   string `xml:",chardata"`
		} `xml:"link"`
		Description string `xml:"description"`
		Language    string `xml:"language"`
		Items       []struct {
			Title       string   `xml:"title"`
			Link        string   `xml:"link"`
			Description string   `xml:"description"`
			GUID        string   `xml:"guid"`
			PubDate     string   `xml:"pubDate"`
			Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Categories  []string `xml:"category"`
		} `xml:"item"`
	} `xml:"channel"`
}

type jsonFeedDoc struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Language    string `json:"language"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Items       []struct {
		ID            string    `json:"id"`
		URL           string    `json:"url"`
		Title         string    `json:"title"`
		Summary       string    `json:"summary"`
		ContentText   string    `json:"content_text"`
		DatePublished time.Time `json:"date_published"`
		Authors       []struct {
			Name string `json:"name"`
		} `json:"authors"`
		Tags []string `json:"tags"`
	} `json:"items"`
}

var feedFormats = map[string]string{"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}

// getFeed fetches a feed and reads it the way its format says.
func getFeed(t *testing.T, c *testutil.Client, lang, format, query string) feedView {
	t.Helper()
	path := "/" + lang + "/practices/feed." + format
	if query != "" {
		path += "?" + query
	}
	res := c.Get(path).Expect(t, 200)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, feedFormats[format]) {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	var v feedView
	switch format {
	case "atom":
		var d atomDoc
		if err := xml.Unmarshal([]byte(res.Body), &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, res.Body)
		}
		if d.ID == "" || d.Updated == "" {
			t.Errorf("%s: the feed lacks an id or updated", path)
		}
		v = feedView{Title: d.Title, Subtitle: d.Subtitle, Lang: d.Lang}
		for _, l := range d.Links {
			if l.Rel == "alternate" {
				v.Link = l.Href
			}
		}
		for _, e := range d.Entries {
			it := feedItem{ID: e.ID, Title: e.Title, Summary: e.Summary, City: e.Author.Name}
			for _, l := range e.Links {
				if l.Rel == "alternate" {
					it.Link = l.Href
				}
			}
			var err error
			if it.Published, err = time.Parse(time.RFC3339, e.Published); err != nil || e.Updated == "" {
				t.Errorf("%s: entry %q: published %q, updated %q", path, e.Title, e.Published, e.Updated)
			}
			for _, c := range e.Categories {
				it.Categories = append(it.Categories, c.Label)
			}
			v.Entries = append(v.Entries, it)
		}
	case "rss":
		var d rssDoc
		if err := xml.Unmarshal([]byte(res.Body), &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, res.Body)
		}
		if d.Version != "2.0" {
			t.Errorf("%s: RSS version %q", path, d.Version)
		}
		ch := d.Channel
		v = feedView{Title: ch.Title, Subtitle: ch.Description, Lang: ch.Language}
		for _, l := range ch.Links {
			if l.XMLName.Space == "" {
				v.Link = l.Value
			} else if !strings.HasPrefix(l.Href, srv(res)+res.Request.URL.Path) {
				t.Errorf("%s: self link %q", path, l.Href)
			}
		}
		for _, e := range ch.Items {
			it := feedItem{ID: e.GUID, Title: e.Title, Link: e.Link, Summary: e.Description, City: e.Creator}
			var err error
			if it.Published, err = time.Parse(time.RFC1123Z, e.PubDate); err != nil {
				t.Errorf("%s: item %q: pubDate %q", path, e.Title, e.PubDate)
			}
			// The city comes first among the categories, the themes after it.
			if len(e.Categories) == 0 || e.Categories[0] != e.Creator {
				t.Errorf("%s: item %q: categories %q, creator %q", path, e.Title, e.Categories, e.Creator)
			} else {
				it.Categories = e.Categories[1:]
			}
			v.Entries = append(v.Entries, it)
		}
	case "json":
		var d jsonFeedDoc
		if err := json.Unmarshal([]byte(res.Body), &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, res.Body)
		}
		if d.Version != "https://jsonfeed.org/version/1.1" || !strings.HasPrefix(d.FeedURL, "http") {
			t.Errorf("%s: version %q, feed_url %q", path, d.Version, d.FeedURL)
		}
		v = feedView{Title: d.Title, Subtitle: d.Description, Lang: d.Language, Link: d.HomePageURL}
		for _, e := range d.Items {
			it := feedItem{ID: e.ID, Title: e.Title, Link: e.URL, Summary: e.Summary, Published: e.DatePublished, Categories: e.Tags}
			if len(e.Authors) == 1 {
				it.City = e.Authors[0].Name
			}
			if e.ContentText == "" {
				t.Errorf("%s: item %q has no content", path, e.Title)
			}
			v.Entries = append(v.Entries, it)
		}
	}
	return v
}

// srv is the address the response came from.
func srv(res *testutil.Response) string { return res.Request.URL.Scheme + "://" + res.Request.URL.Host }

var feedLinkID = regexp.MustCompile(`/practices/(\d+)-`)

// ids reads the practices' numbers from the entries' links and checks that
// the links are absolute addresses of practice pages in lang, and that
// every entry has an id, the others' ids differ and times go newest first.
func (v feedView) ids(t *testing.T, base, lang string) []int64 {
	t.Helper()
	var out []int64
	seen := map[string]bool{}
	for i, e := range v.Entries {
		if !strings.HasPrefix(e.Link, base+"/"+lang+"/practices/") {
			t.Errorf("entry %q: link %q is not an absolute address under %s", e.Title, e.Link, base)
		}
		m := feedLinkID.FindStringSubmatch(e.Link)
		if m == nil {
			t.Fatalf("entry %q: link %q", e.Title, e.Link)
		}
		if e.ID == "" || seen[e.ID] {
			t.Errorf("entry %q: id %q missing or repeated", e.Title, e.ID)
		}
		seen[e.ID] = true
		if i > 0 && e.Published.After(v.Entries[i-1].Published) {
			t.Errorf("entry %q is newer than the one before it", e.Title)
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// The three feeds hold the published practices, newest first, with
// absolute links; they follow the list page's filters and the reader's
// language; drafts never appear.
func TestFeeds(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.Practices.Store
		w, ids := library(t, d, s)
		draft, err := s.Create(context.Background(), practice.Actor{Email: "test@example.org"},
			rec(w.montreal, "en", "Unfinished Draftwort", "Not ready.", "Still being written.", "public-space"))
		if err != nil {
			t.Fatal(err)
		}
		named := func(names ...string) []int64 {
			var out []int64
			for _, n := range names {
				out = append(out, ids[n])
			}
			return out
		}
		// Published one after another: the last one is the newest.
		all := named("parking", "city-of-light", "welcome", "housing", "square", "school")
		c := srv.Client()
		terms, err := s.Terms(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for format := range feedFormats {
			t.Run(format, func(t *testing.T) {
				f := getFeed(t, c, "en", format, "")
				if got := f.ids(t, srv.URL, "en"); !slices.Equal(got, all) {
					t.Errorf("entries %v, want %v", got, all)
				}
				if f.Title != "New best practices · Observatory" || f.Lang != "en" || f.Link != srv.URL+"/en/practices" || f.Subtitle == "" {
					t.Errorf("feed: %q %q %q %q", f.Title, f.Lang, f.Link, f.Subtitle)
				}
				for _, e := range f.Entries {
					if e.Title == "" || e.Summary == "" || e.City == "" || len(e.Categories) == 0 {
						t.Errorf("entry lacks a title, summary, city or theme: %+v", e)
					}
					if strings.Contains(e.Title, "Draftwort") || strings.Contains(e.Link, fmt.Sprintf("/%d-", draft)) {
						t.Errorf("the draft is in the feed: %+v", e)
					}
				}
				first := f.Entries[0] // parking
				if first.Title != "Parking spaces become gardens" || first.City != "Montreal" ||
					!slices.Equal(first.Categories, []string{terms.Name(practice.KindTheme, "public-space", "en")}) {
					t.Errorf("first entry: %+v", first)
				}
				// The link leads to the practice's page.
				c.Get(strings.TrimPrefix(first.Link, srv.URL)).Expect(t, 200, "Parking spaces become gardens")

				// Filters change the entries and the feed's title.
				theme := getFeed(t, c, "en", format, "theme=public-space")
				if got := theme.ids(t, srv.URL, "en"); !slices.Equal(got, named("parking", "square")) {
					t.Errorf("theme filter: %v", got)
				}
				if !strings.Contains(theme.Title, "Public space") || !strings.Contains(theme.Subtitle, "Public space") ||
					theme.Link != srv.URL+"/en/practices?theme=public-space" {
					t.Errorf("theme filter: %q %q %q", theme.Title, theme.Subtitle, theme.Link)
				}
				city := getFeed(t, c, "en", format, "city=montreal")
				if got := city.ids(t, srv.URL, "en"); !slices.Equal(got, named("parking", "city-of-light")) {
					t.Errorf("city filter: %v", got)
				}
				if !strings.Contains(city.Title, "Montreal") {
					t.Errorf("city filter title: %q", city.Title)
				}
				// A query orders newest first too, as a feed must.
				q := getFeed(t, c, "en", format, "q=parking&sort=relevance")
				if got := q.ids(t, srv.URL, "en"); !slices.Equal(got, named("parking", "city-of-light", "welcome")) {
					t.Errorf("query: %v", got)
				}
				if !strings.Contains(q.Title, "“parking”") {
					t.Errorf("query title: %q", q.Title)
				}
				// What the list page ignores, the feed ignores: a year that is
				// not a number, a page, a size, an order.
				odd := getFeed(t, c, "en", format, "year=soon&page=3&size=1&sort=title")
				if got := odd.ids(t, srv.URL, "en"); !slices.Equal(got, all) {
					t.Errorf("ignored parameters: %v", got)
				}
				none := getFeed(t, c, "en", format, "theme=no-such-theme")
				if len(none.Entries) != 0 || !strings.Contains(none.Title, "no-such-theme") {
					t.Errorf("unknown theme: %q, %d entries", none.Title, len(none.Entries))
				}

				// The reader's language: titles where a translation exists,
				// the original otherwise; the feed's own words.
				de := getFeed(t, c, "de", format, "")
				if got := de.ids(t, srv.URL, "de"); !slices.Equal(got, all) {
					t.Errorf("de: %v", got)
				}
				titles := func(v feedView) map[int64]string {
					m := map[int64]string{}
					for i, id := range v.ids(t, srv.URL, v.Lang) {
						m[id] = v.Entries[i].Title
					}
					return m
				}
				en, ger := titles(f), titles(de)
				if en[ids["housing"]] != "Affordable homes in every district" || ger[ids["housing"]] != "Bezahlbar wohnen in allen Stadtteilen" {
					t.Errorf("housing: en %q, de %q", en[ids["housing"]], ger[ids["housing"]])
				}
				if ger[ids["parking"]] != "Parking spaces become gardens" {
					t.Errorf("an untranslated title in German: %q", ger[ids["parking"]])
				}
				if de.Lang != "de" || !strings.HasPrefix(de.Title, "Neue Praxisbeispiele") || de.Link != srv.URL+"/de/practices" {
					t.Errorf("de feed: %q %q %q", de.Lang, de.Title, de.Link)
				}
				fr := getFeed(t, c, "fr", format, "theme=public-space")
				if !strings.HasPrefix(fr.Title, "Nouvelles bonnes pratiques") || !strings.Contains(fr.Title, "Espace public") {
					t.Errorf("fr feed: %q", fr.Title)
				}
			})
		}
	})
}

// A feed holds the newest fifty, and a reader that has the current one
// is told so until something is published.
func TestFeedSizeAndRevalidation(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.Practices.Store
		w := newWorld(t, d)
		var ids []int64
		for i := range 53 {
			ids = append(ids, publish(t, s, rec(w.dus, "en", fmt.Sprintf("Practice number %d", i), "A summary.", "A text.", "housing")))
		}
		c := srv.Client()
		f := getFeed(t, c, "en", "atom", "")
		slices.Reverse(ids)
		if got := f.ids(t, srv.URL, "en"); !slices.Equal(got, ids[:50]) {
			t.Errorf("entries %v, want the newest fifty %v", got, ids[:50])
		}

		res := c.Get("/en/practices/feed.atom").Expect(t, 200)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		c.Get("/en/practices/feed.atom", "If-None-Match", etag).Expect(t, 304)
		if other := c.Get("/de/practices/feed.atom").Header.Get("ETag"); other == etag {
			t.Errorf("the German feed has the English one's ETag")
		}
		newest := publish(t, s, rec(w.ouaga, "fr", "Une bibliothèque de rue", "Des livres dans la rue.", "Texte.", "culture"))
		res = c.Get("/en/practices/feed.atom", "If-None-Match", etag).Expect(t, 200, "Une bibliothèque de rue")
		if res.Header.Get("ETag") == etag {
			t.Errorf("the ETag did not change after a publication")
		}
		if got := getFeed(t, c, "en", "atom", "").ids(t, srv.URL, "en"); got[0] != newest || len(got) != 50 {
			t.Errorf("after a publication: first %d of %d, want %d", got[0], len(got), newest)
		}
	})
}

// The list page offers the feed of its search, visibly and to feed
// readers, and that feed holds what the page lists.
func TestListLinksItsFeed(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		_, ids := library(t, d, srv.App.Practices.Store)
		c := srv.Client()
		page := c.Get("/en/practices?theme=public-space&sort=title&page=1").Expect(t, 200,
			`<link rel="alternate" type="application/atom+xml"`, "Follow these results as a feed")
		m := regexp.MustCompile(`<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no Atom link in the head")
		}
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		u, err := url.Parse(href)
		if err != nil || u.Path != "/en/practices/feed.atom" || u.Query().Get("theme") != "public-space" || u.Query().Has("sort") {
			t.Fatalf("feed link %q", href)
		}
		if !strings.Contains(page.Body, `href="`+m[1]+`" type="application/atom+xml"`) {
			t.Errorf("the visible link is not the head's")
		}
		f := getFeed(t, c, "en", "atom", u.RawQuery)
		if got := f.ids(t, srv.URL, "en"); !slices.Equal(got, []int64{ids["parking"], ids["square"]}) {
			t.Errorf("linked feed: %v", got)
		}
		// The exports beside it keep the search too.
		page.Expect(t, 200, `href="/en/practices/export.csv?sort=title&amp;theme=public-space"`, `href="/api/v1/practices?sort=title&amp;theme=public-space"`)
		c.Get("/de/practices").Expect(t, 200, "Neue Praxisbeispiele als Feed abonnieren", `href="/de/practices/feed.rss"`)
		c.Get("/fr/practices?q=jardin").Expect(t, 200, "S’abonner au flux de ces résultats", `href="/fr/practices/feed.json?q=jardin"`)
	})
}

// An entry is published when its practice first was and updated when its
// public version last changed.
func TestFeedEntryUpdatedByRevision(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.Practices.Store
		w := newWorld(t, d)
		ctx := context.Background()
		a := practice.Actor{Email: "test@example.org"}
		id := publish(t, s, rec(w.dus, "en", "Street libraries", "Books on the street.", "Text.", "culture"))
		if _, err := d.W.ExecContext(ctx, `UPDATE practices SET published_at = $1, revised_at = $1 WHERE id = $2`,
			time.Date(2020, 1, 2, 10, 0, 0, 0, time.UTC), id); err != nil {
			t.Fatal(err)
		}
		p, err := s.Work(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		next := *p.Head
		next.Summary = i18n.Text{"en": "Books on every street corner."}
		if _, err := s.Save(ctx, a, id, p.HeadNumber, next); err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, a, id); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, a, id); err != nil {
			t.Fatal(err)
		}
		var doc atomDoc
		if err := xml.Unmarshal([]byte(srv.Client().Get("/en/practices/feed.atom").Expect(t, 200).Body), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Entries) != 1 {
			t.Fatalf("%d entries", len(doc.Entries))
		}
		e := doc.Entries[0]
		if !strings.HasPrefix(e.Published, "2020-01-02") || strings.HasPrefix(e.Updated, "2020") || e.Summary != "Books on every street corner." {
			t.Errorf("entry published %s, updated %s, summary %q", e.Published, e.Updated, e.Summary)
		}
		if doc.Updated != e.Updated {
			t.Errorf("feed updated %s, its entry %s", doc.Updated, e.Updated)
		}
	})
}

// Every format carries a title and a summary with the characters that
// markup escapes exactly as they were written: escaped once, so a reader
// that decodes the document gets the original text back.
func TestFeedsEscapeOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		title := `Rock & Roll <b>"Bühne"</b> it's 1 < 2 > 0`
		summary := `Tom & Jerry's <script>alert("x")</script> &amp; 'quotes' "double" < > &`
		publish(t, srv.App.Practices.Store, rec(w.dus, "en", title, summary, "Text.", "culture"))
		c := srv.Client()
		for _, format := range []string{"atom", "rss", "json"} {
			v := getFeed(t, c, "en", format, "")
			if len(v.Entries) != 1 {
				t.Fatalf("%s: %d entries", format, len(v.Entries))
			}
			if e := v.Entries[0]; e.Title != title || e.Summary != summary {
				t.Errorf("%s: decoded title %q, summary %q; want %q, %q", format, e.Title, e.Summary, title, summary)
			}
		}
	})
}
