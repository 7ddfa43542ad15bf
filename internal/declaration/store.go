package declaration

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Store keeps declarations, versions, signatures and the log. Visibility
// (drafts are the secretariat's) is applied here, once, for pages, API and
// bundles alike.
type Store struct {
	DB *db.DB
}

// Input is what the secretariat enters for a declaration.
type Input struct {
	Texts         Texts
	Authoritative string
	Intro         i18n.Text
	IntroLang     string
	AdoptedOn     string
	AdoptedPlace  string
	AdoptedCityID int64
	SummitID      int64
	Demo          bool
}

// Limits of the input.
const (
	maxTitle = 300
	maxBody  = 200_000
	maxPlace = 200
	maxIntro = 4000
)

// Validate normalizes the input and returns its problems.
func (in *Input) Validate() FieldErrors {
	var fe FieldErrors
	fail := func(field, key string) { fe = append(fe, &FieldError{field, key}) }
	in.Texts = in.Texts.Normalize()
	for _, l := range in.Texts.Langs() {
		t := in.Texts[l]
		if !validLangCode(l) {
			fail("title_"+l, "declaration.err.lang")
			continue
		}
		if t.Title == "" {
			fail("title_"+l, "declaration.err.title")
		} else if len([]rune(t.Title)) > maxTitle {
			fail("title_"+l, "form.too_long")
		}
		if t.Body == "" {
			fail("body_"+l, "declaration.err.body")
		} else if len(t.Body) > maxBody {
			fail("body_"+l, "form.too_long")
		}
	}
	if len(in.Texts) == 0 {
		fail("title_en", "declaration.err.no_text")
	} else if _, ok := in.Texts[in.Authoritative]; !ok {
		fail("authoritative", "declaration.err.authoritative")
	}
	in.Intro = in.Intro.Clean()
	for l, v := range in.Intro {
		if len([]rune(v)) > maxIntro {
			fail("intro_"+l, "form.too_long")
		}
	}
	if in.IntroLang == "" {
		in.IntroLang = in.Authoritative
	}
	if in.AdoptedOn != "" {
		if _, err := time.Parse(time.DateOnly, in.AdoptedOn); err != nil {
			fail("adopted_on", "declaration.err.date")
		}
	}
	in.AdoptedPlace = NormalizeTitle(in.AdoptedPlace)
	if len([]rune(in.AdoptedPlace)) > maxPlace {
		fail("adopted_place", "form.too_long")
	}
	return fe
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (in *Input) slug() string {
	if t, ok := in.Texts["en"]; ok {
		return Slugify(t.Title)
	}
	return Slugify(in.Texts[in.Authoritative].Title)
}

// checkRefs makes sure the adoption city and summit exist, so a wrong
// choice is a message on its field rather than a foreign key failure.
func checkRefs(ctx context.Context, tx *sql.Tx, in *Input) error {
	var fe FieldErrors
	for _, ref := range []struct {
		field, table string
		id           int64
	}{{"adopted_city", "cities", in.AdoptedCityID}, {"summit", "summits", in.SummitID}} {
		if ref.id == 0 {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+ref.table+` WHERE id = $1`, ref.id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			fe = append(fe, &FieldError{ref.field, "declaration.err.reference"})
		}
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// Create stores a new draft declaration with its first (unpublished) version.
func (s *Store) Create(ctx context.Context, tx *sql.Tx, in Input) (int64, error) {
	if fe := in.Validate(); len(fe) > 0 {
		return 0, fe
	}
	if err := checkRefs(ctx, tx, &in); err != nil {
		return 0, fmt.Errorf("declaration: create: %w", err)
	}
	now := db.Now()
	intro, _ := in.Intro.Value()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO declarations (slug, status, intro, intro_lang, adopted_on, adopted_place,
		adopted_city_id, summit_id, demo, created_at, updated_at)
		VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		in.slug(), intro, in.IntroLang, nullStr(in.AdoptedOn), in.AdoptedPlace, nullID(in.AdoptedCityID),
		nullID(in.SummitID), in.Demo, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("declaration: create: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO declaration_log_heads (declaration_id, seq, hash) VALUES ($1, 0, $2)`,
		id, ZeroHash); err != nil {
		return 0, fmt.Errorf("declaration: create: %w", err)
	}
	if err := insertVersion(ctx, tx, id, 1, in, now); err != nil {
		return 0, fmt.Errorf("declaration: create: %w", err)
	}
	return id, nil
}

func insertVersion(ctx context.Context, tx *sql.Tx, id int64, number int, in Input, now time.Time) error {
	texts, err := json.Marshal(in.Texts)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO declaration_versions (declaration_id, number, authoritative_lang, texts, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, number, in.Authoritative, string(texts),
		VersionHash(id, number, in.Authoritative, in.Texts), now)
	return err
}

// Update changes a declaration. Changed texts go into the latest version
// while it is unpublished, or else into a new unpublished version: a
// published version never changes.
func (s *Store) Update(ctx context.Context, tx *sql.Tx, id int64, in Input) (newVersion bool, err error) {
	if fe := in.Validate(); len(fe) > 0 {
		return false, fe
	}
	if err := checkRefs(ctx, tx, &in); err != nil {
		return false, fmt.Errorf("declaration: update: %w", err)
	}
	now := db.Now()
	intro, _ := in.Intro.Value()
	res, err := tx.ExecContext(ctx, `UPDATE declarations SET slug = $1, intro = $2, intro_lang = $3, adopted_on = $4,
		adopted_place = $5, adopted_city_id = $6, summit_id = $7, demo = $8, updated_at = $9 WHERE id = $10`,
		in.slug(), intro, in.IntroLang, nullStr(in.AdoptedOn), in.AdoptedPlace, nullID(in.AdoptedCityID),
		nullID(in.SummitID), in.Demo, now, id)
	if err != nil {
		return false, fmt.Errorf("declaration: update: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, ErrNotFound
	}
	latest, err := latestVersion(ctx, tx, id)
	if err != nil {
		return false, fmt.Errorf("declaration: update: %w", err)
	}
	if latest.Authoritative == in.Authoritative && VersionHash(id, latest.Number, in.Authoritative, in.Texts) == latest.Hash {
		return false, nil
	}
	if latest.Published() {
		return true, insertVersion(ctx, tx, id, latest.Number+1, in, now)
	}
	texts, err := json.Marshal(in.Texts)
	if err != nil {
		return false, fmt.Errorf("declaration: update: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE declaration_versions SET authoritative_lang = $1, texts = $2, hash = $3
		WHERE declaration_id = $4 AND number = $5 AND published_at IS NULL`,
		in.Authoritative, string(texts), VersionHash(id, latest.Number, in.Authoritative, in.Texts), id, latest.Number)
	return false, err
}

const versionCols = `number, authoritative_lang, texts, hash, created_at, published_at`

func scanVersion(row interface{ Scan(...any) error }) (*Version, error) {
	v := &Version{}
	var texts string
	var pub sql.NullTime
	if err := row.Scan(&v.Number, &v.Authoritative, &texts, &v.Hash, &v.CreatedAt, &pub); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(texts), &v.Texts); err != nil {
		return nil, err
	}
	if pub.Valid {
		t := pub.Time.UTC()
		v.PublishedAt = &t
	}
	v.CreatedAt = v.CreatedAt.UTC()
	return v, nil
}

func latestVersion(ctx context.Context, q db.Querier, id int64) (*Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT `+versionCols+` FROM declaration_versions
		WHERE declaration_id = $1 ORDER BY number DESC LIMIT 1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return v, err
}

// Publish freezes the latest version and enters its hash in the log, at
// the given time (zero: now). It returns the version's number.
func (s *Store) Publish(ctx context.Context, tx *sql.Tx, id int64, at time.Time) (int, error) {
	head, err := lockHead(ctx, tx, id)
	if err != nil {
		return 0, fmt.Errorf("declaration: publish: %w", err)
	}
	v, err := latestVersion(ctx, tx, id)
	if err != nil {
		return 0, fmt.Errorf("declaration: publish: %w", err)
	}
	if v.Published() {
		return 0, ErrNothingToPublish
	}
	now := db.Now()
	if at.IsZero() || at.After(now) {
		at = now
	}
	if _, err := tx.ExecContext(ctx, `UPDATE declaration_versions SET published_at = $1 WHERE declaration_id = $2 AND number = $3`,
		at, id, v.Number); err != nil {
		return 0, fmt.Errorf("declaration: publish: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE declarations SET current_version = $1, updated_at = $2 WHERE id = $3`,
		v.Number, now, id); err != nil {
		return 0, fmt.Errorf("declaration: publish: %w", err)
	}
	e := &Entry{Kind: KindVersion, Declaration: id, Version: v.Number, VersionHash: v.Hash, At: FormatTime(at)}
	return v.Number, head.append(ctx, tx, e, nil)
}

// SetStatus opens, closes or withdraws to draft a declaration. Opening
// needs a published version.
func (s *Store) SetStatus(ctx context.Context, tx *sql.Tx, id int64, status string) error {
	var current int
	err := tx.QueryRowContext(ctx, `SELECT current_version FROM declarations WHERE id = $1`, id).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("declaration: set status: %w", err)
	}
	switch status {
	case StatusOpen, StatusClosed:
		if current == 0 {
			return ErrNoVersion
		}
	case StatusDraft:
	default:
		return FieldErrors{{"status", "declaration.err.status"}}
	}
	_, err = tx.ExecContext(ctx, `UPDATE declarations SET status = $1, updated_at = $2 WHERE id = $3`, status, db.Now(), id)
	return err
}

// visible is the one condition that keeps drafts from the public.
func visible(all bool) string {
	if all {
		return "TRUE"
	}
	return "(d.status <> 'draft' AND d.current_version > 0)"
}

// shownVersion picks the version whose titles a list shows: the current
// one, or for the secretariat the newest.
func shownVersion(all bool) string {
	if all {
		return `(SELECT MAX(number) FROM declaration_versions mv WHERE mv.declaration_id = d.id)`
	}
	return `d.current_version`
}

const declCols = `d.id, d.slug, d.status, d.intro, d.intro_lang, COALESCE(d.adopted_on, ''), d.adopted_place,
	COALESCE(ac.id, 0), COALESCE(ac.slug, ''), COALESCE(ac.name, ''), COALESCE(ac.names, '{}'), COALESCE(ac.country, ''),
	COALESCE(ac.timezone, 'UTC'),
	COALESCE(sm.id, 0), COALESCE(sm.title, '{}'), COALESCE(sm.source_lang, 'en'), COALESCE(sm.status, 'draft'),
	COALESCE(hc.slug, ''), COALESCE(sm.starts_on, ''),
	d.demo, d.current_version, d.created_at, d.updated_at,
	COALESCE(v.texts, '{}'), COALESCE(v.authoritative_lang, 'en'),
	(SELECT COUNT(*) FROM declaration_signatures s WHERE s.declaration_id = d.id AND s.withdrawn_at IS NULL)`

func declFrom(all bool) string {
	return ` FROM declarations d
	LEFT JOIN cities ac ON ac.id = d.adopted_city_id
	LEFT JOIN summits sm ON sm.id = d.summit_id
	LEFT JOIN cities hc ON hc.id = sm.host_city_id
	LEFT JOIN declaration_versions v ON v.declaration_id = d.id AND v.number = ` + shownVersion(all) + `
	WHERE ` + visible(all)
}

func scanDecl(row interface{ Scan(...any) error }) (*Declaration, error) {
	d := &Declaration{}
	var texts string
	err := row.Scan(&d.ID, &d.Slug, &d.Status, &d.Intro, &d.IntroLang, &d.AdoptedOn, &d.AdoptedPlace,
		&d.AdoptedCity.ID, &d.AdoptedCity.Slug, &d.AdoptedCity.Name, &d.AdoptedCity.Names, &d.AdoptedCity.Country,
		&d.timezone,
		&d.SummitID, &d.SummitTitle, &d.SummitLang, &d.summitStatus, &d.summitHost, &d.summitStart,
		&d.Demo, &d.CurrentVersion, &d.CreatedAt, &d.UpdatedAt, &texts, &d.Authoritative, &d.Active)
	if err != nil {
		return nil, err
	}
	var ts Texts
	if err := json.Unmarshal([]byte(texts), &ts); err != nil {
		return nil, err
	}
	d.Titles = i18n.Text{}
	for l, t := range ts {
		d.Titles[l] = t.Title
	}
	return d, nil
}

// List returns the declarations, the newest adopted first: the public
// ones, or every one for the secretariat (all).
func (s *Store) List(ctx context.Context, all bool) ([]*Declaration, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+declCols+declFrom(all)+
		` ORDER BY COALESCE(d.adopted_on, '9999') DESC, d.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("declaration: list: %w", err)
	}
	defer rows.Close()
	var out []*Declaration
	for rows.Next() {
		d, err := scanDecl(rows)
		if err != nil {
			return nil, fmt.Errorf("declaration: list: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Get returns one declaration with its versions: the published ones, and
// for the secretariat (all) the unpublished one too.
func (s *Store) Get(ctx context.Context, id int64, all bool) (*Declaration, error) {
	d, err := scanDecl(s.DB.R.QueryRowContext(ctx, `SELECT `+declCols+declFrom(all)+` AND d.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("declaration: get: %w", err)
	}
	q := `SELECT ` + versionCols + ` FROM declaration_versions WHERE declaration_id = $1`
	if !all {
		q += ` AND published_at IS NOT NULL`
	}
	rows, err := s.DB.R.QueryContext(ctx, q+` ORDER BY number`, id)
	if err != nil {
		return nil, fmt.Errorf("declaration: get: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("declaration: get: %w", err)
		}
		d.Versions = append(d.Versions, v)
	}
	return d, rows.Err()
}

const sigCols = `s.id, c.id, c.slug, c.name, c.names, c.country, c.continent, c.lat, c.lon,
	s.version_number, s.signer_name, s.signer_role, s.read_lang, s.mode, s.place, s.signed_at, s.log_seq,
	s.withdrawn_at, COALESCE(s.withdrawal_seq, 0), s.withdrawn_by, s.withdrawn_by_role, s.withdrawal_reason`

func scanSignature(row interface{ Scan(...any) error }) (*Signature, error) {
	g := &Signature{}
	var wd sql.NullTime
	err := row.Scan(&g.ID, &g.City.ID, &g.City.Slug, &g.City.Name, &g.City.Names, &g.City.Country, &g.Continent,
		&g.Lat, &g.Lon, &g.Version, &g.Signer, &g.Role, &g.Lang, &g.Mode, &g.Place, &g.SignedAt, &g.LogSeq,
		&wd, &g.Withdrawal, &g.WithdrawnBy, &g.WithdrawnAs, &g.Reason)
	if err != nil {
		return nil, err
	}
	g.SignedAt = g.SignedAt.UTC()
	if wd.Valid {
		t := wd.Time.UTC()
		g.WithdrawnAt = &t
	}
	return g, nil
}

// Signatures lists every signature of a declaration, withdrawn ones too,
// in the order they were made.
func (s *Store) Signatures(ctx context.Context, id int64) ([]*Signature, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+sigCols+` FROM declaration_signatures s
		JOIN cities c ON c.id = s.city_id WHERE s.declaration_id = $1 ORDER BY s.signed_at, s.log_seq`, id)
	if err != nil {
		return nil, fmt.Errorf("declaration: signatures: %w", err)
	}
	defer rows.Close()
	var out []*Signature
	for rows.Next() {
		g, err := scanSignature(rows)
		if err != nil {
			return nil, fmt.Errorf("declaration: signatures: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CitySignature is a declaration a city signed, for the city's page.
type CitySignature struct {
	DeclarationID int64
	Slug          string
	Titles        i18n.Text
	Authoritative string
	AdoptedOn     string
	Version       int
	Signer        string
	Role          string
	Mode          string
	SignedAt      time.Time
}

// Path is the declaration page's path without the language.
func (c CitySignature) Path() string { return Path(c.DeclarationID, c.Slug) }

// Title is the declaration's title for a reader of lang.
func (c CitySignature) Title(lang string) string { return c.Titles.Get(lang, c.Authoritative) }

// SignedBy lists the public declarations a city has signed and not
// withdrawn, the most recent signature first.
func (s *Store) SignedBy(ctx context.Context, cityID int64) ([]CitySignature, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT d.id, d.slug, v.texts, v.authoritative_lang, COALESCE(d.adopted_on, ''),
		s.version_number, s.signer_name, s.signer_role, s.mode, s.signed_at
		FROM declaration_signatures s
		JOIN declarations d ON d.id = s.declaration_id
		JOIN declaration_versions v ON v.declaration_id = d.id AND v.number = d.current_version
		WHERE s.city_id = $1 AND s.withdrawn_at IS NULL AND `+visible(false)+`
		ORDER BY s.signed_at DESC, d.id DESC`, cityID)
	if err != nil {
		return nil, fmt.Errorf("declaration: signed by: %w", err)
	}
	defer rows.Close()
	var out []CitySignature
	for rows.Next() {
		var c CitySignature
		var texts string
		if err := rows.Scan(&c.DeclarationID, &c.Slug, &texts, &c.Authoritative, &c.AdoptedOn, &c.Version,
			&c.Signer, &c.Role, &c.Mode, &c.SignedAt); err != nil {
			return nil, fmt.Errorf("declaration: signed by: %w", err)
		}
		var ts Texts
		if err := json.Unmarshal([]byte(texts), &ts); err != nil {
			return nil, fmt.Errorf("declaration: signed by: %w", err)
		}
		c.Titles = i18n.Text{}
		for l, t := range ts {
			c.Titles[l] = t.Title
		}
		c.SignedAt = c.SignedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
