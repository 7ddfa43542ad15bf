package practice

import (
	"context"
	"strings"

	"observatory/internal/web"
)

// Datasets are the practices as open data: the published versions only
// (never a draft, a working copy or an archived practice), without the
// contact person; and their texts per language with each translation's
// state.
func (s *Store) Datasets() []web.Dataset {
	state := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(updated_at) AS TEXT) FROM practices WHERE state = 'published'`))
	}
	return []web.Dataset{{
		Name: "practices", Title: "practice.data.practices", Description: "practice.data.practices.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "uid", Type: "string"}, {Name: "title", Type: "string"},
			{Name: "city_id", Type: "integer"}, {Name: "themes", Type: "string"}, {Name: "target_groups", Type: "string"},
			{Name: "status", Type: "string"}, {Name: "start", Type: "string"}, {Name: "end", Type: "string"},
			{Name: "ongoing", Type: "boolean"}, {Name: "budget", Type: "string"}, {Name: "evidence", Type: "string"},
			{Name: "partners", Type: "string"}, {Name: "funders", Type: "string"}, {Name: "language", Type: "string"},
			{Name: "languages", Type: "string"}, {Name: "page", Type: "string"}, {Name: "published_at", Type: "datetime"}},
		State: state,
		Rows: func(ctx context.Context, row func(...any) error) error {
			return s.EachPublished(ctx, Params{}, func(x exportRow) error {
				rec := x.rec
				return row(x.id, x.uid, rec.Title.Get("en", rec.Lang), x.city.ID, strings.Join(rec.Themes, " "),
					strings.Join(rec.Groups, " "), rec.Status, rec.Start, rec.End, rec.Ongoing, rec.Budget, rec.Evidence,
					strings.Join(rec.Partners, "; "), strings.Join(rec.Funders, "; "), rec.Lang, strings.Join(rec.Langs(), " "),
					practicePath("en", x.id, x.slug), x.published)
			})
		},
	}, {
		Name: "practice_texts", Title: "practice.data.texts", Description: "practice.data.texts.desc", Columns: web.TextColumns,
		State: state,
		Rows: func(ctx context.Context, row func(...any) error) error {
			return s.EachPublished(ctx, Params{}, func(x exportRow) error {
				for _, f := range Fields {
					if err := web.TextRows(row, x.id, f, *x.rec.Text(f), x.rec.Lang, x.rec.Trans[f]); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}}
}
