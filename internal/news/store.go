package news

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/search/index"
)

// Store keeps news items, their media and the observed days. Public
// queries see published items only (the condition public, applied here
// once for pages, feeds, the API, the calendar and the sitemap).
type Store struct {
	DB *db.DB
	// Now is the time decisions are made at (db.Now when nil).
	Now func() time.Time

	ixOnce  sync.Once
	ix      *index.Index // the search index (search.go), made on first use
	oldMu   sync.Mutex
	oldDone bool // the items published before news was searchable are indexed
}

// public is the one visibility rule: what the public sees.
const public = `n.state = 'published'`

// ErrNotFound: no such item (or none the asker may see).
var ErrNotFound = errors.New("news item not found")

// Invalid is refused input: field → catalog key.
type Invalid map[string]string

func (e Invalid) Error() string {
	var ks []string
	for f, k := range e {
		ks = append(ks, f+": "+k)
	}
	slices.Sort(ks)
	return "invalid news item: " + strings.Join(ks, ", ")
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Second)
	}
	return db.Now()
}

const itemCols = `n.id, n.source_lang, n.title, n.lead, n.body, n.place, n.trans, n.dated_on, n.ends_on, n.is_event,
	COALESCE(n.city_id, 0), COALESCE(c.name, ''), COALESCE(c.names, '{}'), COALESCE(c.timezone, 'UTC'),
	COALESCE(n.summit_id, 0), COALESCE(n.observance_id, 0), n.tags, n.links, n.press_name, n.press_email, n.press_phone,
	n.state, n.publish_at, n.published_at, n.sequence, COALESCE(n.created_by, 0), n.updated_at`

const itemFrom = ` FROM news_items n LEFT JOIN cities c ON c.id = n.city_id`

type scanner interface{ Scan(...any) error }

func scanItem(r scanner) (*Item, error) {
	it := &Item{}
	var trans, tags, links string
	var pubAt, pubd sql.NullTime
	err := r.Scan(&it.ID, &it.SourceLang, &it.Title, &it.Lead, &it.Body, &it.Place, &trans, &it.DatedOn, &it.EndsOn, &it.IsEvent,
		&it.CityID, &it.City, &it.CityNames, &it.CityZone, &it.SummitID, &it.Observance, &tags, &links,
		&it.PressName, &it.PressEmail, &it.PressPhone, &it.State, &pubAt, &pubd, &it.Sequence, &it.CreatedBy, &it.UpdatedAt)
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(trans), &it.Trans)
	_ = json.Unmarshal([]byte(links), &it.Links)
	for _, t := range strings.Split(tags, ",") {
		if t != "" {
			it.Tags = append(it.Tags, t)
		}
	}
	if pubAt.Valid {
		t := pubAt.Time.UTC()
		it.PublishAt = &t
	}
	if pubd.Valid {
		t := pubd.Time.UTC()
		it.PublishedAt = &t
	}
	return it, nil
}

// Get returns an item in any state, with its media (for its editors).
func (s *Store) Get(ctx context.Context, id int64) (*Item, error) {
	return s.get(ctx, s.DB.R, id, false)
}

// Public returns a published item with its media.
func (s *Store) Public(ctx context.Context, id int64) (*Item, error) {
	return s.get(ctx, s.DB.R, id, true)
}

func (s *Store) get(ctx context.Context, q db.Querier, id int64, onlyPublic bool) (*Item, error) {
	where := ` WHERE n.id = $1`
	if onlyPublic {
		where += ` AND ` + public
	}
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemCols+itemFrom+where, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading news item %d: %w", id, err)
	}
	ms, err := s.media(ctx, q, `m.item_id = $1`, id)
	if err != nil {
		return nil, err
	}
	it.Media = ms
	return it, nil
}

const mediaCols = `m.id, m.kind, COALESCE(m.image_id, 0), COALESCE(i.content_type, ''), COALESCE(i.sha256, ''),
	COALESCE(i.width, 0), COALESCE(i.height, 0), m.caption, m.credit, m.licence, m.taken_on, m.video_url, m.position,
	n.id, n.title, n.source_lang`

