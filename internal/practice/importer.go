package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/jsonlines"
	"observatory/internal/search"
)

// importLine is one practice as `observatory import practices` reads it:
// the exchange format (see Exported), with texts either as an object of
// language → text or as a string in "language", the city as its id or its
// name in any language, themes and target groups as keys or names.
type importLine struct {
	UID          string                       `json:"uid"`
	City         json.RawMessage              `json:"city"`
	Language     string                       `json:"language"`
	Title        json.RawMessage              `json:"title"`
	Summary      json.RawMessage              `json:"summary"`
	Body         json.RawMessage              `json:"body"`
	Results      json.RawMessage              `json:"results"`
	Transfer     json.RawMessage              `json:"transfer"`
	Lessons      json.RawMessage              `json:"lessons"`
	Translations map[string]map[string]string `json:"translations"`
	Themes       []string                     `json:"themes"`
	TargetGroups []string                     `json:"target_groups"`
	Status       string                       `json:"status"`
	Start        json.RawMessage              `json:"start"`
	End          string                       `json:"end"`
	Ongoing      bool                         `json:"ongoing"`
	Partners     []string                     `json:"partners"`
	Funders      []string                     `json:"funders"`
	Budget       string                       `json:"budget"`
	Evidence     string                       `json:"evidence"`
	Contact      *Contact                     `json:"contact"`
	Links        []json.RawMessage            `json:"links"`
	Videos       []json.RawMessage            `json:"videos"`
	Images       []Image                      `json:"images"`
	Published    *bool                        `json:"published"`
	// Written by the export for readers; ignored here.
	ID       json.RawMessage `json:"id"`
	URL      string          `json:"url"`
	CitySlug string          `json:"city_slug"`
	Country  string          `json:"country"`
	// Kept for a practice new to this installation, so a library moved
	// from elsewhere keeps its dates.
	PublishedAt *time.Time `json:"published_at"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Lines     int
	Bad       []jsonlines.LineError
	Created   int
	Updated   int
	Published int
	Drafts    int
}

// ErrImportInvalid means at least one line is bad; nothing was imported.
var ErrImportInvalid = errors.New("the file has bad lines; nothing was imported")

// parsed is a valid line, ready to store.
type parsed struct {
	line      int
	uid       string
	rec       Record
	published bool
	since     *time.Time
}

// Import reads practices, one per line (JSON Lines, or the JSON export's
// array), checks every line first and imports all of them in one
// transaction — or none, when any line is bad. With dryRun it only checks.
// explain turns a problem's catalog key into a sentence.
func (s *Store) Import(ctx context.Context, r io.Reader, a Actor, dryRun bool, explain func(key string) string) (*ImportReport, error) {
	lines, err := jsonlines.Read(r)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Lines: len(lines)}
	terms, err := LoadTerms(ctx, s.DB.R)
	if err != nil {
		return nil, err
	}
	cities, err := LoadCities(ctx, s.DB.R)
	if err != nil {
		return nil, err
	}
	lookup := cityLookup(cities)
	ok, bad := jsonlines.Check(lines, "uid", func(l jsonlines.Line) (parsed, string, []string) {
		p, problems := parseLine(l.Text, terms, lookup, explain)
		p.line = l.N
		return p, p.uid, problems
	})
	if rep.Bad = bad; len(rep.Bad) > 0 {
		return rep, ErrImportInvalid
	}
	for _, p := range ok {
		if p.published {
			rep.Published++
		} else {
			rep.Drafts++
		}
	}
	if dryRun {
		return rep, nil
	}
	skip := s.SkipRelated
	s.SkipRelated = true
	defer func() { s.SkipRelated = skip }()
	var published []int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range ok {
			id, created, err := s.importOne(ctx, tx, a, p)
			if err != nil {
				var inv *Invalid
				if errors.As(err, &inv) {
					var msgs []string
					for _, pr := range inv.Problems {
						msgs = append(msgs, pr.Field+": "+explain(pr.Key))
					}
					return jsonlines.LineError{Line: p.line, Problems: msgs}
				}
				return fmt.Errorf("line %d: %w", p.line, err)
			}
			if created {
				rep.Created++
			} else {
				rep.Updated++
			}
			if p.published {
				published = append(published, id)
			}
		}
		return a.Record(ctx, tx, "practice.import", audit.Subject{Title: "practices", Path: "/practices/work"},
			fmt.Sprintf("%d created, %d updated, %d published", rep.Created, rep.Updated, rep.Published))
	})
	if err != nil {
		var le jsonlines.LineError
		if errors.As(err, &le) {
			rep.Bad = append(rep.Bad, le)
			rep.Created, rep.Updated = 0, 0
			return rep, ErrImportInvalid
		}
		return nil, err
	}
	s.SkipRelated = skip
	if !skip && len(published) > 0 {
		if err := s.RebuildRelated(ctx, published); err != nil {
			return rep, fmt.Errorf("imported, but computing related practices failed: %w", err)
		}
	}
	return rep, nil
}

// importOne creates or updates (by uid) one practice and publishes it if asked.
func (s *Store) importOne(ctx context.Context, tx *sql.Tx, a Actor, p parsed) (int64, bool, error) {
	var id int64
	var err error
	if p.rec.Images, err = knownImages(ctx, tx, s.DB.Dialect.ForUpdate(), p.rec.Images); err != nil {
		return 0, false, err
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM practices WHERE uid = $1`, p.uid).Scan(&id)
	created := errors.Is(err, sql.ErrNoRows)
	switch {
	case created:
		if id, err = s.create(ctx, tx, a, &p.rec, p.uid, "imported"); err != nil {
			return 0, false, err
		}
	case err != nil:
		return 0, false, err
	default:
		w, err := loadWF(ctx, tx, id)
		if err != nil {
			return 0, false, err
		}
		if w.cityID != p.rec.CityID {
			return 0, false, &Invalid{[]Problem{{"city", "practice.err.city_changed"}}}
		}
		if err := check(ctx, tx, &p.rec); err != nil {
			return 0, false, err
		}
		if !same(&w.head, &p.rec) {
			if err := s.newHead(ctx, tx, a, w, &p.rec, "imported", ""); err != nil {
				return 0, false, err
			}
		}
	}
	if !p.published {
		return id, created, nil
	}
	w, err := loadWF(ctx, tx, id)
	if err != nil {
		return 0, false, err
	}
	if w.state == StatePublished && w.review == ReviewNone {
		return id, created, nil // already published as is
	}
	if ps := w.head.Complete(); len(ps) > 0 {
		return 0, false, &Invalid{ps}
	}
	if err := s.publishTx(ctx, tx, id, w.headID, &w.head, db.Now()); err != nil {
		return 0, false, err
	}
	if created && p.since != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET published_at = $1 WHERE id = $2`, *p.since, id); err != nil {
			return 0, false, err
		}
	}
	return id, created, event(ctx, tx, id, w.headNum, "published", a, "", db.Now())
}

// cityLookup finds a city by id, slug, or any of its names, ignoring case
// and accents. A name two cities share is ambiguous.
func cityLookup(cities []City) func(string) (int64, string) {
	names := &search.Names{Thing: "city", Things: "cities"}
	for _, c := range cities {
		names.Add(c.ID, append([]string{c.Slug, c.Name}, slices.Collect(maps.Values(c.Names))...)...)
	}
	return names.Find
}

// parseLine reads and checks one line; problems are sentences.
func parseLine(text []byte, terms *Terms, city func(string) (int64, string), explain func(string) string) (parsed, []string) {
	var l importLine
	if problem := jsonlines.Decode(text, &l, "a valid practice"); problem != "" {
		return parsed{}, []string{problem}
	}
	var ps []string
	bad := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }
	p := parsed{uid: strings.TrimSpace(l.UID)}
	if p.uid == "" {
		p.uid = uuid.NewString()
	} else if _, err := uuid.Parse(p.uid); err != nil {
		bad("uid: %q is not a UUID", l.UID)
	}
	rec := Record{Lang: strings.TrimSpace(l.Language)}
	langOK := slices.Contains(ContentLangs, rec.Lang)
	if rec.Lang == "" {
		bad("language: required (one of %s)", strings.Join(ContentLangs, ", "))
	} else if !langOK {
		bad("language: %q is not one of %s", rec.Lang, strings.Join(ContentLangs, ", "))
	}
	switch c := strings.TrimSpace(string(l.City)); {
	case c == "" || c == "null":
		bad("city: required (its id or its name)")
	default:
		var name string
		if err := json.Unmarshal(l.City, &name); err != nil {
			name = c // a number
		}
		id, problem := city(name)
		if problem != "" {
			bad("%s", problem)
		}
		rec.CityID = id
	}
	for field, raw := range map[string]json.RawMessage{"title": l.Title, "summary": l.Summary, "body": l.Body,
		"results": l.Results, "transfer": l.Transfer, "lessons": l.Lessons} {
		t, err := jsonlines.Text(raw, rec.Lang)
		if err != nil {
			bad("%s: %v", field, err)
		}
		*rec.Text(field) = t
	}
	for _, f := range []string{"title", "summary", "body"} {
		if strings.TrimSpace((*rec.Text(f))[rec.Lang]) == "" && langOK {
			bad("%s: required in the practice's language (%s)", f, rec.Lang)
		}
	}
	rec.Trans = l.Translations
	for _, k := range l.Themes {
		if key, ok := terms.Lookup(KindTheme, k); ok {
			rec.Themes = append(rec.Themes, key)
		} else {
			bad("themes: %q is not a theme", k)
		}
	}
	if len(l.Themes) == 0 {
		bad("themes: at least one is required")
	}
	for _, k := range l.TargetGroups {
		if key, ok := terms.Lookup(KindGroup, k); ok {
			rec.Groups = append(rec.Groups, key)
		} else {
			bad("target_groups: %q is not a target group", k)
		}
	}
	rec.Status = strings.TrimSpace(l.Status)
	if !slices.Contains(Statuses, rec.Status) {
		bad("status: %q is not one of %s", rec.Status, strings.Join(Statuses, ", "))
	}
	if l.Budget != "" && !slices.Contains(Budgets, l.Budget) {
		bad("budget: %q is not one of %s", l.Budget, strings.Join(Budgets, ", "))
	}
	if l.Evidence != "" && !slices.Contains(EvidenceLevels, l.Evidence) {
		bad("evidence: %q is not one of %s", l.Evidence, strings.Join(EvidenceLevels, ", "))
	}
	start := strings.TrimSpace(string(l.Start))
	if s, err := strconv.Unquote(start); err == nil {
		start = s
	}
	rec.Start = strings.TrimSpace(start)
	if rec.Start == "" || rec.Start == "null" {
		bad("start: required (2019, 2019-05 or 2019-05-14)")
		rec.Start = ""
	}
	rec.End, rec.Ongoing = l.End, l.Ongoing
	rec.Partners, rec.Funders, rec.Budget, rec.Evidence = l.Partners, l.Funders, l.Budget, l.Evidence
	if l.Contact != nil {
		rec.Contact = *l.Contact
	}
	var err error
	if rec.Links, err = importLinks(l.Links); err != nil {
		bad("links: %v", err)
	}
	if rec.Videos, err = importLinks(l.Videos); err != nil {
		bad("videos: %v", err)
	}
	rec.Images = l.Images
	if l.PublishedAt != nil {
		t := l.PublishedAt.UTC().Truncate(time.Second)
		p.since = &t
	}
	if l.Published == nil {
		bad("published: required (true or false)")
	} else {
		p.published = *l.Published
	}
	rec.Clean()
	for _, pr := range rec.Check(terms) {
		if pr.Field == "city" || pr.Key == "practice.err.language" || pr.Key == "form.invalid" ||
			pr.Field == "themes" || pr.Field == "groups" || pr.Key == "practice.err.title" {
			continue // said above, more precisely
		}
		bad("%s: %s", pr.Field, explain(pr.Key))
	}
	p.rec = rec
	return p, ps
}

// importLinks reads links given as addresses or as {"url", "label"}.
func importLinks(raws []json.RawMessage) ([]Link, error) {
	var out []Link
	for _, raw := range raws {
		var l Link
		if err := json.Unmarshal(raw, &l.URL); err != nil {
			if err := json.Unmarshal(raw, &l); err != nil {
				return nil, errors.New(`each must be an address or {"url": …, "label": …}`)
			}
		}
		out = append(out, l)
	}
	return out, nil
}
