package exchange

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Store keeps the exchanges, their threads and files.
type Store struct {
	DB      *db.DB
	Catalog *i18n.Catalog
	BaseURL string // the public address: the only source of links in e-mails
}

// Errors the handlers turn into answers.
var (
	ErrNotFound = errors.New("exchange not found")
	// ErrStep: the step is not open to this viewer in this state.
	ErrStep = errors.New("this step is not possible now")
	// ErrPractice: the practice cannot be asked about (unpublished, or the
	// asking city's own), or the adapted practice is not the asking city's.
	ErrPractice = errors.New("practice not available for an exchange")
)

// Who is the viewer as the store sees them: a city's editor or delegate,
// or the secretariat. A viewer of neither kind sees no exchange.
type Who struct {
	CityID      int64
	Secretariat bool
}

// sees is the one condition for the exchanges a viewer may see: those of
// their city, or all for the secretariat. $1 is the city.
const sees = `($2 OR e.from_city = $1 OR e.to_city = $1)`

// public is the one condition for what the public may see of an exchange:
// both cities agreed, it took place (or is about to), and its practice is
// published. Threads and files are never public.
const public = `e.public_from AND e.public_to AND e.state IN ('accepted', 'scheduled', 'done', 'adopted') AND p.state = 'published'`

const columns = `e.id, e.kind, e.state, e.message, e.proposed_dates, e.languages, e.contact_name, e.contact_email,
	e.decline_reason, e.scheduled_on, e.place, e.learned, e.will_try, e.public_from, e.public_to,
	e.created_at, e.answered_at, e.done_at, e.updated_at,
	p.id, p.slug, p.title, p.lang, p.state, p.themes,
	fc.id, fc.slug, fc.name, fc.names, fc.country, fc.continent,
	tc.id, tc.slug, tc.name, tc.names, tc.country, tc.continent,
	a.id, a.slug, a.title, a.lang, a.state`

const from = ` FROM exchanges e JOIN practices p ON p.id = e.practice_id
	JOIN cities fc ON fc.id = e.from_city JOIN cities tc ON tc.id = e.to_city
	LEFT JOIN practices a ON a.id = e.adapted_id`

