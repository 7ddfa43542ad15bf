package exchange

import (
	"bytes"
	"context"
	"html/template"
	"net/http"

	"observatory/internal/web"
)

var sections = template.Must(template.ParseFS(files, "section/*.tmpl"))

// sectionData is what the section templates receive.
type sectionData struct {
	Lang     string
	CityID   int64
	Given    []*Exchange // the city's practices asked about
	Received []*Exchange // the city asked others
	Adopted  []*Exchange
	Figures  Figures
	Ask      bool   // the viewer may ask the practice's city
	AskURL   string // the form's address
	CityName string
	Peers    []Peer
	Themes   map[string]string
	t        func(key string, args ...any) string
}

func (d *sectionData) T(key string, args ...any) string { return d.t(key, args...) }

// L prefixes a path with the page's language.
func (d *sectionData) L(path string) string { return "/" + d.Lang + path }

func (h *Handlers) sectionData(r *http.Request) *sectionData {
	lang := web.Lang(r)
	return &sectionData{Lang: lang, t: func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }}
}

func render(name string, d any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := sections.ExecuteTemplate(&buf, name, d); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// CitySection shows on a city's page the exchanges it gave and received,
// of those both cities agreed to show.
func (h *Handlers) CitySection(r *http.Request, city int64) (template.HTML, error) {
	list, err := h.Store.PublicOfCity(r.Context(), city)
	if err != nil || len(list) == 0 {
		return "", err
	}
	d := h.sectionData(r)
	d.CityID = city
	for _, e := range list {
		if e.To.ID == city {
			d.Given = append(d.Given, e)
		} else {
			d.Received = append(d.Received, e)
		}
	}
	return render("city.tmpl", d)
}

// FigureSection shows on /figures what travelled between cities.
func (h *Handlers) FigureSection(r *http.Request) (template.HTML, error) {
	list, err := h.Store.Public(r.Context())
	if err != nil {
		return "", err
	}
	d := h.sectionData(r)
	d.Figures = figuresOf(list, h.namer(d.Lang))
	return render("figures.tmpl", d)
}

// PracticeSection shows on a practice's page who adopted it (public, both
// cities agreeing) and, to the editors and delegates of other cities, the
// way to ask the practice's city for an exchange and cities worth asking
// too.
func (h *Handlers) PracticeSection(r *http.Request, practice, city int64) (template.HTML, error) {
	ctx := r.Context()
	d := h.sectionData(r)
	var err error
	if d.Adopted, err = h.Store.AdoptedBy(ctx, practice); err != nil {
		return "", err
	}
	if v := web.ViewerFrom(ctx); v != nil && mayAsk(v, city) {
		d.Ask = true
		d.AskURL = d.L("/exchanges/new?practice=") + itoa(practice)
		d.CityName = h.Store.CityName(ctx, city, d.Lang)
		if d.Peers, err = h.Store.Peers(ctx, practice, v.CityID, 5); err != nil {
			return "", err
		}
		d.Themes = h.Store.themeNames(d.Lang)
	}
	if len(d.Adopted) == 0 && !d.Ask {
		return "", nil
	}
	return render("practice.tmpl", d)
}

// PracticeVersion is part of the key of a cached practice page: the public
// part of the section changes with the exchanges.
func (h *Handlers) PracticeVersion(ctx context.Context) (string, error) { return h.Store.Version(ctx) }
