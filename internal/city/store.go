package city

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// ErrNotFound: no city (person, partnership) with this id or slug.
var ErrNotFound = errors.New("not found")

// Store reads and writes cities and everything that belongs to them.
// Every city is public, whatever its membership state; the directory
// shows members unless asked for candidates or former members.
type Store struct {
	DB *db.DB
	// Renamed run in the transaction that changes a city's names, for
	// what keeps copies of them (the practices' search index).
	Renamed []func(ctx context.Context, tx *sql.Tx, cityID int64) error
}

// cityColumns is the whole record (with the photo's type for its URL).
const cityColumns = `c.id, c.slug, c.name, c.names, c.country, c.continent, c.region, c.population,
	COALESCE(c.population_year, 0), c.lat, c.lon, c.timezone, c.website, c.description, c.description_lang,
	COALESCE(c.photo_id, 0), COALESCE(i.content_type, ''), COALESCE(i.sha256, ''), c.membership, COALESCE(c.member_since, ''),
	COALESCE(c.member_until, ''), COALESCE(c.foreign_residents, 0), COALESCE(c.foreign_nationalities, 0),
	COALESCE(c.foreign_as_of, ''), c.created_at, c.updated_at`

const cityFrom = ` FROM cities c LEFT JOIN images i ON i.id = c.photo_id`

type scanner interface{ Scan(...any) error }

