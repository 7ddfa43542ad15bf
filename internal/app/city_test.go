package app_test

import (
	"context"
	"database/sql"
	"testing"

	"observatory/internal/city"
	"observatory/internal/db"
)

// testCity adds a city for accounts that must belong to one.
func testCity(t *testing.T, d *db.DB) int64 {
	t.Helper()
	c := &city.City{Name: "Düsseldorf", Country: "DE", Continent: "europe", Lat: 51.2277, Lon: 6.7735,
		Timezone: "Europe/Berlin", DescriptionLang: "de", Membership: city.Member}
	err := d.Tx(context.Background(), func(tx *sql.Tx) error { return city.Create(context.Background(), tx, c) })
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
