package city

import (
	"net/http"
	"strconv"
	"strings"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

type historyEntry struct {
	audit.Entry
	Subject string
	Changes []Change // with Field replaced by its label
	Raw     string   // a detail this package did not write
}

type historyData struct {
	City    *City
	Entries []historyEntry
	Next    string
}

const historyPage = 50

// History shows admins every recorded change to a city: who, when, and
// each field before and after.
func (h *Handlers) History(w http.ResponseWriter, r *http.Request) {
	c, ok := h.pathCity(w, r)
	if !ok {
		return
	}
	var before int64
	if b, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && b > 0 {
		before = b
	}
	entries, err := h.Store.History(r.Context(), c.ID, before, historyPage+1)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	d := historyData{City: c}
	if len(entries) > historyPage {
		entries = entries[:historyPage]
		d.Next = r.URL.Path + "?before=" + strconv.FormatInt(entries[historyPage-1].ID, 10)
	}
	for _, e := range entries {
		he := historyEntry{Entry: e}
		if det, ok := ParseDetail(e.Detail); ok {
			he.Subject = det.Subject
			for _, ch := range det.Changes {
				ch.Field = h.fieldLabel(lang, ch.Field)
				he.Changes = append(he.Changes, ch)
			}
		} else {
			he.Raw = e.Detail
		}
		d.Entries = append(d.Entries, he)
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("city.history.title", "City", c.DisplayName(lang))
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "city/history", p)
}

// fieldLabel names a recorded field in lang: "population" → "Einwohner",
// "name_fr" → "Name (Französisch)", "residents_TR" → "… Türkei".
func (h *Handlers) fieldLabel(lang, field string) string {
	cat := h.Render.Catalog
	for _, prefix := range []string{"name_", "description_"} {
		if l, ok := strings.CutPrefix(field, prefix); ok && l != "lang" {
			return cat.T(lang, "city.field."+strings.TrimSuffix(prefix, "_")) + " (" + i18n.LanguageName(lang, l) + ")"
		}
	}
	if c, ok := strings.CutPrefix(field, "residents_"); ok {
		return cat.T(lang, "city.field.residents_from", "Country", i18n.CountryName(lang, c))
	}
	return cat.T(lang, "city.field."+field)
}

type adminData struct {
	Cities []*City
}

// Admin lists every city for the secretariat, whatever its state, with
// the links to manage it.
func (h *Handlers) Admin(w http.ResponseWriter, r *http.Request) {
	cities, err := h.Store.List(r.Context(), Filter{Status: "all"})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	SortCities(cities, "name", web.Lang(r))
	p := h.Render.NewPage(r, "", adminData{Cities: cities})
	p.Title = p.T("city.admin.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "city/admin", p)
}
