package city_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
)

func TestDirectoryFiltersAndSorts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		c := s.Client()
		dus := cityID(t, d, "dusseldorf")
		all := c.Get("/en/cities").Expect(t, 200, "36 cities match.", fmt.Sprintf(`href="/en/cities/%d-dusseldorf"`, dus), `class="worldmap"`)
		// The map has every member as a linked, labelled point.
		if n := strings.Count(worldMap(all.Body), `class="point member"`); n != 36 {
			t.Errorf("%d member points on the map, want 36", n)
		}
		rows := func(path string, status int) []string {
			var out []string
			for _, m := range regexp.MustCompile(`<th scope="row"><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(c.Get(path).Expect(t, status).Body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		has := func(path string, want []string, not []string) {
			t.Helper()
			got := rows(path, 200)
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Errorf("%s lacks %s: %v", path, w, got)
				}
			}
			for _, w := range not {
				if slices.Contains(got, w) {
					t.Errorf("%s lists %s", path, w)
				}
			}
		}
		has("/en/cities", []string{"Düsseldorf", "Ouagadougou", "Montréal"}, []string{"Geneva", "Casablanca"}) // members by default
		has("/en/cities?continent=africa", []string{"Ouagadougou", "Abidjan"}, []string{"Düsseldorf", "Warsaw"})
		has("/en/cities?country=DE", []string{"Düsseldorf", "Chemnitz", "Hamburg"}, []string{"Warsaw"})
		has("/en/cities?status=candidate", []string{"Geneva", "Mechelen", "Beirut"}, []string{"Düsseldorf"})
		has("/en/cities?status=former", []string{"Casablanca"}, []string{"Düsseldorf"})
		has("/en/cities?joined=2016", []string{"Düsseldorf", "Warsaw"}, []string{"Montréal"})
		has("/en/cities?continent=europe&country=DE&joined=2017", []string{"Chemnitz", "Hamburg"}, []string{"Düsseldorf"})
		c.Get("/en/cities?country=DE").Expect(t, 200, "3 cities match.")
		c.Get("/en/cities?status=all").Expect(t, 200, "40 cities match.")
		// Sorting: the first row tells.
		first := func(path string) string {
			m := regexp.MustCompile(`<th scope="row"><a href="[^"]+">([^<]+)</a>`).FindStringSubmatch(c.Get(path).Body)
			if m == nil {
				t.Fatalf("%s: no rows", path)
			}
			return m[1]
		}
		if f := first("/en/cities?sort=population"); f != "Moscow" {
			t.Errorf("largest first: %s", f)
		}
		if f := first("/en/cities?sort=joined"); f != "Dhaka North" {
			t.Errorf("newest member first: %s", f)
		}
		if f := first("/de/cities"); f != "Abidjan" {
			t.Errorf("by name: %s", f)
		}
		// Names and countries in the reader's language, sorted in its order.
		c.Get("/de/cities").Expect(t, 200, ">Warschau</a>", ">Wien</a>", "Vereinigtes Königreich", "Bosnien und Herzegowina")
		c.Get("/fr/cities").Expect(t, 200, ">Varsovie</a>", "Royaume-Uni", "Côte d’Ivoire")
		// A bad filter is a 400 in the reader's language, with the filter marked.
		c.Get("/de/cities?country=XX").Expect(t, 400, "Wählen Sie ein Land.", `aria-invalid="true"`)
		c.Get("/fr/cities?sort=size").Expect(t, 400, "Triez par nom")
	})
}

