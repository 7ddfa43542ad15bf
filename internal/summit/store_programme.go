package summit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/media"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Programme is everything the public sees of a summit besides its figures.
type Programme struct {
	Venues   []Venue
	Sessions []*Session // by start
	Speakers []Speaker
	Partners []Partner // by kind, then the secretariat's order
}

// Programme loads the summit's venues, sessions with their speakers and
// sign-up counts, speakers and partners: five statements however long the
// programme is.
func (st *Store) Programme(ctx context.Context, summitID int64) (*Programme, error) {
	p := &Programme{}
	var err error
	if p.Venues, err = st.Venues(ctx, summitID); err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	if p.Sessions, err = st.sessions(ctx, `WHERE x.summit_id = $1`, summitID); err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	if p.Speakers, err = st.Speakers(ctx, summitID); err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	byID := map[int64]Speaker{}
	for _, sp := range p.Speakers {
		byID[sp.ID] = sp
	}
	links, err := st.DB.R.QueryContext(ctx, `SELECT ss.session_id, ss.speaker_id FROM summit_session_speakers ss
		JOIN summit_sessions x ON x.id = ss.session_id WHERE x.summit_id = $1 ORDER BY ss.session_id, ss.position, ss.speaker_id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	defer links.Close()
	sessions := map[int64]*Session{}
	for _, s := range p.Sessions {
		sessions[s.ID] = s
	}
	for links.Next() {
		var sid, spid int64
		if err := links.Scan(&sid, &spid); err != nil {
			return nil, fmt.Errorf("summit: programme: %w", err)
		}
		if s, ok := sessions[sid]; ok {
			s.Speakers = append(s.Speakers, byID[spid])
		}
	}
	if err := links.Err(); err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	if p.Partners, err = st.Partners(ctx, summitID); err != nil {
		return nil, fmt.Errorf("summit: programme: %w", err)
	}
	return p, nil
}

// Venues lists a summit's venues in the secretariat's order.
func (st *Store) Venues(ctx context.Context, summitID int64) ([]Venue, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT id, summit_id, name, address, lat, lon, position FROM summit_venues
		WHERE summit_id = $1 ORDER BY position, id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: venues: %w", err)
	}
	defer rows.Close()
	var out []Venue
	for rows.Next() {
		var v Venue
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&v.ID, &v.SummitID, &v.Name, &v.Address, &lat, &lon, &v.Position); err != nil {
			return nil, fmt.Errorf("summit: venues: %w", err)
		}
		if lat.Valid && lon.Valid {
			v.Lat, v.Lon = &lat.Float64, &lon.Float64
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const sessionSelect = `SELECT x.id, x.summit_id, x.kind, x.title, x.description, x.starts_at, x.ends_at, COALESCE(x.venue_id, 0),
	COALESCE(v.name, '{}'), COALESCE(v.address, ''), x.room, x.languages, x.interpretation, COALESCE(x.capacity, 0),
	(SELECT COUNT(*) FROM summit_signups su WHERE su.session_id = x.id), x.updated_at
	FROM summit_sessions x LEFT JOIN summit_venues v ON v.id = x.venue_id `

func (st *Store) sessions(ctx context.Context, where string, args ...any) ([]*Session, error) {
	rows, err := st.DB.R.QueryContext(ctx, sessionSelect+where+` ORDER BY x.starts_at, x.ends_at, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Session
	for rows.Next() {
		s := &Session{}
		var langs, interp string
		if err := rows.Scan(&s.ID, &s.SummitID, &s.Kind, &s.Title, &s.Description, &s.StartsAt, &s.EndsAt, &s.VenueID,
			&s.Venue, &s.VenueAddress, &s.Room, &langs, &interp, &s.Capacity, &s.SignedUp, &s.UpdatedAt); err != nil {
			return nil, err
		}
		s.StartsAt, s.EndsAt, s.UpdatedAt = s.StartsAt.UTC(), s.EndsAt.UTC(), s.UpdatedAt.UTC()
		s.Languages, s.Interpretation = splitCodes(langs), splitCodes(interp)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Session returns one session of a summit.
func (st *Store) Session(ctx context.Context, summitID, id int64) (*Session, error) {
	list, err := st.sessions(ctx, `WHERE x.summit_id = $1 AND x.id = $2`, summitID, id)
	if err != nil {
		return nil, fmt.Errorf("summit: session: %w", err)
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	s := list[0]
	rows, err := st.DB.R.QueryContext(ctx, `SELECT speaker_id FROM summit_session_speakers WHERE session_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("summit: session: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sp Speaker
		if err := rows.Scan(&sp.ID); err != nil {
			return nil, fmt.Errorf("summit: session: %w", err)
		}
		s.Speakers = append(s.Speakers, sp)
	}
	return s, rows.Err()
}

// Speakers lists a summit's speakers in the secretariat's order, each with
// the sessions they speak at.
func (st *Store) Speakers(ctx context.Context, summitID int64) ([]Speaker, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT sp.id, sp.summit_id, sp.name, sp.role, sp.affiliation, COALESCE(sp.city_id, 0),
		COALESCE(c.name, ''), sp.bio, sp.position, COALESCE(sp.photo_id, 0), COALESCE(im.content_type, ''), COALESCE(im.sha256, '')
		FROM summit_speakers sp LEFT JOIN cities c ON c.id = sp.city_id LEFT JOIN images im ON im.id = sp.photo_id
		WHERE sp.summit_id = $1 ORDER BY sp.position, sp.name, sp.id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: speakers: %w", err)
	}
	defer rows.Close()
	var out []Speaker
	index := map[int64]int{}
	for rows.Next() {
		var sp Speaker
		if err := rows.Scan(&sp.ID, &sp.SummitID, &sp.Name, &sp.Role, &sp.Affiliation, &sp.CityID, &sp.City, &sp.Bio, &sp.Position,
			&sp.PhotoID, &sp.PhotoType, &sp.PhotoKey); err != nil {
			return nil, fmt.Errorf("summit: speakers: %w", err)
		}
		index[sp.ID] = len(out)
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summit: speakers: %w", err)
	}
	rows.Close()
	links, err := st.DB.R.QueryContext(ctx, `SELECT ss.speaker_id, ss.session_id FROM summit_session_speakers ss
		JOIN summit_sessions x ON x.id = ss.session_id WHERE x.summit_id = $1 ORDER BY x.starts_at, x.id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: speakers: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var spid, sid int64
		if err := links.Scan(&spid, &sid); err != nil {
			return nil, fmt.Errorf("summit: speakers: %w", err)
		}
		if i, ok := index[spid]; ok {
			out[i].SessionIDs = append(out[i].SessionIDs, sid)
		}
	}
	return out, links.Err()
}

// Partners lists a summit's partners by kind, in the secretariat's order.
func (st *Store) Partners(ctx context.Context, summitID int64) ([]Partner, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT p.id, p.summit_id, p.kind, p.name, p.url, p.position, COALESCE(p.logo_id, 0),
		COALESCE(im.content_type, ''), COALESCE(im.sha256, '') FROM summit_partners p LEFT JOIN images im ON im.id = p.logo_id
		WHERE p.summit_id = $1 ORDER BY CASE p.kind WHEN 'main_sponsor' THEN 0 WHEN 'supporting_partner' THEN 1 ELSE 2 END, p.position, p.id`, summitID)
	if err != nil {
		return nil, fmt.Errorf("summit: partners: %w", err)
	}
	defer rows.Close()
	var out []Partner
	for rows.Next() {
		var p Partner
		if err := rows.Scan(&p.ID, &p.SummitID, &p.Kind, &p.Name, &p.URL, &p.Position, &p.LogoID, &p.LogoType, &p.LogoKey); err != nil {
			return nil, fmt.Errorf("summit: partners: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// VenueInput is a venue as entered.
type VenueInput struct {
	Name     i18n.Text
	Address  string
	Lat, Lon *float64
	Position int
}

func (in *VenueInput) validate() error {
	in.Name = in.Name.Clean()
	in.Address = strings.TrimSpace(in.Address)
	switch {
	case in.Name.Empty():
		return fieldErr("name_en", "summit.err.venue_name")
	case len(in.Address) > 300:
		return fieldErr("address", "form.too_long")
	case (in.Lat == nil) != (in.Lon == nil):
		return fieldErr("lat", "summit.err.position")
	case in.Lat != nil && (*in.Lat < -90 || *in.Lat > 90 || *in.Lon < -180 || *in.Lon > 180):
		return fieldErr("lat", "summit.err.position")
	}
	return nil
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// SaveVenue creates (id 0) or updates a venue of the summit.
func (st *Store) SaveVenue(ctx context.Context, summitID, id int64, in VenueInput, by audit.Actor) (int64, error) {
	if err := in.validate(); err != nil {
		return 0, fmt.Errorf("summit: save venue: %w", err)
	}
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO summit_venues (summit_id, name, address, lat, lon, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				summitID, in.Name, in.Address, nullFloat(in.Lat), nullFloat(in.Lon), in.Position).Scan(&id)
		} else {
			err = expectOne(tx.ExecContext(ctx, `UPDATE summit_venues SET name = $1, address = $2, lat = $3, lon = $4, position = $5 WHERE id = $6 AND summit_id = $7`,
				in.Name, in.Address, nullFloat(in.Lat), nullFloat(in.Lon), in.Position, id, summitID))
		}
		if err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.venue.save", "summit_venue", id, in.Name.Get("en", ""), in.Name.Get("en", ""))
	})
	return id, err
}

// DeleteVenue removes a venue; its sessions keep their times without a place.
func (st *Store) DeleteVenue(ctx context.Context, summitID, id int64, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := expectOne(tx.ExecContext(ctx, `DELETE FROM summit_venues WHERE id = $1 AND summit_id = $2`, id, summitID)); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.venue.delete", "summit_venue", id, "", "")
	})
}

// touch marks the summit changed (its programme feed's version) and records
// the action on its programme item (of kind and id, named name when known).
func (st *Store) touch(ctx context.Context, tx *sql.Tx, summitID int64, by audit.Actor, action, kind string, id int64, name, detail string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE summits SET updated_at = $1 WHERE id = $2`, st.now(), summitID); err != nil {
		return err
	}
	s, err := subject(ctx, tx, kindSummit, summitID)
	if err != nil {
		return fmt.Errorf("naming summit %d for the audit log: %w", summitID, err)
	}
	s.Kind, s.ID, s.Path = kind, id, s.Path+"/programme"
	if name != "" {
		s.Title = name + " · " + s.Title
	}
	return by.Record(ctx, tx, action, s, detail)
}

func expectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// SessionInput is a programme item as entered; times are local to the summit.
type SessionInput struct {
	Kind           string
	Title          i18n.Text
	Description    i18n.Text
	Starts, Ends   string // "2019-08-30T15:00" in the summit's zone
	VenueID        int64
	Room           string
	Languages      string // "de, en"
	Interpretation string
	Capacity       int
	SpeakerIDs     []int64
}

// parseLocal reads a datetime-local value in loc.
func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// normalizeCodes checks a comma-separated list of language codes.
func normalizeCodes(s string) (string, bool) {
	var out []string
	for _, c := range splitCodes(strings.ToLower(s)) {
		t, err := language.Parse(c)
		if err != nil || len(c) > 12 {
			return s, false
		}
		b, _ := t.Base()
		if !slices.Contains(out, b.String()) {
			out = append(out, b.String())
		}
	}
	return strings.Join(out, ","), len(out) <= 20
}

func (in *SessionInput) validate(s *Summit) (start, end time.Time, err error) {
	in.Title, in.Description = in.Title.Clean(), in.Description.Clean()
	loc := s.Location()
	var ok bool
	switch {
	case !slices.Contains(Kinds, in.Kind):
		return start, end, fieldErr("kind", "form.invalid")
	case in.Title.Empty():
		return start, end, fieldErr("title_"+orLang(s.SourceLang), "summit.err.session_title")
	}
	if start, ok = parseLocal(in.Starts, loc); !ok {
		return start, end, fieldErr("starts", "summit.err.datetime")
	}
	if end, ok = parseLocal(in.Ends, loc); !ok {
		return start, end, fieldErr("ends", "summit.err.datetime")
	}
	if !end.After(start) {
		return start, end, fieldErr("ends", "summit.err.time_order")
	}
	if start.Before(s.Start().AddDate(0, 0, -7)) || end.After(s.End().AddDate(0, 0, 8)) {
		return start, end, fieldErr("starts", "summit.err.outside")
	}
	if in.Languages, ok = normalizeCodes(in.Languages); !ok {
		return start, end, fieldErr("languages", "summit.err.languages")
	}
	if in.Interpretation, ok = normalizeCodes(in.Interpretation); !ok {
		return start, end, fieldErr("interpretation", "summit.err.languages")
	}
	if in.Capacity < 0 || in.Capacity > 100000 {
		return start, end, fieldErr("capacity", "summit.err.limit")
	}
	if in.Room = strings.TrimSpace(in.Room); len(in.Room) > 120 {
		return start, end, fieldErr("room", "form.too_long")
	}
	return start.UTC(), end.UTC(), nil
}

// SaveSession creates (id 0) or updates a session with its speakers.
func (st *Store) SaveSession(ctx context.Context, summitID, id int64, in SessionInput, by audit.Actor) (int64, error) {
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		s, err := st.lock(ctx, tx, summitID)
		if err != nil {
			return err
		}
		start, end, err := in.validate(s)
		if err != nil {
			return err
		}
		if in.VenueID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_venues WHERE id = $1 AND summit_id = $2`, in.VenueID, summitID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fieldErr("venue_id", "form.invalid")
			}
		}
		now := st.now()
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO summit_sessions (summit_id, kind, title, description, starts_at, ends_at, venue_id, room,
				languages, interpretation, capacity, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
				summitID, in.Kind, in.Title, in.Description, start, end, nullID(in.VenueID), in.Room, in.Languages, in.Interpretation,
				nullInt(in.Capacity), now).Scan(&id)
		} else {
			err = expectOne(tx.ExecContext(ctx, `UPDATE summit_sessions SET kind = $1, title = $2, description = $3, starts_at = $4, ends_at = $5,
				venue_id = $6, room = $7, languages = $8, interpretation = $9, capacity = $10, updated_at = $11 WHERE id = $12 AND summit_id = $13`,
				in.Kind, in.Title, in.Description, start, end, nullID(in.VenueID), in.Room, in.Languages, in.Interpretation,
				nullInt(in.Capacity), now, id, summitID))
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM summit_session_speakers WHERE session_id = $1`, id); err != nil {
			return err
		}
		for i, sp := range in.SpeakerIDs {
			res, err := tx.ExecContext(ctx, `INSERT INTO summit_session_speakers (session_id, speaker_id, position)
				SELECT $1, id, $2 FROM summit_speakers WHERE id = $3 AND summit_id = $4`, id, i, sp, summitID)
			if err = expectOne(res, err); err != nil {
				return fieldErr("speakers", "form.invalid")
			}
		}
		return st.touch(ctx, tx, summitID, by, "summit.session.save", "summit_session", id, in.Title.Get("en", ""), in.Title.Get("en", ""))
	})
	return id, err
}

