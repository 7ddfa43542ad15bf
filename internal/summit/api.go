package summit

import (
	"errors"
	"net/http"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The API speaks of summits as open data: translatable fields as objects
// by language, times in UTC (RFC 3339) with the summit's zone beside them.
// Delegates appear only when they agreed to be listed, and then only by
// name, title, role and city.

type apiCity struct {
	ID         int64     `json:"id"`
	Slug       string    `json:"slug"`
	Name       string    `json:"name"`
	Names      i18n.Text `json:"names,omitempty"`
	Country    string    `json:"country"`
	Population int64     `json:"population,omitempty"`
}

type apiSummit struct {
	ID          int64     `json:"id"`
	Number      int       `json:"number"`
	Title       i18n.Text `json:"title"`
	Theme       i18n.Text `json:"theme,omitempty"`
	Description i18n.Text `json:"description,omitempty"`
	SourceLang  string    `json:"source_lang"`
	Host        apiCity   `json:"host"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
	Timezone    string    `json:"timezone"`
	Status      string    `json:"status"`
	// Deadlines, days in the summit's zone.
	RegistrationClosesOn string     `json:"registration_closes_on,omitempty"`
	BidsCloseOn          string     `json:"bids_close_on,omitempty"`
	Website              string     `json:"website,omitempty"`
	URL                  string     `json:"url"`
	Calendar             string     `json:"calendar"`
	Figures              apiFigures `json:"figures"`
}

type apiFigures struct {
	Delegations    int      `json:"delegations"`
	Guests         int      `json:"guests"`
	Mayors         int      `json:"mayors_and_deputy_mayors"`
	Countries      int      `json:"countries"`
	MayorCountries int      `json:"countries_of_mayors,omitempty"`
	Continents     []string `json:"continents,omitempty"`
	Residents      int64    `json:"residents_represented"`
}

type apiVenue struct {
	ID      int64     `json:"id"`
	Name    i18n.Text `json:"name"`
	Address string    `json:"address"`
	Lat     *float64  `json:"lat,omitempty"`
	Lon     *float64  `json:"lon,omitempty"`
}

type apiSession struct {
	ID             int64     `json:"id"`
	Kind           string    `json:"kind"`
	Title          i18n.Text `json:"title"`
	Description    i18n.Text `json:"description,omitempty"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	VenueID        int64     `json:"venue_id,omitempty"`
	Room           string    `json:"room,omitempty"`
	Languages      []string  `json:"languages"`
	Interpretation []string  `json:"interpretation"`
	Capacity       int       `json:"capacity,omitempty"`
	SeatsLeft      *int      `json:"seats_left,omitempty"`
	Speakers       []int64   `json:"speakers"`
}

type apiSpeaker struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Role        i18n.Text `json:"role,omitempty"`
	Affiliation string    `json:"affiliation,omitempty"`
	Bio         i18n.Text `json:"bio,omitempty"`
}

type apiPartner struct {
	Kind string    `json:"kind"`
	Name i18n.Text `json:"name"`
	URL  string    `json:"url,omitempty"`
}

type apiParticipant struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Role  string `json:"role"`
	Head  bool   `json:"head_of_delegation"`
	City  string `json:"city"`
}

type apiBid struct {
	City          apiCity `json:"city"`
	ProposedStart string  `json:"proposed_start"`
	ProposedEnd   string  `json:"proposed_end"`
	State         string  `json:"state"`
}

// apiOwn is the token owner's city's delegation, as the summit's page
// shows it to them signed in.
type apiOwn struct {
	City          apiCity `json:"city"`
	State         string  `json:"state"`
	QueuePosition int     `json:"queue_position,omitempty"`
}

type apiSummitFull struct {
	apiSummit
	OwnDelegation *apiOwn          `json:"own_delegation,omitempty"`
	OwnBid        *apiBid          `json:"own_bid,omitempty"`
	Venues        []apiVenue       `json:"venues"`
	Sessions      []apiSession     `json:"sessions"`
	Speakers      []apiSpeaker     `json:"speakers"`
	Partners      []apiPartner     `json:"partners"`
	Cities        []apiCity        `json:"delegations"`
	Participants  []apiParticipant `json:"participants"`
	NextHostBids  []apiBid         `json:"next_host_bids"`
}

func toAPICity(c CityRef) apiCity {
	return apiCity{ID: c.ID, Slug: c.Slug, Name: c.Name, Names: c.Names.Clean(), Country: c.Country, Population: c.Population}
}