func scanExchange(sc interface{ Scan(...any) error }) (*Exchange, error) {
	var e Exchange
	var langs, pstate, themes string
	var answered, done sql.NullTime
	var aID sql.NullInt64
	var aSlug, aLang, aState sql.NullString
	var aTitle i18n.Text
	err := sc.Scan(&e.ID, &e.Kind, &e.State, &e.Message, &e.ProposedDates, &langs, &e.ContactName, &e.ContactEmail,
		&e.DeclineReason, &e.ScheduledOn, &e.Place, &e.Learned, &e.WillTry, &e.PublicFrom, &e.PublicTo,
		&e.CreatedAt, &answered, &done, &e.UpdatedAt,
		&e.Practice.ID, &e.Practice.Slug, &e.Practice.Title, &e.Practice.Lang, &pstate, &themes,
		&e.From.ID, &e.From.Slug, &e.From.Name, &e.From.Names, &e.From.Country, &e.From.Continent,
		&e.To.ID, &e.To.Slug, &e.To.Name, &e.To.Names, &e.To.Country, &e.To.Continent,
		&aID, &aSlug, &aTitle, &aLang, &aState)
	if err != nil {
		return nil, err
	}
	e.Practice.Published = pstate == "published"
	e.Languages = strings.Fields(langs)
	e.Themes = strings.Fields(themes)
	if answered.Valid {
		t := answered.Time.UTC()
		e.AnsweredAt = &t
	}
	if done.Valid {
		t := done.Time.UTC()
		e.DoneAt = &t
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if aID.Valid {
		e.Adapted = &PracticeRef{ID: aID.Int64, Slug: aSlug.String, Title: aTitle, Lang: aLang.String, Published: aState.String == "published"}
	}
	return &e, nil
}

func (s *Store) query(ctx context.Context, q db.Querier, where string, args ...any) ([]*Exchange, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+from+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Exchange
	for rows.Next() {
		e, err := scanExchange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Get is exchange id if who may see it; ErrNotFound otherwise, so that a
// third city cannot even learn that it exists.
func (s *Store) Get(ctx context.Context, who Who, id int64) (*Exchange, error) {
	return s.get(ctx, s.DB.R, who, id)
}

func (s *Store) get(ctx context.Context, q db.Querier, who Who, id int64) (*Exchange, error) {
	if who.CityID == 0 && !who.Secretariat {
		return nil, ErrNotFound
	}
	list, err := s.query(ctx, q, sees+` AND e.id = $3`, who.CityID, who.Secretariat, id)
	if err != nil {
		return nil, fmt.Errorf("reading exchange %d: %w", id, err)
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

// Inbox lists the exchanges who may see, the latest activity first.
func (s *Store) Inbox(ctx context.Context, who Who) ([]*Exchange, error) {
	if who.CityID == 0 && !who.Secretariat {
		return nil, nil
	}
	list, err := s.query(ctx, s.DB.R, sees+` ORDER BY e.updated_at DESC, e.id DESC LIMIT 500`, who.CityID, who.Secretariat)
	if err != nil {
		return nil, fmt.Errorf("reading the exchanges inbox: %w", err)
	}
	return list, nil
}

// Public lists the exchanges the public may see, newest first.
func (s *Store) Public(ctx context.Context) ([]*Exchange, error) {
	list, err := s.query(ctx, s.DB.R, public+` ORDER BY e.created_at DESC, e.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("reading the public exchanges: %w", err)
	}
	return list, nil
}

// PublicOfCity lists the public exchanges a city gave or received.
func (s *Store) PublicOfCity(ctx context.Context, city int64) ([]*Exchange, error) {
	list, err := s.query(ctx, s.DB.R, public+` AND (e.from_city = $1 OR e.to_city = $1) ORDER BY e.created_at DESC, e.id DESC`, city)
	if err != nil {
		return nil, fmt.Errorf("reading the exchanges of city %d: %w", city, err)
	}
	return list, nil
}

// AdoptedBy lists the public exchanges in which a practice was adopted
// (with the adapted practice published).
func (s *Store) AdoptedBy(ctx context.Context, practice int64) ([]*Exchange, error) {
	list, err := s.query(ctx, s.DB.R, public+` AND e.practice_id = $1 AND e.state = 'adopted' AND a.state = 'published'
		ORDER BY e.updated_at, e.id`, practice)
	if err != nil {
		return nil, fmt.Errorf("reading who adopted practice %d: %w", practice, err)
	}
	return list, nil
}

// Version changes whenever anything the public could see of exchanges
// changes; cached pages that show public exchanges keep it in their key.
func (s *Store) Version(ctx context.Context) (string, error) {
	var n int64
	if err := s.DB.ReadRow(ctx, `SELECT value FROM exchange_counter WHERE id = 1`).Scan(&n); err != nil {
		return "", fmt.Errorf("reading the exchanges' version: %w", err)
	}
	return fmt.Sprintf("x%d", n), nil
}

func bump(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE exchange_counter SET value = value + 1 WHERE id = 1`)
	return err
}

// practiceTarget is the practice asked about, with its city and contact.
type practiceTarget struct {
	id, city int64
	title    i18n.Text
	lang     string
	slug     string
}

// Create stores a request from q.FromCity and tells the practice's city.
func (s *Store) Create(ctx context.Context, actor audit.Actor, q Request) (int64, error) {
	if p := q.Problems(); len(p) > 0 {
		return 0, fmt.Errorf("invalid request: %v", p)
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var t practiceTarget
		err := tx.QueryRowContext(ctx, `SELECT id, city_id, title, lang, slug FROM practices WHERE id = $1 AND state = 'published'`,
			q.PracticeID).Scan(&t.id, &t.city, &t.title, &t.lang, &t.slug)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (t.city == q.FromCity || q.FromCity == 0) {
			return ErrPractice
		} else if err != nil {
			return err
		}
		var member int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE id = $1`, q.FromCity).Scan(&member); err != nil {
			return err
		}
		if member == 0 {
			return ErrPractice
		}
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO exchanges (practice_id, from_city, to_city, kind, state, message, proposed_dates,
			languages, contact_name, contact_email, requested_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			t.id, q.FromCity, t.city, q.Kind, q.Message, q.ProposedDates, strings.Join(q.Languages, " "),
			q.ContactName, q.ContactEmail, by, now).Scan(&id)
		if err != nil {
			return err
		}
		e, err := s.get(ctx, tx, Who{Secretariat: true}, id)
		if err != nil {
			return err
		}
		to, err := s.recipients(ctx, tx, t.city, practiceContact(ctx, tx, t.id))
		if err != nil {
			return err
		}
		if err := s.mail(ctx, tx, to, e, "exchange.mail.requested", ""); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return actor.Record(ctx, tx, "exchange.request", subject(e), e.Kind)
	})
	if err != nil {
		return 0, fmt.Errorf("creating an exchange: %w", err)
	}
	return id, nil
}

func subject(e *Exchange) audit.Subject {
	return audit.Subject{Kind: "exchange", ID: e.ID, Title: e.From.Name + " → " + e.To.Name + ": " + e.Practice.In(i18n.Default),
		Path: "/exchanges/" + fmt.Sprint(e.ID)}
}

// Step moves exchange id to step.To, if who may take that step now.
func (s *Store) Step(ctx context.Context, actor audit.Actor, who Who, id int64, st Step) error {
	if p := st.Problems(); len(p) > 0 {
		return fmt.Errorf("invalid step: %v", p)
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.get(ctx, tx, who, id)
		if err != nil {
			return err
		}
		side := e.Side(who.CityID)
		if !MayStep(e.State, st.To, side, who.Secretariat) {
			return ErrStep
		}
		now := db.Now()
		set := `state = $1, updated_at = $2`
		args := []any{st.To, now}
		add := func(col string, v any) {
			args = append(args, v)
			set += fmt.Sprintf(", %s = $%d", col, len(args))
		}
		detail := ""
		switch st.To {
		case Declined:
			add("decline_reason", st.Reason)
		case Scheduled:
			add("scheduled_on", st.Date)
			add("place", st.Place)
			detail = st.Date + " " + st.Place
		case Done:
			add("learned", st.Learned)
			add("will_try", st.WillTry)
			add("done_at", now)
		case Adopted:
			// The adapted practice is the asking city's own.
			var city int64
			err := tx.QueryRowContext(ctx, `SELECT city_id FROM practices WHERE id = $1 AND state <> 'archived'`, st.AdaptedID).Scan(&city)
			if errors.Is(err, sql.ErrNoRows) || err == nil && city != e.From.ID {
				return ErrPractice
			} else if err != nil {
				return err
			}
			add("adapted_id", st.AdaptedID)
			detail = fmt.Sprint(st.AdaptedID)
		}
		if side == "to" && e.AnsweredAt == nil {
			add("answered_at", now)
		}
		args = append(args, id, e.State)
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE exchanges SET %s WHERE id = $%d AND state = $%d`, set, len(args)-1, len(args)), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrStep // changed by someone else meanwhile
		}
		if err := s.note(ctx, tx, id, "exchange.note."+st.To, actorName(ctx, tx, actor)); err != nil {
			return err
		}
		e.State = st.To
		e.DeclineReason, e.ScheduledOn, e.Place = st.Reason, st.Date, st.Place
		to, err := s.counterpart(ctx, tx, e, side)
		if err != nil {
			return err
		}
		if err := s.mail(ctx, tx, to, e, "exchange.mail."+st.To, ""); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return actor.Record(ctx, tx, "exchange."+st.To, subject(e), detail)
	})
	if err != nil {
		return fmt.Errorf("exchange %d to %s: %w", id, st.To, err)
	}
	return nil
}

// SetPublic records whether who's city agrees to show the exchange.
func (s *Store) SetPublic(ctx context.Context, actor audit.Actor, who Who, id int64, agree bool) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.get(ctx, tx, who, id)
		if err != nil {
			return err
		}
		col := map[string]string{"from": "public_from", "to": "public_to"}[e.Side(who.CityID)]
		if col == "" {
			return ErrStep // only the cities themselves agree
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exchanges SET `+col+` = $1, updated_at = $2 WHERE id = $3`, agree, db.Now(), id); err != nil {
			return err
		}
		key := "exchange.note.public_no"
		if agree {
			key = "exchange.note.public_yes"
		}
		if err := s.note(ctx, tx, id, key, actorName(ctx, tx, actor)); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return actor.Record(ctx, tx, "exchange.public", subject(e), fmt.Sprint(agree))
	})
	if err != nil {
		return fmt.Errorf("exchange %d public: %w", id, err)
	}
	return nil
}

// Thread is exchange id's messages with their files, oldest first. Call it
// only after Get allowed the viewer.
func (s *Store) Thread(ctx context.Context, id int64) ([]Message, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT m.id, m.kind, m.author_name, m.body, m.created_at,
		c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM exchange_messages m LEFT JOIN cities c ON c.id = m.city_id
		WHERE m.exchange_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading the thread of exchange %d: %w", id, err)
	}
	defer rows.Close()
	var out []Message
	at := map[int64]int{}
	for rows.Next() {
		var m Message
		var cid sql.NullInt64
		var slug, name, country, continent sql.NullString
		var names i18n.Text
		if err := rows.Scan(&m.ID, &m.Kind, &m.AuthorName, &m.Body, &m.CreatedAt, &cid, &slug, &name, &names, &country, &continent); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		if cid.Valid {
			m.City = &City{ID: cid.Int64, Slug: slug.String, Name: name.String, Names: names, Country: country.String, Continent: continent.String}
		}
		at[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frows, err := s.DB.R.QueryContext(ctx, `SELECT id, message_id, name, content_type, size FROM exchange_files WHERE exchange_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var f File
		var mid int64
		if err := frows.Scan(&f.ID, &mid, &f.Name, &f.ContentType, &f.Size); err != nil {
			return nil, err
		}
		if i, ok := at[mid]; ok {
			out[i].Files = append(out[i].Files, f)
		}
	}
	return out, frows.Err()
}

// Post adds a message (and perhaps a file) to exchange id's thread and
// tells the other side.
func (s *Store) Post(ctx context.Context, actor audit.Actor, who Who, id int64, body string, up *Upload) error {
	body = strings.TrimSpace(body)
	if body == "" && up == nil || len([]rune(body)) > maxText {
		return ErrStep
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.get(ctx, tx, who, id)
		if err != nil {
			return err
		}
		now := db.Now()
		var city any
		if side := e.Side(who.CityID); side != "" {
			city = who.CityID
		}
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var mid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO exchange_messages (exchange_id, kind, author_id, author_name, city_id, body, created_at)
			VALUES ($1, 'message', $2, $3, $4, $5, $6) RETURNING id`, id, by, actorName(ctx, tx, actor), city, body, now).Scan(&mid); err != nil {
			return err
		}
		if up != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_files (exchange_id, message_id, name, content_type, size, sha256, data, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, mid, up.Name, up.ContentType, len(up.Data), up.SHA256, up.Data, now); err != nil {
				return err
			}
		}
		side := e.Side(who.CityID)
		set := `updated_at = $1`
		if side == "to" && e.AnsweredAt == nil {
			set += `, answered_at = $1`
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exchanges SET `+set+` WHERE id = $2`, now, id); err != nil {
			return err
		}
		to, err := s.counterpart(ctx, tx, e, side)
		if err != nil {
			return err
		}
		if err := s.mail(ctx, tx, to, e, "exchange.mail.message", ""); err != nil {
			return err
		}
		detail := ""
		if up != nil {
			detail = "file " + up.ContentType
		}
		return actor.Record(ctx, tx, "exchange.message", subject(e), detail)
	})
	if err != nil {
		return fmt.Errorf("posting to exchange %d: %w", id, err)
	}
	return nil
}

