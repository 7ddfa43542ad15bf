// Package opendata is the open-data portal: every dataset the capabilities
// offer (web.Capability.Datasets) as CSV and JSON with its description,
// column meanings, licence and last change; one ZIP of everything with a
// Frictionless datapackage.json; and a DCAT-AP catalogue in JSON-LD.
//
// It knows no other capability: it assembles what they offer. The files
// are built once per data version (the datasets' states and the audit
// log) and kept in the database, so every server answers the same bytes
// and no request rebuilds what has not changed.
package opendata

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"

	"observatory/internal/db"
	"observatory/internal/jobs"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// License is the licence the data are published under.
type License struct {
	ID, Title, URL string
}

// Licenses are the licences the portal may name (--data-license); the
// first is the default.
var Licenses = []License{
	{"CC-BY-4.0", "Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"},
	{"CC0-1.0", "Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"},
	{"CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International", "https://creativecommons.org/licenses/by-sa/4.0/"},
	{"ODbL-1.0", "Open Data Commons Open Database License v1.0", "https://opendatacommons.org/licenses/odbl/1-0/"},
	{"DL-DE-BY-2.0", "Data licence Germany – attribution – version 2.0", "https://www.govdata.de/dl-de/by-2-0"},
}

// LicenseByID finds a licence by its SPDX identifier ("" is the default).
func LicenseByID(id string) (License, bool) {
	if id == "" {
		return Licenses[0], true
	}
	for _, l := range Licenses {
		if l.ID == id {
			return l, true
		}
	}
	return License{}, false
}

// Config is what the portal needs beyond the database.
type Config struct {
	// BaseURL is the site's public address (for the catalogue's links);
	// empty: the address a request came to.
	BaseURL string
	// License is an SPDX identifier from Licenses ("" for CC-BY-4.0).
	License string
	// Publisher names the network in the catalogue.
	Publisher string
	// Datasets are every capability's datasets, asked at each build.
	Datasets func() []web.Dataset
	Log      *slog.Logger
	// Holder names this server in the job leases (see Store.Holder).
	Holder string
}

// ArchiveName is the ZIP's file name under /data/.
const ArchiveName = "observatory-data.zip"

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// New builds the portal: its page, files and catalogue, and a job that
// builds the files when the data changed. An unknown licence is its
// capability's Err.
func New(d *db.DB, rd *web.Renderer, cfg Config) *Handlers {
	lic, ok := LicenseByID(cfg.License)
	if cfg.Holder == "" {
		cfg.Holder = jobs.NewHolder()
	}
	st := &Store{DB: d, License: lic, Datasets: cfg.Datasets, Catalog: rd.Catalog, Log: cfg.Log, Holder: cfg.Holder}
	h := &Handlers{Store: st, Render: rd, BaseURL: cfg.BaseURL, Publisher: cfg.Publisher}
	if !ok {
		h.err = fmt.Errorf("open data: unknown licence %q", cfg.License)
	}
	return h
}

// Capability is what the portal offers the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	if h.err != nil {
		return web.Capability{Name: "opendata", Err: h.err}
	}
	st := h.Store
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:      "opendata",
		Templates: tpl,
		Nav:       &web.NavItem{Key: "nav.data", Path: "/data"},
		Jobs:      []web.Job{st.Job()},
		Sitemap:   []web.SitemapSource{st.Sitemap},
	}
}
