package declaration

import (
	"context"
	"fmt"
	"slices"

	"observatory/internal/web"
)

// Datasets are the declarations as open data: the public ones (no drafts,
// no unpublished version), their texts per language, their signatories
// (mayors and deputy mayors, who sign in office) and the signed log
// anyone can verify.
func (s *Store) Datasets() []web.Dataset {
	public := func(ctx context.Context) ([]*Declaration, error) {
		list, err := s.List(ctx, false)
		slices.SortFunc(list, func(a, b *Declaration) int { return int(a.ID - b.ID) })
		return list, err
	}
	declState := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(d.updated_at) AS TEXT) FROM declarations d WHERE `+visible(false)))
	}
	logState := func(what string) func(ctx context.Context) (web.DataState, error) {
		return func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(l.recorded_at) AS TEXT) FROM `+what+
				` l JOIN declarations d ON d.id = l.declaration_id WHERE `+visible(false)))
		}
	}
	each := func(ctx context.Context, query string, n int, row func(...any) error) error {
		rows, err := s.DB.ReadRows(ctx, query)
		if err != nil {
			return fmt.Errorf("declaration open data: %w", err)
		}
		return web.EachRow(rows, n, row)
	}
	return []web.Dataset{{
		Name: "declarations", Title: "declaration.data.declarations", Description: "declaration.data.declarations.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "slug", Type: "string"}, {Name: "title", Type: "string"},
			{Name: "status", Type: "string"}, {Name: "adopted_on", Type: "date"}, {Name: "adopted_place", Type: "string"},
			{Name: "adopted_city_id", Type: "integer"}, {Name: "summit_id", Type: "integer"},
			{Name: "version", Type: "integer"}, {Name: "signatures", Type: "integer"}, {Name: "page", Type: "string"},
			{Name: "updated_at", Type: "datetime"}},
		State: declState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := public(ctx)
			for _, d := range list {
				if err == nil {
					err = row(d.ID, d.Slug, d.Titles.Get("en", d.Authoritative), d.Status, d.AdoptedOn, d.AdoptedPlace,
						idOrNil(d.AdoptedCity.ID), idOrNil(d.SummitID), int64(d.CurrentVersion), int64(d.Active),
						"/en"+d.PathIn("en"), d.UpdatedAt)
				}
			}
			return err
		},
	}, {
		Name: "declaration_texts", Title: "declaration.data.texts", Description: "declaration.data.texts.desc", Columns: web.TextColumns,
		State: declState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := public(ctx)
			for _, d := range list {
				if err == nil {
					err = web.TextRows(row, d.ID, "intro", d.Intro, d.IntroLang, nil)
				}
				var full *Declaration
				if err == nil {
					full, err = s.Get(ctx, d.ID, false)
				}
				if err != nil || len(full.Versions) == 0 {
					continue
				}
				v := full.Versions[len(full.Versions)-1] // the current, published version
				titles, bodies := map[string]string{}, map[string]string{}
				for l, t := range v.Texts {
					titles[l], bodies[l] = t.Title, t.Body
				}
				if err = web.TextRows(row, d.ID, "title", titles, v.Authoritative, nil); err == nil {
					err = web.TextRows(row, d.ID, "body", bodies, v.Authoritative, nil)
				}
			}
			return err
		},
	}, {
		Name: "declaration_signatures", Title: "declaration.data.signatures", Description: "declaration.data.signatures.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "declaration_id", Type: "integer"},
			{Name: "version", Type: "integer"}, {Name: "city_id", Type: "integer"}, {Name: "signer_name", Type: "string"},
			{Name: "signer_role", Type: "string"}, {Name: "mode", Type: "string"}, {Name: "place", Type: "string"},
			{Name: "signed_at", Type: "datetime"}, {Name: "withdrawn_at", Type: "datetime"}, {Name: "withdrawal_reason", Type: "string"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(s.DB.ReadRow(ctx, `SELECT COUNT(*), CAST((SELECT MAX(recorded_at) FROM declaration_log) AS TEXT)
				FROM declaration_signatures l JOIN declarations d ON d.id = l.declaration_id WHERE `+visible(false)))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			return each(ctx, `SELECT s.id, s.declaration_id, s.version_number, s.city_id, s.signer_name, s.signer_role, s.mode,
				s.place, s.signed_at, s.withdrawn_at, s.withdrawal_reason
				FROM declaration_signatures s JOIN declarations d ON d.id = s.declaration_id
				WHERE `+visible(false)+` ORDER BY s.declaration_id, s.id`, 11, row)
		},
	}, {
		Name: "declaration_log", Title: "declaration.data.log", Description: "declaration.data.log.desc",
		Columns: []web.DataColumn{{Name: "declaration_id", Type: "integer"}, {Name: "seq", Type: "integer"},
			{Name: "kind", Type: "string"}, {Name: "prev_hash", Type: "string"}, {Name: "version", Type: "integer"},
			{Name: "version_hash", Type: "string"}, {Name: "city_id", Type: "integer"}, {Name: "city_name", Type: "string"},
			{Name: "city_country", Type: "string"}, {Name: "signer_name", Type: "string"}, {Name: "signer_role", Type: "string"},
			{Name: "read_lang", Type: "string"}, {Name: "mode", Type: "string"}, {Name: "place", Type: "string"},
			{Name: "at", Type: "datetime"}, {Name: "recorded_at", Type: "datetime"}, {Name: "withdraws", Type: "integer"},
			{Name: "reason", Type: "string"}, {Name: "key_id", Type: "string"}, {Name: "entry_hash", Type: "string"},
			{Name: "signature", Type: "string"}},
		State: logState("declaration_log"),
		Rows: func(ctx context.Context, row func(...any) error) error {
			return each(ctx, `SELECT l.declaration_id, l.seq, l.kind, l.prev_hash, l.version_number, l.version_hash, l.city_id,
				l.city_name, l.city_country, l.signer_name, l.signer_role, l.read_lang, l.mode, l.place, l.at, l.recorded_at,
				l.withdraws, l.reason, l.key_id, l.entry_hash, l.signature
				FROM declaration_log l JOIN declarations d ON d.id = l.declaration_id
				WHERE `+visible(false)+` ORDER BY l.declaration_id, l.seq`, 21, row)
		},
	}}
}

func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
