package voice

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"observatory/internal/web"
)

// Datasets are the residents' voice as open data: the consultations with
// their questions per language, and the published ideas only — their text,
// theme, neighbourhood and channel; never a receipt code, an e-mail
// address, an age group, a network address or a moderator's reason.
func (s *Store) Datasets() []web.Dataset {
	consultations := func(ctx context.Context) ([]*Consultation, error) {
		list, err := s.Consultations(ctx, 0)
		slices.SortFunc(list, func(a, b *Consultation) int { return int(a.ID - b.ID) })
		return list, err
	}
	cState := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(updated_at) AS TEXT) FROM voice_consultations`))
	}
	return []web.Dataset{{
		Name: "consultations", Title: "voice.data.consultations", Description: "voice.data.consultations.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "city_id", Type: "integer"}, {Name: "slug", Type: "string"},
			{Name: "question", Type: "string"}, {Name: "themes", Type: "string"}, {Name: "opens_at", Type: "datetime"},
			{Name: "closes_at", Type: "datetime"}, {Name: "page", Type: "string"}},
		State: cState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := consultations(ctx)
			for _, c := range list {
				if err == nil {
					err = row(c.ID, c.CityID, c.Slug, c.Question.Get("en", c.SourceLang), strings.Join(c.Themes, " "),
						c.OpensAt, c.ClosesAt, "/en"+c.Path())
				}
			}
			return err
		},
	}, {
		Name: "consultation_texts", Title: "voice.data.texts", Description: "voice.data.texts.desc", Columns: web.TextColumns,
		State: cState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := consultations(ctx)
			for _, c := range list {
				if err == nil {
					err = web.TextRows(row, c.ID, "question", c.Question, c.SourceLang, nil)
				}
			}
			return err
		},
	}, {
		Name: "ideas", Title: "voice.data.ideas", Description: "voice.data.ideas.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "consultation_id", Type: "integer"},
			{Name: "city_id", Type: "integer"}, {Name: "body", Type: "string"}, {Name: "language", Type: "string"},
			{Name: "theme", Type: "string"}, {Name: "neighbourhood", Type: "string"}, {Name: "channel", Type: "string"},
			{Name: "supports", Type: "integer"}, {Name: "created_at", Type: "datetime"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataStateExtra(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(COALESCE(i.decided_at, i.created_at)) AS TEXT),
				SUM(i.supports) FROM voice_ideas i WHERE `+published))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			rows, err := s.DB.ReadRows(ctx, `SELECT i.id, i.consultation_id, c.city_id, i.body, i.lang, i.theme, i.neighbourhood,
				i.channel, i.supports, i.created_at
				FROM voice_ideas i JOIN voice_consultations c ON c.id = i.consultation_id WHERE `+published+` ORDER BY i.id`)
			if err != nil {
				return fmt.Errorf("voice open data: %w", err)
			}
			return web.EachRow(rows, 10, row)
		},
	}}
}