func (s *Store) media(ctx context.Context, q db.Querier, where string, args ...any) ([]Media, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+mediaCols+` FROM news_media m JOIN news_items n ON n.id = m.item_id
		LEFT JOIN images i ON i.id = m.image_id WHERE `+where+` ORDER BY n.dated_on DESC, n.id DESC, m.position, m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading news media: %w", err)
	}
	defer rows.Close()
	var out []Media
	for rows.Next() {
		var m Media
		if err := rows.Scan(&m.ID, &m.Kind, &m.ImageID, &m.ImageType, &m.ImageKey, &m.Width, &m.Height, &m.Caption,
			&m.Credit, &m.Licence, &m.TakenOn, &m.VideoURL, &m.Position, &m.ItemID, &m.ItemTitle, &m.ItemLang); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Filter selects public items for the list and the feeds.
type Filter struct {
	CityID int64
	Year   int
	Tag    string
	Offset int
	Limit  int
}

func (f Filter) where() (string, []any) {
	w := []string{public}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		w = append(w, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.CityID != 0 {
		add(`n.city_id = ?`, f.CityID)
	}
	if f.Year != 0 {
		add(`substr(n.dated_on, 1, 4) = ?`, strconv.Itoa(f.Year))
	}
	if f.Tag != "" {
		add(`n.tags LIKE ?`, "%,"+f.Tag+",%")
	}
	return ` WHERE ` + strings.Join(w, ` AND `), args
}

// List returns one page of public items, newest first, and how many match.
func (s *Store) List(ctx context.Context, f Filter) ([]*Item, int, error) {
	where, args := f.where()
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+itemFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting news: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	args = append(args, f.Limit, f.Offset)
	items, err := s.items(ctx, `SELECT `+itemCols+itemFrom+where+
		fmt.Sprintf(` ORDER BY n.dated_on DESC, n.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	return items, total, err
}