func scanCity(row scanner) (*City, error) {
	var c City
	err := row.Scan(&c.ID, &c.Slug, &c.Name, &c.Names, &c.Country, &c.Continent, &c.Region, &c.Population,
		&c.PopulationYear, &c.Lat, &c.Lon, &c.Timezone, &c.Website, &c.Description, &c.DescriptionLang,
		&c.PhotoID, &c.PhotoType, &c.PhotoKey, &c.Membership, &c.MemberSince, &c.MemberUntil, &c.ForeignResidents,
		&c.ForeignNationalities, &c.ForeignAsOf, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ByID returns one city.
func (s *Store) ByID(ctx context.Context, id int64) (*City, error) {
	return byID(ctx, s.DB.R, id)
}

func byID(ctx context.Context, q db.Querier, id int64) (*City, error) {
	return scanCity(q.QueryRowContext(ctx, `SELECT `+cityColumns+cityFrom+` WHERE c.id = $1`, id))
}

// BySlug returns the city with this slug now or before a rename.
func (s *Store) BySlug(ctx context.Context, slug string) (*City, error) {
	return scanCity(s.DB.R.QueryRowContext(ctx, `SELECT `+cityColumns+cityFrom+`
		WHERE c.slug = $1 OR c.id = (SELECT city_id FROM city_slugs WHERE slug = $1)`, slug))
}

// ByRef finds a city by the last part of its URL: "3-dusseldorf", "3" or
// "dusseldorf". The caller redirects when the slug is not the current one.
func (s *Store) ByRef(ctx context.Context, ref string) (*City, error) {
	if id, _, ok := web.ParseRef(ref); ok {
		return s.ByID(ctx, id)
	}
	return s.BySlug(ctx, ref)
}

// Exists reports whether a city has this id (for accounts bound to a city).
func (s *Store) Exists(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE id = $1`, id).Scan(&n)
	return n > 0, err
}

// Filter narrows the directory. Zero values do not filter, except Status:
// "" means members only, as the directory shows by default; "all" means
// every state.
type Filter struct {
	Continent string
	Country   string
	Status    string
	Joined    int // the year the membership began
}

// Statuses reports which membership states the filter shows.
func (f Filter) statuses() []string {
	switch f.Status {
	case "", Member:
		return []string{Member}
	case "all":
		return Statuses
	}
	return []string{f.Status}
}

// List returns every city the filter matches, in no particular order:
// the directory sorts by the reader's language and pages itself, and
// its map shows all of them. One statement, whatever the number.
func (s *Store) List(ctx context.Context, f Filter) ([]*City, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var in []string
	for _, st := range f.statuses() {
		in = append(in, arg(st))
	}
	where = append(where, "c.membership IN ("+strings.Join(in, ", ")+")")
	if f.Continent != "" {
		where = append(where, "c.continent = "+arg(f.Continent))
	}
	if f.Country != "" {
		where = append(where, "c.country = "+arg(f.Country))
	}
	if f.Joined != 0 {
		where = append(where, "substr(c.member_since, 1, 4) = "+arg(fmt.Sprintf("%04d", f.Joined)))
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+cityFrom+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, fmt.Errorf("city: list: %w", err)
	}
	defer rows.Close()
	var out []*City
	for rows.Next() {
		c, err := scanListed(rows)
		if err != nil {
			return nil, fmt.Errorf("city: list: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// listColumns are what lists, the map, the CSV and the API list show:
// no description, no figures.
const listColumns = `c.id, c.slug, c.name, c.names, c.country, c.continent, c.region, c.population,
	COALESCE(c.population_year, 0), c.lat, c.lon, c.timezone, c.website, COALESCE(c.photo_id, 0),
	COALESCE(i.content_type, ''), COALESCE(i.sha256, ''), c.membership, COALESCE(c.member_since, ''), COALESCE(c.member_until, ''), c.updated_at`

func scanListed(row scanner) (*City, error) {
	var c City
	var names string
	err := row.Scan(&c.ID, &c.Slug, &c.Name, &names, &c.Country, &c.Continent, &c.Region, &c.Population,
		&c.PopulationYear, &c.Lat, &c.Lon, &c.Timezone, &c.Website, &c.PhotoID, &c.PhotoType, &c.PhotoKey, &c.Membership,
		&c.MemberSince, &c.MemberUntil, &c.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if names != "{}" { // most cities have no names of their own; skip the JSON
		if err := c.Names.Scan(names); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// Facets counts the cities (in any membership state) by continent,
// country and year joined, for the directory's filter choices.
type Facets struct {
	Continents map[string]int
	Countries  map[string]int
	Years      map[int]int
}

// directoryColumns are what the directory's table and map show.
const directoryColumns = `c.id, c.slug, c.name, c.names, c.country, c.continent, c.population, c.lat, c.lon,
	c.membership, COALESCE(c.member_since, '')`

// Directory returns the cities the filter matches, in no particular order,
// and the facets of all cities. One statement reads every city, whatever
// its membership, with only what the directory shows: the filter and the
// counts are done here, as List's statement and a count would do them.
func (s *Store) Directory(ctx context.Context, f Filter) ([]*City, Facets, error) {
	fc := Facets{Continents: map[string]int{}, Countries: map[string]int{}, Years: map[int]int{}}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+directoryColumns+` FROM cities c`)
	if err != nil {
		return nil, fc, fmt.Errorf("city: directory: %w", err)
	}
	defer rows.Close()
	statuses := f.statuses()
	joined := ""
	if f.Joined != 0 {
		joined = fmt.Sprintf("%04d", f.Joined)
	}
	var out []*City
	var names string
	for rows.Next() {
		c := &City{}
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name, &names, &c.Country, &c.Continent, &c.Population, &c.Lat, &c.Lon,
			&c.Membership, &c.MemberSince); err != nil {
			return nil, fc, fmt.Errorf("city: directory: %w", err)
		}
		fc.Continents[c.Continent]++
		fc.Countries[c.Country]++
		year := c.MemberSince[:min(4, len(c.MemberSince))] // substr(member_since, 1, 4)
		if y, err := strconv.Atoi(year); err == nil {
			fc.Years[y]++
		}
		if !slices.Contains(statuses, c.Membership) || f.Continent != "" && c.Continent != f.Continent ||
			f.Country != "" && c.Country != f.Country || joined != "" && year != joined {
			continue
		}
		if names != "{}" { // most cities have no names of their own; skip the JSON
			if err := c.Names.Scan(names); err != nil {
				return nil, fc, fmt.Errorf("city: directory: %w", err)
			}
		}
		out = append(out, c)
	}
	return out, fc, rows.Err()
}

// Option is a city for a select list.
type Option struct {
	ID         int64
	Name       string
	Names      i18n.Text
	Country    string
	Membership string
}

// Options lists every city briefly, for select lists (accounts, partners).
func (s *Store) Options(ctx context.Context) ([]Option, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, names, country, membership FROM cities ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("city: options: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name, &o.Names, &o.Country, &o.Membership); err != nil {
			return nil, fmt.Errorf("city: options: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Name is a city's name in lang, or "" when there is no such city.
func (s *Store) NameIn(ctx context.Context, lang string, id int64) string {
	var name string
	var names i18n.Text
	if err := s.DB.R.QueryRowContext(ctx, `SELECT name, names FROM cities WHERE id = $1`, id).Scan(&name, &names); err != nil {
		return ""
	}
	return displayName(name, names, lang)
}

// uniqueSlug is slug, or slug with the country (then a number) added when
// another city already has it or had it.
func uniqueSlug(ctx context.Context, q db.Querier, slug, country string, self int64) (string, error) {
	cands := []string{slug, slug + "-" + strings.ToLower(country)}
	for n := 2; n < 100; n++ {
		cands = append(cands, slug+"-"+strings.ToLower(country)+"-"+strconv.Itoa(n))
	}
	for _, c := range cands {
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE slug = $1 AND id <> $2`, c, self).Scan(&n)
		if err != nil {
			return "", err
		}
		if n > 0 {
			continue
		}
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM city_slugs WHERE slug = $1 AND city_id <> $2`, c, self).Scan(&n)
		if err != nil {
			return "", err
		}
		if n == 0 {
			return c, nil
		}
	}
	return "", fmt.Errorf("no free slug for %q", slug)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt[T int | int64](n T) any {
	if n == 0 {
		return nil
	}
	return n
}

// Create inserts a new city in q (the caller's transaction) and returns it
// with its id and slug.
func Create(ctx context.Context, q db.Querier, c *City) error {
	slug, err := uniqueSlug(ctx, q, Slugify(c.Name), c.Country, 0)
	if err != nil {
		return err
	}
	c.Slug = slug
	now := db.Now()
	c.CreatedAt, c.UpdatedAt = now, now
	return q.QueryRowContext(ctx, `INSERT INTO cities (slug, name, names, country, continent, region, population,
		population_year, lat, lon, timezone, website, description, description_lang, photo_id, membership,
		member_since, member_until, foreign_residents, foreign_nationalities, foreign_as_of, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)
		RETURNING id`,
		c.Slug, c.Name, c.Names, c.Country, c.Continent, c.Region, c.Population, nullInt(c.PopulationYear),
		c.Lat, c.Lon, c.Timezone, c.Website, c.Description, c.DescriptionLang, nullInt(c.PhotoID), c.Membership,
		nullStr(c.MemberSince), nullStr(c.MemberUntil), nullInt(c.ForeignResidents), nullInt(c.ForeignNationalities),
		nullStr(c.ForeignAsOf), now).Scan(&c.ID)
}

// ForUpdate reads a city inside a write transaction, so the change is
// compared with what is stored now.
func ForUpdate(ctx context.Context, tx *sql.Tx, id int64) (*City, error) { return byID(ctx, tx, id) }

// Update writes c's profile and membership. A changed default name gives a
// new slug; the old one keeps leading to the city.
func Update(ctx context.Context, tx *sql.Tx, old, c *City) error {
	c.Slug = old.Slug
	if Slugify(c.Name) != Slugify(old.Name) {
		slug, err := uniqueSlug(ctx, tx, Slugify(c.Name), c.Country, c.ID)
		if err != nil {
			return err
		}
		if slug != old.Slug {
			if _, err := tx.ExecContext(ctx, `DELETE FROM city_slugs WHERE slug = $1`, slug); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO city_slugs (slug, city_id) VALUES ($1, $2)`, old.Slug, c.ID); err != nil {
				return err
			}
			c.Slug = slug
		}
	}
	c.UpdatedAt = db.Now()
	res, err := tx.ExecContext(ctx, `UPDATE cities SET slug = $1, name = $2, names = $3, country = $4, continent = $5,
		region = $6, population = $7, population_year = $8, lat = $9, lon = $10, timezone = $11, website = $12,
		description = $13, description_lang = $14, photo_id = $15, membership = $16, member_since = $17,
		member_until = $18, foreign_residents = $19, foreign_nationalities = $20, foreign_as_of = $21, updated_at = $22
		WHERE id = $23`,
		c.Slug, c.Name, c.Names, c.Country, c.Continent, c.Region, c.Population, nullInt(c.PopulationYear),
		c.Lat, c.Lon, c.Timezone, c.Website, c.Description, c.DescriptionLang, nullInt(c.PhotoID), c.Membership,
		nullStr(c.MemberSince), nullStr(c.MemberUntil), nullInt(c.ForeignResidents), nullInt(c.ForeignNationalities),
		nullStr(c.ForeignAsOf), c.UpdatedAt, c.ID)
	return oneRow(res, err)
}

func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DisplayName is the city's name in lang.
func (o Option) DisplayName(lang string) string { return displayName(o.Name, o.Names, lang) }

// SortOptions orders cities by their names in lang, in that language's
// alphabetical order.
func SortOptions(opts []Option, lang string) {
	col := collate.New(language.Make(lang))
	slices.SortStableFunc(opts, func(a, b Option) int { return col.CompareString(a.DisplayName(lang), b.DisplayName(lang)) })
}
