package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"observatory/internal/db"
)

// Public returns a published practice with its published version only,
// or ErrNotFound for anything the public may not see.
func (s *Store) Public(ctx context.Context, id int64) (*Practice, error) {
	p := &Practice{ID: id}
	var raw string
	var published, revised sql.NullTime
	err := s.DB.ReadRow(ctx, `SELECT p.uid, p.slug, r.number, r.record, p.created_at, p.updated_at, p.published_at, p.revised_at,
			c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev JOIN cities c ON c.id = p.city_id
		WHERE p.id = $1 AND p.state = 'published'`, id).
		Scan(&p.UID, &p.Slug, &p.PubNumber, &raw, &p.CreatedAt, &p.UpdatedAt, &published, &revised,
			&p.City.ID, &p.City.Slug, &p.City.Name, &p.City.Names, &p.City.Country, &p.City.Continent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	p.State = StatePublished
	p.PublishedAt, p.RevisedAt = db.TimeOf(published), db.TimeOf(revised)
	p.Pub = &Record{}
	return p, json.Unmarshal([]byte(raw), p.Pub)
}

// Work returns a practice in any state with its working copy and its
// published version. Only for viewers allowed to edit or review it.
func (s *Store) Work(ctx context.Context, id int64) (*Practice, error) {
	p := &Practice{ID: id}
	var head string
	var pub sql.NullString
	var pubNum sql.NullInt64
	var published, revised sql.NullTime
	var author sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `SELECT p.uid, p.state, p.review, p.slug, h.number, h.record, pr.number, pr.record,
			p.created_at, p.updated_at, p.published_at, p.revised_at, u.name,
			c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practices p JOIN practice_revisions h ON h.id = p.head_rev
		LEFT JOIN practice_revisions pr ON pr.id = p.pub_rev
		LEFT JOIN users u ON u.id = h.author_id
		JOIN cities c ON c.id = p.city_id
		WHERE p.id = $1`, id).
		Scan(&p.UID, &p.State, &p.Review, &p.Slug, &p.HeadNumber, &head, &pubNum, &pub,
			&p.CreatedAt, &p.UpdatedAt, &published, &revised, &author,
			&p.City.ID, &p.City.Slug, &p.City.Name, &p.City.Names, &p.City.Country, &p.City.Continent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	p.PublishedAt, p.RevisedAt, p.HeadAuthor = db.TimeOf(published), db.TimeOf(revised), author.String
	p.Head = &Record{}
	if err := json.Unmarshal([]byte(head), p.Head); err != nil {
		return nil, err
	}
	if pub.Valid {
		p.PubNumber = int(pubNum.Int64)
		p.Pub = &Record{}
		if err := json.Unmarshal([]byte(pub.String), p.Pub); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// CityOf returns the city a practice belongs to, whatever its state, for
// deciding who may work on it.
func (s *Store) CityOf(ctx context.Context, id int64) (int64, error) {
	var city int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT city_id FROM practices WHERE id = $1`, id).Scan(&city)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return city, err
}

// Revision is one stored version in a practice's history.
type Revision struct {
	Number    int
	Author    string
	CreatedAt time.Time
	Record    *Record
}

// Revisions lists a practice's versions, newest first, without their records.
func (s *Store) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	return db.All(ctx, s.DB.R, func(r *Revision) []any { return []any{&r.Number, &r.Author, &r.CreatedAt} },
		`SELECT r.number, COALESCE(u.name, ''), r.created_at
		FROM practice_revisions r LEFT JOIN users u ON u.id = r.author_id
		WHERE r.practice_id = $1 ORDER BY r.number DESC`, id)
}

// RevisionPair returns revision number of practice id and the one before
// it (nil for the first), for a diff.
func (s *Store) RevisionPair(ctx context.Context, id int64, number int) (cur, prev *Revision, err error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.number, COALESCE(u.name, ''), r.created_at, r.record
		FROM practice_revisions r LEFT JOIN users u ON u.id = r.author_id
		WHERE r.practice_id = $1 AND r.number <= $2 ORDER BY r.number DESC LIMIT 2`, id, number)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var got []*Revision
	for rows.Next() {
		r := &Revision{Record: &Record{}}
		var raw string
		if err := rows.Scan(&r.Number, &r.Author, &r.CreatedAt, &raw); err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal([]byte(raw), r.Record); err != nil {
			return nil, nil, err
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(got) == 0 || got[0].Number != number {
		return nil, nil, ErrNotFound
	}
	if len(got) == 2 {
		prev = got[1]
	}
	return got[0], prev, nil
}

// Event is one step in a practice's history.
type Event struct {
	Action   string
	Revision int
	Actor    string
	Comment  string
	At       time.Time
}

// Events lists what happened to a practice, newest first.
func (s *Store) Events(ctx context.Context, id int64) ([]Event, error) {
	return db.All(ctx, s.DB.R, func(e *Event) []any { return []any{&e.Action, &e.Revision, &e.Actor, &e.Comment, &e.At} },
		`SELECT e.action, e.revision, COALESCE(u.name, ''), e.comment, e.at
		FROM practice_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.practice_id = $1 ORDER BY e.id DESC`, id)
}

// LastComment is the secretariat's comment of the last return, if the
// practice is returned now.
func (s *Store) LastComment(ctx context.Context, id int64) (string, error) {
	var c string
	err := s.DB.R.QueryRowContext(ctx, `SELECT comment FROM practice_events WHERE practice_id = $1 AND action = 'returned'
		ORDER BY id DESC LIMIT 1`, id).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, err
}

// WorkItem is a practice on an editor's or the secretariat's work list.
type WorkItem struct {
	ID        int64
	State     string
	Review    string
	Title     string
	Lang      string
	City      City
	UpdatedAt time.Time
	Author    string
}

// WorkFilter narrows the work list.
type WorkFilter struct {
	CityID int64  // 0: every city (the secretariat)
	Review string // "" any
	State  string // "" any but archived; "archived" only those
	Limit  int
}

// WorkList lists practices being worked on, most recently changed first,
// in one statement.
func (s *Store) WorkList(ctx context.Context, f WorkFilter) ([]WorkItem, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	where := `WHERE ($1 = 0 OR p.city_id = $1) AND ($2 = '' OR p.review = $2)`
	if f.State == "" {
		where += ` AND p.state <> 'archived' AND ($3 = '' OR p.state = $3)`
	} else {
		where += ` AND p.state = $3`
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.state, p.review, h.record, p.updated_at, COALESCE(u.name, ''),
			c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practices p JOIN practice_revisions h ON h.id = p.head_rev
		LEFT JOIN users u ON u.id = h.author_id
		JOIN cities c ON c.id = p.city_id `+where+`
		ORDER BY p.updated_at DESC, p.id DESC LIMIT $4`, f.CityID, f.Review, f.State, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkItem
	for rows.Next() {
		var w WorkItem
		var raw string
		if err := rows.Scan(&w.ID, &w.State, &w.Review, &raw, &w.UpdatedAt, &w.Author,
			&w.City.ID, &w.City.Slug, &w.City.Name, &w.City.Names, &w.City.Country, &w.City.Continent); err != nil {
			return nil, err
		}
		var rec Record
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return nil, err
		}
		w.Lang = rec.Lang
		w.Title = rec.Title[rec.Lang]
		out = append(out, w)
	}
	return out, rows.Err()
}
