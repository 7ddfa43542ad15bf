package city_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

// demoServer is the platform with the demo network loaded.
func demoServer(t *testing.T, d *db.DB) *testutil.Server {
	t.Helper()
	s := testutil.NewServer(t, d)
	if _, err := demo.Load(context.Background(), d, s.App.Users); err != nil {
		t.Fatal(err)
	}
	return s
}

// at fixes the cities' clock (anniversaries, current terms).
func at(s *testutil.Server, year int) {
	s.App.Cities.Now = func() time.Time { return time.Date(year, 6, 1, 12, 0, 0, 0, time.UTC) }
	s.App.Pages.Clear() // the kept pages were rendered at the other time
}

func cityID(t *testing.T, d *db.DB, slug string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM cities WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("city %s: %v", slug, err)
	}
	return id
}

// addCities adds n generated member cities spread over the world, each
// with a representative and a partnership with the one before it.
func addCities(t testing.TB, d *db.DB, from, n int) {
	t.Helper()
	countries := []string{"DE", "FR", "CA", "BF", "IN", "BR", "JP", "AU", "MA", "PL"}
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		var prev int64
		for i := from; i < from+n; i++ {
			c := &city.City{Name: fmt.Sprintf("Testville %04d", i), Country: countries[i%len(countries)],
				Lat: float64(i%140) - 60, Lon: float64(i*7%340) - 170, Population: int64(10000 + i*37), PopulationYear: 2020,
				Timezone: "UTC", DescriptionLang: "en", Membership: city.Member, MemberSince: fmt.Sprint(2015 + i%5)}
			if p := c.Check(); len(p) > 0 {
				return fmt.Errorf("%v", p)
			}
			if err := city.Create(context.Background(), tx, c); err != nil {
				return err
			}
			if err := city.AddPerson(context.Background(), tx, &city.Person{CityID: c.ID, Name: "(demo) Mayor", Role: "mayor"}); err != nil {
				return err
			}
			if prev != 0 {
				if err := city.AddPartnership(context.Background(), tx, &city.Partnership{CityID: c.ID, PartnerCityID: prev, Since: 1990, Kind: "twin"}); err != nil {
					return err
				}
			}
			prev = c.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// upload posts a multipart form with one file, the way a browser on this
// site does.
func upload(t *testing.T, s *testutil.Server, c *testutil.Client, path string, fields map[string]string, file, name string, data []byte) *testutil.Response {
	t.Helper()
	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}
	var files []testutil.File
	if file != "" {
		files = append(files, testutil.File{Field: file, Name: name, ContentType: "image/jpeg", Data: data})
	}
	return c.Upload(path, v, files...)
}

// logBuffer collects log lines written while a test runs.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