func (s *Store) items(ctx context.Context, query string, args ...any) ([]*Item, error) {
	rows, err := s.DB.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("listing news: %w", err)
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.attachFirstImages(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// attachFirstImages gives each listed item its media in one query.
func (s *Store) attachFirstImages(ctx context.Context, items []*Item) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	byID := map[int64]*Item{}
	for i, it := range items {
		ids[i] = strconv.FormatInt(it.ID, 10)
		byID[it.ID] = it
	}
	ms, err := s.media(ctx, s.DB.R, `m.item_id IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return err
	}
	for _, m := range ms {
		byID[m.ItemID].Media = append(byID[m.ItemID].Media, m)
	}
	return nil
}

// Facets are the filter choices of the list: cities, years and tags that
// public items have.
type Facets struct {
	Cities []CityOption
	Years  []int
	Tags   []string
}

// CityOption is a city one can filter by.
type CityOption struct {
	ID    int64
	Name  string
	Names i18n.Text
}

// In is the city's name in lang.
func (c CityOption) In(lang string) string {
	if v := strings.TrimSpace(c.Names[lang]); v != "" {
		return v
	}
	return c.Name
}

// Facets lists the filter choices, the cities in the alphabetical order
// of lang.
func (s *Store) Facets(ctx context.Context, lang string) (Facets, error) {
	var f Facets
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT c.id, c.name, c.names FROM news_items n JOIN cities c ON c.id = n.city_id
		WHERE `+public+` ORDER BY c.name`)
	if err != nil {
		return f, fmt.Errorf("news cities: %w", err)
	}
	for rows.Next() {
		var c CityOption
		if err := rows.Scan(&c.ID, &c.Name, &c.Names); err != nil {
			rows.Close()
			return f, err
		}
		f.Cities = append(f.Cities, c)
	}
	rows.Close()
	i18n.SortByName(lang, f.Cities, func(c CityOption) string { return c.In(lang) })
	rows, err = s.DB.R.QueryContext(ctx, `SELECT n.dated_on, n.tags FROM news_items n WHERE `+public)
	if err != nil {
		return f, fmt.Errorf("news years: %w", err)
	}
	defer rows.Close()
	years, tags := map[int]bool{}, map[string]bool{}
	for rows.Next() {
		var d, t string
		if err := rows.Scan(&d, &t); err != nil {
			return f, err
		}
		if y, err := strconv.Atoi(d[:min(4, len(d))]); err == nil {
			years[y] = true
		}
		for _, tag := range strings.Split(t, ",") {
			if tag != "" {
				tags[tag] = true
			}
		}
	}
	for y := range years {
		f.Years = append(f.Years, y)
	}
	slices.Sort(f.Years)
	slices.Reverse(f.Years)
	for t := range tags {
		f.Tags = append(f.Tags, t)
	}
	slices.Sort(f.Tags)
	return f, rows.Err()
}

// Work lists the items an editor may work on: every item for the
// secretariat (city 0 and all true), else the city's.
func (s *Store) Work(ctx context.Context, cityID int64, all bool) ([]*Item, error) {
	if all {
		return s.items(ctx, `SELECT `+itemCols+itemFrom+` ORDER BY n.updated_at DESC, n.id DESC LIMIT 200`)
	}
	return s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE n.city_id = $1 ORDER BY n.updated_at DESC, n.id DESC LIMIT 200`, cityID)
}

// Input is what an editor writes: the texts in one language, and the rest.
type Input struct {
	Lang       string // the language of the texts below
	Title      string
	Lead       string
	Body       string
	Place      string
	DatedOn    string
	EndsOn     string
	IsEvent    bool
	CityID     int64
	SummitID   int64
	Observance int64
	Tags       []string
	Links      []Link
	PressName  string
	PressEmail string
	PressPhone string
}

// ParseTags reads tags separated by commas.
func ParseTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		t = strings.Join(strings.Fields(t), "-")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// ParseLinks reads one link a line: "/practices/12-school-garden Label".
func ParseLinks(s string) []Link {
	var out []Link
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		p, label, _ := strings.Cut(line, " ")
		out = append(out, Link{Path: p, Label: strings.TrimSpace(label)})
	}
	return out
}

func (in *Input) validate() Invalid {
	bad := Invalid{}
	if !slices.Contains(ContentLangs, in.Lang) {
		bad["lang"] = "news.error.lang"
	}
	in.Title, in.Lead, in.Body, in.Place = strings.TrimSpace(in.Title), strings.TrimSpace(in.Lead), strings.TrimSpace(in.Body), strings.TrimSpace(in.Place)
	if in.Title == "" {
		bad["title"] = "form.required"
	} else if len([]rune(in.Title)) > 200 {
		bad["title"] = "news.error.too_long"
	}
	if len([]rune(in.Lead)) > 600 {
		bad["lead"] = "news.error.too_long"
	}
	if len(in.Body) > 100000 {
		bad["body"] = "news.error.too_long"
	}
	if _, err := time.Parse("2006-01-02", in.DatedOn); err != nil {
		bad["dated_on"] = "news.error.date"
	}
	if in.EndsOn != "" {
		if _, err := time.Parse("2006-01-02", in.EndsOn); err != nil || in.EndsOn < in.DatedOn {
			bad["ends_on"] = "news.error.ends_on"
		}
	}
	for _, l := range in.Links {
		ok := false
		for _, p := range linkPrefixes {
			ok = ok || strings.HasPrefix(l.Path, p) && len(l.Path) > len(p)
		}
		if !ok || strings.ContainsAny(l.Path, " \"'<>") {
			bad["links"] = "news.error.link"
		}
	}
	if in.PressEmail != "" {
		if _, err := mail.ParseAddress(in.PressEmail); err != nil {
			bad["press_email"] = "news.error.email"
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

func tagsColumn(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "," + strings.Join(tags, ",") + ","
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Create stores a new draft item written in in.Lang, the item's original.
func (s *Store) Create(ctx context.Context, by audit.Actor, in Input) (int64, error) {
	if bad := in.validate(); bad != nil {
		return 0, bad
	}
	now := s.now()
	it := &Item{SourceLang: in.Lang, Title: i18n.Text{in.Lang: in.Title}, Lead: i18n.Text{in.Lang: in.Lead},
		Body: i18n.Text{in.Lang: in.Body}, Place: i18n.Text{in.Lang: in.Place}}
	links, _ := json.Marshal(in.Links)
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO news_items (source_lang, title, lead, body, place, trans, dated_on, ends_on,
			is_event, city_id, summit_id, observance_id, tags, links, press_name, press_email, press_phone, state, sequence,
			created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '{}', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'draft', 0, $17, $18, $18) RETURNING id`,
			in.Lang, it.Title, it.Lead, it.Body, it.Place, in.DatedOn, in.EndsOn, in.IsEvent, nullID(in.CityID), nullID(in.SummitID),
			nullID(in.Observance), tagsColumn(in.Tags), string(links), in.PressName, in.PressEmail, in.PressPhone,
			nullID(by.UserID), now).Scan(&id)
		if err != nil {
			return err
		}
		it.ID = id
		return by.Record(ctx, tx, "news.item.create", subject(it), "")
	})
	if err != nil {
		return 0, fmt.Errorf("creating a news item: %w", err)
	}
	return id, nil
}

