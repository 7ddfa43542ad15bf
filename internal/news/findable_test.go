package news_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/news"
	"observatory/internal/site"
	"observatory/internal/testutil"
)

func loadDemo(t *testing.T, srv *testutil.Server) {
	t.Helper()
	if _, err := demo.Load(context.Background(), srv.App.DB, &auth.Store{DB: srv.App.DB, Hasher: auth.NewHasher(0)}); err != nil {
		t.Fatal(err)
	}
}

type sitemapDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Alts    []struct {
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func parseSitemap(t *testing.T, body string) sitemapDoc {
	t.Helper()
	var doc sitemapDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("sitemap does not parse: %v", err)
	}
	return doc
}

// Every address in the sitemap answers 200, in every language, with its
// alternates; past the limit per file, sitemap.xml is an index of parts;
// robots.txt names it.
func TestSitemapAddressesAnswer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		loadDemo(t, srv)
		c := srv.Client()
		c.Get("/robots.txt").Expect(t, 200, "Sitemap: "+srv.URL+"/sitemap.xml", "Disallow: /de/admin")
		doc := parseSitemap(t, c.Get("/sitemap.xml").Expect(t, 200).Body)
		if doc.XMLName.Local != "urlset" || len(doc.URLs) < 200 {
			t.Fatalf("sitemap: %s with %d addresses", doc.XMLName.Local, len(doc.URLs))
		}
		kinds := map[string]bool{}
		for _, u := range doc.URLs {
			path := strings.TrimPrefix(u.Loc, srv.URL)
			if path == u.Loc {
				t.Fatalf("%s is not an absolute address of the site", u.Loc)
			}
			res := c.Get(path)
			if res.StatusCode != 200 {
				t.Errorf("%s answers %d", path, res.StatusCode)
				continue
			}
			if len(u.Alts) != 4 {
				t.Errorf("%s has %d alternates, want de, en, fr and x-default", path, len(u.Alts))
			}
			if seg := strings.Split(path, "/"); len(seg) > 2 {
				kinds[seg[2]] = true
			}
			// The page names itself canonical and its alternates as the sitemap does.
			if !strings.Contains(res.Body, `<link rel="canonical" href="`+u.Loc+`">`) {
				t.Errorf("%s does not name itself canonical", path)
			}
			for _, a := range u.Alts {
				if a.Hreflang != "x-default" && !strings.Contains(res.Body, `hreflang="`+a.Hreflang+`" href="`+a.Href+`"`) {
					t.Errorf("%s lacks its %s alternate %s", path, a.Hreflang, a.Href)
				}
			}
		}
		for _, k := range []string{"news", "calendar", "press", "cities", "practices", "summits", "declarations"} {
			if !kinds[k] {
				t.Errorf("the sitemap lists no %s page", k)
			}
		}
		// Past the limit, an index of parts that hold every address once.
		old := site.MaxPerSitemap
		site.MaxPerSitemap = 100
		defer func() { site.MaxPerSitemap = old }()
		srv.App.Pages.Clear() // the sitemap kept was made under the other limit
		idx := parseSitemap(t, c.Get("/sitemap.xml").Expect(t, 200).Body)
		if idx.XMLName.Local != "sitemapindex" || len(idx.Sitemaps) != (len(doc.URLs)+99)/100 {
			t.Fatalf("index: %s with %d parts for %d addresses", idx.XMLName.Local, len(idx.Sitemaps), len(doc.URLs))
		}
		n := 0
		for _, sm := range idx.Sitemaps {
			part := parseSitemap(t, c.Get(strings.TrimPrefix(sm.Loc, srv.URL)).Expect(t, 200).Body)
			n += len(part.URLs)
		}
		if n != len(doc.URLs) {
			t.Errorf("the parts hold %d addresses, the whole %d", n, len(doc.URLs))
		}
		c.Get("/favicon.svg").Expect(t, 200, "<svg")
		c.Get("/manifest.webmanifest").Expect(t, 200, `"start_url"`)
		c.Get("/og-image.png").Expect(t, 200)
	})
}

var ogRe = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)

// Each kind of page carries schema.org JSON-LD that parses and has the
// right @type, a description, and Open Graph and Twitter tags with an image.
func TestStructuredData(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		loadDemo(t, srv)
		c := srv.Client()
		items, _, err := srv.App.News.Store.List(context.Background(), news.Filter{Limit: 100})
		if err != nil || len(items) < 6 {
			t.Fatalf("%d demo items, %v", len(items), err)
		}
		var withPhoto *news.Item
		for _, it := range items {
			if it.Image() != nil {
				withPhoto = it
			}
		}
		summits, _ := srv.App.Summits.Store.List(context.Background(), false)
		pages := map[string]string{
			"/en/":                       "Organization",
			"/de" + withPhoto.Path("de"): "NewsArticle",
			"/fr/calendar/observances/living-together":     "Event",
			"/en/summits/" + summits[len(summits)-1].Ref(): "Event",
			"/de/practices": "Dataset",
		}
		for path, want := range pages {
			res := c.Get(path).Expect(t, 200, `<meta name="description" content="`, `<meta name="twitter:card" content="summary_large_image">`, `<meta property="og:title"`)
			m := ldRe.FindAllStringSubmatch(res.Body, -1)
			if len(m) == 0 {
				t.Errorf("%s has no JSON-LD", path)
				continue
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(m[0][1]), &obj); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v\n%s", path, err, m[0][1])
				continue
			}
			if obj["@type"] != want || obj["@context"] != "https://schema.org" {
				t.Errorf("%s: @type %v, want %s", path, obj["@type"], want)
			}
			if want == "Event" {
				loc, _ := json.Marshal(obj["location"])
				if !strings.Contains(string(loc), `"@type":"Place"`) {
					t.Errorf("%s: the event has no Place: %s", path, loc)
				}
			}
			if want == "NewsArticle" && (obj["image"] == nil || obj["datePublished"] == nil) {
				t.Errorf("%s: the article lacks its image or date: %v", path, obj)
			}
			img := ogRe.FindStringSubmatch(res.Body)
			if img == nil || !strings.HasPrefix(img[1], srv.URL+"/") {
				t.Errorf("%s: og:image %v is not an absolute address", path, img)
				continue
			}
			c.Get(strings.TrimPrefix(img[1], srv.URL)).Expect(t, 200)
		}
	})
}

