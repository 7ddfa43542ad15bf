package opendata

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/feed"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Handlers serves the portal's page, its files and the catalogue.
type Handlers struct {
	Store     *Store
	Render    *web.Renderer
	BaseURL   string
	Publisher string
	// err is why New could not build the portal (see Capability).
	err error
}

// Row is one dataset on the portal's page.
type Row struct {
	Name, Title, Description string
	Rows                     int64
	Modified                 time.Time
	Columns                  []Column
}

// Column is one column on the portal's page.
type Column struct {
	Name, Type, Meaning string
}

type pageData struct {
	License  License
	Archive  string
	Version  string
	Modified time.Time
	BuiltAt  time.Time // when the files served were made
	Datasets []Row
}

// fail answers a request whose build could not be read: while another
// server makes the very first build, 503 in the visitor's language with
// the time to wait; otherwise the error page.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNotReady) {
		w.Header().Set("Retry-After", strconv.Itoa(int(firstWait/time.Second)))
		h.Render.Error(w, r, http.StatusServiceUnavailable, err)
		return
	}
	h.Render.Error(w, r, http.StatusInternalServerError, err)
}

// Page is /{lang}/data: every dataset with its description, columns,
// licence, last change and files.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request) {
	b, err := h.Store.Current(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sets, err := h.Store.datasets()
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := web.Lang(r)
	t := func(key string) string { return h.Render.Catalog.T(lang, key) }
	d := pageData{License: h.Store.License, Archive: ArchiveName, Version: b.Version, Modified: b.Modified(), BuiltAt: b.BuiltAt.UTC()}
	for _, ds := range sets {
		st, _ := b.State(ds.Name)
		row := Row{Name: ds.Name, Title: t(ds.Title), Description: t(ds.Description), Rows: st.Rows, Modified: st.Modified}
		for _, c := range ds.Columns {
			row.Columns = append(row.Columns, Column{Name: c.Name, Type: c.Type, Meaning: t(ColumnKey(ds, c))})
		}
		d.Datasets = append(d.Datasets, row)
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("data.title")
	p.Description = p.T("data.lead")
	h.Render.HTML(w, r, http.StatusOK, "opendata/data", p)
}

// File is GET /data/{file}: the ZIP, datapackage.json, a dataset's CSV or
// JSON, or the catalogue. The answer's ETag is the data version.
func (h *Handlers) File(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if name == "catalog.jsonld" {
		h.Catalog(w, r)
		return
	}
	b, archive, err := h.Store.Archive(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body []byte
	var ctype string
	switch {
	case name == ArchiveName:
		body, ctype = archive, "application/zip"
		w.Header().Set("Content-Disposition", `attachment; filename="`+ArchiveName+`"`)
	case strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".json"):
		var ok bool
		body, ok, err = readFile(archive, name)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		if !ok {
			h.Render.NotFound(w, r)
			return
		}
		ctype = "application/json; charset=utf-8"
		if strings.HasSuffix(name, ".csv") {
			ctype = "text/csv; charset=utf-8; header=present"
		}
	default:
		h.Render.NotFound(w, r)
		return
	}
	etag := `"` + b.Version + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Last-Modified", b.BuiltAt.UTC().Format(http.TimeFormat))
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if feed.ETagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(body)
}

// Catalog is GET /data/catalog.jsonld: the portal as a DCAT-AP catalogue,
// titles and descriptions in every language.
func (h *Handlers) Catalog(w http.ResponseWriter, r *http.Request) {
	b, err := h.Store.Current(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sets, err := h.Store.datasets()
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	site := web.SiteURL(r, h.BaseURL)
	cat := h.Render.Catalog
	texts := func(key string) []map[string]string {
		var out []map[string]string
		for _, l := range i18n.Langs {
			out = append(out, map[string]string{"@language": l, "@value": cat.T(l, key)})
		}
		return out
	}
	lic := map[string]string{"@id": h.Store.License.URL}
	publisher := map[string]any{"@id": site + "/", "@type": "foaf:Agent", "foaf:name": h.Publisher}
	dist := func(id, file, format, media, title string) map[string]any {
		return map[string]any{"@id": site + "/data/" + file + "#distribution", "@type": "dcat:Distribution",
			"dct:title": title, "dcat:accessURL": map[string]string{"@id": site + "/data/" + file},
			"dcat:downloadURL": map[string]string{"@id": site + "/data/" + file},
			"dcat:mediaType":   map[string]string{"@id": "http://www.iana.org/assignments/media-types/" + media},
			"dct:format":       map[string]string{"@id": "http://publications.europa.eu/resource/authority/file-type/" + format},
			"dct:license":      lic}
	}
	var datasets []map[string]any
	for _, d := range sets {
		st, _ := b.State(d.Name)
		ds := map[string]any{"@id": site + "/data/" + d.Name, "@type": "dcat:Dataset", "dct:identifier": d.Name,
			"dct:title": texts(d.Title), "dct:description": texts(d.Description), "dct:publisher": publisher,
			"dct:license": lic, "dcat:landingPage": map[string]string{"@id": site + "/en/data#" + d.Name},
			"dct:language": langs(),
			"dcat:distribution": []map[string]any{
				dist(d.Name, d.Name+".csv", "CSV", "text/csv", d.Name+".csv"),
				dist(d.Name, d.Name+".json", "JSON", "application/json", d.Name+".json"),
			}}
		if !st.Modified.IsZero() {
			ds["dct:modified"] = map[string]string{"@type": "xsd:dateTime", "@value": st.Modified.UTC().Format(time.RFC3339)}
		}
		datasets = append(datasets, ds)
	}
	doc := map[string]any{
		"@context": map[string]string{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
		"@id": site + "/data/catalog.jsonld", "@type": "dcat:Catalog",
		"dct:title": texts("data.title"), "dct:description": texts("data.lead"), "dct:publisher": publisher,
		"dct:license": lic, "dct:language": langs(), "foaf:homepage": map[string]string{"@id": site + "/en/data"},
		"dct:modified": map[string]string{"@type": "xsd:dateTime", "@value": b.BuiltAt.UTC().Format(time.RFC3339)},
		"dcat:dataset": datasets,
	}
	etag := `"` + b.Version + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if feed.ETagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json; charset=utf-8")
	writeJSONTo(w, doc)
}

func langs() []map[string]string {
	var out []map[string]string
	for _, l := range i18n.Langs {
		out = append(out, map[string]string{"@id": "http://id.loc.gov/vocabulary/iso639-1/" + l})
	}
	return out
}
