package geo

import (
	"slices"
	"testing"
)

func TestContinentSample(t *testing.T) {
	for code, want := range map[string]string{
		"DE": Europe,
		"CA": NorthAmerica,
		"MX": NorthAmerica,
		"JM": NorthAmerica,
		"BF": Africa,
		"BD": Asia,
		"LB": Asia,
		"TR": Asia, // Western Asia in UN M49, which this table follows
		"CY": Europe,
		"RU": Europe,
		"BR": SouthAmerica,
		"AU": Oceania,
		"XK": Europe,
		"AQ": Antarctica,
		"de": Europe,
		"ZZ": "",
		"":   "",
	} {
		if got := Continent(code); got != want {
			t.Errorf("Continent(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestCountryTable(t *testing.T) {
	codes := Countries()
	if len(codes) != 250 { // 249 ISO 3166-1 codes and XK
		t.Errorf("%d countries, want 250", len(codes))
	}
	if !slices.IsSorted(codes) {
		t.Error("Countries() not sorted")
	}
	keys := Continents()
	numerics := map[string]string{}
	seen := map[string]bool{}
	for _, c := range countries {
		if seen[c.alpha2] {
			t.Errorf("duplicate %s", c.alpha2)
		}
		seen[c.alpha2] = true
		if len(c.alpha2) != 2 || c.alpha2[0] < 'A' || c.alpha2[0] > 'Z' || c.alpha2[1] < 'A' || c.alpha2[1] > 'Z' {
			t.Errorf("bad code %q", c.alpha2)
		}
		if !slices.Contains(keys, c.continent) {
			t.Errorf("%s: continent %q not in Continents()", c.alpha2, c.continent)
		}
		if c.numeric != "" {
			if len(c.numeric) != 3 {
				t.Errorf("%s: numeric %q", c.alpha2, c.numeric)
			}
			if other, dup := numerics[c.numeric]; dup {
				t.Errorf("%s and %s share numeric %s", other, c.alpha2, c.numeric)
			}
			numerics[c.numeric] = c.alpha2
		} else if c.alpha2 != "XK" {
			t.Errorf("%s has no numeric code", c.alpha2)
		}
		if !ValidCountry(c.alpha2) {
			t.Errorf("ValidCountry(%s) = false", c.alpha2)
		}
	}
	for _, bad := range []string{"", "de", "ZZ", "DEU", "276"} {
		if ValidCountry(bad) {
			t.Errorf("ValidCountry(%q) = true", bad)
		}
	}
}

func TestEveryMappedCountryHasAContinent(t *testing.T) {
	outlines := loadWorld().outlines
	if len(outlines) < 170 {
		t.Fatalf("only %d outlines", len(outlines))
	}
	perContinent := map[string]int{}
	for _, o := range outlines {
		c := Continent(o.alpha2)
		if c == "" || c == Antarctica {
			t.Errorf("%s: continent %q", o.alpha2, c)
		}
		perContinent[c]++
		if o.d == "" {
			t.Errorf("%s: empty outline", o.alpha2)
		}
	}
	for _, k := range Continents() {
		if k != Antarctica && perContinent[k] == 0 {
			t.Errorf("no outline in %s", k)
		}
	}
}