func subject(it *Item) audit.Subject {
	return audit.Subject{Kind: "news", ID: it.ID, Title: it.Title.Get(it.SourceLang, it.SourceLang), Path: it.Path(it.SourceLang)}
}

// Update saves the texts in in.Lang and the item's other fields. A change
// to the original marks the other languages' versions of that field
// outdated; writing a translation marks it translated.
func (s *Store) Update(ctx context.Context, by audit.Actor, id int64, in Input) error {
	if bad := in.validate(); bad != nil {
		return bad
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := s.get(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if it.Trans == nil {
			it.Trans = map[string]map[string]string{}
		}
		vals := map[string]string{"title": in.Title, "lead": in.Lead, "body": in.Body, "place": in.Place}
		for _, f := range Fields {
			t := it.Text(f)
			if *t == nil {
				*t = i18n.Text{}
			}
			old := (*t)[in.Lang]
			v := vals[f]
			if v == old {
				continue
			}
			(*t)[in.Lang] = v
			if in.Lang == it.SourceLang {
				// The original changed: its translations are behind now.
				for l := range *t {
					if l != it.SourceLang && strings.TrimSpace((*t)[l]) != "" {
						setTrans(it, f, l, Outdated)
					}
				}
			} else {
				setTrans(it, f, in.Lang, Translated)
			}
			*t = t.Clean()
		}
		for f, m := range it.Trans {
			for l := range m {
				if strings.TrimSpace((*it.Text(f))[l]) == "" {
					setTrans(it, f, l, "")
				}
			}
		}
		trans, _ := json.Marshal(it.Trans)
		links, _ := json.Marshal(in.Links)
		_, err = tx.ExecContext(ctx, `UPDATE news_items SET title = $1, lead = $2, body = $3, place = $4, trans = $5,
			dated_on = $6, ends_on = $7, is_event = $8, city_id = $9, summit_id = $10, observance_id = $11, tags = $12,
			links = $13, press_name = $14, press_email = $15, press_phone = $16, sequence = sequence + 1, updated_at = $17
			WHERE id = $18`, it.Title, it.Lead, it.Body, it.Place, string(trans), in.DatedOn, in.EndsOn, in.IsEvent,
			nullID(in.CityID), nullID(in.SummitID), nullID(in.Observance), tagsColumn(in.Tags), string(links),
			in.PressName, in.PressEmail, in.PressPhone, s.now(), id)
		if err != nil {
			return fmt.Errorf("saving news item %d: %w", id, err)
		}
		if err := s.indexTx(ctx, tx, id); err != nil {
			return fmt.Errorf("indexing news item %d: %w", id, err)
		}
		return by.Record(ctx, tx, "news.item.update", subject(it), "lang="+in.Lang)
	})
}

func setTrans(it *Item, field, lang, state string) {
	if it.Trans[field] == nil {
		it.Trans[field] = map[string]string{}
	}
	if state == "" {
		delete(it.Trans[field], lang)
		if len(it.Trans[field]) == 0 {
			delete(it.Trans, field)
		}
		return
	}
	it.Trans[field][lang] = state
}

