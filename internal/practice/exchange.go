package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Exported is a practice in the exchange format: the JSON export and API
// write it, and `observatory import practices` reads it back unchanged
// (one per line). Texts are objects of language → text; the importer also
// takes a plain string, meaning the text in "language".
type Exported struct {
	UID          string                       `json:"uid"`
	ID           int64                        `json:"id,omitempty"`
	URL          string                       `json:"url,omitempty"`
	City         string                       `json:"city"`
	CitySlug     string                       `json:"city_slug,omitempty"`
	Country      string                       `json:"country,omitempty"`
	Language     string                       `json:"language"`
	Title        i18n.Text                    `json:"title"`
	Summary      i18n.Text                    `json:"summary"`
	Body         i18n.Text                    `json:"body"`
	Results      i18n.Text                    `json:"results,omitempty"`
	Transfer     i18n.Text                    `json:"transfer,omitempty"`
	Lessons      i18n.Text                    `json:"lessons,omitempty"`
	Translations map[string]map[string]string `json:"translations,omitempty"`
	Themes       []string                     `json:"themes"`
	TargetGroups []string                     `json:"target_groups,omitempty"`
	Status       string                       `json:"status"`
	Start        string                       `json:"start"`
	End          string                       `json:"end,omitempty"`
	Ongoing      bool                         `json:"ongoing,omitempty"`
	Partners     []string                     `json:"partners,omitempty"`
	Funders      []string                     `json:"funders,omitempty"`
	Budget       string                       `json:"budget,omitempty"`
	Evidence     string                       `json:"evidence,omitempty"`
	Contact      *Contact                     `json:"contact,omitempty"`
	Links        []Link                       `json:"links,omitempty"`
	Videos       []Link                       `json:"videos,omitempty"`
	Images       []Image                      `json:"images,omitempty"`
	Published    bool                         `json:"published"`
	PublishedAt  *time.Time                   `json:"published_at,omitempty"`
}

// export turns a published practice into the exchange format.
func export(id int64, uid string, rec *Record, city City, published *time.Time, url string) Exported {
	e := Exported{UID: uid, ID: id, URL: url, City: city.Name, CitySlug: city.Slug, Country: city.Country,
		Language: rec.Lang, Title: rec.Title, Summary: rec.Summary, Body: rec.Body, Results: rec.Results,
		Transfer: rec.Transfer, Lessons: rec.Lessons, Translations: rec.Trans, Themes: rec.Themes, TargetGroups: rec.Groups,
		Status: rec.Status, Start: rec.Start, End: rec.End, Ongoing: rec.Ongoing, Partners: rec.Partners, Funders: rec.Funders,
		Budget: rec.Budget, Evidence: rec.Evidence, Links: rec.Links, Videos: rec.Videos, Images: rec.Images,
		Published: true, PublishedAt: published}
	if e.Themes == nil {
		e.Themes = []string{}
	}
	if rec.Contact != (Contact{}) {
		c := rec.Contact
		e.Contact = &c
	}
	return e
}

// exportRow is a published practice read for an export.
type exportRow struct {
	id        int64
	uid       string
	slug      string
	rec       *Record
	city      City
	published *time.Time
}

// published reads the published versions of ids (at most a few hundred)
// in one statement, in the order given.
func (s *Store) published(ctx context.Context, ids []int64) ([]exportRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks, args := db.InIDs(ids)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.uid, p.slug, p.published_at, r.record,
			c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev JOIN cities c ON c.id = p.city_id
		WHERE p.state = 'published' AND p.id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]exportRow{}
	for rows.Next() {
		var x exportRow
		var raw string
		var published sql.NullTime
		if err := rows.Scan(&x.id, &x.uid, &x.slug, &published, &raw,
			&x.city.ID, &x.city.Slug, &x.city.Name, &x.city.Names, &x.city.Country, &x.city.Continent); err != nil {
			return nil, err
		}
		x.published = db.TimeOf(published)
		x.rec = &Record{}
		if err := json.Unmarshal([]byte(raw), x.rec); err != nil {
			return nil, err
		}
		byID[x.id] = x
	}
	return db.InOrder(ids, byID), rows.Err()
}

// exportBatch is how many practices an export reads per statement.
const exportBatch = 500

// EachPublished calls fn with every practice a search finds, in its
// order, reading them in batches so an export of the whole library runs
// in bounded memory.
func (s *Store) EachPublished(ctx context.Context, p Params, fn func(x exportRow) error) error {
	ids, err := s.Find(ctx, p)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), exportBatch)]
		ids = ids[len(batch):]
		rows, err := s.published(ctx, batch)
		if err != nil {
			return err
		}
		for _, x := range rows {
			if err := fn(x); err != nil {
				return err
			}
		}
	}
	return nil
}
