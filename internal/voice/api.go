package voice

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// apiConsultation is a consultation in the API and the JSON export.
type apiConsultation struct {
	ID          int64             `json:"id"`
	Slug        string            `json:"slug"`
	City        string            `json:"city"`
	Question    map[string]string `json:"question"`
	Themes      []string          `json:"themes"`
	OpensAt     time.Time         `json:"opens_at"`
	ClosesAt    time.Time         `json:"closes_at"`
	Open        bool              `json:"open"`
	Published   int               `json:"published_ideas"`
	URL         string            `json:"url"`
	Exhibitions []apiExhibition   `json:"exhibitions"`
}

type apiExhibition struct {
	Venue    string  `json:"venue"`
	Address  string  `json:"address"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	StartsOn string  `json:"starts_on"`
	EndsOn   string  `json:"ends_on"`
	Hours    string  `json:"hours,omitempty"`
}

// apiIdea is a published idea: no personal data.
type apiIdea struct {
	ID           int64     `json:"id"`
	Consultation int64     `json:"consultation"`
	Text         string    `json:"text"`
	Lang         string    `json:"lang"`
	Theme        string    `json:"theme,omitempty"`
	Channel      string    `json:"channel"`
	Venue        string    `json:"venue,omitempty"`
	Supports     int       `json:"supports"`
	Created      time.Time `json:"created_at"`
	Practices    []string  `json:"practices,omitempty"`
}

// adminIdea adds the moderation data (still no address, no e-mail).
type adminIdea struct {
	apiIdea
	State      string   `json:"state"`
	Reason     string   `json:"reason,omitempty"`
	MergedInto int64    `json:"merged_into,omitempty"`
	Flags      []string `json:"flags,omitempty"`
	Reports    int      `json:"reports"`
	Station    string   `json:"station,omitempty"`
	Card       string   `json:"card,omitempty"`
	Decided    string   `json:"decided_at,omitempty"`
}

func (h *Handlers) toAPI(r *http.Request, c *Consultation) apiConsultation {
	out := apiConsultation{ID: c.ID, Slug: c.Slug, City: c.CityName, Question: c.Question.Clean(), Themes: c.Themes, OpensAt: c.OpensAt,
		ClosesAt: c.ClosesAt, Open: c.Open(time.Now().UTC()), Published: c.Published, URL: web.SiteURL(r, h.BaseURL) + "/" + apiv1.Lang(r) + c.Path(),
		Exhibitions: []apiExhibition{}}
	if out.Themes == nil {
		out.Themes = []string{}
	}
	for _, e := range c.Exhibitions {
		out.Exhibitions = append(out.Exhibitions, apiExhibition{Venue: e.Venue, Address: e.Address, Lat: e.Lat, Lon: e.Lon, StartsOn: e.StartsOn, EndsOn: e.EndsOn, Hours: e.Hours})
	}
	return out
}

func (h *Handlers) ideaAPI(r *http.Request, i *Idea) apiIdea {
	a := apiIdea{ID: i.ID, Consultation: i.ConsultationID, Text: i.Body, Lang: i.Lang, Theme: i.Theme, Channel: i.Channel, Venue: i.Venue,
		Supports: i.Supports, Created: i.CreatedAt}
	for _, p := range i.Practices {
		a.Practices = append(a.Practices, web.SiteURL(r, h.BaseURL)+"/"+i18n.Default+p.Path())
	}
	return a
}

func writeJSON(w http.ResponseWriter, status int, v any) { apiv1.JSON(w, status, v) }

// apiError answers a problem in the client's language (?lang=,
// Accept-Language), with the field at fault.
func (h *Handlers) apiError(w http.ResponseWriter, r *http.Request, status int, key, field string) {
	short := strings.TrimPrefix(key, "voice.err.")
	p := apiv1.Problem{Status: status, Detail: h.Render.Catalog.T(apiv1.Lang(r), key)}
	switch {
	case status >= 500:
		p.Code = "internal"
	case status == http.StatusNotFound:
		p.Code = "not-found"
	case short == "json" || short == "nul":
		p.Code = "invalid-body"
	case short == "limit":
		p.Code = "limit"
	case short == "station":
		p.Code = "station"
	case field == "altcha" || short == "pow_used":
		p.Code = "pow"
	case short == "closed":
		p.Code = "state"
	case status == http.StatusBadRequest:
		p.Code = "bad-parameter"
	default:
		p.Code = "validation"
	}
	if field != "" {
		if status == http.StatusBadRequest || status == http.StatusNotFound {
			p.Parameter = field
		} else {
			p.Errors = []apiv1.FieldError{{Field: field, Code: short, Detail: p.Detail}}
		}
	}
	apiv1.Fail(w, r, h.Render, p)
}

// decodeJSON reads a request body of at most limit bytes into v, or
// answers 400: not JSON, or a NUL character in it (which no store keeps),
// named by its field.
func (h *Handlers) decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit))
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		h.apiError(w, r, http.StatusBadRequest, "voice.err.json", "")
		return false
	}
	if nul, where := web.JSONNUL(body); nul {
		h.apiError(w, r, http.StatusBadRequest, "voice.err.nul", where)
		return false
	}
	return true
}

// APIConsultations is GET /api/v1/consultations.
func (h *Handlers) APIConsultations(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render)
	if !ok {
		return
	}
	list, err := h.Store.Consultations(r.Context(), 0)
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	all := []apiConsultation{}
	for _, c := range list {
		all = append(all, h.toAPI(r, c))
	}
	if p, ok := apiv1.Slice(w, r, h.Render, q, all); ok {
		apiv1.JSON(w, http.StatusOK, p)
	}
}

// APIIdeas is GET /api/v1/ideas?consultation=ID: published ideas only.
func (h *Handlers) APIIdeas(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render, "consultation", "q", "theme", "language", "sort")
	if !ok {
		return
	}
	ref := q.Get("consultation")
	if ref == "" {
		h.apiError(w, r, http.StatusBadRequest, "voice.err.no_consultation", "consultation")
		return
	}
	c, err := h.Store.Consultation(r.Context(), ref)
	if errors.Is(err, ErrNotFound) {
		h.apiError(w, r, http.StatusNotFound, "voice.err.no_consultation", "consultation")
		return
	} else if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	f := Filter{Consultation: c.ID, Query: q.Get("q"), Theme: q.Get("theme"), Lang: q.Get("language"),
		Sort: q.Get("sort"), Limit: apiv1.Limit(q, 100)}
	if f.Offset, ok = apiv1.Offset(w, r, h.Render, q); !ok {
		return
	}
	ideas, total, err := h.Store.Published(r.Context(), f)
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	out := apiv1.Page[apiIdea]{Items: []apiIdea{}, Total: &total}
	for _, i := range ideas {
		out.Items = append(out.Items, h.ideaAPI(r, i))
	}
	if len(ideas) > 0 {
		out.Next = apiv1.NextOffset(w, r, h.Render, q, f.Offset+len(ideas), total)
	}
	apiv1.JSON(w, http.StatusOK, out)
}

// APIChallenge is GET /api/v1/ideas/challenge: a proof-of-work challenge
// whose difficulty grows with the network prefix's recent ideas.
func (h *Handlers) APIChallenge(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := time.Now().UTC()
	ph, err := h.Store.PrefixHash(ctx, web.ClientIP(r), now)
	n := 0
	if err == nil {
		n, err = h.Store.PrefixCount(ctx, ph, now)
	}
	var c Challenge
	if err == nil {
		c, err = h.Store.NewChallenge(ctx, Difficulty(h.PowBase, n), now)
	}
	if err != nil {
		h.Log.Error("challenge", "err", err)
		h.apiError(w, r, http.StatusInternalServerError, "voice.err.server", "")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
}

// apiGive is the body of POST /api/v1/ideas.
type apiGive struct {
	Consultation  json.RawMessage `json:"consultation"`
	Text          string          `json:"text"`
	Language      string          `json:"language"`
	Theme         string          `json:"theme"`
	Neighbourhood string          `json:"neighbourhood"`
	AgeGroup      string          `json:"age_group"`
	Email         string          `json:"email"`
	Altcha        string          `json:"altcha"`
	Station       string          `json:"station"` // a kiosk's station token
	Backlog       int             `json:"backlog"` // ideas still waiting on the kiosk
	Channel       string          `json:"channel"`
}

// APIGive is POST /api/v1/ideas: 202 with the receipt code once the idea
// is committed. Without a valid, unused proof of work (or a kiosk's
// station token) it refuses and stores nothing.
func (h *Handlers) APIGive(w http.ResponseWriter, r *http.Request) {
	var in apiGive
	if !h.decodeJSON(w, r, 64<<10, &in) {
		return
	}
	ref := strings.Trim(string(in.Consultation), `"`)
	c, fresh, err := h.Store.RecentBrief(r.Context(), ref)
	if errors.Is(err, ErrNotFound) || ref == "" {
		h.apiError(w, r, http.StatusNotFound, "voice.err.no_consultation", "consultation")
		return
	} else if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, "voice.err.server", "")
		return
	}
	gi := GiveInput{Text: in.Text, Lang: in.Language, Theme: in.Theme, Neighbourhood: in.Neighbourhood, AgeGroup: in.AgeGroup,
		Email: in.Email, Channel: ChannelAPI, Altcha: in.Altcha, NeedProof: true, IP: web.ClientIP(r),
		IdemKey: strings.TrimSpace(r.Header.Get("Idempotency-Key")), UILang: i18n.Match(r.Header.Get("Accept-Language"))}
	if in.Station != "" {
		st, ex, cons, err := h.Store.StationByToken(r.Context(), in.Station)
		if err != nil || cons != c.ID {
			h.apiError(w, r, http.StatusForbidden, "voice.err.station", "station")
			return
		}
		gi.StationID, gi.ExhibitionID, gi.Channel = st, ex, ChannelKiosk
		if err := h.Store.StationContact(r.Context(), st, in.Backlog); err != nil {
			h.Log.Warn("station contact", "err", err)
		}
	}
	if gi.IdemKey != "" {
		gi.IdemKey = strconv.FormatInt(c.ID, 10) + ":" + gi.IdemKey
	}
	acc, err := h.Give(r.Context(), c, gi)
	var ge *GiveError
	if errors.As(err, &ge) && ge.Err == nil && (ge.Key == "voice.err.closed" || ge.Key == "voice.err.theme") && !fresh {
		// Refused on a kept copy of the consultation: ask the database.
		if c, err = h.Store.Brief(r.Context(), ref); err == nil {
			acc, err = h.Give(r.Context(), c, gi)
		}
	}
	if errors.As(err, &ge) {
		status := http.StatusUnprocessableEntity
		switch {
		case ge.Key == "voice.err.limit":
			status = http.StatusTooManyRequests
		case ge.Key == "voice.err.pow_used":
			status = http.StatusConflict
		case ge.Field == "altcha":
			status = http.StatusForbidden
		case ge.Key == "voice.err.closed":
			status = http.StatusConflict
		}
		h.apiError(w, r, status, ge.Key, ge.Field)
		return
	} else if err != nil {
		h.Log.Error("api give", "err", err)
		h.apiError(w, r, http.StatusInternalServerError, "voice.err.server", "")
		return
	}
	writeJSON(w, http.StatusAccepted, apiTaken{Receipt: acc.Receipt, Repeated: acc.Again, State: acc.State,
		URL: web.SiteURL(r, h.BaseURL) + "/" + gi.UILang + "/ideas/receipt/" + acc.Receipt})
}