func TestDirectoryPages(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		addCities(t, d, 0, 120)
		c := s.Client()
		p1 := c.Get("/en/cities?sort=population").Expect(t, 200, "120 cities match.", "Page 1 of 3", `rel="next" href="/en/cities?page=2&amp;sort=population"`)
		p3 := c.Get("/en/cities?sort=population&page=3").Expect(t, 200, "Page 3 of 3")
		rows := regexp.MustCompile(`<th scope="row"><a href`)
		if n := len(rows.FindAllString(p1.Body, -1)); n != 50 {
			t.Errorf("page 1 has %d rows", n)
		}
		if n := len(rows.FindAllString(p3.Body, -1)); n != 20 {
			t.Errorf("page 3 has %d rows", n)
		}
		// Largest first: Testville 0119 has the most residents.
		if !strings.Contains(p1.Body, `-testville-0119">Testville 0119<`) || strings.Contains(p3.Body, `-testville-0119">Testville 0119<`) {
			t.Error("population order is wrong across pages")
		}
		// Every city is on the map, whatever the page.
		if n := strings.Count(worldMap(p3.Body), `class="point member"`); n != 120 {
			t.Errorf("map of page 3 has %d points", n)
		}
	})
}

func TestCityPage(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		at(s, 2019)
		c := s.Client()
		dus, war := cityID(t, d, "dusseldorf"), cityID(t, d, "warsaw")
		page := fmt.Sprintf("/en/cities/%d-dusseldorf", dus)
		// Old, wrong or missing slugs redirect to the page.
		for _, p := range []string{"/en/cities/dusseldorf", fmt.Sprintf("/en/cities/%d", dus), fmt.Sprintf("/en/cities/%d-duesseldorf", dus)} {
			res := c.Get(p).Expect(t, 301)
			if res.Header.Get("Location") != page {
				t.Errorf("%s → %s", p, res.Header.Get("Location"))
			}
		}
		c.Get("/en/cities/99999-nowhere").Expect(t, 404)
		c.Get(page).Expect(t, 200, "<h1>Düsseldorf</h1>", "Nordrhein-Westfalen", "619,294", "(2018)", "Europe/Berlin",
			"Tobias Gerlach", "Oberbürgermeister", "Lena Hartkamp", "Diversity-Beauftragte",
			// Partnerships, with the round anniversaries of 2019.
			"Reading", "Chongqing", "Chiba Prefecture", "not known", fmt.Sprintf(`href="/en/cities/%d-warsaw"`, war),
			"30 years in 2019", // Warsaw, 1989
			// Foreign residents: summary, chart and its table.
			"148,000 residents of foreign nationality from 170 states (as of 30 November 2018).",
			`role="img"`, i18n.CountryName("en", "TR"), "12,600", "4,600",
			"The capital of North Rhine-Westphalia")
		// Terms that have ended move to the former representatives.
		at(s, 2026)
		c.Get(page).Expect(t, 200, "Matthias Brenner", "Former representatives", "Tobias Gerlach, Oberbürgermeister (2014–2020)")
		at(s, 2019)
		// The partnership shows on the partner's page too.
		c.Get(fmt.Sprintf("/de/cities/%d-warsaw", war)).Expect(t, 200, "<h1>Warschau</h1>", fmt.Sprintf(`href="/de/cities/%d-dusseldorf"`, dus),
			"1989", "30 Jahre im Jahr 2019", "Krzysztof Lewandowicz", "Zastępca Prezydenta")
		// Country names come from CLDR in the page's language.
		rea := cityID(t, d, "reading")
		c.Get(fmt.Sprintf("/de/cities/%d-reading", rea)).Expect(t, 200, "Vereinigtes Königreich")
		c.Get(fmt.Sprintf("/fr/cities/%d-reading", rea)).Expect(t, 200, "Royaume-Uni")
		// A description missing in the reader's language says so.
		c.Get(fmt.Sprintf("/fr/cities/%d-dusseldorf", dus)).Expect(t, 200, `lang="de"`, "Pas encore disponible dans votre langue ; affichée en allemand.")
		// The public sees no editing links.
		c.Get(page).Lacks(t, "/edit\"", "/history\"")
	})
}

