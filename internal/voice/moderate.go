package voice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/search"
)

// Moderation actions.
const (
	ActPublish = "publish"
	ActHide    = "hide"
	ActSpam    = "spam"
	ActMerge   = "merge"
	ActTheme   = "theme"
	ActLink    = "link"
	ActUnlink  = "unlink"
)

// ErrBadDecision: the action is unknown or misses what it needs.
var ErrBadDecision = errors.New("bad moderation decision")

// ErrOtherCity: the idea belongs to a city the moderator is not bound to.
var ErrOtherCity = errors.New("the idea belongs to another city")

// Queue lists ideas in state (default waiting) for a moderator whose
// scope is city (0: every city), oldest first.
func (s *Store) Queue(ctx context.Context, city, consultation int64, state string) ([]*Idea, error) {
	if state == "" {
		state = StateWaiting
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE i.state = $1 AND ($2 = 0 OR c.city_id = $2)
		AND ($3 = 0 OR i.consultation_id = $3) ORDER BY i.created_at, i.id LIMIT 200`, state, city, consultation)
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	out, err := collectIdeas(rows)
	if err != nil {
		return nil, err
	}
	return out, s.attachPractices(ctx, out)
}

// IdeaFor loads any idea for a moderator whose scope is city (0: every city).
func (s *Store) IdeaFor(ctx context.Context, city, id int64) (*Idea, error) {
	i, err := scanIdea(s.DB.R.QueryRowContext(ctx, `SELECT `+ideaCols+ideaFrom+` WHERE i.id = $1 AND ($2 = 0 OR c.city_id = $2)`, id, city))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return i, err
}

// Decision is one moderator's action on some ideas.
type ModAction struct {
	Action   string
	Reason   string // for hide
	Theme    string // for theme
	Into     int64  // for merge
	Practice int64  // for link, unlink
}

// Decide applies act to each idea, all or none, each audited. An idea
// outside the moderator's city (scope ≠ 0) is not found.
func (s *Store) Decide(ctx context.Context, a audit.Actor, scope int64, ids []int64, act ModAction) error {
	switch act.Action {
	case ActPublish, ActSpam:
	case ActHide:
		if !validReason(act.Reason) {
			return ErrBadDecision
		}
	case ActMerge:
		if act.Into == 0 {
			return ErrBadDecision
		}
	case ActTheme, ActLink, ActUnlink:
	default:
		return ErrBadDecision
	}
	if len(ids) == 0 {
		return ErrBadDecision
	}
	dl := s.DB.Dialect
	now := db.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var consultation, city int64
			var body, lang, slug, themes string
			err := tx.QueryRowContext(ctx, `SELECT i.consultation_id, c.city_id, i.body, i.lang, c.slug, c.themes FROM voice_ideas i
				JOIN voice_consultations c ON c.id = i.consultation_id WHERE i.id = $1`+dl.ForUpdate(), id).Scan(&consultation, &city, &body, &lang, &slug, &themes)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			} else if err == nil && scope != 0 && city != scope {
				return ErrOtherCity
			} else if err != nil {
				return err
			}
			detail := ""
			switch act.Action {
			case ActPublish:
				if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET state = 'published', reason = '', merged_into = NULL, decided_at = $2 WHERE id = $1`, id, now); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, search.FullTextDelete(dl, "voice_idea_fts"), id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, search.FullTextPut(dl, "voice_idea_fts"), id, search.IndexText(body, lang)); err != nil {
					return err
				}
			case ActHide, ActSpam:
				state := StateHidden
				if act.Action == ActSpam {
					state, act.Reason = StateSpam, ""
				}
				if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET state = $2, reason = $3, decided_at = $4 WHERE id = $1`, id, state, act.Reason, now); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, search.FullTextDelete(dl, "voice_idea_fts"), id); err != nil {
					return err
				}
				detail = act.Reason
			case ActMerge:
				var ok int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voice_ideas WHERE id = $1 AND consultation_id = $2 AND state = 'published'`,
					act.Into, consultation).Scan(&ok); err != nil {
					return err
				}
				if ok == 0 || act.Into == id {
					return ErrBadDecision
				}
				if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET state = 'merged', reason = 'duplicate', merged_into = $2, decided_at = $3 WHERE id = $1`,
					id, act.Into, now); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, search.FullTextDelete(dl, "voice_idea_fts"), id); err != nil {
					return err
				}
				detail = "into idea " + strconv.FormatInt(act.Into, 10)
			case ActTheme:
				if act.Theme != "" && !(&Consultation{Themes: splitList(themes)}).HasTheme(act.Theme) {
					return ErrBadDecision
				}
				if _, err := tx.ExecContext(ctx, `UPDATE voice_ideas SET theme = $2 WHERE id = $1`, id, act.Theme); err != nil {
					return err
				}
				detail = act.Theme
			case ActLink:
				var ok int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM practices WHERE id = $1 AND state = 'published'`, act.Practice).Scan(&ok); err != nil {
					return err
				}
				if ok == 0 {
					return ErrBadDecision
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO voice_idea_practices (idea_id, practice_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, act.Practice); err != nil {
					return err
				}
				detail = "practice " + strconv.FormatInt(act.Practice, 10)
			case ActUnlink:
				if _, err := tx.ExecContext(ctx, `DELETE FROM voice_idea_practices WHERE idea_id = $1 AND practice_id = $2`, id, act.Practice); err != nil {
					return err
				}
				detail = "practice " + strconv.FormatInt(act.Practice, 10)
			}
			if err := a.Record(ctx, tx, "voice.idea."+act.Action, audit.Subject{Kind: "idea", ID: id, Title: excerpt(body, 60), Path: "/ideas/" + slug}, detail); err != nil {
				return err
			}
		}
		return nil
	})
}

func validReason(r string) bool {
	for _, x := range Reasons {
		if x == r {
			return true
		}
	}
	return false
}

func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// RebuildIndex fills the full-text index of published ideas anew in tx (a
// restore leaves the index out of the archive) and says how many it holds.
func (s *Store) RebuildIndex(ctx context.Context, tx *sql.Tx) (int, error) {
	dl := s.DB.Dialect
	rows, err := tx.QueryContext(ctx, `SELECT id, body, lang FROM voice_ideas WHERE state = 'published'`)
	if err != nil {
		return 0, fmt.Errorf("voice: reading ideas to index: %w", err)
	}
	type idea struct {
		id         int64
		body, lang string
	}
	var ideas []idea
	for rows.Next() {
		var i idea
		if err := rows.Scan(&i.id, &i.body, &i.lang); err != nil {
			rows.Close()
			return 0, fmt.Errorf("voice: reading ideas to index: %w", err)
		}
		ideas = append(ideas, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("voice: reading ideas to index: %w", err)
	}
	for _, i := range ideas {
		if _, err := tx.ExecContext(ctx, search.FullTextDelete(dl, "voice_idea_fts"), i.id); err != nil {
			return 0, fmt.Errorf("voice: indexing idea %d: %w", i.id, err)
		}
		if _, err := tx.ExecContext(ctx, search.FullTextPut(dl, "voice_idea_fts"), i.id, search.IndexText(i.body, i.lang)); err != nil {
			return 0, fmt.Errorf("voice: indexing idea %d: %w", i.id, err)
		}
	}
	return len(ideas), nil
}