// apiTaken is the answer to an idea taken.
type apiTaken struct {
	Receipt  string `json:"receipt"`
	Repeated bool   `json:"repeated"`
	State    string `json:"state"`
	URL      string `json:"url"`
}

// APIReceipt is GET /api/v1/ideas/receipt/{code}.
func (h *Handlers) APIReceipt(w http.ResponseWriter, r *http.Request) {
	code := NormalReceipt(r.PathValue("code"))
	i, err := h.Store.ByReceipt(r.Context(), code)
	if code == "" || errors.Is(err, ErrNotFound) {
		h.apiError(w, r, http.StatusNotFound, "voice.err.no_receipt", "")
		return
	} else if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, "voice.err.server", "")
		return
	}
	out := map[string]any{"receipt": i.Receipt, "consultation": i.ConsultationID, "state": i.State, "text": i.Body, "created_at": i.CreatedAt}
	if i.State == StateHidden || i.State == StateMerged {
		out["reason"] = i.Reason
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// StationPing is POST /api/v1/ideas/station: a kiosk tells it is alive
// and how many ideas wait on it.
func (h *Handlers) StationPing(w http.ResponseWriter, r *http.Request) {
	var in apiGive
	if !h.decodeJSON(w, r, 4<<10, &in) {
		return
	}
	st, _, _, err := h.Store.StationByToken(r.Context(), in.Station)
	if err != nil {
		h.apiError(w, r, http.StatusForbidden, "voice.err.station", "station")
		return
	}
	if err := h.Store.StationContact(r.Context(), st, in.Backlog); err != nil {
		h.apiError(w, r, http.StatusInternalServerError, "voice.err.server", "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ExportCSV is the published ideas of a consultation as CSV.
func (h *Handlers) ExportCSV(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	ideas, err := h.Store.PublishedAll(r.Context(), c.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ideas-`+c.Slug+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "created_at", "lang", "theme", "channel", "venue", "supports", "text", "practices"})
	for _, i := range ideas {
		a := h.ideaAPI(r, i)
		cw.Write(web.CSVRow([]string{itoa(i.ID), i.CreatedAt.Format(time.RFC3339), i.Lang, i.Theme, i.Channel, i.Venue,
			strconv.Itoa(i.Supports), i.Body, strings.Join(a.Practices, " ")}))
	}
	cw.Flush()
}

// ExportJSON is the published ideas of a consultation as JSON.
func (h *Handlers) ExportJSON(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	ideas, err := h.Store.PublishedAll(r.Context(), c.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	out := []apiIdea{}
	for _, i := range ideas {
		out = append(out, h.ideaAPI(r, i))
	}
	writeJSON(w, http.StatusOK, map[string]any{"consultation": h.toAPI(r, c), "ideas": out})
}

// AdminExport is every idea of a consultation with its moderation data.
func (h *Handlers) AdminExport(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	if !mayModerate(web.ViewerFrom(r.Context()), c.CityID) {
		h.Auth.Forbidden(w, r, "voice.moderate")
		return
	}
	ideas, err := h.Store.AllIdeas(r.Context(), c.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	out := []adminIdea{}
	for _, i := range ideas {
		a := adminIdea{apiIdea: h.ideaAPI(r, i), State: i.State, Reason: i.Reason, MergedInto: i.MergedInto, Flags: i.Flags,
			Reports: i.Reports, Station: i.Station, Card: i.Card}
		if !i.DecidedAt.IsZero() && i.DecidedAt.Year() > 1 {
			a.Decided = i.DecidedAt.Format(time.RFC3339)
		}
		out = append(out, a)
	}
	w.Header().Set("Content-Disposition", `attachment; filename="ideas-`+c.Slug+`-moderation.json"`)
	writeJSON(w, http.StatusOK, map[string]any{"consultation": h.toAPI(r, c), "ideas": out})
}
