package city

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones are checked the same on every host
	"unicode/utf8"

	"observatory/internal/geo"
	"observatory/internal/i18n"
)

// Problems maps a form field to the catalog key saying what is wrong with it.
type Problems map[string]string

func (p Problems) add(field, key string) {
	if _, ok := p[field]; !ok {
		p[field] = key
	}
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Check returns what is wrong with a city's record; empty when nothing.
// It also derives the continent from the country.
func (c *City) Check() Problems {
	p := Problems{}
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case c.Name == "":
		p.add("name", "form.required")
	case tooLong(c.Name, 120):
		p.add("name", "form.too_long")
	}
	c.Names = c.Names.Clean()
	for l, n := range c.Names {
		if tooLong(n, 120) {
			if i18n.Supported(l) {
				p.add("name_"+l, "form.too_long")
			} else {
				p.add("names_other", "form.too_long")
			}
		}
	}
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	if !geo.ValidCountry(c.Country) {
		p.add("country", "city.err.country")
	} else {
		c.Continent = geo.Continent(c.Country)
	}
	if tooLong(c.Region, 120) {
		p.add("region", "form.too_long")
	}
	if c.Population < 0 || c.Population > 100_000_000 {
		p.add("population", "city.err.population")
	}
	if c.PopulationYear != 0 && (c.PopulationYear < 1800 || c.PopulationYear > time.Now().Year()+1) {
		p.add("population_year", "city.err.year")
	}
	if c.Lat < -90 || c.Lat > 90 {
		p.add("lat", "city.err.lat")
	}
	if c.Lon < -180 || c.Lon > 180 {
		p.add("lon", "city.err.lon")
	}
	if !ValidTimezone(c.Timezone) {
		p.add("timezone", "city.err.timezone")
	}
	if c.Website != "" && !validWebsite(c.Website) {
		p.add("website", "city.err.website")
	}
	c.Description = c.Description.Clean()
	for l, d := range c.Description {
		if tooLong(d, 10000) {
			p.add("description_"+l, "form.too_long")
		}
	}
	if !i18n.Supported(c.DescriptionLang) {
		p.add("description_lang", "form.invalid")
	}
	c.checkMembership(p)
	if c.ForeignResidents < 0 || c.ForeignResidents > 100_000_000 {
		p.add("foreign_residents", "city.err.population")
	}
	if c.ForeignNationalities < 0 || c.ForeignNationalities > 300 {
		p.add("foreign_nationalities", "city.err.nationalities")
	}
	if c.ForeignAsOf != "" && !ValidDate(c.ForeignAsOf) {
		p.add("foreign_as_of", "city.err.date")
	}
	return p
}

func (c *City) checkMembership(p Problems) {
	valid := false
	for _, s := range Statuses {
		valid = valid || s == c.Membership
	}
	if !valid {
		p.add("membership", "city.err.membership")
	}
	if c.MemberSince != "" && !ValidDate(c.MemberSince) {
		p.add("member_since", "city.err.date")
	}
	switch {
	case c.MemberUntil != "" && !ValidDate(c.MemberUntil):
		p.add("member_until", "city.err.date")
	case c.MemberUntil != "" && c.Membership != Former:
		p.add("member_until", "city.err.until_not_former")
	case c.Membership == Former && c.MemberUntil == "":
		p.add("member_until", "city.err.until_needed")
	case c.MemberUntil != "" && c.MemberSince != "" && c.MemberUntil < c.MemberSince[:min(len(c.MemberSince), len(c.MemberUntil))]:
		p.add("member_until", "city.err.until_before_since")
	}
}

// ValidTimezone reports whether tz is an IANA time zone name.
func ValidTimezone(tz string) bool {
	if tz == "" || tz == "Local" || strings.Contains(tz, "..") {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

func validWebsite(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !tooLong(s, 300)
}

// ValidDate accepts a year ("2016") or a calendar date ("2016-05-12")
// between 1800 and 2200: many memberships and terms are known only by year.
func ValidDate(s string) bool {
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		return err == nil && y >= 1800 && y <= 2200
	}
	t, err := time.Parse("2006-01-02", s)
	return err == nil && t.Year() >= 1800 && t.Year() <= 2200
}

// Check returns what is wrong with a person's entry.
func (p *Person) Check() Problems {
	pr := Problems{}
	p.Name, p.Title = strings.TrimSpace(p.Name), strings.TrimSpace(p.Title)
	switch {
	case p.Name == "":
		pr.add("name", "form.required")
	case tooLong(p.Name, 120):
		pr.add("name", "form.too_long")
	}
	if tooLong(p.Title, 120) {
		pr.add("title", "form.too_long")
	}
	valid := false
	for _, r := range Roles {
		valid = valid || r == p.Role
	}
	if !valid {
		pr.add("role", "city.err.role")
	}
	if p.TermStart != "" && !ValidDate(p.TermStart) {
		pr.add("term_start", "city.err.date")
	}
	if p.TermEnd != "" && !ValidDate(p.TermEnd) {
		pr.add("term_end", "city.err.date")
	} else if p.TermEnd != "" && p.TermStart != "" && p.TermEnd < p.TermStart[:min(len(p.TermStart), len(p.TermEnd))] {
		pr.add("term_end", "city.err.end_before_start")
	}
	return pr
}

// Check returns what is wrong with a partnership.
func (p *Partnership) Check() Problems {
	pr := Problems{}
	p.PartnerName = strings.TrimSpace(p.PartnerName)
	p.PartnerCountry = strings.ToUpper(strings.TrimSpace(p.PartnerCountry))
	if p.PartnerCityID == 0 {
		switch {
		case p.PartnerName == "":
			pr.add("partner", "city.err.partner_needed")
		case tooLong(p.PartnerName, 120):
			pr.add("partner_name", "form.too_long")
		}
		if !geo.ValidCountry(p.PartnerCountry) {
			pr.add("partner_country", "city.err.country")
		}
	} else {
		// A partner in the directory brings its own name and country.
		p.PartnerName, p.PartnerCountry = "", ""
		if p.PartnerCityID == p.CityID {
			pr.add("partner", "city.err.partner_self")
		}
	}
	if p.Since != 0 && (p.Since < 1900 || p.Since > time.Now().Year()) {
		pr.add("since", "city.err.year")
	}
	valid := false
	for _, k := range Kinds {
		valid = valid || k == p.Kind
	}
	if !valid {
		pr.add("kind", "form.invalid")
	}
	return pr
}
