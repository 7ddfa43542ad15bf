package stats_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/i18n"
	"observatory/internal/stats"
	"observatory/internal/testutil"
)

// expected computes the figures with SQL of its own, not with the code
// under test.
type expected struct {
	cities, countries, continents, residents int64
	joins                                    map[int]int64
}

func compute(t *testing.T, d *db.DB) expected {
	t.Helper()
	var e expected
	err := d.R.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT country), COUNT(DISTINCT continent), COALESCE(SUM(population), 0)
		FROM cities WHERE membership = 'member'`).Scan(&e.cities, &e.countries, &e.continents, &e.residents)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := d.R.Query(`SELECT member_since FROM cities WHERE membership <> 'candidate' AND member_since IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	e.joins = map[int]int64{}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		y, _ := strconv.Atoi(s[:4])
		e.joins[y]++
	}
	return e
}

func TestFiguresAgreeWithTheDatabaseEverywhere(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		check := func(when string) {
			t.Helper()
			e := compute(t, d)
			if e.cities < 30 || e.residents < 60_000_000 {
				t.Fatalf("%s: implausible figures %+v", when, e)
			}
			want := map[string]int64{"stats.cities": e.cities, "stats.countries": e.countries, "stats.continents": e.continents, "stats.residents": e.residents}
			cat := s.App.Catalog
			for _, lang := range []string{"en", "de"} {
				home := c.Get("/"+lang+"/").Expect(t, 200).Body
				figs := c.Get("/"+lang+"/figures").Expect(t, 200, `role="img"`).Body
				for key, n := range want {
					shown := i18n.Number(lang, n)
					if !strings.Contains(home, "<dt>"+cat.T(lang, key)+"</dt><dd>"+shown+"</dd>") {
						t.Errorf("%s: home page (%s) does not show %s = %s", when, lang, key, shown)
					}
					if !strings.Contains(figs, `data-figure="`+key+`">`+shown+`<`) {
						t.Errorf("%s: figures page (%s) does not show %s = %s", when, lang, key, shown)
					}
				}
				for y, n := range e.joins {
					if !strings.Contains(figs, fmt.Sprintf(`<th scope="row">%d</th><td class="num">%s</td>`, y, i18n.Number(lang, n))) {
						t.Errorf("%s: figures page (%s) lacks %d new members in %d", when, lang, n, y)
					}
				}
			}
			var api struct{ Data stats.Network }
			if err := json.Unmarshal([]byte(c.Get("/api/v1/figures").Expect(t, 200).Body), &api.Data); err != nil {
				t.Fatal(err)
			}
			n := api.Data
			if n.Cities != e.cities || n.Countries != e.countries || n.Continents != e.continents || n.Residents != e.residents {
				t.Errorf("%s: API %+v, database %+v", when, n, e)
			}
			total := int64(0)
			for _, j := range n.Joins {
				if j.Count != e.joins[j.Year] {
					t.Errorf("%s: API has %d new members in %d, database %d", when, j.Count, j.Year, e.joins[j.Year])
				}
				total += j.Count
			}
			var all int64
			for _, v := range e.joins {
				all += v
			}
			if total != all {
				t.Errorf("%s: API counts %d joins, database %d", when, total, all)
			}
		}
		check("demo")

		// The figures follow every change: a new member in a new country,
		// a membership ended.
		admin, pw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, pw)
		a.Post("/en/cities/new", url.Values{"name": {"Nouakchott"}, "country": {"MR"}, "lat": {"18.0735"}, "lon": {"-15.9582"},
			"timezone": {"Africa/Nouakchott"}, "population": {"1195600"}, "population_year": {"2023"}, "description_lang": {"fr"},
			"membership": {"member"}, "member_since": {"2021"}}).Expect(t, 303)
		var rabat int64
		d.R.QueryRow(`SELECT id FROM cities WHERE slug = 'rabat'`).Scan(&rabat)
		a.Post(fmt.Sprintf("/en/cities/%d/membership", rabat), url.Values{"membership": {"former"}, "member_since": {"2015"}, "member_until": {"2022"}}).Expect(t, 303)
		check("after changes")
		if body := c.Get("/en/figures").Body; !regexp.MustCompile(`<th scope="row">2020</th><td class="num">0</td>`).MatchString(body) {
			t.Error("a year without new members is not shown as 0")
		}
	})
}
