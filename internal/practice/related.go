package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/search/index"
)

// Related practices and similar cities are computed when a practice is
// published (or archived) and stored, so that a page view reads a few
// rows however large the library grows.

const (
	relatedCount = 6 // related practices kept per practice
	similarCount = 5 // similar cities kept per city
)

// relatedTable keeps each published practice's related practices.
var relatedTable = index.RelatedTable{Name: "practice_related", Owner: "practice_id", K: relatedCount}

// probe describes a record for the index's Similar.
func probe(id int64, rec *Record, d IndexDoc) index.Probe {
	v := make([][]string, fYear+1)
	v[fTheme], v[fGroup], v[fCity] = rec.Themes, rec.Groups, []string{strconv.FormatInt(rec.CityID, 10)}
	return index.Probe{ID: id, Values: v, Terms: d.TitleTerms + " " + d.LeadTerms}
}

// relatedTx stores the related practices of practice id, which the
// transaction has just published, and offers it to theirs in return.
func (s *Store) relatedTx(ctx context.Context, tx *sql.Tx, id int64) error {
	n, err := s.index.Current(ctx)
	if err != nil {
		return err
	}
	var raw string
	var cityID int64
	if err := tx.QueryRowContext(ctx, `SELECT r.record, p.city_id FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev WHERE p.id = $1`, id).Scan(&raw, &cityID); err != nil {
		return err
	}
	rec, err := decodeRecord(raw)
	if err != nil {
		return err
	}
	d := IndexDoc{TitleTerms: search.TermSet(rec.Title), LeadTerms: search.TermSet(rec.Summary)}
	top := n.Similar(probe(id, rec, d), relatedCount, nil)
	if err := relatedTable.Save(ctx, tx, s.DB.Dialect, id, top); err != nil {
		return err
	}
	return s.citySimilarTx(ctx, tx)
}

// citySimilarTx recomputes which cities face the same challenges: the
// cosine similarity of their practices' theme profiles (how many of each
// city's published practices carry each theme). Cities are few, so all
// pairs are cheap; it runs in the publishing transaction.
func (s *Store) citySimilarTx(ctx context.Context, q db.Querier) error {
	profile, err := index.Profiles(ctx, q, `SELECT city_id, themes FROM practices WHERE state = 'published'`)
	if err != nil {
		return err
	}
	return index.SaveNeighbours(ctx, q, s.DB.Dialect, "practice_city_similar", "city_id, other_id", index.Cosine(profile, similarCount))
}

// RelatedItem is a practice shown as related, with the themes it shares.
type RelatedItem struct {
	ListItem
	Shared []string
}

// Related reads the stored related practices of a published practice.
func (s *Store) Related(ctx context.Context, id int64, lang string) ([]RelatedItem, error) {
	// The stored rows drive the join, whatever the planner thinks of the tables.
	rows, err := s.DB.ReadRows(ctx, `SELECT p.id, p.slug, p.lang, p.title, p.summary, x.shared, c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM (SELECT related_id, score, shared FROM practice_related WHERE practice_id = $1 ORDER BY score DESC, related_id DESC LIMIT $2) x
		JOIN practices p ON p.id = x.related_id JOIN cities c ON c.id = p.city_id
		WHERE p.state = 'published'
		ORDER BY x.score DESC, p.id DESC`, id, relatedCount)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RelatedItem
	for rows.Next() {
		var it RelatedItem
		var title, summary i18n.Text
		var sh string
		if err := rows.Scan(&it.ID, &it.Slug, &it.Lang, &title, &summary, &sh, &it.City.ID, &it.City.Slug, &it.City.Name,
			&it.City.Names, &it.City.Country, &it.City.Continent); err != nil {
			return nil, err
		}
		it.Title = title.In(lang, it.Lang)
		it.Summary = summary.In(lang, it.Lang)
		it.Shared = strings.Fields(sh)
		out = append(out, it)
	}
	return out, rows.Err()
}

// SimilarCity is a city facing the same challenges as another.
type SimilarCity struct {
	City   City
	Score  float64
	Shared []string // theme keys both work on most
}

// SimilarCities reads the stored cities closest to city by their practices.
func (s *Store) SimilarCities(ctx context.Context, city int64) ([]SimilarCity, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT x.score, x.shared, c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practice_city_similar x JOIN cities c ON c.id = x.other_id
		WHERE x.city_id = $1 ORDER BY x.score DESC, c.id LIMIT $2`, city, similarCount)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SimilarCity
	for rows.Next() {
		var sc SimilarCity
		var sh string
		if err := rows.Scan(&sc.Score, &sh, &sc.City.ID, &sc.City.Slug, &sc.City.Name, &sc.City.Names, &sc.City.Country, &sc.City.Continent); err != nil {
			return nil, err
		}
		sc.Shared = strings.Fields(sh)
		out = append(out, sc)
	}
	return out, rows.Err()
}

func decodeRecord(raw string) (*Record, error) {
	var r Record
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, fmt.Errorf("practice record: %w", err)
	}
	return &r, nil
}

// RebuildRelated recomputes the related practices of the published
// practices ids (nil: all of them) and the similar cities, after a bulk
// load skipped them. The scoring runs on every core; the rows are written
// in a few large transactions.
func (s *Store) RebuildRelated(ctx context.Context, ids []int64) error {
	n, err := s.index.Current(ctx)
	if err != nil {
		return err
	}
	all := ids == nil
	if all {
		ids = n.All()
	}
	if err := relatedTable.SaveAll(ctx, s.DB, ids, n.SimilarAll(ids, relatedCount), all); err != nil {
		return err
	}
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.citySimilarTx(ctx, tx) }); err != nil {
		return err
	}
	return s.analyze(ctx)
}

// analyze refreshes the planner's statistics after a bulk load, so that
// queries keep using the indexes (PostgreSQL's autovacuum may come late).
func (s *Store) analyze(ctx context.Context) error {
	for _, t := range []string{"practices", "practice_revisions", "practice_events", "practice_fts", "practice_related", "practice_city_similar"} {
		if _, err := s.DB.W.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return err
		}
	}
	return nil
}
