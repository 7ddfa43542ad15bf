package voice

import (
	"context"
	"fmt"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Dates lists the exhibitions overlapping [from, to) for the calendar,
// as whole days in their city's zone.
func (s *Store) Dates(ctx context.Context, from, to time.Time) ([]web.Date, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.venue, e.address, e.starts_on, e.ends_on, e.updated_at, c.slug, c.question, c.source_lang,
		c.city_id, ci.timezone FROM voice_exhibitions e JOIN voice_consultations c ON c.id = e.consultation_id JOIN cities ci ON ci.id = c.city_id
		WHERE e.starts_on < $1 AND e.ends_on >= $2 ORDER BY e.starts_on, e.id`, to.UTC().Format("2006-01-02"), from.UTC().AddDate(0, 0, -1).Format("2006-01-02"))
	if err != nil {
		return nil, fmt.Errorf("exhibition dates: %w", err)
	}
	defer rows.Close()
	var out []web.Date
	for rows.Next() {
		var id, city int64
		var venue, address, starts, ends, slug, source, tz string
		var updated time.Time
		var q i18n.Text
		if err := rows.Scan(&id, &venue, &address, &starts, &ends, &updated, &slug, &q, &source, &city, &tz); err != nil {
			return nil, err
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = time.UTC
		}
		start, err1 := time.ParseInLocation("2006-01-02", starts, loc)
		end, err2 := time.ParseInLocation("2006-01-02", ends, loc)
		if err1 != nil || err2 != nil {
			continue
		}
		place := venue
		if address != "" {
			place += ", " + address
		}
		title := map[string]string{}
		for _, l := range i18n.Langs {
			title[l] = q.Get(l, source)
		}
		out = append(out, web.Date{UID: fmt.Sprintf("voice-exhibition-%d@observatory", id), Kind: "exhibition", Title: title,
			Place: map[string]string{i18n.Default: place}, Start: start, End: end.AddDate(0, 0, 1), AllDay: true, CityID: city,
			Path: "/ideas/" + slug, Updated: updated.UTC()})
	}
	return out, rows.Err()
}

// Sitemap lists the consultations' public pages.
func (s *Store) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	out := []web.SitemapEntry{{Path: "/ideas"}}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.slug, c.updated_at FROM voice_consultations c ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("voice sitemap: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var slug string
		var updated time.Time
		if err := rows.Scan(&slug, &updated); err != nil {
			return nil, err
		}
		mod := updated.UTC()
		out = append(out, web.SitemapEntry{Path: "/ideas/" + slug, LastMod: mod}, web.SitemapEntry{Path: "/ideas/" + slug + "/charter", LastMod: updated.UTC()})
	}
	return out, rows.Err()
}
