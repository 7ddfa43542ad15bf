package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"observatory/internal/audit"
	"observatory/internal/cache"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/search/index"
	"observatory/internal/web"
)

// Store keeps practices in the database. Every visibility rule lives
// here: public methods read only published rows and the published
// revision; working copies are read only through the Work methods, which
// handlers call after checking the viewer's rights.
type Store struct {
	DB *db.DB
	// Notify, when set, queues e-mail about workflow steps inside the
	// step's transaction (see notify.go).
	Notify *Notifier
	// SkipRelated, when true, skips computing related practices and similar
	// cities at publication and withdrawal (bulk loads compute them once at
	// the end).
	SkipRelated bool

	index *index.Index
	cache *cache.Space // labelled results and pages of items
}

// NewStore returns a store with its search index, in the process's
// shared cache.
func NewStore(d *db.DB) *Store {
	s := &Store{DB: d, cache: cache.Shared().Space("practice.results")}
	s.index = index.New(source{s}, index.Config{DB: d, FullText: "practice_fts",
		Related: index.Related{Strong: "theme", Weak: "group", Apart: "city"}})
	return s
}

// Errors the workflow reports.
var (
	ErrNotFound = errors.New("practice not found")
	// ErrState: the step is not possible in the practice's current state.
	ErrState = errors.New("not possible in the practice's current state")
	// ErrConflict: someone saved the practice since the form was opened.
	ErrConflict = errors.New("the practice was changed in the meantime")
)

// Invalid carries the problems that stop a record from being stored or submitted.
type Invalid struct{ Problems []Problem }

func (e *Invalid) Error() string {
	return fmt.Sprintf("the practice has %d problem(s)", len(e.Problems))
}

// Actor is who does something, for the history and the audit log.
type Actor = audit.Actor

// record writes the audit entry for action on practice id in tx, naming the
// practice by its title in its own language and linking its workspace page.
func record(ctx context.Context, tx *sql.Tx, a Actor, action string, id int64, detail string) error {
	var title i18n.Text
	var lang string
	if err := tx.QueryRowContext(ctx, `SELECT title, lang FROM practices WHERE id = $1`, id).Scan(&title, &lang); err != nil {
		return fmt.Errorf("naming practice %d for the audit log: %w", id, err)
	}
	return a.Record(ctx, tx, action, audit.Subject{Kind: "practice", ID: id, Title: title.Get(lang, lang),
		Path: fmt.Sprintf("/practices/%d/work", id)}, detail)
}

// Workflow states (practices.state) and review states (practices.review).
const (
	StateDraft     = "draft" // never published
	StatePublished = "published"
	StateArchived  = "archived"

	ReviewNone      = ""          // no pending changes
	ReviewEditing   = "editing"   // changes being written
	ReviewSubmitted = "submitted" // waiting for the secretariat
	ReviewReturned  = "returned"  // sent back with a comment
)

// City is the practice's city.
type City = web.CityRef

// Practice is a practice with its workflow state and the versions a viewer may see.
type Practice struct {
	ID          int64
	UID         string
	State       string
	Review      string
	Slug        string
	City        City
	HeadNumber  int     // the latest revision
	PubNumber   int     // the published revision, 0 if none
	Head        *Record // the working copy (nil on public reads)
	Pub         *Record // the published version, if any
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
	RevisedAt   *time.Time
	HeadAuthor  string
}

// Pending reports whether the working copy differs from the published version.
func (p *Practice) Pending() bool { return p.Review != ReviewNone }

// Shown is the version to show: the published one when there is one.
func (p *Practice) Shown() *Record {
	if p.Pub != nil {
		return p.Pub
	}
	return p.Head
}

// bump advances the change counter; readers of the search cache notice.
func bump(ctx context.Context, q db.Querier) error {
	_, err := NextSeq(ctx, q)
	return err
}

// NextSeq bumps the practices' change counter and returns its new value,
// the seq of the rows a transaction writes (bulk loaders use it too).
func NextSeq(ctx context.Context, q db.Querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `UPDATE practice_counter SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v)
	return v, err
}

// Version is the change counter with the cities' change counter (which
// every insert, update and delete of a city advances): together they say
// whether cached search data is still current.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v, cities int64
	err := s.DB.ReadRow(ctx, `SELECT value, (SELECT value FROM city_counter WHERE id = 1) FROM practice_counter WHERE id = 1`).Scan(&v, &cities)
	return fmt.Sprintf("%d/%d", v, cities), err
}

func cityExists(ctx context.Context, q db.Querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE id = $1`, id).Scan(&n)
	return n > 0, err
}

