package practice

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"regexp"
	"strings"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/search/index"
)

// Term kinds: the two taxonomies the secretariat keeps.
const (
	KindTheme = "theme"
	KindGroup = "group"
)

// Term is one theme or target group.
type Term struct {
	ID       int64
	Kind     string
	Key      string
	Names    i18n.Text
	Position int
}

// Name is the term's name in lang (falling back to English, then the key).
func (t Term) Name(lang string) string {
	if n := t.Names.Get(lang, i18n.Default); n != "" {
		return n
	}
	return t.Key
}

// Terms is a loaded taxonomy, read-only once built.
type Terms struct {
	list  []Term
	byKey map[string]int // kind + "/" + key → index in list
}

// NewTerms builds a taxonomy from its terms.
func NewTerms(list []Term) *Terms {
	t := &Terms{list: list, byKey: map[string]int{}}
	for i, x := range list {
		t.byKey[x.Kind+"/"+x.Key] = i
	}
	return t
}

// Has reports whether key is a term of kind.
func (t *Terms) Has(kind, key string) bool {
	_, ok := t.byKey[kind+"/"+key]
	return ok
}

// Get returns the term of kind with key.
func (t *Terms) Get(kind, key string) (Term, bool) {
	i, ok := t.byKey[kind+"/"+key]
	if !ok {
		return Term{}, false
	}
	return t.list[i], true
}

// Name is a term's name in lang; an unknown key is shown as itself.
func (t *Terms) Name(kind, key, lang string) string {
	if x, ok := t.Get(kind, key); ok {
		return x.Name(lang)
	}
	return key
}

// List returns the terms of kind in their order.
func (t *Terms) List(kind string) []Term {
	var out []Term
	for _, x := range t.list {
		if x.Kind == kind {
			out = append(out, x)
		}
	}
	return out
}

// Lookup finds a term of kind by its key or by its name in any language,
// ignoring case and accents ("Logement", "wohnen", "public-space").
func (t *Terms) Lookup(kind, s string) (string, bool) {
	s = strings.TrimSpace(s)
	if t.Has(kind, s) {
		return s, true
	}
	want := search.Fold(s)
	for _, x := range t.list {
		if x.Kind != kind {
			continue
		}
		if search.Fold(x.Key) == want {
			return x.Key, true
		}
		for _, n := range x.Names {
			if search.Fold(n) == want {
				return x.Key, true
			}
		}
	}
	return "", false
}

// LoadTerms reads both taxonomies.
func LoadTerms(ctx context.Context, q db.Querier) (*Terms, error) {
	list, err := db.All(ctx, q, func(x *Term) []any { return []any{&x.ID, &x.Kind, &x.Key, &x.Names, &x.Position} },
		`SELECT id, kind, key, names, position FROM practice_terms ORDER BY kind, position, id`)
	if err != nil {
		return nil, err
	}
	return NewTerms(list), nil
}

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var errTooManyTerms = errors.New("too many terms")

// ErrTermInUse means a term cannot be removed while practices carry it.
var ErrTermInUse = errors.New("the term is used by practices")

// SaveTerm adds a term (ID 0) or renames and reorders one; the key of an
// existing term never changes, since stored records refer to it.
func (s *Store) SaveTerm(ctx context.Context, a Actor, x Term) ([]Problem, error) {
	var ps []Problem
	x.Key = strings.TrimSpace(x.Key)
	x.Names = x.Names.Clean()
	if x.ID == 0 && (!keyPattern.MatchString(x.Key) || len(x.Key) > 40) {
		ps = append(ps, Problem{"key", "practice.err.key"})
	}
	if x.Kind != KindTheme && x.Kind != KindGroup {
		ps = append(ps, Problem{"kind", "form.invalid"})
	}
	for _, l := range i18n.Langs {
		if x.Names[l] == "" {
			ps = append(ps, Problem{"name_" + l, "form.required"})
		} else if len([]rune(x.Names[l])) > 80 {
			ps = append(ps, Problem{"name_" + l, "form.too_long"})
		}
	}
	if len(ps) > 0 {
		return ps, nil
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if x.ID == 0 {
			// Search keeps a practice's themes and groups as 64 bits each.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM practice_terms WHERE kind = $1`, x.Kind).Scan(&n); err != nil {
				return err
			}
			if n >= index.MaxMulti {
				return errTooManyTerms
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO practice_terms (kind, key, names, position, created_at)
				VALUES ($1, $2, $3, $4, $5) RETURNING id`, x.Kind, x.Key, x.Names, x.Position, db.Now()).Scan(&x.ID)
		} else {
			var before Term
			err = tx.QueryRowContext(ctx, `SELECT kind, key, names FROM practice_terms WHERE id = $1`, x.ID).Scan(&before.Kind, &before.Key, &before.Names)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			} else if err != nil {
				return err
			}
			if _, err = tx.ExecContext(ctx, `UPDATE practice_terms SET names = $1, position = $2 WHERE id = $3`, x.Names, x.Position, x.ID); err != nil {
				return err
			}
			if !maps.Equal(before.Names, x.Names) {
				// The practices' index texts hold the term's names.
				col := map[string]string{KindTheme: "themes", KindGroup: "target_groups"}[before.Kind]
				_, err = s.reindexTx(ctx, tx, `' ' || p.`+col+` || ' ' LIKE $1`, "% "+before.Key+" %")
			}
		}
		if err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return a.Record(ctx, tx, "practice.term.save", termSubject(x.ID, x.Kind, x.Key), x.Kind+" "+x.Key)
	})
	if db.IsUniqueViolation(err) {
		return []Problem{{"key", "practice.err.key_taken"}}, nil
	}
	if errors.Is(err, errTooManyTerms) {
		return []Problem{{"key", "practice.err.too_many_terms"}}, nil
	}
	return nil, err
}

// DeleteTerm removes a term that no practice version uses.
func (s *Store) DeleteTerm(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var x Term
		err := tx.QueryRowContext(ctx, `SELECT kind, key FROM practice_terms WHERE id = $1`, id).Scan(&x.Kind, &x.Key)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		// Any revision may be restored later, so every one counts.
		col := map[string]string{KindTheme: "themes", KindGroup: "target_groups"}[x.Kind]
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM practice_revisions WHERE record LIKE $1`,
			`%"`+x.Key+`"%`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM practices WHERE ' ' || `+col+` || ' ' LIKE $1`, "% "+x.Key+" %").Scan(&n)
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrTermInUse
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM practice_terms WHERE id = $1`, id); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return a.Record(ctx, tx, "practice.term.delete", termSubject(id, x.Kind, x.Key), x.Kind+" "+x.Key)
	})
}

// termSubject names a theme or target group in the audit log.
func termSubject(id int64, kind, key string) audit.Subject {
	return audit.Subject{Kind: "practice-term", ID: id, Title: kind + " " + key, Path: "/admin/practice-terms"}
}