func TestMapPointsAreWhereTheCitiesAre(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		body := s.Client().Get("/en/cities?status=all").Expect(t, 200).Body
		rows, err := d.R.Query(`SELECT id, slug, lat, lon FROM cities`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int64
			var slug string
			var lat, lon float64
			rows.Scan(&id, &slug, &lat, &lon)
			x, y := geo.Project(lat, lon)
			want := fmt.Sprintf(`href="/en/cities/%d-%s" class="point `, id, slug)
			i := strings.Index(body, want)
			if i < 0 {
				t.Errorf("%s is not on the map", slug)
				continue
			}
			circle := regexp.MustCompile(`<circle cx="([-0-9.]+)" cy="([-0-9.]+)"`).FindStringSubmatch(body[i:])
			var cx, cy float64
			fmt.Sscan(circle[1], &cx)
			fmt.Sscan(circle[2], &cy)
			if d := (cx-x)*(cx-x) + (cy-y)*(cy-y); d > 0.1 {
				t.Errorf("%s drawn at %v,%v, projected %v,%v", slug, cx, cy, x, y)
			}
			n++
		}
		if n != 40 {
			t.Errorf("checked %d cities", n)
		}
	})
}

// worldMap is the part of a directory page up to its maps zoomed into each
// continent: the world map and what comes before it.
func worldMap(body string) string {
	if i := strings.Index(body, `<div class="map-regions"`); i >= 0 {
		return body[:i]
	}
	return body
}

// Every point of the world map is also on its continent's zoomed map, named
// there by a label or in the numbered list under it.
func TestDirectoryZoomsIntoContinents(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		for _, lang := range []string{"en", "de", "fr"} {
			body := s.Client().Get("/"+lang+"/cities").Expect(t, 200, `id="map-europe"`, `id="map-africa"`, `class="worldmap zoom"`, `href="#map-europe"`).Body
			zoomed := body[strings.Index(body, `<div class="map-regions"`):]
			if n := strings.Count(zoomed, `class="point member"`); n != 36 {
				t.Errorf("%s: %d points on the zoomed maps, want 36", lang, n)
			}
			europe := zoomed[strings.Index(zoomed, `id="map-europe"`):]
			europe = europe[:strings.Index(europe, "</figure>")]
			for _, c := range []string{"Düsseldorf", "Glasgow", "Chemnitz", "Moscow", "Warsaw", "Mostar"} {
				if lang == "en" && !strings.Contains(europe, ">"+c+"<") && !strings.Contains(europe, c+", ") && !strings.Contains(europe, ", "+c) {
					t.Errorf("the Europe map does not name %s", c)
				}
			}
		}
	})
}

// The world map zooms without a script: each continent's frame on it is a
// link to that continent's map, named in the reader's language; the zoom
// buttons (for the script) wait hidden, named in the reader's language too.
func TestWorldMapRegionsLinkToTheirMaps(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		for lang, want := range map[string][]string{
			"en": {`aria-label="Europe (`, `): zoom in"`, `aria-label="Zoom the map"`, `>Whole world</button>`, "worldmap-zoom"},
			"de": {`aria-label="Europa (`, `): vergrößern"`, `aria-label="Karte vergrößern"`, `>Ganze Welt</button>`},
			"fr": {`aria-label="Europe (`, `) : agrandir"`, `aria-label="Agrandir la carte"`, `>Monde entier</button>`},
		} {
			body := s.Client().Get("/"+lang+"/cities").Expect(t, 200, want...).Body
			world := worldMap(body)
			world = world[strings.Index(world, "<svg"):strings.Index(world, "</svg>")]
			for _, c := range []string{"europe", "africa", "asia"} {
				if !strings.Contains(world, `<a href="#map-`+c+`" class="area" data-region="`+c+`"`) {
					t.Errorf("%s: the world map has no link to the %s map", lang, c)
				}
				if !strings.Contains(body, `<button type="button" class="secondary" data-region="`+c+`"`) {
					t.Errorf("%s: no zoom button for %s", lang, c)
				}
			}
			if !strings.Contains(world, `role="group"`) {
				t.Errorf("%s: a world map with links is not a group", lang)
			}
		}
	})
}
