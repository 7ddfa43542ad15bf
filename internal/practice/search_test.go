package practice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// library publishes a small multilingual library and returns the ids by name.
func library(t *testing.T, d *db.DB, s *practice.Store) (world, map[string]int64) {
	w := newWorld(t, d)
	ids := map[string]int64{}
	add := func(name string, r practice.Record) { ids[name] = publish(t, s, r) }
	school := rec(w.dus, "de", "Eine Schule für gesunde Kinder", "Die Schule im Stadtteil kocht frisch.",
		"Kinder, die oft krank waren, lernen jetzt gesund. Die Stadt zahlt das Essen.", "education", "health")
	school.Groups = []string{"children"}
	add("school", school)
	add("square", rec(w.dus, "de", "Vom tristen Platz zum Treffpunkt", "Erst die Plätze, dann die Gebäude.",
		"Ein Platz in der Stadt wird mit den Nachbarn neu gestaltet.", "public-space", "participation"))
	housing := rec(w.dus, "de", "Bezahlbar wohnen in allen Stadtteilen", "Jeder Stadtteil bekommt bezahlbare Wohnungen.",
		"Die Städte der Region teilen Grundstücke für Wohnungen.", "housing")
	housing.Title["en"] = "Affordable homes in every district"
	housing.Summary["en"] = "Every district gets affordable homes."
	housing.Start = "2016"
	housing.Status = "completed"
	add("housing", housing)
	welcome := rec(w.ouaga, "fr", "Accueillir les personnes qui fuient la violence", "Les écoles de la ville accueillent les enfants déplacés.",
		"La ville lumière de la région ouvre ses écoles. Les familles trouvent un abri et un parking est transformé en jardin partagé.", "migration", "inclusion")
	welcome.Start = "2019-01-15"
	add("welcome", welcome)
	add("city-of-light", rec(w.montreal, "en", "A city of light and culture", "Culture for everyone in the city.",
		"Libraries stay open late; the parking lots become bike lanes.", "culture"))
	add("parking", rec(w.montreal, "en", "Parking spaces become gardens", "Residents turn parking into shared gardens.",
		"Each garden is looked after by the neighbours.", "public-space"))
	return w, ids
}

type apiList struct {
	Total int     `json:"total"`
	Next  *string `json:"next"`
	Items []struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		TitleLang string `json:"title_lang"`
		Snippet   string `json:"snippet"`
	} `json:"items"`
	Facets map[string][]struct {
		Value    string `json:"value"`
		Label    string `json:"label"`
		Count    int    `json:"count"`
		Selected bool   `json:"selected"`
	} `json:"facets"`
}

func getList(t *testing.T, c *testutil.Client, query string) apiList {
	t.Helper()
	res := c.Get("/api/v1/practices?"+query).Expect(t, 200)
	var l apiList
	if err := json.Unmarshal([]byte(res.Body), &l); err != nil {
		t.Fatalf("%s: %v\n%s", query, err, res.Body)
	}
	return l
}

func idsOf(l apiList) []int64 {
	var out []int64
	for _, it := range l.Items {
		out = append(out, it.ID)
	}
	return out
}

// The search examples: word forms, accents, languages, phrases and
// exclusions find the same practices on both engines.
func TestSearchExamples(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		_, ids := library(t, d, srv.App.Practices.Store)
		c := srv.Client()
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"Schulen", []string{"school"}},
			{"Schule", []string{"school"}},
			{"écoles", []string{"welcome"}},
			{"ecole", []string{"welcome"}},
			{"École", []string{"welcome"}},
			{"Städte", []string{"school", "square", "housing"}},
			{"stadt", []string{"school", "square", "housing"}},
			{"housing", []string{"housing"}}, // the theme's name, in English, finds the German practice
			{"homes", []string{"housing"}},   // from its English translation
			{"logement", []string{"housing"}},
			{`"city of light"`, []string{"city-of-light"}},
			{`"light city"`, nil},
			{`"ville lumière"`, []string{"welcome"}},
			{"parking", []string{"welcome", "city-of-light", "parking"}},
			{"parking -garden", []string{"welcome", "city-of-light"}},
			{"-parking", []string{"school", "square", "housing"}},
			{`parking -"jardin partagé"`, []string{"city-of-light", "parking"}},
			{"Düsseldorf", []string{"school", "square", "housing"}},
			{"Ouagadougou enfants", []string{"welcome"}},
			{"zebra", nil},
		} {
			l := getList(t, c, "q="+url.QueryEscape(tc.q))
			var want []int64
			for _, n := range tc.want {
				want = append(want, ids[n])
			}
			got := idsOf(l)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || l.Total != len(want) {
				t.Errorf("%q: got %v (total %d), want %v", tc.q, got, l.Total, want)
			}
		}
		// Relevance: a word in the title ranks above the same word in the body.
		l := getList(t, c, "q=parking")
		if len(l.Items) != 3 || l.Items[0].ID != ids["parking"] {
			t.Errorf("parking: first is %v, want the practice with parking in its title", idsOf(l))
		}
		// Snippets mark the matching words, in the language they were found in.
		l = getList(t, c, "q=Schulen&lang=en")
		if len(l.Items) != 1 || l.Items[0].Snippet == "" || !strings.Contains(l.Items[0].Snippet, "<mark>Schule</mark>") {
			t.Errorf("snippet: %+v", l.Items)
		}
		// The page shows the same, highlighted.
		c.Get("/de/practices?q=Schulen").Expect(t, 200, "Eine Schule für gesunde Kinder", "<mark>Schule</mark>", "1 Praxisbeispiel")
		c.Get("/fr/practices?q=%22ville+lumi%C3%A8re%22").Expect(t, 200, "Accueillir les personnes", "<mark>ville</mark> <mark>lumière</mark>")
	})
}

