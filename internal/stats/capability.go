package stats

import (
	"io/fs"

	"observatory/internal/db"
	"observatory/internal/web"
)

// New builds the network's figures on d: the figures page and its API.
// Other capabilities add their sections to the page (FigureSections).
func New(d *db.DB, rd *web.Renderer) *Handlers {
	return &Handlers{Store: &Store{DB: d}, Render: rd}
}

// Capability is what the figures offer the app (see web.Capability).
func (h *Handlers) Capability() web.Capability {
	tpl, _ := fs.Sub(Templates, "templates")
	return web.Capability{
		Name:      "stats",
		Templates: tpl,
		Nav:       &web.NavItem{Key: "nav.figures", Path: "/figures"},
		Datasets:  h.Store.Datasets(),
	}
}
