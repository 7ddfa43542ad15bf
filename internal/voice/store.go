package voice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
)

// ErrNotFound: no such consultation, exhibition, station or idea (or not
// one the public may see).
var ErrNotFound = errors.New("not found")

// Store owns the voice tables.
type Store struct {
	DB     *db.DB
	keys   keyCache
	briefs sharedReads[*Consultation]
	kept   keptBriefs
}

// keptBriefs are consultations read for taking ideas, each for up to a
// second: the writer checks the consultation again as it commits.
type keptBriefs struct {
	mu sync.Mutex
	m  map[string]keptBrief
}

type keptBrief struct {
	c  *Consultation
	at time.Time
}

// briefAge is how long a kept consultation serves.
const briefAge = time.Second

// RecentBrief is Brief as read at most a second ago: what a refusal must
// not rest on (read Brief again before refusing), and what the writer
// checks once more in its transaction.
func (s *Store) RecentBrief(ctx context.Context, ref string) (c *Consultation, fresh bool, err error) {
	now := time.Now()
	s.kept.mu.Lock()
	k, ok := s.kept.m[ref]
	s.kept.mu.Unlock()
	if ok && now.Sub(k.at) < briefAge {
		cp := *k.c
		return &cp, false, nil
	}
	if c, err = s.Brief(ctx, ref); err != nil {
		return nil, true, err
	}
	cp := *c
	s.kept.mu.Lock()
	if s.kept.m == nil || len(s.kept.m) >= 1000 { // refs are typed by anyone: bounded
		s.kept.m = map[string]keptBrief{}
	}
	s.kept.m[ref] = keptBrief{c: &cp, at: now}
	s.kept.mu.Unlock()
	return c, true, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const consultationCols = `c.id, c.city_id, ci.name, ci.slug, c.slug, c.question, c.source_lang, c.themes, c.opens_at, c.closes_at,
	c.retention_days, c.moderation, c.privacy, c.charter, c.updated_at,
	(SELECT COUNT(*) FROM voice_ideas i WHERE i.consultation_id = c.id AND i.state = 'published')`

func scanConsultation(sc interface{ Scan(...any) error }) (*Consultation, error) {
	var c Consultation
	var themes string
	err := sc.Scan(&c.ID, &c.CityID, &c.CityName, &c.CitySlug, &c.Slug, &c.Question, &c.SourceLang, &themes, &c.OpensAt, &c.ClosesAt,
		&c.RetentionDays, &c.Moderation, &c.Privacy, &c.Charter, &c.UpdatedAt, &c.Published)
	c.Themes = splitList(themes)
	c.OpensAt, c.ClosesAt, c.UpdatedAt = c.OpensAt.UTC(), c.ClosesAt.UTC(), c.UpdatedAt.UTC()
	return &c, err
}

// Consultations lists every consultation, the newest first; city > 0
// keeps one city's.
func (s *Store) Consultations(ctx context.Context, city int64) ([]*Consultation, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+consultationCols+` FROM voice_consultations c JOIN cities ci ON ci.id = c.city_id
		WHERE ($1 = 0 OR c.city_id = $1) ORDER BY c.opens_at DESC, c.id DESC`, city)
	if err != nil {
		return nil, fmt.Errorf("listing consultations: %w", err)
	}
	defer rows.Close()
	var out []*Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, fmt.Errorf("listing consultations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range out {
		if c.Exhibitions, err = s.Exhibitions(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Consultation loads one by slug or by id (ref "12").
func (s *Store) Consultation(ctx context.Context, ref string) (*Consultation, error) {
	where := `c.slug = $1`
	var arg any = ref
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		where, arg = `c.id = $1`, id
	}
	c, err := scanConsultation(s.DB.R.QueryRowContext(ctx, `SELECT `+consultationCols+`
		FROM voice_consultations c JOIN cities ci ON ci.id = c.city_id WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("loading consultation %s: %w", ref, err)
	}
	if c.Exhibitions, err = s.Exhibitions(ctx, c.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// Brief loads one consultation by slug or id without its exhibitions and
// counts: what taking an idea needs, at one indexed row.
func (s *Store) Brief(ctx context.Context, ref string) (*Consultation, error) {
	c, err := s.briefs.Do(ctx, ref, func(ctx context.Context) (*Consultation, error) { return s.readBrief(ctx, ref) })
	if err != nil {
		return nil, err
	}
	cp := *c // shared with the requests that asked at the same time
	return &cp, nil
}

func (s *Store) readBrief(ctx context.Context, ref string) (*Consultation, error) {
	where := `c.slug = $1`
	var arg any = ref
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		where, arg = `c.id = $1`, id
	}
	c, err := scanConsultation(s.DB.ReadRow(ctx, `SELECT `+strings.Replace(consultationCols, `(SELECT COUNT(*) FROM voice_ideas i WHERE i.consultation_id = c.id AND i.state = 'published')`, `0`, 1)+`
		FROM voice_consultations c JOIN cities ci ON ci.id = c.city_id WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("loading consultation %s: %w", ref, err)
	}
	return c, nil
}

// Exhibitions lists a consultation's exhibitions by date, with their stations.
func (s *Store) Exhibitions(ctx context.Context, consultation int64) ([]Exhibition, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, consultation_id, venue, address, lat, lon, starts_on, ends_on, hours, updated_at
		FROM voice_exhibitions WHERE consultation_id = $1 ORDER BY starts_on, id`, consultation)
	if err != nil {
		return nil, fmt.Errorf("listing exhibitions: %w", err)
	}
	var out []Exhibition
	for rows.Next() {
		var e Exhibition
		if err := rows.Scan(&e.ID, &e.ConsultationID, &e.Venue, &e.Address, &e.Lat, &e.Lon, &e.StartsOn, &e.EndsOn, &e.Hours, &e.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	day := db.Now().Truncate(24 * time.Hour)
	for i := range out {
		srows, err := s.DB.R.QueryContext(ctx, `SELECT st.id, st.exhibition_id, st.name, st.revoked, st.last_contact_at, st.backlog,
			(SELECT COUNT(*) FROM voice_ideas i WHERE i.station_id = st.id AND i.created_at >= $2)
			FROM voice_stations st WHERE st.exhibition_id = $1 ORDER BY st.id`, out[i].ID, day)
		if err != nil {
			return nil, fmt.Errorf("listing stations: %w", err)
		}
		for srows.Next() {
			var st Station
			var last sql.NullTime
			if err := srows.Scan(&st.ID, &st.ExhibitionID, &st.Name, &st.Revoked, &last, &st.Backlog, &st.Today); err != nil {
				srows.Close()
				return nil, err
			}
			st.LastContact = last.Time
			out[i].Stations = append(out[i].Stations, st)
		}
		srows.Close()
		if err := srows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ConsultationInput is what the consultation form sends.
type ConsultationInput struct {
	CityID        int64
	Slug          string
	Question      i18n.Text
	SourceLang    string
	Themes        []string
	OpensAt       time.Time
	ClosesAt      time.Time
	RetentionDays int
	Moderation    string
	Privacy       i18n.Text
	Charter       i18n.Text
}

// SaveConsultation creates (id 0) or updates a consultation.
func (s *Store) SaveConsultation(ctx context.Context, a audit.Actor, id int64, in ConsultationInput) (int64, error) {
	now := db.Now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO voice_consultations (city_id, slug, question, source_lang, themes, opens_at, closes_at,
				retention_days, moderation, privacy, charter, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
				in.CityID, in.Slug, in.Question, in.SourceLang, strings.Join(in.Themes, ","), in.OpensAt.UTC(), in.ClosesAt.UTC(),
				in.RetentionDays, in.Moderation, in.Privacy, in.Charter, now).Scan(&id)
			if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE voice_consultations SET city_id = $2, slug = $3, question = $4, source_lang = $5, themes = $6,
				opens_at = $7, closes_at = $8, retention_days = $9, moderation = $10, privacy = $11, charter = $12, updated_at = $13 WHERE id = $1`,
				id, in.CityID, in.Slug, in.Question, in.SourceLang, strings.Join(in.Themes, ","), in.OpensAt.UTC(), in.ClosesAt.UTC(),
				in.RetentionDays, in.Moderation, in.Privacy, in.Charter, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return a.Record(ctx, tx, "voice.consultation.save", audit.Subject{Kind: "consultation", ID: id,
			Title: in.Question.Get("en", in.SourceLang), Path: "/ideas/" + in.Slug}, "")
	})
	if err != nil {
		return 0, fmt.Errorf("saving consultation: %w", err)
	}
	return id, nil
}

// SaveExhibition creates (e.ID 0) or updates an exhibition of consultation c.
func (s *Store) SaveExhibition(ctx context.Context, a audit.Actor, c *Consultation, e Exhibition) (int64, error) {
	now := db.Now()
	id := e.ID
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO voice_exhibitions (consultation_id, venue, address, lat, lon, starts_on, ends_on, hours, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.ID, e.Venue, e.Address, e.Lat, e.Lon, e.StartsOn, e.EndsOn, e.Hours, now).Scan(&id); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE voice_exhibitions SET venue = $3, address = $4, lat = $5, lon = $6, starts_on = $7, ends_on = $8,
				hours = $9, updated_at = $10 WHERE id = $1 AND consultation_id = $2`, id, c.ID, e.Venue, e.Address, e.Lat, e.Lon, e.StartsOn, e.EndsOn, e.Hours, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return a.Record(ctx, tx, "voice.exhibition.save", audit.Subject{Kind: "exhibition", ID: id, Title: e.Venue, Path: c.Path()}, "")
	})
	if err != nil {
		return 0, fmt.Errorf("saving exhibition: %w", err)
	}
	return id, nil
}

// AddStation creates a station at an exhibition of c and returns its
// token, shown once (only its hash is kept).
func (s *Store) AddStation(ctx context.Context, a audit.Actor, c *Consultation, exhibition int64, name string) (string, error) {
	token := randomToken(20)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_exhibitions WHERE id = $1 AND consultation_id = $2`, exhibition, c.ID).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return ErrNotFound
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO voice_stations (exhibition_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			exhibition, name, hashToken(token), db.Now()).Scan(&id); err != nil {
			return err
		}
		return a.Record(ctx, tx, "voice.station.add", audit.Subject{Kind: "station", ID: id, Title: name, Path: c.Path()}, "")
	})
	if err != nil {
		return "", fmt.Errorf("adding station: %w", err)
	}
	return token, nil
}

