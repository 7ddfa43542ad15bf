package practice

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/jsonlines"
	"observatory/internal/richtext"
	"observatory/internal/web"
)

// ExportCSV sends the practices a search finds as a spreadsheet, texts in
// the reader's language (or the language they fall back to).
func (h *Handlers) ExportCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := web.Lang(r)
	p := ParseParams(r.URL.Query(), lang)
	terms, err := h.Store.Terms(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	t := func(key string) string { return h.Render.Catalog.T(lang, key) }
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="practices-`+lang+`.csv"`)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	bw.WriteString("\uFEFF") // spreadsheet programs then read UTF-8
	cw := csv.NewWriter(bw)
	head := []string{"id", "url", "practice.field.title", "practice.field.summary", "practice.csv.text_language", "practice.field.city",
		"practice.field.country", "practice.facet.continent", "practice.field.themes", "practice.field.groups", "practice.field.status",
		"practice.field.start", "practice.field.end", "practice.field.budget", "practice.field.evidence", "practice.field.partners",
		"practice.field.funders", "practice.field.contact", "practice.field.language", "practice.csv.languages", "practice.csv.published"}
	for i, k := range head[2:] {
		head[i+2] = t(k)
	}
	cw.Write(head)
	err = h.Store.EachPublished(ctx, p, func(x exportRow) error {
		rec := x.rec
		title := rec.Title.In(lang, rec.Lang)
		var themes, groups []string
		for _, k := range rec.Themes {
			themes = append(themes, terms.Name(KindTheme, k, lang))
		}
		for _, k := range rec.Groups {
			groups = append(groups, terms.Name(KindGroup, k, lang))
		}
		label := func(prefix, v string) string {
			if v == "" {
				return ""
			}
			return t(prefix + v)
		}
		end := rec.End
		if rec.Ongoing {
			end = t("practice.ongoing")
		}
		published := ""
		if x.published != nil {
			published = x.published.Format("2006-01-02")
		}
		row := []string{strconv.FormatInt(x.id, 10), h.absolute(r, practicePath(lang, x.id, x.slug)), title.Value,
			richtext.PlainText(rec.Summary.Get(lang, rec.Lang)), title.Lang, x.city.In(lang), i18n.CountryName(lang, x.city.Country),
			label("practice.continent.", x.city.Continent), strings.Join(themes, "; "), strings.Join(groups, "; "),
			label("practice.status.", rec.Status), rec.Start, end, label("practice.budget.", rec.Budget),
			label("practice.evidence.", rec.Evidence), strings.Join(rec.Partners, "; "), strings.Join(rec.Funders, "; "),
			contactLine(rec.Contact), rec.Lang, strings.Join(rec.Langs(), " "), published}
		return cw.Write(web.CSVRow(row))
	})
	cw.Flush()
	if err != nil {
		h.Log.Error("practice export failed", "request_id", web.RequestID(r), "err", err)
	}
}

// ExportJSON sends the practices a search finds in the exchange format:
// a JSON array with one practice per line, which `observatory import
// practices` reads back unchanged.
func (h *Handlers) ExportJSON(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	p := ParseParams(r.URL.Query(), lang)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.URL.Query().Get("download") != "" || !strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Disposition", `attachment; filename="practices.json"`)
	}
	jw := jsonlines.NewWriter(w)
	defer jw.Close()
	err := h.Store.EachPublished(r.Context(), p, func(x exportRow) error {
		return jw.Write(export(x.id, x.uid, x.rec, x.city, x.published, h.absolute(r, practicePath(lang, x.id, x.slug))))
	})
	if err != nil {
		h.Log.Error("practice export failed", "request_id", web.RequestID(r), "err", err)
	}
}