// ErrPast: a publication time must lie ahead.
var ErrPast = Invalid{"publish_at": "news.error.publish_at"}

// SetState moves an item through draft → scheduled → published →
// archived (and back to draft). Scheduling needs a time ahead; publishing
// now records the time.
func (s *Store) SetState(ctx context.Context, by audit.Actor, id int64, state string, at time.Time) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := s.get(ctx, tx, id, false)
		if err != nil {
			return err
		}
		var q string
		var args []any
		switch state {
		case StateScheduled:
			if !at.After(now) {
				return ErrPast
			}
			q, args = `UPDATE news_items SET state = 'scheduled', publish_at = $1, updated_at = $2 WHERE id = $3`, []any{at.UTC().Truncate(time.Second), now, id}
		case StatePublished:
			q, args = `UPDATE news_items SET state = 'published', publish_at = NULL,
				published_at = COALESCE(published_at, $1), updated_at = $1, sequence = sequence + 1 WHERE id = $2`, []any{now, id}
		case StateArchived, StateDraft:
			q, args = `UPDATE news_items SET state = $1, publish_at = NULL, updated_at = $2, sequence = sequence + 1 WHERE id = $3`, []any{state, now, id}
		default:
			return Invalid{"state": "news.error.state"}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("news item %d to %s: %w", id, state, err)
		}
		if err := s.indexTx(ctx, tx, id); err != nil {
			return fmt.Errorf("indexing news item %d: %w", id, err)
		}
		detail := ""
		if state == StateScheduled {
			detail = "at=" + at.UTC().Format(time.RFC3339)
		}
		return by.Record(ctx, tx, "news.item."+state, subject(it), detail)
	})
}

// PublishDue publishes the scheduled items whose time is at or before
// now, each as published at its scheduled time, and says how many.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (int, error) {
	n := 0
	now = now.UTC().Truncate(time.Second)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM news_items WHERE state = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id`, now)
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
		by := audit.System("job")
		for _, id := range ids {
			it, err := s.get(ctx, tx, id, false)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE news_items SET state = 'published', published_at = publish_at, publish_at = NULL,
				sequence = sequence + 1, updated_at = $1 WHERE id = $2 AND state = 'scheduled'`, now, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 1 {
				n++
				if err := s.indexTx(ctx, tx, id); err != nil {
					return err
				}
				if err := by.Record(ctx, tx, "news.item.published", subject(it), "scheduled"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("publishing scheduled news: %w", err)
	}
	return n, nil
}

// MediaInput describes a photo or a video link's still image.
type MediaInput struct {
	Kind     string
	Lang     string
	Caption  string
	Credit   string
	Licence  string
	TakenOn  string
	VideoURL string
}

// AddMedia adds a photo (img required) or a video link (img optional: its
// still image) to an item.
func (s *Store) AddMedia(ctx context.Context, by audit.Actor, itemID int64, in MediaInput, img *media.Image) error {
	bad := Invalid{}
	in.Caption, in.Credit, in.Licence = strings.TrimSpace(in.Caption), strings.TrimSpace(in.Credit), strings.TrimSpace(in.Licence)
	switch in.Kind {
	case "photo":
		if img == nil {
			bad["photo"] = "news.error.photo"
		}
		if in.Caption == "" {
			bad["caption"] = "form.required"
		}
	case "video":
		u, err := url.Parse(strings.TrimSpace(in.VideoURL))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad["video_url"] = "news.error.video_url"
		}
		in.VideoURL = strings.TrimSpace(in.VideoURL)
	default:
		bad["kind"] = "news.error.kind"
	}
	if in.TakenOn != "" {
		if _, err := time.Parse("2006-01-02", in.TakenOn); err != nil {
			bad["taken_on"] = "news.error.date"
		}
	}
	if len(bad) > 0 {
		return bad
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := s.get(ctx, tx, itemID, false)
		if err != nil {
			return err
		}
		var imageID any
		if img != nil {
			id, err := media.Save(ctx, tx, img)
			if err != nil {
				return fmt.Errorf("storing the image: %w", err)
			}
			imageID = id
		}
		caption := i18n.Text{in.Lang: in.Caption}
		if _, err := tx.ExecContext(ctx, `INSERT INTO news_media (item_id, kind, image_id, caption, credit, licence, taken_on, video_url, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(position), 0) + 1 FROM news_media WHERE item_id = $1))`,
			itemID, in.Kind, imageID, caption, in.Credit, in.Licence, in.TakenOn, in.VideoURL); err != nil {
			return fmt.Errorf("adding media to news item %d: %w", itemID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE news_items SET updated_at = $1 WHERE id = $2`, s.now(), itemID); err != nil {
			return err
		}
		return by.Record(ctx, tx, "news.media.add", subject(it), in.Kind)
	})
}

// RemoveMedia removes one photo or video link from an item.
func (s *Store) RemoveMedia(ctx context.Context, by audit.Actor, itemID, mediaID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := s.get(ctx, tx, itemID, false)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM news_media WHERE id = $1 AND item_id = $2`, mediaID, itemID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return ErrNotFound
		}
		return by.Record(ctx, tx, "news.media.remove", subject(it), strconv.FormatInt(mediaID, 10))
	})
}

