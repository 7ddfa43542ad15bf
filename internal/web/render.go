package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"observatory/internal/i18n"
)

//go:embed templates
var baseTemplates embed.FS

// NavItem is one section in the main navigation. Only a capability that
// is built adds one (Capability.Nav), so the menu never promises a section
// that is not there.
type NavItem struct {
	Key  string // catalog key of the label
	Path string // path after the language prefix
}

// Renderer renders pages in the one layout.
type Renderer struct {
	Catalog *i18n.Catalog
	Assets  *Assets
	Nav     []NavItem
	// NavOrder is the menu order by path; Add puts an entry in its place
	// there, or after the listed ones when the list does not name it.
	NavOrder []string
	Policy   func(v *Viewer, action string) bool
	SiteName string
	Version  string
	// BaseURL is the public address for absolute links (canonical,
	// hreflang, Open Graph); the request's address when empty.
	BaseURL string
	Log     *slog.Logger
	// Flash takes the visitor's one-time message, if any.
	Flash func(r *http.Request) string

	base  *template.Template
	pages map[string]*page
}

// page is one page's templates. Each page holds its own copy of the
// layout's, which Register parses to find errors at the start and then
// lets go: they are parsed again when the page is first shown, so the
// pages never shown (most forms and administration pages on a public
// server) take no memory.
type page struct {
	once  sync.Once
	parse func() (*template.Template, error)
	t     *template.Template
	err   error
}

func (p *page) get() (*template.Template, error) {
	p.once.Do(func() { p.t, p.err = p.parse() })
	return p.t, p.err
}

// NewRenderer parses the layout and partials and the shared pages.
func NewRenderer(cat *i18n.Catalog, assets *Assets, log *slog.Logger) (*Renderer, error) {
	rd := &Renderer{Catalog: cat, Assets: assets, Log: log, pages: map[string]*page{},
		Policy: func(*Viewer, string) bool { return false }}
	base, err := template.New("base").Funcs(rd.funcs()).ParseFS(baseTemplates, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	rd.base = base
	if err := rd.Register("", baseTemplates, "templates/pages"); err != nil {
		return nil, err
	}
	return rd, nil
}

// Register parses every .html file in dir of fsys as a page named
// ns/file (or file when ns is empty). A capability registers its own.
func (rd *Renderer) Register(ns string, fsys fs.FS, dir string) error {
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	// Files named *.part.html are partials shared by the folder's pages.
	base := rd.base
	if partials, _ := fs.Glob(fsys, path.Join(dir, "*.part.html")); len(partials) > 0 {
		if base, err = rd.base.Clone(); err != nil {
			return err
		}
		if _, err := base.ParseFS(fsys, partials...); err != nil {
			return fmt.Errorf("templates %s: %w", dir, err)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".part.html") {
			continue
		}
		parse := func() (*template.Template, error) {
			t, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := t.ParseFS(fsys, f); err != nil {
				return nil, fmt.Errorf("template %s: %w", f, err)
			}
			return t, nil
		}
		if _, err := parse(); err != nil {
			return err
		}
		name := strings.TrimSuffix(path.Base(f), ".html")
		if ns != "" {
			name = ns + "/" + name
		}
		rd.pages[name] = &page{parse: parse}
	}
	return nil
}

// Add puts a capability's menu entry in the navigation: in its place by
// NavOrder, entries NavOrder does not name after the others as added.
func (rd *Renderer) Add(item NavItem) {
	for i := range rd.Nav {
		if rd.Nav[i].Path == item.Path {
			rd.Nav[i] = item
			return
		}
	}
	rd.Nav = append(rd.Nav, item)
	rank := func(path string) int {
		if i := slices.Index(rd.NavOrder, path); i >= 0 {
			return i
		}
		return len(rd.NavOrder)
	}
	slices.SortStableFunc(rd.Nav, func(a, b NavItem) int { return rank(a.Path) - rank(b.Path) })
}

// Page is what every template receives.
type Page struct {
	Lang      string
	Title     string
	Viewer    *Viewer
	Path      string // the request path without the language prefix
	Query     string // the raw query, kept by the language switcher
	Flash     string
	Form      *Form
	Data      any
	Status    int
	RequestID string
	NoIndex   bool
	// SiteURL is the site's address without a trailing slash.
	SiteURL string
	// Description, Image (a path or address) and OGType describe the page
	// to search engines and link previews; JSONLD are its schema.org objects.
	Description string
	Image       string
	OGType      string
	JSONLD      []any
	// LangPaths are the page's paths in other languages when they differ
	// (an address with a slug in each language).
	LangPaths map[string]string

	rd *Renderer
}

// NewPage starts a page for r with its title and data.
func (rd *Renderer) NewPage(r *http.Request, title string, data any) *Page {
	lang := Lang(r)
	path := strings.TrimPrefix(r.URL.Path, "/"+lang)
	if path == "" {
		path = "/"
	}
	p := &Page{Lang: lang, Title: title, Viewer: ViewerFrom(r.Context()), Path: path,
		Query: r.URL.RawQuery, Data: data, RequestID: RequestID(r), SiteURL: SiteURL(r, rd.BaseURL), rd: rd}
	if rd.Flash != nil {
		p.Flash = rd.Flash(r)
	}
	return p
}

// T translates a catalog key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.rd.Catalog.T(p.Lang, key, args...) }

// Can reports whether the viewer may do action (for showing links).
func (p *Page) Can(action string) bool { return p.rd.Policy(p.Viewer, action) }

// L prefixes a path with the page's language: L "/cities" → "/de/cities".
func (p *Page) L(path string) string { return "/" + p.Lang + path }

// Alt is one other-language version of the page.
type Alt struct {
	Lang, Name, URL string
	Current         bool
}

// Alternates lists the page in every interface language, for the switcher
// and for hreflang links.
func (p *Page) Alternates() []Alt {
	var out []Alt
	for _, l := range i18n.Langs {
		u := "/" + l + p.Path
		if p.Path == "/" {
			u = "/" + l + "/"
		}
		if lp, ok := p.LangPaths[l]; ok {
			u = "/" + l + lp
		}
		if p.Query != "" {
			u += "?" + p.Query
		}
		out = append(out, Alt{Lang: l, Name: i18n.Name(l), URL: u, Current: l == p.Lang})
	}
	return out
}

// Canonical is the page's absolute address.
func (p *Page) Canonical() string {
	for _, a := range p.Alternates() {
		if a.Current {
			return p.SiteURL + a.URL
		}
	}
	return p.SiteURL + "/" + p.Lang + p.Path
}

// Abs makes a path absolute ("" stays "").
func (p *Page) Abs(path string) string {
	if path == "" || strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return p.SiteURL + path
}

// LD is the page's schema.org objects as JSON for a script element.
func (p *Page) LD() []template.JS {
	var out []template.JS
	for _, o := range p.JSONLD {
		b, err := json.Marshal(o)
		if err == nil {
			out = append(out, template.JS(b))
		}
	}
	return out
}

// Nav is the navigation: the sections that exist, in menu order.
func (p *Page) Nav() []NavItem { return p.rd.Nav }

// Site is the platform's name; Version its build.
func (p *Page) Site() string    { return p.rd.SiteName }
func (p *Page) Version() string { return p.rd.Version }

// Asset is the hashed URL of a static file.
func (p *Page) Asset(name string) string { return p.rd.Assets.URL(name) }

// Date, DateTime and Num format for the page's language.
func (p *Page) Date(t time.Time) string     { return i18n.Date(p.Lang, t) }
func (p *Page) DateTime(t time.Time) string { return i18n.DateTime(p.Lang, t) }
func (p *Page) Num(n any) string            { return i18n.Number(p.Lang, toInt64(n)) }
func (p *Page) Country(code string) string  { return i18n.CountryName(p.Lang, code) }

// NetworkTime is t in the reader's language and the network's zone, with
// the zone's short name.
func (p *Page) NetworkTime(t time.Time) string { return i18n.NetworkTime(p.Lang, t) }

// Tx resolves a translatable content field for the page's language.
func (p *Page) Tx(t i18n.Text, source string) i18n.Resolved { return t.In(p.Lang, source) }

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case int32:
		return int64(v)
	case float64:
		return int64(v)
	}
	return 0
}