// DeleteSession removes a session and its sign-ups.
func (st *Store) DeleteSession(ctx context.Context, summitID, id int64, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := expectOne(tx.ExecContext(ctx, `DELETE FROM summit_sessions WHERE id = $1 AND summit_id = $2`, id, summitID)); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.session.delete", "summit_session", id, "", "")
	})
}

// SpeakerInput is a speaker as entered.
type SpeakerInput struct {
	Name        string
	Role        i18n.Text
	Affiliation string
	CityID      int64
	Bio         i18n.Text
	Position    int
	Photo       *media.Image // a new photo, or nil to keep the one there is
	RemovePhoto bool
}

// setImage stores a new image for a row's column (photo_id, logo_id) or
// clears it, in the transaction of the row's change.
func setImage(ctx context.Context, tx *sql.Tx, table, column string, id int64, img *media.Image, remove bool) error {
	switch {
	case img != nil:
		imgID, err := media.Save(ctx, tx, img)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE `+table+` SET `+column+` = $1 WHERE id = $2`, imgID, id)
		return err
	case remove:
		_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+column+` = NULL WHERE id = $1`, id)
		return err
	}
	return nil
}

func (in *SpeakerInput) validate() error {
	in.Name, in.Affiliation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Affiliation)
	in.Role, in.Bio = in.Role.Clean(), in.Bio.Clean()
	switch {
	case in.Name == "" || len([]rune(in.Name)) > 120:
		return fieldErr("name", "summit.err.name")
	case len([]rune(in.Affiliation)) > 200:
		return fieldErr("affiliation", "form.too_long")
	}
	for _, l := range i18n.Langs {
		if len([]rune(in.Bio[l])) > 2000 {
			return fieldErr("bio_"+l, "form.too_long")
		}
	}
	return nil
}

// SaveSpeaker creates (id 0) or updates a speaker.
func (st *Store) SaveSpeaker(ctx context.Context, summitID, id int64, in SpeakerInput, by audit.Actor) (int64, error) {
	if err := in.validate(); err != nil {
		return 0, fmt.Errorf("summit: save speaker: %w", err)
	}
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO summit_speakers (summit_id, name, role, affiliation, city_id, bio, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, summitID, in.Name, in.Role, in.Affiliation, nullID(in.CityID), in.Bio, in.Position).Scan(&id)
		} else {
			err = expectOne(tx.ExecContext(ctx, `UPDATE summit_speakers SET name = $1, role = $2, affiliation = $3, city_id = $4, bio = $5, position = $6
				WHERE id = $7 AND summit_id = $8`, in.Name, in.Role, in.Affiliation, nullID(in.CityID), in.Bio, in.Position, id, summitID))
		}
		if isFK(err) {
			return fieldErr("city_id", "form.invalid")
		}
		if err != nil {
			return err
		}
		if err := setImage(ctx, tx, "summit_speakers", "photo_id", id, in.Photo, in.RemovePhoto); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.speaker.save", "summit_speaker", id, in.Name, in.Name)
	})
	return id, err
}

// DeleteSpeaker removes a speaker from the summit and its sessions.
func (st *Store) DeleteSpeaker(ctx context.Context, summitID, id int64, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := expectOne(tx.ExecContext(ctx, `DELETE FROM summit_speakers WHERE id = $1 AND summit_id = $2`, id, summitID)); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.speaker.delete", "summit_speaker", id, "", "")
	})
}

// PartnerInput is a partner as entered.
type PartnerInput struct {
	Kind       string
	Name       i18n.Text
	URL        string
	Position   int
	Logo       *media.Image // a new logo, or nil to keep the one there is
	RemoveLogo bool
}

// SavePartner creates (id 0) or updates a partner.
func (st *Store) SavePartner(ctx context.Context, summitID, id int64, in PartnerInput, by audit.Actor) (int64, error) {
	in.Name, in.URL = in.Name.Clean(), strings.TrimSpace(in.URL)
	switch {
	case !slices.Contains(PartnerKinds, in.Kind):
		return 0, fieldErr("kind", "form.invalid")
	case in.Name.Empty():
		return 0, fieldErr("name_en", "summit.err.partner_name")
	case in.URL != "" && !validURL(in.URL):
		return 0, fieldErr("url", "summit.err.url")
	}
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO summit_partners (summit_id, kind, name, url, position) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				summitID, in.Kind, in.Name, in.URL, in.Position).Scan(&id)
		} else {
			err = expectOne(tx.ExecContext(ctx, `UPDATE summit_partners SET kind = $1, name = $2, url = $3, position = $4 WHERE id = $5 AND summit_id = $6`,
				in.Kind, in.Name, in.URL, in.Position, id, summitID))
		}
		if err != nil {
			return err
		}
		if err := setImage(ctx, tx, "summit_partners", "logo_id", id, in.Logo, in.RemoveLogo); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.partner.save", "summit_partner", id, in.Name.Get("en", ""), in.Name.Get("en", ""))
	})
	return id, err
}

// MovePartner moves a partner one place up (-1) or down (+1) within its kind.
func (st *Store) MovePartner(ctx context.Context, summitID, id int64, dir int, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var kind string
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM summit_partners WHERE id = $1 AND summit_id = $2`, id, summitID).Scan(&kind); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM summit_partners WHERE summit_id = $1 AND kind = $2 ORDER BY position, id`, summitID, kind)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, x)
		}
		rows.Close()
		for i, x := range ids {
			if x == id && i+dir >= 0 && i+dir < len(ids) {
				ids[i], ids[i+dir] = ids[i+dir], ids[i]
				break
			}
		}
		// Renumber the whole kind, so gaps and ties from hand-entered positions disappear.
		for i, x := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE summit_partners SET position = $1 WHERE id = $2`, i+1, x); err != nil {
				return err
			}
		}
		return st.touch(ctx, tx, summitID, by, "summit.partner.move", "summit_partner", id, "", strconv.Itoa(dir))
	})
}

// DeletePartner removes a partner.
func (st *Store) DeletePartner(ctx context.Context, summitID, id int64, by audit.Actor) error {
	return st.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := expectOne(tx.ExecContext(ctx, `DELETE FROM summit_partners WHERE id = $1 AND summit_id = $2`, id, summitID)); err != nil {
			return err
		}
		return st.touch(ctx, tx, summitID, by, "summit.partner.delete", "summit_partner", id, "", "")
	})
}
