package summit

import (
	"context"
	"slices"
	"strings"

	"observatory/internal/web"
)

// Datasets are the summits as open data: the public summits (no drafts),
// their texts per language, their programmes and the people of confirmed
// delegations who agreed to be listed — by name, title, role and city
// only, as on the participants page.
func (st *Store) Datasets() []web.Dataset {
	public := func(ctx context.Context) ([]*Summit, error) {
		list, err := st.List(ctx, false)
		slices.SortFunc(list, func(a, b *Summit) int { return a.Number - b.Number })
		return list, err
	}
	summitsState := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(st.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(updated_at) AS TEXT) FROM summits WHERE status <> 'draft'`))
	}
	programme := func(ctx context.Context, each func(s *Summit, x *Session) error) error {
		list, err := public(ctx)
		for _, s := range list {
			var prog *Programme
			if err == nil {
				prog, err = st.Programme(ctx, s.ID)
			}
			for _, x := range prog.sessionsOrNil() {
				if err == nil {
					err = each(s, x)
				}
			}
		}
		return err
	}
	sessionsState := func(ctx context.Context) (web.DataState, error) {
		return web.ScanDataState(st.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(x.updated_at) AS TEXT)
			FROM summit_sessions x JOIN summits s ON s.id = x.summit_id WHERE s.status <> 'draft'`))
	}
	return []web.Dataset{{
		Name: "summits", Title: "summit.data.summits", Description: "summit.data.summits.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "number", Type: "integer"}, {Name: "title", Type: "string"},
			{Name: "host_city_id", Type: "integer"}, {Name: "starts_on", Type: "date"}, {Name: "ends_on", Type: "date"},
			{Name: "timezone", Type: "string"}, {Name: "status", Type: "string"}, {Name: "website", Type: "string"},
			{Name: "page", Type: "string"}, {Name: "updated_at", Type: "datetime"}},
		State: summitsState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := public(ctx)
			for _, s := range list {
				if err == nil {
					err = row(s.ID, int64(s.Number), s.Title.Get("en", s.SourceLang), s.Host.ID, s.StartsOn, s.EndsOn, s.Timezone,
						s.Status, s.Website, "/en/summits/"+s.Ref(), s.UpdatedAt)
				}
			}
			return err
		},
	}, {
		Name: "summit_texts", Title: "summit.data.texts", Description: "summit.data.texts.desc", Columns: web.TextColumns,
		State: summitsState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := public(ctx)
			for _, s := range list {
				for _, f := range []struct {
					name string
					text map[string]string
				}{{"title", s.Title}, {"theme", s.Theme}, {"description", s.Description}} {
					if err == nil {
						err = web.TextRows(row, s.ID, f.name, f.text, s.SourceLang, nil)
					}
				}
			}
			return err
		},
	}, {
		Name: "summit_sessions", Title: "summit.data.sessions", Description: "summit.data.sessions.desc",
		Columns: []web.DataColumn{{Name: "id", Type: "integer"}, {Name: "summit_id", Type: "integer"}, {Name: "kind", Type: "string"},
			{Name: "title", Type: "string"}, {Name: "starts_at", Type: "datetime"}, {Name: "ends_at", Type: "datetime"},
			{Name: "venue", Type: "string"}, {Name: "address", Type: "string"}, {Name: "room", Type: "string"},
			{Name: "languages", Type: "string"}, {Name: "interpretation", Type: "string"}, {Name: "capacity", Type: "integer"},
			{Name: "speakers", Type: "string"}},
		State: sessionsState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			return programme(ctx, func(s *Summit, x *Session) error {
				var speakers []string
				for _, sp := range x.Speakers {
					speakers = append(speakers, sp.Name)
				}
				var capacity any
				if x.Capacity > 0 {
					capacity = int64(x.Capacity)
				}
				return row(x.ID, s.ID, x.Kind, x.Title.Get("en", s.SourceLang), x.StartsAt, x.EndsAt, x.Venue.Get("en", s.SourceLang),
					x.VenueAddress, x.Room, strings.Join(x.Languages, " "), strings.Join(x.Interpretation, " "), capacity,
					strings.Join(speakers, "; "))
			})
		},
	}, {
		Name: "summit_session_texts", Title: "summit.data.session_texts", Description: "summit.data.session_texts.desc",
		Columns: web.TextColumns, State: sessionsState,
		Rows: func(ctx context.Context, row func(...any) error) error {
			return programme(ctx, func(s *Summit, x *Session) error {
				err := web.TextRows(row, x.ID, "title", x.Title, s.SourceLang, nil)
				if err == nil {
					err = web.TextRows(row, x.ID, "description", x.Description, s.SourceLang, nil)
				}
				return err
			})
		},
	}, {
		Name: "summit_participants", Title: "summit.data.participants", Description: "summit.data.participants.desc",
		Columns: []web.DataColumn{{Name: "summit_id", Type: "integer"}, {Name: "city_id", Type: "integer"},
			{Name: "name", Type: "string"}, {Name: "title", Type: "string"}, {Name: "role", Type: "string"},
			{Name: "head", Type: "boolean"}},
		State: func(ctx context.Context) (web.DataState, error) {
			return web.ScanDataState(st.DB.ReadRow(ctx, `SELECT COUNT(*), CAST(MAX(p.updated_at) AS TEXT)
				FROM summit_delegates p JOIN summit_delegations d ON d.id = p.delegation_id JOIN summits s ON s.id = p.summit_id
				WHERE s.status <> 'draft' AND d.state = 'confirmed' AND p.consent = TRUE`))
		},
		Rows: func(ctx context.Context, row func(...any) error) error {
			list, err := public(ctx)
			for _, s := range list {
				var people []Delegate
				if err == nil {
					people, err = st.Participants(ctx, s.ID, true)
				}
				for _, p := range people {
					if err == nil && p.Consent {
						err = row(s.ID, p.City.ID, p.Name, p.Title, p.Role, p.IsHead)
					}
				}
			}
			return err
		},
	}}
}

func (p *Programme) sessionsOrNil() []*Session {
	if p == nil {
		return nil
	}
	return p.Sessions
}
