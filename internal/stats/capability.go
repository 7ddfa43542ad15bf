package stats

import (
	"io/fs"

	"observatory/internal/db"
	"observatory/internal/web"
)

// New builds the network's figures on d: the figures page and its API.
// Other capabilities add their sections to the page (FigureSections).
func New(d *db.DB, rd *web.Renderer) (*Handlers, web.Capability) {
	st := &Store{DB: d}
	h := &Handlers{Store: st, Render: rd}
	tpl, _ := fs.Sub(Templates, "templates")
	return h, web.Capability{
		Name:      "stats",
		Templates: tpl,
		Nav:       &web.NavItem{Key: "nav.figures", Path: "/figures"},
		Datasets:  st.Datasets(),
	}
}