// Facets count every hit, narrow with other facets, and combine.
func TestFacetsSortingPaging(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		_, ids := library(t, d, srv.App.Practices.Store)
		c := srv.Client()
		l := getList(t, c, "lang=en")
		if l.Total != 6 {
			t.Fatalf("all: %d", l.Total)
		}
		count := func(l apiList, facet, value string) int {
			for _, v := range l.Facets[facet] {
				if v.Value == value {
					return v.Count
				}
			}
			return 0
		}
		if n := count(l, "theme", "public-space"); n != 2 {
			t.Errorf("public-space count %d", n)
		}
		if n := count(l, "continent", "europe"); n != 3 {
			t.Errorf("europe count %d", n)
		}
		if n := count(l, "country", "CA"); n != 2 {
			t.Errorf("CA count %d", n)
		}
		if n := count(l, "year", "2016"); n != 1 {
			t.Errorf("2016 count %d", n)
		}
		if n := count(l, "status", "completed"); n != 1 {
			t.Errorf("completed count %d", n)
		}
		if n := count(l, "group", "children"); n != 1 {
			t.Errorf("children count %d", n)
		}
		// A theme narrows the list; its own facet still offers the others.
		l = getList(t, c, "theme=public-space&lang=en")
		if l.Total != 2 || count(l, "theme", "culture") != 1 || count(l, "city", "dusseldorf") != 1 {
			t.Errorf("public-space: total %d, facets %+v", l.Total, l.Facets)
		}
		// Values in one facet are alternatives; facets combine.
		l = getList(t, c, "theme=public-space&theme=culture&city=montreal")
		if l.Total != 2 {
			t.Errorf("public-space or culture in Montréal: %d", l.Total)
		}
		l = getList(t, c, "q=parking&continent=africa")
		if l.Total != 1 || l.Items[0].ID != ids["welcome"] {
			t.Errorf("parking in Africa: %v", idsOf(l))
		}
		// Orders and pages.
		l = getList(t, c, "sort=title&lang=en&limit=2")
		if len(l.Items) != 2 || l.Items[0].Title != "A city of light and culture" || l.Items[1].Title != "Accueillir les personnes qui fuient la violence" {
			t.Errorf("by title: %+v", l.Items)
		}
		for range 2 { // the third page, by the cursors of the first two
			if l.Next == nil || !strings.HasPrefix(*l.Next, "http://") || !strings.Contains(*l.Next, "/api/v1/practices?") {
				t.Fatalf("next: %v", l.Next)
			}
			if err := json.Unmarshal([]byte(c.Get(*l.Next).Expect(t, 200).Body), &l); err != nil {
				t.Fatal(err)
			}
		}
		if len(l.Items) != 2 || l.Items[1].Title != "Vom tristen Platz zum Treffpunkt" {
			t.Errorf("by title, page 3: %+v", l.Items)
		}
		l = getList(t, c, "sort=newest&limit=1")
		if len(l.Items) != 1 || l.Items[0].ID != ids["parking"] {
			t.Errorf("newest: %v", idsOf(l))
		}
		// The reader's language picks the title; the page says when it falls back.
		l = getList(t, c, "q=bezahlbar&lang=en")
		if len(l.Items) != 1 || l.Items[0].Title != "Affordable homes in every district" || l.Items[0].TitleLang != "en" {
			t.Errorf("translated title: %+v", l.Items)
		}
		c.Get("/en/practices?theme=housing").Expect(t, 200, "Affordable homes in every district", "Filtered by:", "Housing")
		c.Get("/en/practices?q=Schule").Expect(t, 200, `lang="de"`, "in German")
		page := c.Get("/en/practices?city=dusseldorf&status=completed").Expect(t, 200, "1 practice")
		page.Lacks(t, "Eine Schule für gesunde Kinder")
	})
}