// FileData is a stored attachment with its bytes.
type FileData struct {
	File
	SHA256    string
	Data      []byte
	CreatedAt time.Time
}

// File returns attachment fid of exchange id, if who may see the exchange.
func (s *Store) File(ctx context.Context, who Who, id, fid int64) (*FileData, error) {
	if _, err := s.get(ctx, s.DB.R, who, id); err != nil {
		return nil, err
	}
	var f FileData
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, name, content_type, size, sha256, data, created_at FROM exchange_files
		WHERE id = $1 AND exchange_id = $2`, fid, id).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading file %d of exchange %d: %w", fid, id, err)
	}
	return &f, nil
}

// OwnPractices lists a city's practices (not archived), for choosing the
// adapted one.
func (s *Store) OwnPractices(ctx context.Context, city int64) ([]PracticeRef, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, slug, title, lang, state FROM practices WHERE city_id = $1 AND state <> 'archived'
		ORDER BY id DESC LIMIT 200`, city)
	if err != nil {
		return nil, fmt.Errorf("reading the practices of city %d: %w", city, err)
	}
	defer rows.Close()
	var out []PracticeRef
	for rows.Next() {
		var p PracticeRef
		var st string
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Lang, &st); err != nil {
			return nil, err
		}
		p.Published = st == "published"
		out = append(out, p)
	}
	return out, rows.Err()
}

