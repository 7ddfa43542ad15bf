package news

import (
	"context"
	"slices"
	"strings"

	"observatory/internal/web"
)

// Datasets are the news as open data: published items only (no draft, no
// scheduled item before its time, nothing archived), without the press
// contact; and their texts per language with each translation's state.
func (s *Store) Datasets() []web.Dataset {
	published := func(ctx context.Context) ([]*Item, error) {
		items, _, err := s.List(ctx, Filter{Limit: 1 << 30})
		slices.SortFunc(items, func(a, b *Item) int { return int(a.ID - b.ID) })
		return items, err
	}
	state := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(n.updated_at) AS TEXT) FROM news_items n WHERE `+public))
	}
	return []web.Dataset{{
		Name: "news", Title: "news.data.news", Description: "news.data.news.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "title", Type: "string"}, {Name: "dated_on", Type: "date"},
			{Name: "ends_on", Type: "date"}, {Name: "is_event", Type: "boolean"}, {Name: "city_id", Type: "integer"},
			{Name: "summit_id", Type: "integer"}, {Name: "tags", Type: "string"}, {Name: "language", Type: "string"},
			{Name: "page", Type: "string"}, {Name: "published_at", Type: "datetime"}, {Name: "updated_at", Type: "datetime"}},
		State: state,
		Rows: func(ctx context.Context, row func(...any) error) error {
			items, err := published(ctx)
			for _, it := range items {
				if err == nil {
					err = row(it.ID, it.Title.Get("en", it.SourceLang), it.DatedOn, it.EndsOn, it.IsEvent, idOrNil(it.CityID),
						idOrNil(it.SummitID), strings.Join(it.Tags, " "), it.SourceLang, "/en"+it.Path("en"), it.PublishedAt, it.UpdatedAt)
				}
			}
			return err
		},
	}, {
		Name: "news_texts", Title: "news.data.texts", Description: "news.data.texts.desc", Columns: web.TextColumns,
		State: state,
		Rows: func(ctx context.Context, row func(...any) error) error {
			items, err := published(ctx)
			for _, it := range items {
				for _, f := range []struct {
					name string
					text map[string]string
				}{{"title", it.Title}, {"lead", it.Lead}, {"body", it.Body}, {"place", it.Place}} {
					if err == nil {
						err = web.TextRows(row, it.ID, f.name, f.text, it.SourceLang, it.Trans[f.name])
					}
				}
			}
			return err
		},
	}}
}

func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