// Count is the number of items in state, for the dashboard.
func (s *Store) Count(ctx context.Context, state string) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM news_items WHERE state = $1`, state).Scan(&n)
	return n, err
}

// Gallery is the public photos of the items about a summit (summitID) or
// a city (cityID), or of one item.
func (s *Store) Gallery(ctx context.Context, summitID, cityID int64) ([]Media, error) {
	switch {
	case summitID != 0:
		return s.media(ctx, s.DB.R, public+` AND m.kind = 'photo' AND n.summit_id = $1`, summitID)
	case cityID != 0:
		return s.media(ctx, s.DB.R, public+` AND m.kind = 'photo' AND n.city_id = $1`, cityID)
	}
	return s.media(ctx, s.DB.R, public+` AND m.kind = 'photo'`)
}

// GalleryOwners lists the summits and cities that have public photos.
type GalleryOwner struct {
	Kind   string // "summit" or "city"
	ID     int64
	Name   string
	Names  i18n.Text
	Year   string
	Photos int
}

// Path is the gallery's page after the language prefix.
func (g GalleryOwner) Path() string {
	if g.Kind == "summit" {
		return "/press/summits/" + strconv.FormatInt(g.ID, 10)
	}
	return "/press/cities/" + strconv.FormatInt(g.ID, 10)
}

// In is the owner's name in lang.
func (g GalleryOwner) In(lang string) string {
	if v := strings.TrimSpace(g.Names[lang]); v != "" {
		return v
	}
	return g.Name
}

// Galleries lists the summits' galleries, newest first, then the cities'
// (whose order in a language the page gives), with their sizes.
func (s *Store) Galleries(ctx context.Context) ([]GalleryOwner, error) {
	var out []GalleryOwner
	rows, err := s.DB.R.QueryContext(ctx, `SELECT su.id, c.name, c.names, su.starts_on, COUNT(*) FROM news_media m
		JOIN news_items n ON n.id = m.item_id JOIN summits su ON su.id = n.summit_id JOIN cities c ON c.id = su.host_city_id
		WHERE `+public+` AND m.kind = 'photo' AND su.status <> 'draft'
		GROUP BY su.id, c.name, c.names, su.starts_on ORDER BY su.starts_on DESC`)
	if err != nil {
		return nil, fmt.Errorf("summit galleries: %w", err)
	}
	for rows.Next() {
		g := GalleryOwner{Kind: "summit"}
		if err := rows.Scan(&g.ID, &g.Name, &g.Names, &g.Year, &g.Photos); err != nil {
			rows.Close()
			return nil, err
		}
		g.Year = g.Year[:min(4, len(g.Year))]
		out = append(out, g)
	}
	rows.Close()
	rows, err = s.DB.R.QueryContext(ctx, `SELECT c.id, c.name, c.names, COUNT(*) FROM news_media m
		JOIN news_items n ON n.id = m.item_id JOIN cities c ON c.id = n.city_id
		WHERE `+public+` AND m.kind = 'photo' GROUP BY c.id, c.name, c.names ORDER BY c.name`)
	if err != nil {
		return nil, fmt.Errorf("city galleries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		g := GalleryOwner{Kind: "city"}
		if err := rows.Scan(&g.ID, &g.Name, &g.Names, &g.Photos); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// About lists the public items about a summit, newest first.
func (s *Store) About(ctx context.Context, summitID int64, limit int) ([]*Item, error) {
	return s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+public+` AND n.summit_id = $1
		ORDER BY n.dated_on DESC, n.id DESC LIMIT $2`, summitID, limit)
}

// Sitemap lists the public items' pages.
func (s *Store) Sitemap(ctx context.Context) ([]*Item, error) {
	return s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+public+` ORDER BY n.id`)
}

// Events lists the public items announcing events that overlap [from, to).
func (s *Store) Events(ctx context.Context, from, to time.Time) ([]*Item, error) {
	return s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+public+` AND n.is_event = TRUE
		AND n.dated_on < $2 AND (CASE WHEN n.ends_on = '' THEN n.dated_on ELSE n.ends_on END) >= $1
		ORDER BY n.dated_on, n.id`, from.Format("2006-01-02"), to.Format("2006-01-02"))
}

// ObservanceEvents lists the public items announcing events for an observance.
func (s *Store) ObservanceEvents(ctx context.Context, observanceID int64) ([]*Item, error) {
	return s.items(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+public+` AND n.observance_id = $1
		ORDER BY n.dated_on DESC, n.id DESC LIMIT 50`, observanceID)
}

const obsCols = `o.id, o.key, o.title, o.about, o.source, o.month, o.day, COALESCE(o.since, 0), COALESCE(o.city_id, 0),
	COALESCE(c.name, ''), COALESCE(c.names, '{}'), o.sequence, o.updated_at`

// Observances lists the observed days in calendar order.
func (s *Store) Observances(ctx context.Context) ([]*Observance, error) {
	return s.observances(ctx, ``)
}

// ObservanceByKey returns one observed day.
func (s *Store) ObservanceByKey(ctx context.Context, key string) (*Observance, error) {
	os, err := s.observances(ctx, ` WHERE o.key = $1`, key)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, ErrNotFound
	}
	return os[0], nil
}

func (s *Store) observances(ctx context.Context, where string, args ...any) ([]*Observance, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+obsCols+` FROM news_observances o LEFT JOIN cities c ON c.id = o.city_id`+
		where+` ORDER BY o.month, o.day, o.key`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading observances: %w", err)
	}
	defer rows.Close()
	var out []*Observance
	for rows.Next() {
		o := &Observance{}
		if err := rows.Scan(&o.ID, &o.Key, &o.Title, &o.About, &o.Source, &o.Month, &o.Day, &o.Since, &o.CityID,
			&o.City, &o.CityNames, &o.Sequence, &o.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ObservanceInput is a day a city (or the network) observes every year.
type ObservanceInput struct {
	Key, Lang, Title, About, Source string
	Month, Day, Since               int
	CityID                          int64
}

// SaveObservance creates or updates (by key) an observed day.
func (s *Store) SaveObservance(ctx context.Context, by audit.Actor, in ObservanceInput) error {
	if in.Key == "" || in.Title == "" || in.Month < 1 || in.Month > 12 || in.Day < 1 ||
		time.Date(2000, time.Month(in.Month), in.Day, 0, 0, 0, 0, time.UTC).Month() != time.Month(in.Month) {
		return Invalid{"observance": "news.error.observance"}
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var since any
		if in.Since > 0 {
			since = in.Since
		}
		// The texts in in.Lang join those in the other languages.
		title, about, source := i18n.Text{}, i18n.Text{}, i18n.Text{}
		err := tx.QueryRowContext(ctx, `SELECT title, about, source FROM news_observances WHERE key = $1`, in.Key).Scan(&title, &about, &source)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reading observance %s: %w", in.Key, err)
		}
		title[in.Lang], about[in.Lang], source[in.Lang] = in.Title, in.About, in.Source
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO news_observances (key, title, about, source, month, day, since, city_id, sequence, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)
			ON CONFLICT (key) DO UPDATE SET title = excluded.title, about = excluded.about, source = excluded.source,
			month = excluded.month, day = excluded.day, since = excluded.since, city_id = excluded.city_id,
			sequence = news_observances.sequence + 1, updated_at = excluded.updated_at RETURNING id`,
			in.Key, title.Clean(), about.Clean(), source.Clean(),
			in.Month, in.Day, since, nullID(in.CityID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("saving observance %s: %w", in.Key, err)
		}
		return by.Record(ctx, tx, "news.observance.save", audit.Subject{Kind: "observance", ID: id, Title: in.Title,
			Path: "/calendar/observances/" + in.Key}, "")
	})
}

