package city_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

type apiList struct {
	Data []city.APICity `json:"items"`
	Next *string        `json:"next"`
}

func TestAPIListPagesWithCursor(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		c := s.Client()
		for _, sort := range []string{"name", "population", "joined"} {
			var got []string
			next := "/api/v1/cities?status=all&limit=7&sort=" + sort
			pages := 0
			for next != "" {
				res := c.Get(next).Expect(t, 200)
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Fatalf("content type %s", ct)
				}
				var l apiList
				if err := json.Unmarshal([]byte(res.Body), &l); err != nil {
					t.Fatal(err)
				}
				for _, x := range l.Data {
					got = append(got, x.Slug)
				}
				next = ""
				if l.Next != nil {
					next = *l.Next
				}
				pages++
			}
			if len(got) != 40 || pages != 6 {
				t.Errorf("sort %s: %d cities in %d pages, want 40 in 6", sort, len(got), pages)
			}
			seen := map[string]bool{}
			for _, s := range got {
				if seen[s] {
					t.Errorf("sort %s: %s twice", sort, s)
				}
				seen[s] = true
			}
			if sort == "population" && got[0] != "moscow" {
				t.Errorf("largest first: %s", got[0])
			}
		}
		// A cursor keeps working when a city is added in between.
		var first apiList
		json.Unmarshal([]byte(c.Get("/api/v1/cities?limit=2").Body), &first)
		addCities(t, d, 0, 1) // "Testville 0000" sorts after the first page
		var second apiList
		json.Unmarshal([]byte(c.Get(*first.Next).Body), &second)
		if second.Data[0].Slug == first.Data[1].Slug || second.Data[0].Slug != "arnhem" {
			t.Errorf("second page starts with %s", second.Data[0].Slug)
		}
		// Filters as in the directory.
		var de apiList
		json.Unmarshal([]byte(c.Get("/api/v1/cities?country=DE&joined=2016").Body), &de)
		if len(de.Data) != 1 || de.Data[0].Slug != "dusseldorf" || de.Data[0].Membership.Since == nil || *de.Data[0].Membership.Since != "2016" {
			t.Errorf("filtered: %+v", de.Data)
		}
		// Bad parameters: 400 with a message, in the caller's language.
		for q, want := range map[string]string{
			"sort=size": `"parameter":"sort"`, "country=ZZ": "Choose a country", "limit=0": `"parameter":"limit"`, "limit=x": `"code":"bad-parameter"`,
			"cursor=garbage": `"parameter":"cursor"`, "colour=red": `"code":"unknown-parameter"`, "joined=soon": `"parameter":"joined"`,
			"continent=atlantis": "no such continent",
		} {
			res := c.Get("/api/v1/cities?"+q).Expect(t, 400, want)
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: error is not JSON", q)
			}
		}
		c.Get("/api/v1/cities?sort=size", "Accept-Language", "fr").Expect(t, 400, "Triez par nom")
		// A cursor of another sort order is refused.
		var byName apiList
		json.Unmarshal([]byte(c.Get("/api/v1/cities?limit=1").Body), &byName)
		u, _ := url.Parse(*byName.Next)
		c.Get("/api/v1/cities?sort=population&cursor="+url.QueryEscape(u.Query().Get("cursor"))).Expect(t, 400, `"parameter":"cursor"`)
	})
}

func TestAPICity(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		c := s.Client()
		dus := cityID(t, d, "dusseldorf")
		res := c.Get(fmt.Sprintf("/api/v1/cities/%d", dus)).Expect(t, 200)
		var x city.APICityDetail
		if err := json.Unmarshal([]byte(res.Body), &x); err != nil {
			t.Fatal(err)
		}
		if x.Name != "Düsseldorf" || x.Country != "DE" || x.Continent != "europe" || *x.Population != 619294 || *x.PopulationYear != 2018 ||
			x.Timezone != "Europe/Berlin" || x.URL != fmt.Sprintf("%s/en/cities/%d-dusseldorf", s.URL, dus) || x.Membership.Status != "member" {
			t.Errorf("city: %+v", x.APICity)
		}
		if len(x.Partnerships) != 8 || len(x.People) != 3 || *x.ForeignResidents.Total != 148000 || *x.ForeignResidents.AsOf != "2018-11-30" ||
			len(x.ForeignResidents.Groups) != 5 || x.ForeignResidents.Groups[0].Country != "TR" || x.Description["de"] == "" {
			t.Errorf("detail: %+v", x)
		}
		for _, want := range []string{`"updated_at":"20`, `"photo_url":null`, `"until":null`, `"partner_id":null`, `"since":null`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("detail lacks %s", want)
			}
		}
		c.Get("/api/v1/cities/99999").Expect(t, 404, `"code":"not-found"`)
		c.Get("/api/v1/cities/abc").Expect(t, 404, `"code":"not-found"`)
	})
}

func TestCSVExport(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		// A hostile name must not become a formula in a spreadsheet.
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			c := &city.City{Name: "=HYPERLINK(\"http://evil.example\")", Region: "@SUM(1+1)", Country: "FR", Lat: 45, Lon: -1.5,
				Timezone: "Europe/Paris", DescriptionLang: "fr", Membership: city.Member, MemberSince: "2019"}
			if p := c.Check(); len(p) > 0 {
				return fmt.Errorf("%v", p)
			}
			return city.Create(context.Background(), tx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		res := c.Get("/de/cities.csv?continent=europe&sort=population").Expect(t, 200)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("headers: %v", res.Header)
		}
		body, bom := strings.CutPrefix(res.Body, "\ufeff")
		if !bom {
			t.Error("no byte-order mark: spreadsheets would misread the accents")
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0][:4], ",") != "id,Name,Land,Ländercode" {
			t.Errorf("header: %v", rows[0])
		}
		if rows[1][1] != "Moskau" || rows[1][2] != "Russland" {
			t.Errorf("first row: %v", rows[1])
		}
		for _, r := range rows[1:] {
			if r[4] != "Europa" {
				t.Errorf("the continent filter let through %v", r)
			}
			for _, cell := range r {
				if cell != "" && strings.ContainsAny(cell[:1], "=+@") {
					t.Errorf("unescaped cell %q", cell)
				}
			}
		}
		if !strings.Contains(res.Body, `'=HYPERLINK(""http://evil.example"")`) || !strings.Contains(res.Body, "'@SUM(1+1)") {
			t.Errorf("hostile cells not escaped:\n%s", res.Body)
		}
		if !strings.Contains(res.Body, ",-1.5,") {
			t.Error("a negative longitude should stay a number")
		}
		c.Get("/en/cities.csv?sort=size").Expect(t, 400)
	})
}