// The iCalendar feeds parse with a real parser: a yearly observance is one
// event with a yearly rule, found in each of the next three years; sessions
// keep their zone; UIDs are stable and SEQUENCE grows on a change.
func TestICalendarFeeds(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		loadDemo(t, srv)
		c := srv.Client()
		parse := func(path string) *ical.Calendar {
			t.Helper()
			res := c.Get(path).Expect(t, 200, "REFRESH-INTERVAL;VALUE=DURATION:PT12H")
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
				t.Errorf("%s: %s", path, ct)
			}
			cal, err := ical.NewDecoder(strings.NewReader(res.Body)).Decode()
			if err != nil {
				t.Fatalf("%s does not parse: %v", path, err)
			}
			return cal
		}
		cal := parse("/en/calendar.ics")
		events := map[string]ical.Event{}
		for _, e := range cal.Events() {
			uid, _ := e.Props.Text(ical.PropUID)
			if _, dup := events[uid]; dup {
				t.Errorf("UID %s twice", uid)
			}
			events[uid] = e
		}
		obs, ok := events["observance-living-together@observatory"]
		if !ok {
			t.Fatalf("no 16 May in the feed (%d events)", len(events))
		}
		set, err := obs.RecurrenceSet(time.UTC)
		if err != nil || set == nil {
			t.Fatalf("16 May has no recurrence: %v", err)
		}
		now := time.Now().UTC()
		for y := now.Year() + 1; y <= now.Year()+3; y++ {
			got := set.Between(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC), true)
			if len(got) != 1 || got[0].Month() != time.May || got[0].Day() != 16 {
				t.Errorf("16 May in %d: %v", y, got)
			}
		}
		if sum, _ := obs.Props.Text(ical.PropSummary); sum != "International Day of Living Together in Peace" {
			t.Errorf("summary %q", sum)
		}
		// A session of the coming summit, in its zone.
		var session *ical.Event
		for uid, e := range events {
			if strings.HasPrefix(uid, "summit-session-") {
				e := e
				session = &e
			}
		}
		if session == nil {
			t.Fatal("no summit session in the feed")
		}
		start := session.Props.Get(ical.PropDateTimeStart)
		if start.Params.Get(ical.ParamTimezoneID) != "Europe/Paris" {
			t.Errorf("session start %v, want TZID=Europe/Paris", start)
		}
		if at, err := session.DateTimeStart(time.UTC); err != nil || at.IsZero() {
			t.Errorf("session start does not resolve: %v", err)
		}
		if len(cal.Children) == 0 || cal.Children[0].Name != ical.CompTimezone {
			t.Errorf("no VTIMEZONE before the events")
		}
		// Filters: only observances, and one city's dates.
		for _, e := range parse("/de/calendar.ics?kind=observance").Events() {
			if cat, _ := e.Props.Text(ical.PropCategories); cat != "OBSERVANCE" {
				t.Errorf("kind=observance has %s", cat)
			}
		}
		// Add to my calendar: one event; a change raises its SEQUENCE.
		one := parse("/fr/calendar/event.ics?uid=observance-living-together@observatory")
		if len(one.Events()) != 1 {
			t.Fatalf("%d events for one date", len(one.Events()))
		}
		seq := func() int {
			e := parse("/fr/calendar/event.ics?uid=observance-living-together@observatory").Events()[0]
			n, _ := strconv.Atoi(e.Props.Get(ical.PropSequence).Value)
			return n
		}
		before := seq()
		o, _ := srv.App.News.Store.ObservanceByKey(context.Background(), "living-together")
		if err := srv.App.News.Store.SaveObservance(context.Background(), admin, news.ObservanceInput{Key: o.Key, Lang: "en",
			Title: "International Day of Living Together in Peace", Source: "United Nations General Assembly, December 2017", Month: 5, Day: 16, Since: 2018}); err != nil {
			t.Fatal(err)
		}
		if after := seq(); after <= before {
			t.Errorf("SEQUENCE %d after a change, was %d", after, before)
		}
		// The observance's page says its rule and lists its next dates; the
		// city's event for it is linked.
		c.Get("/de/calendar/observances/living-together").Expect(t, 200, "Jedes Jahr am 16. Mai", "16. Mai "+strconv.Itoa(now.Year()+1),
			"Runder Tisch bei der UNESCO")
		c.Get("/de/calendar?view=list&month=2019-05").Expect(t, 200, "Internationaler Tag des friedlichen Zusammenlebens", "Düsseldorfer Diversity-Tag", "Runder Tisch")
		c.Get("/en/calendar?month=2027-06").Expect(t, 200, "calendar-month")
	})
}
