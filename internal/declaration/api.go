package declaration

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The API shows what the public pages show (no drafts). A token with
// read:private of the secretariat sees what its owner sees signed in: the
// declarations still in draft, as the administration's list shows them,
// and the version not yet published, as the declaration's page does.

// privateManager reports whether the request is a read:private token of
// the secretariat: the same rule as manager for a signed-in person.
func privateManager(r *http.Request) bool {
	return auth.Can(auth.PrivateReader(r), auth.DeclarationManage)
}

// writeFile writes a document meant to be kept and compared byte for byte
// (the key set, a signed bundle) as `observatory keys export-public` and
// the offline tools write it: indented JSON.
func writeFile(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (h *Handlers) apiError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status == http.StatusNotFound {
		apiv1.NotFound(w, r, h.Render)
		return
	}
	apiv1.Internal(w, r, h.Render, err)
}

type apiDeclaration struct {
	ID             int64     `json:"id"`
	Title          i18n.Text `json:"title"`
	Authoritative  string    `json:"authoritative_lang"`
	Status         string    `json:"status"`
	AdoptedOn      string    `json:"adopted_on,omitempty"`
	AdoptedPlace   string    `json:"adopted_place,omitempty"`
	SummitID       int64     `json:"summit_id,omitempty"`
	Demo           bool      `json:"demo"`
	CurrentVersion int       `json:"current_version"`
	Signatures     int       `json:"signatures"`
	URL            string    `json:"url"`
	BundleURL      string    `json:"bundle_url"`
}

func (h *Handlers) apiDecl(r *http.Request, d *Declaration) apiDeclaration {
	base := apiv1.Base(r, h.Render)
	return apiDeclaration{ID: d.ID, Title: d.Titles, Authoritative: d.Authoritative, Status: d.Status, AdoptedOn: d.AdoptedOn,
		AdoptedPlace: d.AdoptedPlace, SummitID: d.SummitID, Demo: d.Demo, CurrentVersion: d.CurrentVersion, Signatures: d.Active,
		URL: base + "/" + apiv1.Lang(r) + d.Path(), BundleURL: base + "/api/v1/declarations/" + strconv.FormatInt(d.ID, 10) + "/bundle"}
}

// APIList is GET /api/v1/declarations.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render)
	if !ok {
		return
	}
	ds, err := h.Store.List(r.Context(), privateManager(r))
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	out := make([]apiDeclaration, 0, len(ds))
	for _, d := range ds {
		out = append(out, h.apiDecl(r, d))
	}
	if p, ok := apiv1.Slice(w, r, h.Render, q, out); ok {
		apiv1.JSON(w, http.StatusOK, p)
	}
}

type apiVersion struct {
	Number        int        `json:"number"`
	Authoritative string     `json:"authoritative_lang"`
	Hash          string     `json:"hash"`
	PublishedAt   *time.Time `json:"published_at"` // nil: not published yet
	Texts         Texts      `json:"texts"`
}

type apiSignature struct {
	City      apiCity    `json:"city"`
	Continent string     `json:"continent"`
	Signer    string     `json:"signer"`
	Role      string     `json:"role"`
	Mode      string     `json:"mode"`
	Place     string     `json:"place"`
	SignedAt  time.Time  `json:"signed_at"`
	Version   int        `json:"version"`
	Lang      string     `json:"lang"`
	LogEntry  int64      `json:"log_entry"`
	Withdrawn *time.Time `json:"withdrawn_at,omitempty"`
}

type apiCity struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
	URL     string `json:"url"`
}

// APIGet is GET /api/v1/declarations/{id}: the declaration, its versions'
// texts and hashes, and every signature (withdrawn ones marked).
func (h *Handlers) APIGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := apiv1.Query(w, r, h.Render); !ok {
		return
	}
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	d, err := h.Store.Get(r.Context(), id, privateManager(r))
	if errors.Is(err, ErrNotFound) {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	sigs, err := h.Store.Signatures(r.Context(), id)
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	base := apiv1.Base(r, h.Render)
	versions := []apiVersion{}
	for _, v := range d.Versions {
		versions = append(versions, apiVersion{Number: v.Number, Authoritative: v.Authoritative, Hash: v.Hash,
			PublishedAt: v.PublishedAt, Texts: v.Texts})
	}
	signatures := []apiSignature{}
	var active []*Signature
	for _, g := range sigs {
		signatures = append(signatures, apiSignature{City: apiCity{ID: g.City.ID, Name: g.City.Name, Country: g.City.Country,
			URL: base + "/" + apiv1.Lang(r) + g.City.Path()}, Continent: geo.Continent(g.City.Country), Signer: g.Signer, Role: g.Role,
			Mode: g.Mode, Place: g.Place, SignedAt: g.SignedAt, Version: g.Version, Lang: g.Lang, LogEntry: g.LogSeq, Withdrawn: g.WithdrawnAt})
		if g.Active() {
			active = append(active, g)
		}
	}
	countries, continents := counts(active)
	toMap := func(cs []Count) map[string]int {
		m := map[string]int{}
		for _, c := range cs {
			m[c.Code] = c.N
		}
		return m
	}
	cp, err := h.Store.Checkpoint(r.Context(), id)
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	apiv1.JSON(w, http.StatusOK, map[string]any{
		"declaration": h.apiDecl(r, d),
		"checkpoint":  cp,
		"intro":       d.Intro,
		"versions":    versions,
		"signatures":  signatures,
		"counts":      map[string]any{"active": len(active), "by_country": toMap(countries), "by_continent": toMap(continents)},
	})
}

// APIBundle is GET /api/v1/declarations/{id}/bundle: the signed bundle, as
// a file to keep.
func (h *Handlers) APIBundle(w http.ResponseWriter, r *http.Request) {
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	b, err := h.Store.Bundle(r.Context(), id, h.baseURL(r))
	if errors.Is(err, ErrNotFound) {
		h.apiError(w, r, http.StatusNotFound, nil)
		return
	}
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="declaration-`+strconv.FormatInt(id, 10)+`-bundle.json"`)
	writeFile(w, b)
}