// RevokeStation stops a station's token from working.
func (s *Store) RevokeStation(ctx context.Context, a audit.Actor, c *Consultation, station int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE voice_stations SET revoked = TRUE WHERE id = $1
			AND exhibition_id IN (SELECT id FROM voice_exhibitions WHERE consultation_id = $2)`, station, c.ID)
		if err != nil {
			return fmt.Errorf("revoking station: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return a.Record(ctx, tx, "voice.station.revoke", audit.Subject{Kind: "station", ID: station, Path: c.Path()}, "")
	})
}

// StationByToken finds the station a kiosk's token proves, with its
// exhibition and consultation; revoked tokens are not found.
func (s *Store) StationByToken(ctx context.Context, token string) (station, exhibition, consultation int64, err error) {
	err = s.DB.R.QueryRowContext(ctx, `SELECT st.id, e.id, e.consultation_id FROM voice_stations st JOIN voice_exhibitions e ON e.id = st.exhibition_id
		WHERE st.token_hash = $1 AND st.revoked = FALSE`, hashToken(token)).Scan(&station, &exhibition, &consultation)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, ErrNotFound
	}
	return
}

// StationContact records that a station was heard from and its backlog.
func (s *Store) StationContact(ctx context.Context, station int64, backlog int) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE voice_stations SET last_contact_at = $2, backlog = $3 WHERE id = $1`, station, db.Now(), max(backlog, 0))
	return err
}

// Theme is one practice theme a consultation may use.
type Theme struct {
	Key   string
	Names i18n.Text
}

// Themes lists the practice themes.
func (s *Store) Themes(ctx context.Context) ([]Theme, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT key, names FROM practice_terms WHERE kind = 'theme' ORDER BY position, key`)
	if err != nil {
		return nil, fmt.Errorf("listing themes: %w", err)
	}
	defer rows.Close()
	var out []Theme
	for rows.Next() {
		var t Theme
		if err := rows.Scan(&t.Key, &t.Names); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CityName is a city's name, or ErrNotFound.
func (s *Store) CityName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.DB.R.QueryRowContext(ctx, `SELECT name FROM cities WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return name, err
}

// CityOption is a city to open a consultation for.
type CityOption struct {
	ID   int64
	Name string
}

// Cities lists the cities in the alphabetical order of lang.
func (s *Store) Cities(ctx context.Context, lang string) ([]CityOption, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name FROM cities ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CityOption
	for rows.Next() {
		var c CityOption
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	i18n.SortByName(lang, out, func(c CityOption) string { return c.Name })
	return out, nil
}

func isUnique(err error) bool { return err != nil && db.IsUniqueViolation(err) }
