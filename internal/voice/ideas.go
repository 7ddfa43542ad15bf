package voice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/search"
)

// published is the one condition under which the public sees an idea: in
// pages, search, the API, exports, counts and the calendar alike.
const published = `i.state = 'published'`

const ideaCols = `i.id, i.consultation_id, c.slug, c.city_id, i.receipt, i.body, i.lang, i.theme, i.neighbourhood, i.age_group, i.channel,
	COALESCE(i.exhibition_id, 0), COALESCE(e.venue, ''), COALESCE(i.station_id, 0), COALESCE(st.name, ''), i.card, i.state, i.reason,
	COALESCE(i.merged_into, 0), i.flags, i.supports, i.reports, i.email <> '', i.created_at, i.decided_at`

const ideaFrom = ` FROM voice_ideas i JOIN voice_consultations c ON c.id = i.consultation_id
	LEFT JOIN voice_exhibitions e ON e.id = i.exhibition_id LEFT JOIN voice_stations st ON st.id = i.station_id`

func scanIdea(sc interface{ Scan(...any) error }) (*Idea, error) {
	var i Idea
	var flags string
	var decided sql.NullTime
	err := sc.Scan(&i.ID, &i.ConsultationID, &i.Consultation, &i.CityID, &i.Receipt, &i.Body, &i.Lang, &i.Theme, &i.Neighbourhood, &i.AgeGroup,
		&i.Channel, &i.ExhibitionID, &i.Venue, &i.StationID, &i.Station, &i.Card, &i.State, &i.Reason, &i.MergedInto, &flags,
		&i.Supports, &i.Reports, &i.HasEmail, &i.CreatedAt, &decided)
	i.Flags = splitList(flags)
	i.CreatedAt, i.DecidedAt = i.CreatedAt.UTC(), decided.Time.UTC()
	return &i, err
}

// Filter selects published ideas of a consultation.
type Filter struct {
	Consultation int64
	Query        string
	Theme        string
	Venue        int64
	Lang         string
	Sort         string // "new" (default) or "support"
	Offset       int
	Limit        int
}

// Published lists a consultation's published ideas matching f, and how
// many match in all.
func (s *Store) Published(ctx context.Context, f Filter) ([]*Idea, int, error) {
	where := []string{published, `i.consultation_id = $1`, `($2 = '' OR i.theme = $2)`, `($3 = 0 OR i.exhibition_id = $3)`, `($4 = '' OR i.lang = $4)`}
	if q := search.Parse(f.Query); !q.Empty() {
		ids, negate, err := s.matching(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		list := "0"
		if len(ids) > 0 {
			list = strings.Join(ids, ",")
		}
		if negate {
			where = append(where, `i.id NOT IN (`+list+`)`)
		} else {
			where = append(where, `i.id IN (`+list+`)`)
		}
	}
	cond := strings.Join(where, " AND ")
	args := []any{f.Consultation, f.Theme, f.Venue, f.Lang}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas i WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting ideas: %w", err)
	}
	order := `i.created_at DESC, i.id DESC`
	if f.Sort == "support" {
		order = `i.supports DESC, i.id DESC`
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE `+cond+` ORDER BY `+order+
		` LIMIT `+strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("listing ideas: %w", err)
	}
	out, err := collectIdeas(rows)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.attachPractices(ctx, out)
}

// matching answers the ids of published ideas matching q (stored in the
// index only while published), as decimal strings.
func (s *Store) matching(ctx context.Context, q search.Query) ([]string, bool, error) {
	expr, negate := search.FullTextExpr(s.DB.Dialect, q)
	var list sql.NullString
	if err := s.DB.R.QueryRowContext(ctx, search.FullTextIDs(s.DB.Dialect, "voice_idea_fts"), expr).Scan(&list); err != nil {
		return nil, false, fmt.Errorf("searching ideas: %w", err)
	}
	if !list.Valid || list.String == "" {
		return nil, negate, nil
	}
	ids := strings.Split(list.String, ",")
	for _, id := range ids {
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return nil, false, fmt.Errorf("searching ideas: id %q", id)
		}
	}
	return ids, negate, nil
}

func collectIdeas(rows *sql.Rows) ([]*Idea, error) {
	defer rows.Close()
	var out []*Idea
	for rows.Next() {
		i, err := scanIdea(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// attachPractices adds the published practices linked to each idea.
func (s *Store) attachPractices(ctx context.Context, ideas []*Idea) error {
	if len(ideas) == 0 {
		return nil
	}
	byID := map[int64]*Idea{}
	ids := make([]string, len(ideas))
	for k, i := range ideas {
		byID[i.ID] = i
		ids[k] = itoa(i.ID)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT l.idea_id, p.id, p.slug, p.title, p.lang, ci.name FROM voice_idea_practices l
		JOIN practices p ON p.id = l.practice_id JOIN cities ci ON ci.id = p.city_id
		WHERE p.state = 'published' AND l.idea_id IN (`+strings.Join(ids, ",")+`) ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("linked practices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var idea int64
		var p PracticeLink
		if err := rows.Scan(&idea, &p.ID, &p.Slug, &p.Title, &p.Lang, &p.City); err != nil {
			return err
		}
		byID[idea].Practices = append(byID[idea].Practices, p)
	}
	return rows.Err()
}

// PublishedIdea loads one published idea of a consultation.
func (s *Store) PublishedIdea(ctx context.Context, consultation, id int64) (*Idea, error) {
	i, err := scanIdea(s.DB.R.QueryRowContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE `+published+` AND i.id = $1 AND i.consultation_id = $2`, id, consultation))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return i, err
}