// check validates rec for storing; a draft may be incomplete.
func check(ctx context.Context, q db.Querier, rec *Record) error {
	rec.Clean()
	terms, err := LoadTerms(ctx, q)
	if err != nil {
		return err
	}
	ps := rec.Check(terms)
	if rec.CityID > 0 {
		ok, err := cityExists(ctx, q, rec.CityID)
		if err != nil {
			return err
		}
		if !ok {
			ps = append(ps, Problem{"city", "practice.err.city"})
		}
	}
	if len(ps) > 0 {
		return &Invalid{ps}
	}
	return nil
}

// Create stores a new draft and returns its id.
func (s *Store) Create(ctx context.Context, a Actor, rec Record) (int64, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.create(ctx, tx, a, &rec, uuid.NewString(), "created")
		return err
	})
	return id, err
}

func (s *Store) create(ctx context.Context, tx *sql.Tx, a Actor, rec *Record, uid, action string) (int64, error) {
	if err := check(ctx, tx, rec); err != nil {
		return 0, err
	}
	now := db.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO practices (uid, city_id, state, review, slug, created_by, created_at, updated_at)
		VALUES ($1, $2, 'draft', 'editing', $3, $4, $5, $5) RETURNING id`,
		uid, rec.CityID, Slug(rec.Title[rec.Lang]), db.NullID(a.UserID), now).Scan(&id)
	if err != nil {
		return 0, err
	}
	revID, err := addRevision(ctx, tx, id, 1, rec, a, now)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET head_rev = $1 WHERE id = $2`, revID, id); err != nil {
		return 0, err
	}
	return id, event(ctx, tx, id, 1, action, a, "", now)
}

func addRevision(ctx context.Context, tx *sql.Tx, id int64, number int, rec *Record, a Actor, now time.Time) (int64, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	var revID int64
	err = tx.QueryRowContext(ctx, `INSERT INTO practice_revisions (practice_id, number, record, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, number, string(b), db.NullID(a.UserID), now).Scan(&revID)
	return revID, err
}

// logStep writes a workflow step to the practice's history and the audit
// log: the event named action on revision rev, and the audit entry named
// entry with detail.
func logStep(ctx context.Context, tx *sql.Tx, a Actor, id int64, rev int, action, comment, entry, detail string, now time.Time) error {
	if err := event(ctx, tx, id, rev, action, a, comment, now); err != nil {
		return err
	}
	return record(ctx, tx, a, entry, id, detail)
}

func event(ctx context.Context, tx *sql.Tx, id int64, rev int, action string, a Actor, comment string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO practice_events (practice_id, revision, action, actor_id, comment, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, rev, action, db.NullID(a.UserID), comment, now)
	return err
}

// wf is a practice's workflow row, read and locked inside a transaction.
type wf struct {
	id, cityID      int64
	state, review   string
	headID, pubID   int64
	headNum, pubNum int
	head            Record
	headAuthor      int64
}

func loadWF(ctx context.Context, tx *sql.Tx, id int64) (*wf, error) {
	w := &wf{id: id}
	var rec string
	var pubID sql.NullInt64
	var pubNum sql.NullInt64
	var author sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT p.city_id, p.state, p.review, p.head_rev, p.pub_rev, h.number, pr.number, h.record, h.author_id
		FROM practices p JOIN practice_revisions h ON h.id = p.head_rev
		LEFT JOIN practice_revisions pr ON pr.id = p.pub_rev
		WHERE p.id = $1`, id).Scan(&w.cityID, &w.state, &w.review, &w.headID, &pubID, &w.headNum, &pubNum, &rec, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	w.pubID, w.pubNum, w.headAuthor = pubID.Int64, int(pubNum.Int64), author.Int64
	if err := json.Unmarshal([]byte(rec), &w.head); err != nil {
		return nil, err
	}
	return w, nil
}

// headFrom loads practice id's workflow for a change of its working copy
// made from revision base: an archived practice takes none (ErrState), and
// a copy saved since base is a conflict (ErrConflict).
func headFrom(ctx context.Context, tx *sql.Tx, id int64, base int) (*wf, error) {
	w, err := loadWF(ctx, tx, id)
	if err == nil && w.state == StateArchived {
		err = ErrState
	} else if err == nil && base != w.headNum {
		err = ErrConflict
	}
	return w, err
}

// Save stores rec as the new working copy of practice id. base is the
// revision the editor started from: if another was saved since, nothing
// is stored and ErrConflict says so. Saving unchanged text stores nothing.
func (s *Store) Save(ctx context.Context, a Actor, id int64, base int, rec Record) (saved bool, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := headFrom(ctx, tx, id, base)
		if err != nil {
			return err
		}
		if rec.CityID != w.cityID {
			// Moving a practice to another city is not an edit.
			return &Invalid{[]Problem{{"city", "practice.err.city"}}}
		}
		if err := check(ctx, tx, &rec); err != nil {
			return err
		}
		if same(&w.head, &rec) {
			return nil
		}
		saved = true
		return s.newHead(ctx, tx, a, w, &rec, "saved", "")
	})
	return saved, err
}