func (h *Handlers) apiSummit(r *http.Request, s *Summit, f Figures) apiSummit {
	base := apiv1.Base(r, h.Render)
	return apiSummit{ID: s.ID, Number: s.Number, Title: s.Title, Theme: s.Theme, Description: s.Description, SourceLang: s.SourceLang,
		Host: toAPICity(s.Host), StartsOn: s.StartsOn, EndsOn: s.EndsOn, Timezone: s.Timezone, Status: s.Status, Website: s.Website,
		RegistrationClosesOn: s.RegistrationClosesOn, BidsCloseOn: s.BidsCloseOn,
		URL: base + "/" + apiv1.Lang(r) + "/summits/" + s.Ref(), Calendar: base + "/feeds/summits/" + itoa(s.ID) + ".ics",
		Figures: apiFigures(f)}
}

// APIList is GET /api/v1/summits: every public summit with its figures.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render)
	if !ok {
		return
	}
	summits, err := h.Store.List(r.Context(), false)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	figs, err := h.Store.FiguresAll(r.Context())
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	all := []apiSummit{}
	for _, s := range summits {
		all = append(all, h.apiSummit(r, s, figs[s.ID]))
	}
	if p, ok := apiv1.Slice(w, r, h.Render, q, all); ok {
		apiv1.JSON(w, http.StatusOK, p)
	}
}

func (h *Handlers) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNotFound) {
		apiv1.NotFound(w, r, h.Render)
		return
	}
	apiv1.Internal(w, r, h.Render, err)
}

// APIShow is GET /api/v1/summits/{id}: the summit with its programme,
// partners, figures, the cities taking part and the consenting participants.
func (h *Handlers) APIShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		apiv1.NotFound(w, r, h.Render)
		return
	}
	ctx := r.Context()
	// A read:private token sees what its owner sees on the page signed in:
	// the secretariat a summit still in draft, a city's registrar their
	// delegation and bid.
	v := auth.PrivateReader(r)
	s, err := h.Store.Get(ctx, id, auth.Can(v, auth.SummitManage))
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	prog, err := h.Store.Programme(ctx, s.ID)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	f, err := h.Store.Figures(ctx, s.ID)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	cities, err := h.Store.ConfirmedCities(ctx, s.ID)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	people, err := h.Store.Participants(ctx, s.ID, true)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	bids, err := h.Store.Bids(ctx, s.ID, false)
	if err != nil {
		h.apiFail(w, r, err)
		return
	}
	out := apiSummitFull{apiSummit: h.apiSummit(r, s, f), Venues: []apiVenue{}, Sessions: []apiSession{}, Speakers: []apiSpeaker{},
		Partners: []apiPartner{}, Cities: []apiCity{}, Participants: []apiParticipant{}, NextHostBids: []apiBid{}}
	for _, v := range prog.Venues {
		out.Venues = append(out.Venues, apiVenue{ID: v.ID, Name: v.Name, Address: v.Address, Lat: v.Lat, Lon: v.Lon})
	}
	for _, x := range prog.Sessions {
		as := apiSession{ID: x.ID, Kind: x.Kind, Title: x.Title, Description: x.Description, Start: x.StartsAt, End: x.EndsAt,
			VenueID: x.VenueID, Room: x.Room, Languages: nonNil(x.Languages), Interpretation: nonNil(x.Interpretation),
			Capacity: x.Capacity, Speakers: []int64{}}
		if x.Capacity > 0 {
			left := x.Left()
			as.SeatsLeft = &left
		}
		for _, sp := range x.Speakers {
			as.Speakers = append(as.Speakers, sp.ID)
		}
		out.Sessions = append(out.Sessions, as)
	}
	for _, sp := range prog.Speakers {
		out.Speakers = append(out.Speakers, apiSpeaker{ID: sp.ID, Name: sp.Name, Role: sp.Role, Affiliation: sp.Affiliation, Bio: sp.Bio})
	}
	for _, p := range prog.Partners {
		out.Partners = append(out.Partners, apiPartner{Kind: p.Kind, Name: p.Name, URL: p.URL})
	}
	for _, c := range cities {
		out.Cities = append(out.Cities, toAPICity(c))
	}
	for _, p := range people {
		out.Participants = append(out.Participants, apiParticipant{Name: p.Name, Title: p.Title, Role: p.Role, Head: p.IsHead, City: p.City.Name})
	}
	for _, b := range bids {
		out.NextHostBids = append(out.NextHostBids, apiBid{City: toAPICity(b.City), ProposedStart: b.ProposedStart, ProposedEnd: b.ProposedEnd, State: b.State})
	}
	if registers(v) {
		own, bid, err := h.ownOf(ctx, v, s)
		if err != nil {
			h.apiFail(w, r, err)
			return
		}
		if own != nil {
			out.OwnDelegation = &apiOwn{City: toAPICity(own.City), State: own.State, QueuePosition: own.QueuePosition}
		}
		if bid != nil {
			out.OwnBid = &apiBid{City: toAPICity(bid.City), ProposedStart: bid.ProposedStart, ProposedEnd: bid.ProposedEnd, State: bid.State}
		}
	}
	apiv1.JSON(w, http.StatusOK, out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
