package web

import (
	"strings"

	"observatory/internal/i18n"
)

// CityRef is a member city as other capabilities show it beside their
// things (a practice's city, the two cities of an exchange), joined from
// the cities table.
type CityRef struct {
	ID        int64
	Slug      string
	Name      string
	Names     i18n.Text
	Country   string
	Continent string
}

// In is the city's name in lang: its name in that language if it has
// one, else its usual (English) name.
func (c CityRef) In(lang string) string {
	if n := strings.TrimSpace(c.Names[lang]); n != "" {
		return n
	}
	return c.Name
}