func same(a, b *Record) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// newHead adds a revision and makes it the working copy, which then
// needs review again (a submitted copy that changes is no longer submitted).
func (s *Store) newHead(ctx context.Context, tx *sql.Tx, a Actor, w *wf, rec *Record, action, comment string) error {
	now := db.Now()
	num := 0
	if err := tx.QueryRowContext(ctx, `SELECT MAX(number) FROM practice_revisions WHERE practice_id = $1`, w.id).Scan(&num); err != nil {
		return err
	}
	num++
	revID, err := addRevision(ctx, tx, w.id, num, rec, a, now)
	if err != nil {
		return err
	}
	slugSet := ""
	if w.state == StateDraft {
		slugSet = ", slug = $4"
	}
	args := []any{revID, now, w.id}
	if slugSet != "" {
		args = append(args, Slug(rec.Title[rec.Lang]))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET head_rev = $1, review = 'editing', updated_at = $2`+slugSet+` WHERE id = $3`, args...); err != nil {
		return err
	}
	return event(ctx, tx, w.id, num, action, a, comment, now)
}

// Submit sends the working copy to the secretariat for review.
func (s *Store) Submit(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.state == StateArchived || (w.review != ReviewEditing && w.review != ReviewReturned) {
			return ErrState
		}
		if ps := w.head.Complete(); len(ps) > 0 {
			return &Invalid{ps}
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET review = 'submitted', updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		if err := logStep(ctx, tx, a, id, w.headNum, "submitted", "", "practice.submit", fmt.Sprintf("revision %d", w.headNum), now); err != nil {
			return err
		}
		return s.Notify.submitted(ctx, tx, w)
	})
}

// Return sends a submitted working copy back to its city with a comment.
func (s *Store) Return(ctx context.Context, a Actor, id int64, comment string) error {
	comment = strings.TrimSpace(comment)
	if comment == "" || len([]rune(comment)) > 4000 {
		return &Invalid{[]Problem{{"comment", "practice.err.comment"}}}
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.review != ReviewSubmitted {
			return ErrState
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET review = 'returned', updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		if err := logStep(ctx, tx, a, id, w.headNum, "returned", comment, "practice.return", comment, now); err != nil {
			return err
		}
		return s.Notify.returned(ctx, tx, w, comment)
	})
}

// Publish makes the working copy the public version. The secretariat
// publishes submitted copies, and its own work directly.
func (s *Store) Publish(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.state == StateArchived || w.review == ReviewNone {
			return ErrState
		}
		if ps := w.head.Complete(); len(ps) > 0 {
			return &Invalid{ps}
		}
		now := db.Now()
		if err := s.publishTx(ctx, tx, w.id, w.headID, &w.head, now); err != nil {
			return err
		}
		if err := logStep(ctx, tx, a, id, w.headNum, "published", "", "practice.publish", fmt.Sprintf("revision %d", w.headNum), now); err != nil {
			return err
		}
		return s.Notify.published(ctx, tx, w)
	})
}

// publishTx makes revision revID, holding rec, the public version of
// practice id: its columns, its search index entry, its related practices.
func (s *Store) publishTx(ctx context.Context, tx *sql.Tx, id, revID int64, rec *Record, now time.Time) error {
	seq, err := NextSeq(ctx, tx)
	if err != nil {
		return err
	}
	city, err := loadCity(ctx, tx, rec.CityID)
	if err != nil {
		return err
	}
	terms, err := LoadTerms(ctx, tx)
	if err != nil {
		return err
	}
	d := BuildIndexDoc(rec, city, terms)
	_, err = tx.ExecContext(ctx, `UPDATE practices SET state = 'published', review = '', head_rev = $1, pub_rev = $1,
		slug = $2, lang = $3, title = $4, summary = $5, themes = $6, target_groups = $7, status = $8, start_on = $9,
		quality = $10, title_terms = $11, lead_terms = $12, seq = $13, updated_at = $14,
		published_at = COALESCE(published_at, $14), revised_at = $14
		WHERE id = $15`,
		revID, Slug(rec.Title[rec.Lang]), rec.Lang, rec.Title, rec.Summary, strings.Join(rec.Themes, " "), strings.Join(rec.Groups, " "),
		rec.Status, rec.Start, rec.Quality(), d.TitleTerms, d.LeadTerms, seq, now, id)
	if err != nil {
		return err
	}
	if err := search.ReplaceFullText(ctx, tx, s.DB.Dialect, "practice_fts", id, d.Text); err != nil {
		return err
	}
	if s.SkipRelated {
		return nil
	}
	return s.relatedTx(ctx, tx, id)
}

// reindexTx rebuilds the index text of the published practices that cond
// selects (a condition on practices p with one argument): their texts hold
// the names of their city, themes and target groups, and one of these was
// renamed. They get a new change number, so word lists kept in memory are
// read again for them. It returns how many practices it re-indexed.
func (s *Store) reindexTx(ctx context.Context, tx *sql.Tx, cond string, arg any) (int, error) {
	ix, err := newIndexer(ctx, tx)
	if err != nil {
		return 0, err
	}
	put, _, err := ix.texts(ctx, tx, cond+` ORDER BY p.id`, arg)
	if err != nil || len(put) == 0 {
		return 0, err
	}
	seq, err := NextSeq(ctx, tx)
	if err != nil {
		return 0, err
	}
	selected := `SELECT p.id FROM practices p WHERE p.state = 'published' AND ` + cond
	if _, err := tx.ExecContext(ctx, search.FullTextDeleteIn(s.DB.Dialect, "practice_fts", selected), arg); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET seq = $2 WHERE id IN (`+selected+`)`, arg, seq); err != nil {
		return 0, err
	}
	return len(put), search.InsertFullText(ctx, tx, s.DB.Dialect, "practice_fts", put)
}

