package city

import (
	"cmp"
	"errors"
	"net/http"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/apiv1"
)

// The JSON API: /api/v1/cities (the directory, with its filters) and
// /api/v1/cities/{id}. Field names are stable; a value that is not known
// is null, never left out. Dates are ISO 8601: a year ("2016") or a
// calendar date ("2016-05-12"); times are RFC 3339 in UTC.

// APICity is a city in the list.
type APICity struct {
	ID             int64             `json:"id"`
	Slug           string            `json:"slug"`
	URL            string            `json:"url"` // the page, in the answer's language
	Name           string            `json:"name"`
	Names          map[string]string `json:"names"`
	Country        string            `json:"country"`
	Continent      string            `json:"continent"`
	Region         string            `json:"region"`
	Population     *int64            `json:"population"`
	PopulationYear *int              `json:"population_year"`
	Lat            float64           `json:"lat"`
	Lon            float64           `json:"lon"`
	Timezone       string            `json:"timezone"`
	Website        *string           `json:"website"`
	Membership     APIMembership     `json:"membership"`
	PhotoURL       *string           `json:"photo_url"`
	UpdatedAt      string            `json:"updated_at"`
}

// APIMembership is a city's membership.
type APIMembership struct {
	Status string  `json:"status"` // member, candidate or former
	Since  *string `json:"since"`
	Until  *string `json:"until"`
}

// APICityDetail is one city with everything public about it.
type APICityDetail struct {
	APICity
	Description      map[string]string `json:"description"`
	DescriptionLang  string            `json:"description_lang"`
	People           []APIPerson       `json:"people"`
	Partnerships     []APIPartnership  `json:"partnerships"`
	ForeignResidents APIResidents      `json:"foreign_residents"`
}

// APIPerson is a representative.
type APIPerson struct {
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	Title     string  `json:"title"`
	TermStart *string `json:"term_start"`
	TermEnd   *string `json:"term_end"`
	Current   bool    `json:"current"`
	PhotoURL  *string `json:"photo_url"`
}

// APIPartnership is a partnership seen from the city.
type APIPartnership struct {
	PartnerID      *int64 `json:"partner_id"` // null: the partner is not in the directory
	PartnerName    string `json:"partner_name"`
	PartnerCountry string `json:"partner_country"`
	Since          *int   `json:"since"`
	Kind           string `json:"kind"`
}

// APIResidents is the count of residents of foreign nationality.
type APIResidents struct {
	Total         *int64     `json:"total"`
	Nationalities *int       `json:"nationalities"`
	AsOf          *string    `json:"as_of"`
	Groups        []APIGroup `json:"groups"`
}

// APIGroup is the number of residents of one nationality.
type APIGroup struct {
	Country   string `json:"country"`
	Residents int64  `json:"residents"`
}