// The store answers a search with the same few statements however many
// items a page shows.
func TestListStatementsDoNotGrow(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServerWith(t, d, testutil.NoAPILimit)
		w := newWorld(t, d)
		s := srv.App.Practices.Store
		for i := range 60 {
			r := rec(w.dus, "en", "Neighbourhood garden number "+string(rune('A'+i%26))+string(rune('a'+i/26)), "A garden for the street.", "Neighbours plant vegetables together.", "public-space")
			if i%2 == 0 {
				r.Title["de"] = "Nachbarschaftsgarten"
			}
			publish(t, s, r)
		}
		c := srv.Client()
		// Each measured request goes all the way: no cached page, match or hit list.
		measure := func(path string) int64 {
			warm := path + "&warm=1"
			if strings.HasPrefix(path, "/api/") {
				warm = path + "&lang=fr" // the API refuses unknown parameters
			}
			c.Get(warm).Expect(t, 200) // loads the search index
			s.ForgetCache()
			before := testutil.Statements(d)
			c.Get(path).Expect(t, 200)
			return testutil.Statements(d) - before
		}
		for _, q := range []string{"", "q=garden", "q=garden+-street", "sort=title", "theme=public-space"} {
			small := measure("/en/practices?size=5&" + q)
			large := measure("/en/practices?size=50&" + q)
			if small != large || large > 4 {
				t.Errorf("%q: %d statements for 5 items, %d for 50", q, small, large)
			}
			api := measure("/api/v1/practices?limit=100&" + q)
			if api > 4 {
				t.Errorf("API %q: %d statements", q, api)
			}
		}
		// A practice page is kept at once: its second view is a hit.
		var id int64
		var slug string
		if err := d.R.QueryRow(`SELECT id, slug FROM practices ORDER BY id DESC LIMIT 1`).Scan(&id, &slug); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/en/practices/%d-%s", id, slug)
		if got := c.Get(page).Expect(t, 200).Header.Get("X-Cache"); got != "" {
			t.Errorf("first view of a practice page: X-Cache %q", got)
		}
		if got := c.Get(page).Expect(t, 200).Header.Get("X-Cache"); got != "hit" {
			t.Errorf("second view of a practice page: X-Cache %q", got)
		}
		// A search the public asks for again is kept; from then on it comes
		// from the page cache: one statement, the data version. A page
		// asked for once is not kept.
		for range 2 {
			if res := c.Get("/en/practices?q=garden").Expect(t, 200); res.Header.Get("X-Cache") != "" {
				t.Error("a page was answered from the cache before it was asked for twice")
			}
		}
		before := testutil.Statements(d)
		res := c.Get("/en/practices?q=garden").Expect(t, 200, "Neighbourhood garden")
		if n := testutil.Statements(d) - before; n != 1 || res.Header.Get("X-Cache") != "hit" {
			t.Errorf("cached page: %d statements, X-Cache %q", n, res.Header.Get("X-Cache"))
		}
		// Kept compressed, it is sent as is to those who take gzip, unpacked to others.
		plain := c.Get("/en/practices?q=garden", "Accept-Encoding", "identity").Expect(t, 200, "Neighbourhood garden")
		if plain.Header.Get("Content-Encoding") != "" {
			t.Error("a client without gzip got a compressed page")
		}
		gz := c.Get("/en/practices?q=garden", "Accept-Encoding", "gzip")
		if gz.Header.Get("Content-Encoding") != "gzip" || strings.Contains(gz.Body, "Neighbourhood") {
			t.Errorf("a client taking gzip got %q", gz.Header.Get("Content-Encoding"))
		}
		// Without a configured public address, links follow the address
		// asked for: a page kept for one address is not served for another.
		for _, host := range []string{"a.example", "b.example", "a.example", "b.example", "b.example"} {
			for _, path := range []string{"/api/v1/practices?q=garden", "/en/practices/feed.atom?q=garden"} {
				res := c.Get(path, "Host", host).Expect(t, 200, "http://"+host+"/")
				other := map[string]string{"a.example": "b.example", "b.example": "a.example"}[host]
				res.Lacks(t, "http://"+other+"/")
			}
		}
		// Signed-in people never get a cached page.
		editor, pw := srv.User("editor", w.dus)
		ec := srv.Client()
		ec.Login(editor.Email, pw)
		if res := ec.Get("/en/practices?q=garden").Expect(t, 200); res.Header.Get("X-Cache") != "" {
			t.Error("a signed-in editor got a cached page")
		}
	})
}

// After a change, cached word lists are patched for what changed, not
// read again, and searches stay right: new practices are found, archived
// ones are not.
func TestHitListsFollowChanges(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServerWith(t, d, testutil.NoAPILimit)
		w := newWorld(t, d)
		s := srv.App.Practices.Store
		ctx := context.Background()
		for i := range 30 {
			publish(t, s, rec(w.dus, "en", fmt.Sprintf("Garden %d", i), "Gardens for the street.", "Neighbours plant vegetables.", "public-space"))
		}
		count := func(q string) int {
			res, err := s.Search(ctx, practice.Params{Q: q, Lang: "en", Size: 5, Page: 1})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if n := count("garden"); n != 30 {
			t.Fatalf("garden: %d", n)
		}
		added := publish(t, s, rec(w.ouaga, "fr", "Jardin partagé", "A garden in Ouagadougou.", "Un jardin.", "public-space"))
		if n := count("garden"); n != 31 {
			t.Errorf("after publishing: %d", n)
		}
		if err := s.Archive(ctx, practice.Actor{}, added, ""); err != nil {
			t.Fatal(err)
		}
		if n := count("garden"); n != 30 {
			t.Errorf("after archiving: %d", n)
		}
		if n := count("jardin"); n != 0 {
			t.Errorf("an archived practice is found: %d", n)
		}
	})
}