// indexer builds index texts of published practices as stored, with the
// taxonomies and the cities' names as they are in the transaction.
type indexer struct {
	terms  *Terms
	cities map[int64]City
}

func newIndexer(ctx context.Context, tx *sql.Tx) (*indexer, error) {
	terms, err := LoadTerms(ctx, tx)
	return &indexer{terms: terms, cities: map[int64]City{}}, err
}

// texts reads the published practices that cond selects (the rest of a
// WHERE clause on practices p, with its order and limit) and returns
// their ids and index texts as rows for search.InsertFullText, and the last id.
func (ix *indexer) texts(ctx context.Context, tx *sql.Tx, cond string, args ...any) (put [][]any, last int64, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.city_id, r.record FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev
		WHERE p.state = 'published' AND `+cond, args...)
	if err != nil {
		return nil, 0, err
	}
	type entry struct {
		id, city int64
		raw      string
	}
	var todo []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.city, &e.raw); err != nil {
			rows.Close()
			return nil, 0, err
		}
		todo = append(todo, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	put = make([][]any, 0, len(todo))
	for _, e := range todo {
		var rec Record
		if err := json.Unmarshal([]byte(e.raw), &rec); err != nil {
			return nil, 0, fmt.Errorf("practice %d: published revision: %w", e.id, err)
		}
		city, ok := ix.cities[e.city]
		if !ok {
			if city, err = loadCity(ctx, tx, e.city); err != nil {
				return nil, 0, fmt.Errorf("practice %d: city %d: %w", e.id, e.city, err)
			}
			ix.cities[e.city] = city
		}
		put = append(put, []any{e.id, BuildIndexDoc(&rec, city, ix.terms).Text})
		last = e.id
	}
	return put, last, nil
}

// ReindexCity re-indexes the published practices of a city whose names
// changed, in the transaction that changes them.
func (s *Store) ReindexCity(ctx context.Context, tx *sql.Tx, cityID int64) error {
	_, err := s.reindexTx(ctx, tx, `p.city_id = $1`, cityID)
	return err
}

// unpublishTx takes practice id out of everything public.
func (s *Store) unpublishTx(ctx context.Context, tx *sql.Tx, id int64, state string, now time.Time) error {
	seq, err := NextSeq(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET state = $1, seq = $2, updated_at = $3 WHERE id = $4`, state, seq, now, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, search.FullTextDelete(s.DB.Dialect, "practice_fts"), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related WHERE practice_id = $1 OR related_id = $1`, id); err != nil {
		return err
	}
	if s.SkipRelated {
		return nil
	}
	return s.citySimilarTx(ctx, tx)
}

// Archive takes a practice out of the library (and out of the editors'
// current work); its history stays and it can be brought back.
func (s *Store) Archive(ctx context.Context, a Actor, id int64, comment string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.state == StateArchived {
			return ErrState
		}
		now := db.Now()
		if w.state == StatePublished {
			if err := s.unpublishTx(ctx, tx, id, StateArchived, now); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE practices SET state = 'archived', updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		comment = strings.TrimSpace(comment)
		return logStep(ctx, tx, a, id, w.headNum, "archived", comment, "practice.archive", comment, now)
	})
}

// Unarchive brings an archived practice back: published again if it was
// published before, otherwise as a draft.
func (s *Store) Unarchive(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.state != StateArchived {
			return ErrState
		}
		now := db.Now()
		if w.pubID != 0 {
			var raw string
			if err := tx.QueryRowContext(ctx, `SELECT record FROM practice_revisions WHERE id = $1`, w.pubID).Scan(&raw); err != nil {
				return err
			}
			var pub Record
			if err := json.Unmarshal([]byte(raw), &pub); err != nil {
				return err
			}
			review := w.review
			if err := s.publishTx(ctx, tx, id, w.pubID, &pub, now); err != nil {
				return err
			}
			// publishTx made the published revision the head; keep pending work.
			if _, err := tx.ExecContext(ctx, `UPDATE practices SET head_rev = $1, review = $2 WHERE id = $3`, w.headID, review, id); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE practices SET state = 'draft', updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return logStep(ctx, tx, a, id, w.headNum, "unarchived", "", "practice.unarchive", "", now)
	})
}

// Discard drops the pending changes of a published practice: the working
// copy becomes the published version again (the dropped revisions stay in
// the history).
func (s *Store) Discard(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.pubID == 0 || w.review == ReviewNone {
			return ErrState
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET head_rev = pub_rev, review = '', updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return event(ctx, tx, id, w.pubNum, "discarded", a, "", now)
	})
}

// Restore makes an earlier revision the working copy again, as a new
// revision that goes through review like any other change.
func (s *Store) Restore(ctx context.Context, a Actor, id int64, number int) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.state == StateArchived {
			return ErrState
		}
		var raw string
		err = tx.QueryRowContext(ctx, `SELECT record FROM practice_revisions WHERE practice_id = $1 AND number = $2`, id, number).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		var rec Record
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return err
		}
		rec.CityID = w.cityID
		if err := check(ctx, tx, &rec); err != nil {
			return err
		}
		if same(&rec, &w.head) {
			return nil
		}
		return s.newHead(ctx, tx, a, w, &rec, "restored", fmt.Sprint(number))
	})
}

func loadCity(ctx context.Context, q db.Querier, id int64) (City, error) {
	c := City{ID: id}
	err := q.QueryRowContext(ctx, `SELECT slug, name, names, country, continent FROM cities WHERE id = $1`, id).
		Scan(&c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// IndexDoc is what the search needs of a published record.
type IndexDoc struct {
	Text       string // every translation, city and term names: the full-text index
	TitleTerms string // the titles' terms, for ranking
	LeadTerms  string // the summaries' terms, for ranking
}

// BuildIndexDoc is the search's view of rec, as publishing stores it;
// bulk loaders use it to write the same rows.
func BuildIndexDoc(rec *Record, city City, terms *Terms) IndexDoc {
	var text search.Text
	for _, f := range Fields {
		text.AddAll(*rec.Text(f))
	}
	text.Add(city.Name, "")
	for _, n := range city.Names {
		text.Add(n, "")
	}
	for _, k := range rec.Themes {
		if x, ok := terms.Get(KindTheme, k); ok {
			text.AddAll(x.Names)
		}
	}
	for _, k := range rec.Groups {
		if x, ok := terms.Get(KindGroup, k); ok {
			text.AddAll(x.Names)
		}
	}
	for _, p := range append(append([]string{}, rec.Partners...), rec.Funders...) {
		text.Add(p, "")
	}
	return IndexDoc{Text: text.String(), TitleTerms: search.TermSet(rec.Title), LeadTerms: search.TermSet(rec.Summary)}
}

// Slug is the readable part of a practice's address, from its title.
func Slug(title string) string { return web.Slug(title, 60, "practice") }