// Option is a city or summit an editor can choose.
type Option struct {
	ID    int64
	Name  string
	Names i18n.Text
	Year  string
}

// In is the option's name in lang.
func (o Option) In(lang string) string {
	n := o.Name
	if v := strings.TrimSpace(o.Names[lang]); v != "" {
		n = v
	}
	if o.Year != "" {
		n += " " + o.Year
	}
	return n
}

// CityOptions lists the cities an item can be about, in the alphabetical
// order of lang.
func (s *Store) CityOptions(ctx context.Context, lang string) ([]Option, error) {
	out, err := s.options(ctx, `SELECT id, name, names, '' FROM cities ORDER BY name`)
	i18n.SortByName(lang, out, func(o Option) string { return o.In(lang) })
	return out, err
}

// SummitOptions lists the summits an item can be about.
func (s *Store) SummitOptions(ctx context.Context) ([]Option, error) {
	return s.options(ctx, `SELECT su.id, c.name, c.names, substr(su.starts_on, 1, 4) FROM summits su
		JOIN cities c ON c.id = su.host_city_id ORDER BY su.starts_on DESC`)
}

func (s *Store) options(ctx context.Context, q string) ([]Option, error) {
	rows, err := s.DB.R.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("news options: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name, &o.Names, &o.Year); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SummitFacts is what the press page says about a summit.
type SummitFacts struct {
	ID          int64
	Title       i18n.Text
	Theme       i18n.Text
	SourceLang  string
	Host        Option
	StartsOn    string
	EndsOn      string
	Status      string
	Delegations int
	Mayors      int
	Countries   int
	Website     string
}

// Summit returns a public summit's facts for its press page.
func (s *Store) Summit(ctx context.Context, id int64) (*SummitFacts, error) {
	f := &SummitFacts{ID: id}
	err := s.DB.R.QueryRowContext(ctx, `SELECT su.title, su.theme, su.source_lang, c.id, c.name, c.names, su.starts_on, su.ends_on,
		su.status, su.website FROM summits su JOIN cities c ON c.id = su.host_city_id WHERE su.id = $1 AND su.status <> 'draft'`, id).
		Scan(&f.Title, &f.Theme, &f.SourceLang, &f.Host.ID, &f.Host.Name, &f.Host.Names, &f.StartsOn, &f.EndsOn, &f.Status, &f.Website)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading summit %d: %w", id, err)
	}
	err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(DISTINCT d.id), COUNT(DISTINCT c.country) FROM summit_delegations d
		JOIN cities c ON c.id = d.city_id WHERE d.summit_id = $1 AND d.state = 'confirmed'`, id).Scan(&f.Delegations, &f.Countries)
	if err != nil {
		return nil, fmt.Errorf("counting summit %d: %w", id, err)
	}
	return f, nil
}

// PressPages lists the press pages of the public summits.
func (s *Store) PressPages(ctx context.Context) ([]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT su.id, c.slug, su.starts_on FROM summits su JOIN cities c ON c.id = su.host_city_id
		WHERE su.status <> 'draft' ORDER BY su.id`)
	if err != nil {
		return nil, fmt.Errorf("summit press pages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var slug, start string
		if err := rows.Scan(&id, &slug, &start); err != nil {
			return nil, err
		}
		out = append(out, "/summits/"+strconv.FormatInt(id, 10)+"-"+slug+"-"+start[:min(4, len(start))]+"/press")
	}
	return out, rows.Err()
}