// PublishedAll lists every published idea of a consultation, oldest first (exports).
func (s *Store) PublishedAll(ctx context.Context, consultation int64) ([]*Idea, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE `+published+` AND i.consultation_id = $1 ORDER BY i.id`, consultation)
	if err != nil {
		return nil, fmt.Errorf("exporting ideas: %w", err)
	}
	out, err := collectIdeas(rows)
	if err != nil {
		return nil, err
	}
	return out, s.attachPractices(ctx, out)
}

// AllIdeas lists every idea of a consultation in any state (the admin export).
func (s *Store) AllIdeas(ctx context.Context, consultation int64) ([]*Idea, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE i.consultation_id = $1 ORDER BY i.id`, consultation)
	if err != nil {
		return nil, fmt.Errorf("exporting ideas: %w", err)
	}
	return collectIdeas(rows)
}

// ByReceipt loads the idea a receipt code names, in any state: the code
// is the resident's proof.
func (s *Store) ByReceipt(ctx context.Context, code string) (*Idea, error) {
	i, err := scanIdea(s.DB.R.QueryRowContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE i.receipt = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("loading receipt: %w", err)
	}
	return i, nil
}

// DeleteByReceipt deletes the idea a receipt names, with its supports,
// reports and e-mail address.
func (s *Store) DeleteByReceipt(ctx context.Context, code string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM voice_ideas WHERE receipt = $1`, code).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		return deleteIdea(ctx, tx, s.DB.Dialect, id)
	})
}

func deleteIdea(ctx context.Context, tx *sql.Tx, dl db.Dialect, id int64) error {
	for _, q := range []string{search.FullTextDelete(dl, "voice_idea_fts"), `DELETE FROM voice_supports WHERE idea_id = $1`,
		`DELETE FROM voice_reports WHERE idea_id = $1`, `DELETE FROM voice_idea_practices WHERE idea_id = $1`,
		`UPDATE voice_ideas SET merged_into = NULL WHERE merged_into = $1`, `DELETE FROM voice_ideas WHERE id = $1`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("deleting idea: %w", err)
		}
	}
	return nil
}

// ConfirmEmail marks the address given with an idea as confirmed.
func (s *Store) ConfirmEmail(ctx context.Context, token string) (*Idea, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	res, err := s.DB.W.ExecContext(ctx, `UPDATE voice_ideas SET email_confirmed = TRUE WHERE email_token = $1 AND email <> ''`, token)
	if err != nil {
		return nil, fmt.Errorf("confirming e-mail: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNotFound
	}
	i, err := scanIdea(s.DB.W.QueryRowContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE i.email_token = $1`, token))
	if err != nil {
		return nil, fmt.Errorf("confirming e-mail: %w", err)
	}
	return i, nil
}

