package summit

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type listData struct {
	Summits []*Summit
	Figures map[int64]Figures
}

// List shows every public summit, newest first, with its headline figures.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	summits, err := h.Store.List(ctx, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	figs, err := h.Store.FiguresAll(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", listData{Summits: summits, Figures: figs})
	p.Title = p.T("summit.list.title")
	h.Render.HTML(w, r, http.StatusOK, "summit/list", p)
}

// Day is one day of the programme with its sessions.
type Day struct {
	Date     time.Time
	Sessions []*Session
}

// VenueGroup is one venue with its sessions.
type VenueGroup struct {
	Venue    *Venue
	Number   int
	Sessions []*Session
}

type summitData struct {
	S            *Summit
	P            *Programme
	F            Figures
	Days         []Day
	ByVenue      []VenueGroup
	Speakers     map[int64]Speaker
	Partners     map[string][]Partner
	Cities       []CityRef
	Map          template.HTML
	VenueMap     template.HTML
	Bids         []Bid
	Chosen       *Bid
	Own          *Delegation // the viewer's city's delegation
	OwnBid       *Bid
	CanRegister  bool
	CanBid       bool
	Sentence     string
	ByVenueView  bool
	PartnerKinds []string
}

// load gathers what the summit's pages show: the programme always; the
// figures, maps (drawing every country's outline is the costliest part of
// the page), cities and bids only for the full page.
func (h *Handlers) load(ctx context.Context, p *web.Page, s *Summit, full bool) (*summitData, error) {
	d := &summitData{S: s, Speakers: map[int64]Speaker{}, Partners: map[string][]Partner{}, PartnerKinds: PartnerKinds}
	var err error
	if d.P, err = h.Store.Programme(ctx, s.ID); err != nil {
		return nil, err
	}
	if full {
		if d.Cities, d.F, err = h.Store.Confirmed(ctx, s.ID); err != nil {
			return nil, err
		}
		if d.Bids, err = h.Store.Bids(ctx, s.ID, false); err != nil {
			return nil, err
		}
	}
	for i := range d.Bids {
		if d.Bids[i].State == BidChosen {
			d.Chosen = &d.Bids[i]
		}
	}
	for _, sp := range d.P.Speakers {
		d.Speakers[sp.ID] = sp
	}
	for _, pt := range d.P.Partners {
		d.Partners[pt.Kind] = append(d.Partners[pt.Kind], pt)
	}
	loc := s.Location()
	for _, day := range s.Days() {
		d.Days = append(d.Days, Day{Date: day})
	}
	for _, x := range d.P.Sessions {
		local := x.StartsAt.In(loc)
		placed := false
		for i := range d.Days {
			y, m, dd := d.Days[i].Date.Date()
			if ly, lm, ld := local.Date(); ly == y && lm == m && ld == dd {
				d.Days[i].Sessions = append(d.Days[i].Sessions, x)
				placed = true
			}
		}
		if !placed { // before or after the summit's days: a day of its own
			day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
			d.Days = append(d.Days, Day{Date: day, Sessions: []*Session{x}})
		}
	}
	var days []Day
	for _, day := range d.Days {
		if len(day.Sessions) > 0 {
			days = append(days, day)
		}
	}
	sortDays(days)
	d.Days = days
	for i := range d.P.Venues {
		g := VenueGroup{Venue: &d.P.Venues[i], Number: i + 1}
		for _, x := range d.P.Sessions {
			if x.VenueID == g.Venue.ID {
				g.Sessions = append(g.Sessions, x)
			}
		}
		d.ByVenue = append(d.ByVenue, g)
	}
	var elsewhere VenueGroup
	for _, x := range d.P.Sessions {
		if x.VenueID == 0 {
			elsewhere.Sessions = append(elsewhere.Sessions, x)
		}
	}
	if len(elsewhere.Sessions) > 0 {
		d.ByVenue = append(d.ByVenue, elsewhere)
	}
	sortCities(p.Lang, d.Cities)
	if full {
		var pts []geo.Point
		for _, c := range d.Cities {
			if c.ID == s.Host.ID {
				continue // drawn once, as the host
			}
			pts = append(pts, geo.Point{Lat: c.Lat, Lon: c.Lon, Label: c.In(p.Lang), Country: c.Country, Class: "delegation"})
		}
		pts = append(pts, geo.Point{Lat: s.Host.Lat, Lon: s.Host.Lon, Label: s.Host.In(p.Lang), Country: s.Host.Country, Class: "host"})
		d.Map = geo.Map{Title: p.T("summit.map.title", "Summit", s.Title.Get(p.Lang, s.SourceLang)), Points: pts}.HTML()
		d.VenueMap = venueMap(p.T("summit.venues.map", "City", s.Host.In(p.Lang)), p.Lang, s.SourceLang, d.P.Venues)
	}
	d.Sentence = sentence(p, d.F)
	v := p.Viewer
	if full && registers(v) {
		d.CanRegister = s.RegistrationOpenAt(h.Store.now())
		d.CanBid = s.BidsOpenAt(h.Store.now())
		if d.Own, d.OwnBid, err = h.ownOf(ctx, v, s); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// registers reports whether v registers a city's delegation (and bids):
// the summit's page shows them their city's delegation and bid.
func registers(v *web.Viewer) bool {
	return v != nil && v.CityID != 0 && auth.Can(v, auth.SummitRegisterOwn)
}

// ownOf is v's city's delegation to summit s and its bid to host the next,
// each nil when there is none.
func (h *Handlers) ownOf(ctx context.Context, v *web.Viewer, s *Summit) (*Delegation, *Bid, error) {
	own, err := h.Store.DelegationOf(ctx, s.ID, v.CityID)
	if errors.Is(err, ErrNotFound) {
		own = nil
	} else if err != nil {
		return nil, nil, err
	}
	b, err := h.Store.BidOf(ctx, s.ID, v.CityID)
	if errors.Is(err, ErrNotFound) {
		b = nil
	} else if err != nil {
		return nil, nil, err
	}
	return own, b, nil
}

func sortDays(days []Day) {
	for i := 1; i < len(days); i++ {
		for j := i; j > 0 && days[j].Date.Before(days[j-1].Date); j-- {
			days[j], days[j-1] = days[j-1], days[j]
		}
	}
}

// sentence words the figures the way the press does (the continents come
// from summit.from.*, so French can write "venus d'Europe, des Amériques"): "42 guests from
// Europe, Asia, the Americas and Africa; 25 mayors and deputy mayors from
// 17 countries".
func sentence(p *web.Page, f Figures) string {
	if f.Delegations == 0 {
		return ""
	}
	var names []string
	for _, c := range f.Continents {
		names = append(names, p.T("summit.from."+c))
	}
	guests := p.T("summit.figures.guests_from", "Count", f.Guests, "Guests", p.Num(f.Guests), "Continents", listJoin(p, names))
	if f.Mayors == 0 {
		return guests
	}
	mayors := p.T("summit.figures.mayors_from", "Count", f.MayorCountries, "Mayors", p.Num(f.Mayors), "Countries", p.Num(f.MayorCountries))
	return p.T("summit.figures.sentence", "Guests", guests, "Mayors", mayors)
}

// listJoin joins names as the language lists them: "A, B and C".
func listJoin(p *web.Page, names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + p.T("summit.and") + " " + names[len(names)-1]
}

// Show is a summit's public page.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return
	}
	p := h.Render.NewPage(r, "", nil)
	d, err := h.load(r.Context(), p, s, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = d
	p.Title = s.Title.Get(p.Lang, s.SourceLang)
	p.Description = s.Theme.Get(p.Lang, s.SourceLang)
	p.JSONLD = append(p.JSONLD, eventLD(p, s, d.P.Venues))
	h.Render.HTML(w, r, http.StatusOK, "summit/summit", p)
}

// Programme is the day-by-day programme, or (?by=venue) venue by venue.
func (h *Handlers) Programme(w http.ResponseWriter, r *http.Request) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return
	}
	p := h.Render.NewPage(r, "", nil)
	d, err := h.load(r.Context(), p, s, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.ByVenueView = r.URL.Query().Get("by") == "venue"
	p.Data = d
	p.Title = p.T("summit.programme.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	h.Render.HTML(w, r, http.StatusOK, "summit/programme", p)
}

type participantsData struct {
	S      *Summit
	People []Delegate
	Cities []CityRef
	F      Figures
}

// Participants is the public list: the cities of confirmed delegations and
// the people among them who agreed to appear by name.
func (h *Handlers) Participants(w http.ResponseWriter, r *http.Request) {
	s, ok := h.summitFor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	people, err := h.Store.Participants(ctx, s.ID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i18n.SortByName(web.Lang(r), people, func(p Delegate) string { return p.City.In(web.Lang(r)) })
	cities, f, err := h.Store.Confirmed(ctx, s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sortCities(web.Lang(r), cities)
	p := h.Render.NewPage(r, "", participantsData{S: s, People: people, Cities: cities, F: f})
	p.Title = p.T("summit.participants.title") + " · " + s.Title.Get(p.Lang, s.SourceLang)
	h.Render.HTML(w, r, http.StatusOK, "summit/participants", p)
}

// Local formats t in the summit's zone for lang.
func (s *Summit) Local(lang string, t time.Time) string { return i18n.Clock(lang, t.In(s.Location())) }

// Name is the day as a heading: "Friday, 30 August 2019" in lang.
func (d Day) Name(lang string) string {
	if lang == "fr" { // "vendredi 30 août 2019": French puts no comma there
		return i18n.Weekday(lang, d.Date) + " " + i18n.Date(lang, d.Date)
	}
	return i18n.Weekday(lang, d.Date) + ", " + i18n.Date(lang, d.Date)
}

// ID is the day's anchor on the programme page.
func (d Day) ID() string { return "day-" + d.Date.Format("2006-01-02") }

// DateRange words the summit's dates: "30 August – 1 September 2019".
func (s *Summit) DateRange(lang string) string {
	a, b := s.Start(), s.End()
	if a.Equal(b) {
		return i18n.Date(lang, a)
	}
	return i18n.Date(lang, a) + " – " + i18n.Date(lang, b)
}

// OSM links to the venue on OpenStreetMap, or is empty without a position.
func (v Venue) OSM() string {
	if v.Lat == nil || v.Lon == nil {
		return ""
	}
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f", *v.Lat, *v.Lon, *v.Lat, *v.Lon)
}

// DateRange words the proposed dates of a bid.
func (b *Bid) DateRange(lang string) string {
	a, e := parseDay(b.ProposedStart, time.UTC), parseDay(b.ProposedEnd, time.UTC)
	if a.Equal(e) {
		return i18n.Date(lang, a)
	}
	return i18n.Date(lang, a) + " – " + i18n.Date(lang, e)
}

// sortCities orders cities by their names in lang, as that language sorts
// ("Málaga" before "Marrakesh", "Calcutta" among the C's in French); the
// same names by the name they are listed under, then as they were added.
func sortCities(lang string, cities []CityRef) {
	// One collation key per city, compared as bytes: far cheaper than
	// collating both names at every comparison.
	col := collate.New(language.Make(lang), collate.IgnoreCase)
	var buf collate.Buffer
	type keyed struct {
		key []byte
		c   CityRef
	}
	ks := make([]keyed, len(cities))
	for i, c := range cities {
		ks[i] = keyed{col.KeyFromString(&buf, c.In(lang)), c}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if n := bytes.Compare(a.key, b.key); n != 0 {
			return n
		}
		if n := strings.Compare(a.c.Name, b.c.Name); n != 0 {
			return n
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	for i, k := range ks {
		cities[i] = k.c
	}
}