// HTML renders page name with status. It renders into a buffer first, so a
// template error becomes a clean error page, never half a page.
func (rd *Renderer) HTML(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	pg, ok := rd.pages[name]
	if !ok {
		rd.Error(w, r, http.StatusInternalServerError, fmt.Errorf("no template %q", name))
		return
	}
	t, err := pg.get()
	if err != nil {
		if name == "error" {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		rd.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if p.Status == 0 {
		p.Status = status
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		if name == "error" {
			http.Error(w, http.StatusText(status), status)
			return
		}
		rd.Error(w, r, http.StatusInternalServerError, fmt.Errorf("rendering %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Partial renders the block name defined in page's templates with p, for
// a section a capability adds to a shared page.
func (rd *Renderer) Partial(w io.Writer, page, name string, p *Page) error {
	pg, ok := rd.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	t, err := pg.get()
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, name, p)
}

// Error renders the error page for status in the visitor's language.
// Server errors are logged with the request id, which the page shows.
func (rd *Renderer) Error(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 {
		rd.Log.Error("request failed", "request_id", RequestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := rd.NewPage(r, "", nil)
	p.Title = p.T(fmt.Sprintf("error.%d.title", status))
	p.Status = status
	p.NoIndex = true
	rd.HTML(w, r, status, "error", p)
}

// Fail answers a request whose work failed: the 404 page when err is or
// wraps one of notFound (a store's ErrNotFound), 400 when the database
// refused a character it cannot store (a NUL that got past the form and
// JSON checks), otherwise the error page with status 500, logged with the
// request's id.
func (rd *Renderer) Fail(w http.ResponseWriter, r *http.Request, err error, notFound ...error) {
	for _, nf := range notFound {
		if errors.Is(err, nf) {
			rd.NotFound(w, r)
			return
		}
	}
	if BadText(err) {
		rd.Error(w, r, http.StatusBadRequest, err)
		return
	}
	rd.Error(w, r, http.StatusInternalServerError, err)
}

// NotFound renders the 404 page.
func (rd *Renderer) NotFound(w http.ResponseWriter, r *http.Request) {
	rd.Error(w, r, http.StatusNotFound, nil)
}

// Redirect sends a 303 See Other, the answer to a successful POST.
func Redirect(w http.ResponseWriter, r *http.Request, url string) {
	http.Redirect(w, r, url, http.StatusSeeOther)
}

func (rd *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
		"add":  func(a, b int) int { return a + b },
		"join": strings.Join,
	}
}

// Current reports whether the page is in the section at path.
func (p *Page) Current(path string) bool {
	return p.Path == path || strings.HasPrefix(p.Path, path+"/")
}
