package news_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// The editor offers the cities in the reader's alphabetical order, and the
// work and edit pages show publishing times in words, in the network's
// zone with its short name: never "UTC" nor a machine time.
func TestNewsAdminReadsAsPeopleWrite(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		mos := addCity(t, d, "mostar", "Mostar", "Europe/Sarajevo")
		mal := addCity(t, d, "malaga", "Málaga", "Europe/Madrid")
		u, pw := srv.User(auth.RoleAdmin, 0)
		c := srv.Client()
		c.Login(u.Email, pw)

		// Málaga before Mostar (byte order puts it after), in the editor and the list's filter.
		for _, page := range []string{"/en/news/new", "/de/news/new"} {
			body := c.Get(page).Expect(t, 200, ">Málaga<", ">Mostar<").Body
			if strings.Index(body, ">Málaga<") > strings.Index(body, ">Mostar<") {
				t.Errorf("%s: cities not in alphabetical order", page)
			}
		}
		s := srv.App.News.Store
		create(t, s, item("en", "Malaga news", mal, "2027-06-01"), news.StatePublished, time.Time{})
		create(t, s, item("en", "Mostar news", mos, "2027-06-01"), news.StatePublished, time.Time{})
		body := c.Get("/en/news").Expect(t, 200).Body
		if i, j := strings.Index(body, ">Málaga<"), strings.Index(body, ">Mostar<"); i < 0 || j < 0 || i > j {
			t.Errorf("news filter: Málaga at %d, Mostar at %d", i, j)
		}

		// A Düsseldorf item scheduled for 20:30 there; one about no city at
		// 10:00, entered in the network's zone.
		city := create(t, s, item("en", "Summer festival", dus, "2099-06-08"), news.StateDraft, time.Time{})
		network := create(t, s, item("en", "Network letter", 0, "2099-01-10"), news.StateDraft, time.Time{})
		c.Post("/en/news/"+strconv.FormatInt(city, 10)+"/state", url.Values{"state": {"scheduled"}, "publish_at": {"2099-06-08T20:30"}}).Expect(t, 303)
		c.Post("/en/news/"+strconv.FormatInt(network, 10)+"/state", url.Values{"state": {"scheduled"}, "publish_at": {"2099-01-10T10:00"}}).Expect(t, 303)
		if it, err := s.Get(context.Background(), network); err != nil || it.PublishAt == nil || !it.PublishAt.Equal(time.Date(2099, 1, 10, 9, 0, 0, 0, time.UTC)) {
			t.Fatalf("network item scheduled at %v (%v), want 09:00 UTC (10:00 in Berlin)", it.PublishAt, err)
		}
		c.Get("/en/news/work").Expect(t, 200, "8 June 2099, 8:30 pm CEST", "10 January 2099, 10:00 am CET").
			Lacks(t, "UTC", "2099-06-08T", "2099-01-10T", "18:30")
		c.Get("/de/news/work").Expect(t, 200, "8. Juni 2099, 20:30 Uhr CEST").Lacks(t, "UTC")
		c.Get("/fr/news/"+strconv.FormatInt(city, 10)+"/edit").Expect(t, 200, "8 juin 2099, 20 h 30 CEST").Lacks(t, "UTC")
		c.Get("/en/news/"+strconv.FormatInt(network, 10)+"/edit").Expect(t, 200, "10 January 2099, 10:00 am CET", "(Europe/Berlin)").Lacks(t, "UTC")
	})
}