// SupportBound is how many supports one network prefix may give one idea.
const SupportBound = 25

// Support counts a device's support for a published idea once. It reports
// whether this support was counted (false: already given, or the prefix
// reached its bound).
func (s *Store) Support(ctx context.Context, consultation, idea int64, device, prefixHash string) (bool, error) {
	counted := false
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas i WHERE `+published+` AND i.id = $1 AND i.consultation_id = $2`,
			idea, consultation).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return ErrNotFound
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_supports WHERE idea_id = $1 AND prefix_hash = $2`, idea, prefixHash).Scan(&n); err != nil {
			return err
		}
		if n >= SupportBound {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO voice_supports (idea_id, device, prefix_hash, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (idea_id, device) DO NOTHING`, idea, device, prefixHash, db.Now())
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		counted = true
		_, err = tx.ExecContext(ctx, `UPDATE voice_ideas SET supports = supports + 1 WHERE id = $1`, idea)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("supporting idea: %w", err)
	}
	return counted, err
}

// ReportsToQueue is the number of residents' reports that return a
// published idea to the moderation queue.
const ReportsToQueue = 3

// Report records a device's report of a published idea; the third
// returns it to the queue, flagged, and out of every public list.
func (s *Store) Report(ctx context.Context, consultation, idea int64, device string) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas i WHERE `+published+` AND i.id = $1 AND i.consultation_id = $2`,
			idea, consultation).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return ErrNotFound
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO voice_reports (idea_id, device, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, device) DO NOTHING`,
			idea, device, db.Now())
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE voice_ideas SET reports = reports + 1 WHERE id = $1 RETURNING reports`, idea).Scan(&n); err != nil {
			return err
		}
		if n < ReportsToQueue {
			return nil
		}
		var flags string
		if err := tx.QueryRowContext(ctx, `SELECT flags FROM voice_ideas WHERE id = $1`, idea).Scan(&flags); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET state = 'waiting', flags = $2 WHERE id = $1`, idea, addFlag(flags, FlagReported)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, search.FullTextDelete(s.DB.Dialect, "voice_idea_fts"), idea)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("reporting idea: %w", err)
	}
	return err
}

func addFlag(flags, f string) string {
	list := splitList(flags)
	for _, x := range list {
		if x == f {
			return flags
		}
	}
	return joinFlags(append(list, f))
}

// Waiting counts ideas waiting for a moderator; city > 0 counts one city's.
func (s *Store) Waiting(ctx context.Context, city int64) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas i JOIN voice_consultations c ON c.id = i.consultation_id
		WHERE i.state = 'waiting' AND ($1 = 0 OR c.city_id = $1)`, city).Scan(&n)
	return n, err
}

// Retention deletes what consultations keep no longer: once a
// consultation's retention period after closing has passed, the ideas
// never published go, and published ones lose their e-mail address,
// neighbourhood, age group and network hash.
func (s *Store) Retention(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, closes_at, retention_days FROM voice_consultations`)
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	var due []int64
	for rows.Next() {
		var id int64
		var closes time.Time
		var days int
		if err := rows.Scan(&id, &closes, &days); err != nil {
			rows.Close()
			return 0, err
		}
		if now.After(closes.Add(time.Duration(days) * 24 * time.Hour)) {
			due = append(due, id)
		}
	}
	rows.Close()
	deleted := 0
	for _, c := range due {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id FROM voice_ideas WHERE consultation_id = $1 AND state <> 'published'`, c)
			if err != nil {
				return err
			}
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
			for _, id := range ids {
				if err := deleteIdea(ctx, tx, s.DB.Dialect, id); err != nil {
					return err
				}
			}
			deleted += len(ids)
			_, err = tx.ExecContext(ctx, `UPDATE voice_ideas SET email = '', email_token = '', neighbourhood = '', age_group = '', prefix_hash = ''
				WHERE consultation_id = $1 AND (email <> '' OR prefix_hash <> '' OR neighbourhood <> '' OR age_group <> '')`, c)
			return err
		})
		if err != nil {
			return deleted, fmt.Errorf("retention of consultation %d: %w", c, err)
		}
	}
	return deleted, nil
}
