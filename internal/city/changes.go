package city

import (
	"encoding/json"
	"sort"
	"strconv"
)

// Change is one field's value before and after an edit, as recorded in the
// audit log and shown on the city's history page.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Detail is what an audit entry about a city holds.
type Detail struct {
	Subject string   `json:"subject,omitempty"` // e.g. the person or partner concerned
	Changes []Change `json:"changes"`
}

// JSON is the detail as stored in the audit log.
func (d Detail) JSON() string {
	b, _ := json.Marshal(d)
	return string(b)
}

// ParseDetail reads an audit entry's detail; ok is false for entries not
// written by this package.
func ParseDetail(s string) (Detail, bool) {
	var d Detail
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return Detail{}, false
	}
	return d, true
}

// Diff lists the fields whose values differ between before and after;
// a field missing on one side counts as empty.
func Diff(before, after map[string]string) []Change {
	var out []Change
	seen := map[string]bool{}
	for _, m := range []map[string]string{before, after} {
		for k := range m {
			if !seen[k] && before[k] != after[k] {
				out = append(out, Change{Field: k, Before: before[k], After: after[k]})
			}
			seen[k] = true
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func num[T int | int64](n T) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(int64(n), 10)
}

func float(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// fields are a city's recorded values by field name.
func (c *City) fields() map[string]string {
	m := map[string]string{
		"name": c.Name, "country": c.Country, "region": c.Region, "population": num(c.Population),
		"population_year": num(c.PopulationYear), "lat": float(c.Lat), "lon": float(c.Lon), "timezone": c.Timezone,
		"website": c.Website, "description_lang": c.DescriptionLang, "photo": num(c.PhotoID),
		"membership": c.Membership, "member_since": c.MemberSince, "member_until": c.MemberUntil,
		"foreign_residents": num(c.ForeignResidents), "foreign_nationalities": num(c.ForeignNationalities),
		"foreign_as_of": c.ForeignAsOf,
	}
	for l, v := range c.Names {
		m["name_"+l] = v
	}
	for l, v := range c.Description {
		m["description_"+l] = v
	}
	return m
}

func (p *Person) fields() map[string]string {
	return map[string]string{"name": p.Name, "role": p.Role, "title": p.Title, "term_start": p.TermStart,
		"term_end": p.TermEnd, "photo": num(p.PhotoID), "user": num(p.UserID), "position": num(p.Position)}
}

func (p *Partnership) fields() map[string]string {
	return map[string]string{"partner_city": num(p.PartnerCityID), "partner_name": p.PartnerName,
		"partner_country": p.PartnerCountry, "since": num(p.Since), "kind": p.Kind}
}

func groupFields(gs []Group) map[string]string {
	m := map[string]string{}
	for _, g := range gs {
		m["residents_"+g.Country] = num(g.Residents)
	}
	return m
}
