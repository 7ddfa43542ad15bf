package practice_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// addCity inserts a city the way the cities capability stores one.
func addCity(t testing.TB, d *db.DB, slug, name string, names i18n.Text, country, continent string) int64 {
	return testutil.AddCity(t, d, testutil.City{Slug: slug, Name: name, Names: names, Country: country, Continent: continent})
}

// world is a small network: three cities on two continents.
type world struct {
	d                    *db.DB
	dus, ouaga, montreal int64
}

func newWorld(t testing.TB, d *db.DB) world {
	return world{d: d,
		dus:      addCity(t, d, "dusseldorf", "Düsseldorf", i18n.Text{"de": "Düsseldorf", "fr": "Düsseldorf"}, "DE", "europe"),
		ouaga:    addCity(t, d, "ouagadougou", "Ouagadougou", nil, "BF", "africa"),
		montreal: addCity(t, d, "montreal", "Montréal", i18n.Text{"en": "Montreal", "fr": "Montréal"}, "CA", "north-america"),
	}
}

// publish stores and publishes a practice directly through the store.
func publish(t testing.TB, s *practice.Store, rec practice.Record) int64 {
	t.Helper()
	ctx := context.Background()
	admin := practice.Actor{Email: "test@example.org"}
	id, err := s.Create(ctx, admin, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// rec is a complete record in one language.
func rec(city int64, lang, title, summary, body string, themes ...string) practice.Record {
	return practice.Record{Lang: lang, CityID: city, Title: i18n.Text{lang: title}, Summary: i18n.Text{lang: summary},
		Body: i18n.Text{lang: body}, Themes: themes, Status: "running", Start: "2018-03"}
}

var workID = regexp.MustCompile(`/practices/(\d+)/work`)

// createByForm creates a draft through the form and returns its id.
func createByForm(t *testing.T, c *testutil.Client, form url.Values) int64 {
	t.Helper()
	res := c.Post("/en/practices/new", form).Expect(t, 303)
	m := workID.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("after creating: %s", res.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}
