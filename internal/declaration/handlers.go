package declaration

import (
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"time"

	"observatory/internal/auth"
	"observatory/internal/geo"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// Handlers serves the declaration pages, the signing and verification
// pages, the secretariat's pages and the API.
type Handlers struct {
	Store   *Store
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string // the public URL of the site, for links in bundles; the request's host when empty
	// err is why New could not build the declarations (see Capability).
	err error
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.Render.Fail(w, r, err, ErrNotFound)
}

// manager reports whether the viewer is the secretariat.
func manager(r *http.Request) bool {
	return auth.Can(web.ViewerFrom(r.Context()), auth.DeclarationManage)
}

// declFor loads the declaration named by the {ref} path value: the public
// never sees drafts. The main page with an outdated slug redirects.
func (h *Handlers) declFor(w http.ResponseWriter, r *http.Request, redirect bool) (*Declaration, bool) {
	ref := r.PathValue("ref")
	id, _, ok := web.ParseRef(ref)
	if !ok {
		h.Render.NotFound(w, r)
		return nil, false
	}
	d, err := h.Store.Get(r.Context(), id, manager(r))
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if redirect && ref != strconv.FormatInt(d.ID, 10)+"-"+d.SlugIn(web.Lang(r)) {
		u := "/" + web.Lang(r) + d.PathIn(web.Lang(r))
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return nil, false
	}
	return d, true
}

// baseURL is the site's public address without a trailing slash.
func (h *Handlers) baseURL(r *http.Request) string { return web.SiteURL(r, h.BaseURL) }

// names gives the templates the names of languages, in the page's language.
type names struct{}

// LangName is the name of language code in language in.
func (names) LangName(in, code string) string { return i18n.LanguageName(in, code) }

// ContinentKey is the catalog key of a continent's name.
func (names) ContinentKey(c string) string { return ContinentKey(c) }

type listData struct {
	names
	Declarations []*Declaration
	Manage       bool
}

// List shows the declarations.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	ds, err := h.Store.List(r.Context(), false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.Render.NewPage(r, "", listData{Declarations: ds, Manage: manager(r)})
	p.Title = p.T("declaration.list.title")
	h.Render.HTML(w, r, http.StatusOK, "declaration/list", p)
}

// Count is a number of signatories in a country or on a continent.
type Count struct {
	Code string
	N    int
}

type showData struct {
	names
	D          *Declaration
	V          *Version // the version being read
	Text       Text
	TextLang   string
	FellBack   bool // the reader's language has no text
	Body       template.HTML
	Active     []*Signature
	Withdrawn  []*Signature
	Countries  []Count
	Continents []Count
	Map        template.HTML
	Own        *Signature // the viewer's city's active signature
	CanSign    bool       // a delegate whose city may sign now
	CanRecord  bool       // the secretariat, while the declaration is open
	Manage     bool       // the secretariat
	Lang       string
	// Checkpoint is the platform's latest signed record of the log (nil
	// before the first entry).
	Checkpoint *Checkpoint
}

// Local is a stored time (or pointer to one) in the declaration's zone.
func (s *showData) Local(t any) time.Time { return localTime(t, s.D.Location()) }

func localTime(t any, loc *time.Location) time.Time {
	switch x := t.(type) {
	case time.Time:
		return x.In(loc)
	case *time.Time:
		if x != nil {
			return x.In(loc)
		}
	}
	return time.Time{}
}

// Show is a declaration's page: its text in the reader's language (or the
// one asked for), its versions and signatories, and how to verify them.
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, true)
	if !ok {
		return
	}
	lang := web.Lang(r)
	v := d.Current()
	if n, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil {
		v = nil
		for _, x := range d.Versions {
			if x.Number == n {
				v = x
			}
		}
		if v == nil {
			h.Render.NotFound(w, r)
			return
		}
	}
	if v == nil {
		v = d.Latest() // a draft, seen by the secretariat
	}
	sigs, err := h.Store.Signatures(r.Context(), d.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &showData{D: d, V: v, Lang: lang}
	if v != nil {
		want := lang
		if t := r.URL.Query().Get("text"); t != "" {
			if _, ok := v.Texts[t]; ok {
				want = t
			}
		}
		data.Text, data.TextLang = v.Text(want)
		data.FellBack = data.TextLang != lang
		data.Body = RenderMarkdown(data.Text.Body)
	}
	viewer := web.ViewerFrom(r.Context())
	for _, g := range sigs {
		if g.Active() {
			data.Active = append(data.Active, g)
			if viewer != nil && viewer.CityID == g.City.ID {
				data.Own = g
			}
		} else {
			data.Withdrawn = append(data.Withdrawn, g)
		}
	}
	if d.Public() {
		if data.Checkpoint, err = h.Store.Checkpoint(r.Context(), d.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	data.Countries, data.Continents = counts(data.Active)
	data.Map = signatoryMap(h.Render.Catalog.T(lang, "declaration.map.title"), lang, data.Active)
	open := d.Status == StatusOpen && d.CurrentVersion > 0
	data.CanSign = open && data.Own == nil && auth.Can(viewer, auth.DeclarationSignOwn)
	data.Manage = manager(r)
	data.CanRecord = open && data.Manage
	p := h.Render.NewPage(r, "", data)
	p.Title = d.Title(lang).Value
	if r.URL.RawQuery == "" {
		p.LangPaths = d.LangPaths() // each language's address has its own slug
	}
	h.Render.HTML(w, r, http.StatusOK, "declaration/show", p)
}

// counts groups active signatures by country and by continent, the
// largest first.
func counts(sigs []*Signature) (countries, continents []Count) {
	byCountry, byContinent := map[string]int{}, map[string]int{}
	for _, g := range sigs {
		byCountry[g.City.Country]++
		byContinent[geo.Continent(g.City.Country)]++
	}
	order := func(m map[string]int) []Count {
		out := make([]Count, 0, len(m))
		for k, n := range m {
			out = append(out, Count{k, n})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].N != out[j].N {
				return out[i].N > out[j].N
			}
			return out[i].Code < out[j].Code
		})
		return out
	}
	return order(byCountry), order(byContinent)
}

// signatoryMap marks the signing cities on the world map, each linking to
// its city page.
func signatoryMap(title, lang string, sigs []*Signature) template.HTML {
	pts := make([]geo.Point, 0, len(sigs))
	for _, g := range sigs {
		pts = append(pts, geo.Point{Lat: g.Lat, Lon: g.Lon, Label: g.City.DisplayName(lang), Href: "/" + lang + g.City.Path(),
			Country: g.City.Country, Class: "signatory"})
	}
	return geo.Map{Title: title, Points: pts}.HTML()
}

// ContinentKey is the catalog key of a continent's name.
func ContinentKey(c string) string {
	if c == "" {
		c = "unknown"
	}
	return "declaration.continent." + c
}

// Keys serves the platform's public keys (GET /api/v1/keys and
// /.well-known/observatory-keys.json).
func (h *Handlers) Keys(w http.ResponseWriter, r *http.Request) {
	ks, err := h.Store.KeySet(r.Context())
	if err != nil {
		h.apiError(w, r, http.StatusInternalServerError, err)
		return
	}
	writeFile(w, ks)
}