func ptr[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func (h *Handlers) apiCity(r *http.Request, c *City) APICity {
	base := apiv1.Base(r, h.Render)
	names := map[string]string{}
	for l, v := range c.Names {
		names[l] = v
	}
	return APICity{ID: c.ID, Slug: c.Slug, URL: base + "/" + apiv1.Lang(r) + c.Path(), Name: c.Name, Names: names, Country: c.Country,
		Continent: c.Continent, Region: c.Region, Population: ptr(c.Population), PopulationYear: ptr(c.PopulationYear),
		Lat: c.Lat, Lon: c.Lon, Timezone: c.Timezone, Website: ptr(c.Website),
		Membership: APIMembership{Status: c.Membership, Since: ptr(c.MemberSince), Until: ptr(c.MemberUntil)},
		PhotoURL:   absPtr(base, c.PhotoURL()), UpdatedAt: c.UpdatedAt.UTC().Format(time.RFC3339)}
}

// cursor marks the last city of a page: the sort order and that city's
// sort key and id. It is opaque to clients (base64 of JSON) and stays
// valid when cities are added or removed in between.
type cursor struct {
	Sort string `json:"s"`
	Name string `json:"n,omitempty"`
	Num  int64  `json:"p,omitempty"`
	Date string `json:"d,omitempty"`
	ID   int64  `json:"i"`
}

// after reports whether c sorts after the cursor's city, in the same
// order as SortCities with the root collation.
func (cur cursor) after(col *collate.Collator, c *City) bool {
	var n int
	switch cur.Sort {
	case "population":
		n = cmp.Compare(c.Population, cur.Num)
	case "joined":
		switch {
		case (cur.Date == "") != (c.MemberSince == ""):
			if cur.Date == "" {
				n = 1
			} else {
				n = -1
			}
			return n < 0
		default:
			n = cmp.Compare(c.MemberSince, cur.Date)
		}
	}
	if n != 0 {
		return n < 0
	}
	if n = col.CompareString(c.Name, cur.Name); n != 0 {
		return n > 0
	}
	return c.ID > cur.ID
}

// APIList answers GET /api/v1/cities.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	v, ok := apiv1.Query(w, r, h.Render, "continent", "country", "status", "joined", "sort")
	if !ok {
		return
	}
	q, problems := ParseQuery(v)
	for _, k := range []string{"continent", "country", "status", "joined", "sort"} {
		if key, bad := problems[k]; bad {
			apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: k,
				Detail: h.Render.Catalog.T(apiv1.Lang(r), key)})
			return
		}
	}
	limit := apiv1.Limit(v, apiv1.DefaultLimit)
	var cur cursor
	has, err := apiv1.DecodeCursor(v, &cur)
	if err != nil || has && (cur.Sort != q.Sort || cur.ID <= 0) {
		apiv1.BadCursor(w, r, h.Render)
		return
	}
	cities, err := h.Store.List(r.Context(), q.Filter)
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	SortCities(cities, q.Sort, "")
	total := len(cities)
	if has {
		col := collate.New(language.Und)
		i := 0
		for i < len(cities) && !cur.after(col, cities[i]) {
			i++
		}
		cities = cities[i:]
	}
	out := apiv1.Page[APICity]{Items: []APICity{}, Total: &total}
	for i, c := range cities {
		if i == limit {
			last := cities[i-1]
			out.Next = apiv1.Next(w, r, h.Render, apiv1.EncodeCursor(v, cursor{Sort: q.Sort, Name: last.Name, Num: last.Population, Date: last.MemberSince, ID: last.ID}))
			break
		}
		out.Items = append(out.Items, h.apiCity(r, c))
	}
	apiv1.JSON(w, http.StatusOK, out)
}

// APIShow answers GET /api/v1/cities/{id}.
func (h *Handlers) APIShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	id, ok := apiv1.ID(w, r, h.Render, "id")
	if !ok {
		return
	}
	c, err := h.Store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		apiv1.NotFound(w, r, h.Render)
		return
	}
	var people []*Person
	var partners []*Partnership
	var groups []Group
	if err == nil {
		people, err = h.Store.People(ctx, id)
	}
	if err == nil {
		partners, err = h.Store.Partnerships(ctx, id)
	}
	if err == nil {
		groups, err = h.Store.Residents(ctx, id)
	}
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	base := apiv1.Base(r, h.Render)
	d := APICityDetail{APICity: h.apiCity(r, c), Description: map[string]string{}, DescriptionLang: c.DescriptionLang,
		People: []APIPerson{}, Partnerships: []APIPartnership{},
		ForeignResidents: APIResidents{Total: ptr(c.ForeignResidents), Nationalities: ptr(c.ForeignNationalities),
			AsOf: ptr(c.ForeignAsOf), Groups: []APIGroup{}}}
	for l, t := range c.Description {
		d.Description[l] = t
	}
	today := h.now().Format("2006-01-02")
	for _, p := range people {
		d.People = append(d.People, APIPerson{Name: p.Name, Role: p.Role, Title: p.Title, TermStart: ptr(p.TermStart),
			TermEnd: ptr(p.TermEnd), Current: p.Current(today), PhotoURL: absPtr(base, p.PhotoURL())})
	}
	for _, p := range partners {
		d.Partnerships = append(d.Partnerships, APIPartnership{PartnerID: ptr(p.Other.ID), PartnerName: p.Other.Name,
			PartnerCountry: p.Other.Country, Since: ptr(p.Since), Kind: p.Kind})
	}
	for _, g := range groups {
		d.ForeignResidents.Groups = append(d.ForeignResidents.Groups, APIGroup(g))
	}
	apiv1.JSON(w, http.StatusOK, d)
}

// absPtr is the absolute address of a site path, or nil for none.
func absPtr(base, path string) *string {
	if path == "" {
		return nil
	}
	s := base + path
	return &s
}
