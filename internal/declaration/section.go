package declaration

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The block a city's page shows: the declarations the city signed. The
// city capability calls CitySection through its Section hook, so neither
// package imports the other.
//
//go:embed section/city.tmpl
var sectionFiles embed.FS

var sectionTmpl = template.Must(template.ParseFS(sectionFiles, "section/city.tmpl"))

type sectionData struct {
	Lang  string
	Items []CitySignature
	cat   *i18n.Catalog
}

func (s sectionData) T(key string, args ...any) string { return s.cat.T(s.Lang, key, args...) }

func (s sectionData) Date(t time.Time) string { return i18n.Date(s.Lang, t) }

// CitySection renders the declarations a city signed (nothing when none).
func (h *Handlers) CitySection(r *http.Request, cityID int64) (template.HTML, error) {
	items, err := h.Store.SignedBy(r.Context(), cityID)
	if err != nil || len(items) == 0 {
		return "", err
	}
	var buf bytes.Buffer
	if err := sectionTmpl.Execute(&buf, sectionData{Lang: web.Lang(r), Items: items, cat: h.Render.Catalog}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
