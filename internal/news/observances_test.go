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

// The secretariat adds, changes and removes an observed day from the
// page linked from the news work page; the calendar and its feed follow,
// every change is in the audit log, and a city's editor may not.
func TestSecretariatEditsObservances(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		u, pw := srv.User(auth.RoleAdmin, 0)
		c := srv.Client()
		c.Login(u.Email, pw)
		c.Get("/de/news/work").Expect(t, 200, `href="/de/admin/observances"`)
		c.Get("/de/admin/observances").Expect(t, 200, "Internationaler Tag des friedlichen Zusammenlebens", "Jedes Jahr am 16. Mai")
		form := url.Values{"key": {"diversity-day"}, "title_de": {"Düsseldorfer Tag der Vielfalt"}, "title_en": {"Düsseldorf Diversity Day"},
			"title_fr": {"Journée de la diversité de Düsseldorf"}, "about_de": {"Die Stadt feiert ihre Vielfalt."},
			"source_de": {"Rat der Stadt Düsseldorf"}, "day": {"30"}, "month": {"2"}, "since": {"2014"}, "city": {strconv.FormatInt(dus, 10)}}
		// Bad input: 422 in the page's language, what was typed kept, nothing stored.
		c.Post("/de/admin/observances/new", form).Expect(t, 422, "Wählen Sie einen Tag, den es in diesem Monat gibt.", "Düsseldorfer Tag der Vielfalt")
		bad := url.Values{"key": {"Tag der Vielfalt!"}, "day": {"5"}, "month": {"6"}}
		c.Post("/fr/admin/observances/new", bad).Expect(t, 422, "Saisissez un identifiant", "Saisissez le nom dans au moins une langue.")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM news_observances WHERE key = 'diversity-day'`); n != 0 {
			t.Fatal("a bad observance was stored")
		}
		form.Set("day", "5")
		form.Set("month", "6")
		res := c.Post("/de/admin/observances/new", form).Expect(t, 303)
		if !strings.HasPrefix(res.Header.Get("Location"), "/de/admin/observances#observance-") {
			t.Fatalf("after creating: %s", res.Header.Get("Location"))
		}
		c.Post("/de/admin/observances/new", form).Expect(t, 422, "Diese Kennung hat schon ein anderer Tag.")
		o, err := srv.App.News.Store.ObservanceByKey(context.Background(), "diversity-day")
		if err != nil || o.Month != 6 || o.Day != 5 || o.CityID != dus || o.Title["fr"] != "Journée de la diversité de Düsseldorf" {
			t.Fatalf("stored: %+v %v", o, err)
		}
		page := "/admin/observances/" + strconv.FormatInt(o.ID, 10)
		c.Get("/en/calendar/observances/diversity-day").Expect(t, 200, "Düsseldorf Diversity Day", "Every year on 5 June")
		ics := c.Get("/en/calendar.ics").Expect(t, 200, "UID:observance-diversity-day@observatory")
		if !strings.Contains(ics.Body, "RRULE:FREQ=YEARLY") {
			t.Fatal("no yearly rule")
		}
		// A change: the date moves, the sequence rises, the key stays.
		c.Get("/en"+page).Expect(t, 200, "Identifier: diversity-day", `value="Düsseldorf Diversity Day"`)
		form.Set("day", "7")
		form.Set("key", "another-key")
		c.Post("/en"+page, form).Expect(t, 303)
		o2, err := srv.App.News.Store.Observance(context.Background(), o.ID)
		if err != nil || o2.Day != 7 || o2.Key != "diversity-day" || o2.Sequence != o.Sequence+1 {
			t.Fatalf("after the change: %+v %v", o2, err)
		}
		// A news item points to it; removing the day keeps the item.
		in := item("de", "Vielfalt feiern", dus, "2027-06-07")
		in.Observance = o.ID
		itemID := create(t, srv.App.News.Store, in, news.StatePublished, time.Time{})
		c.Post("/en"+page+"/delete", url.Values{}).Expect(t, 200, "Delete “Düsseldorf Diversity Day”?")
		if testutil.Count(t, d, `SELECT COUNT(*) FROM news_observances WHERE id = $1`, o.ID) != 1 {
			t.Fatal("deleted without the yes")
		}
		c.Post("/en"+page+"/delete", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		c.Get("/en/calendar/observances/diversity-day").Expect(t, 404)
		if it, err := srv.App.News.Store.Get(context.Background(), itemID); err != nil || it.Observance != 0 {
			t.Fatalf("the item after the day went: %+v %v", it, err)
		}
		for _, action := range []string{"news.observance.create", "news.observance.update", "news.observance.delete"} {
			if testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target = $2`, action, "observance:"+strconv.FormatInt(o.ID, 10)) != 1 {
				t.Errorf("no audit entry %s", action)
			}
		}
		// A city's editor writes news but does not edit the days.
		eu, epw := srv.User(auth.RoleEditor, dus)
		e := srv.Client()
		e.Login(eu.Email, epw)
		e.Get("/de/news/work").Expect(t, 200).Lacks(t, "/admin/observances")
		e.Get("/de/admin/observances").Expect(t, 403)
		e.Post("/de/admin/observances/new", form).Expect(t, 403)
	})
}