// Target is a published practice that may be asked about, with its city.
func (s *Store) Target(ctx context.Context, practice int64) (*PracticeRef, *City, error) {
	var p PracticeRef
	var c City
	err := s.DB.R.QueryRowContext(ctx, `SELECT p.id, p.slug, p.title, p.lang, c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practices p JOIN cities c ON c.id = p.city_id WHERE p.id = $1 AND p.state = 'published'`, practice).
		Scan(&p.ID, &p.Slug, &p.Title, &p.Lang, &c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading practice %d: %w", practice, err)
	}
	p.Published = true
	return &p, &c, nil
}

// CityName is a city's name in lang ("" when there is none).
func (s *Store) CityName(ctx context.Context, id int64, lang string) string {
	var c City
	if err := s.DB.R.QueryRowContext(ctx, `SELECT name, names FROM cities WHERE id = $1`, id).Scan(&c.Name, &c.Names); err != nil {
		return ""
	}
	return c.In(lang)
}

// note adds a line of the platform to a thread.
func (s *Store) note(ctx context.Context, tx *sql.Tx, id int64, key, name string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO exchange_messages (exchange_id, kind, author_name, body, created_at)
		VALUES ($1, 'note', $2, $3, $4)`, id, name, key, db.Now())
	return err
}

// actorName is the name of who acts, for the thread.
func actorName(ctx context.Context, q db.Querier, a audit.Actor) string {
	if a.UserID != 0 {
		var n string
		if q.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, a.UserID).Scan(&n) == nil && n != "" {
			return n
		}
	}
	if a.Email != "" {
		return a.Email
	}
	return ""
}

// recipient is an address and the language to write to it in.
type recipient struct{ email, lang string }

// recipients are a city's editors (each in their language) and extra
// addresses (in the language of their account, if they have one).
func (s *Store) recipients(ctx context.Context, q db.Querier, city int64, extra ...string) ([]recipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT email, lang FROM users WHERE city_id = $1 AND role = 'editor' AND disabled = FALSE ORDER BY id`, city)
	if err != nil {
		return nil, err
	}
	var out []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.email, &r.lang); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	for _, e := range extra {
		e = strings.TrimSpace(e)
		if e == "" || slices.ContainsFunc(out, func(r recipient) bool { return strings.EqualFold(r.email, e) }) {
			continue
		}
		r := recipient{email: e, lang: i18n.Default}
		var l string
		if q.QueryRowContext(ctx, `SELECT lang FROM users WHERE LOWER(email) = LOWER($1)`, e).Scan(&l) == nil {
			r.lang = l
		}
		out = append(out, r)
	}
	for i := range out {
		if !i18n.Supported(out[i].lang) {
			out[i].lang = i18n.Default
		}
	}
	return out, nil
}

// counterpart are the people to tell about what side did: the other
// city (its editors; for the asking city also its contact person). The
// secretariat's acts go to both.
func (s *Store) counterpart(ctx context.Context, q db.Querier, e *Exchange, side string) ([]recipient, error) {
	var out []recipient
	if side != "to" {
		r, err := s.recipients(ctx, q, e.To.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	if side != "from" {
		r, err := s.recipients(ctx, q, e.From.ID, e.ContactEmail)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

// practiceContact is the e-mail address of a published practice's
// contact person, from its published revision ("" when none).
func practiceContact(ctx context.Context, q db.Querier, practice int64) string {
	var rec string
	err := q.QueryRowContext(ctx, `SELECT r.record FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev WHERE p.id = $1`, practice).Scan(&rec)
	if err != nil {
		return ""
	}
	return contactEmail(rec)
}
