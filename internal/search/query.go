package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what one search box can ask of the database.
const (
	maxQueryBytes = 1000
	maxGroups     = 16
)

// Query is a parsed search box. The zero value is empty.
type Query struct {
	must []group // a row must match every group
	not  []group // a row must match none of these
}

// group lists the alternative spellings of one query item: its stems under
// each language. An alternative is a sequence of terms that must be adjacent
// and in order (a single term for a plain word).
type group [][]string

// Parse reads a search box in any language:
//
//	Schulen Stadt        both words (AND)
//	"city of light"      a phrase: terms adjacent and in order
//	-word -"a phrase"    rows matching these are left out
//
// The reader's language is unknown, so each word becomes the OR of its stems
// under de, en and fr and of its folded form (for documents in languages
// without a stemmer): "Schulen" → schul | schulen. A phrase, or a word that
// splits into several tokens such as "l'école" or "e-mail", is stemmed as a
// whole once per language.
//
// A word that is a stop word in any of the languages is ignored: documents
// in that language never index it, so requiring it would hide them. When
// only such words are left ("the", "die"), they are kept.
//
// Only the first 1000 bytes and 16 items of each kind are used; nothing in
// the input is treated as database syntax.
func Parse(q string) Query {
	if len(q) > maxQueryBytes {
		i := maxQueryBytes
		for i > 0 && !utf8.RuneStart(q[i]) {
			i--
		}
		q = q[:i]
	}
	var a analyzer
	var must, not []item
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		neg := false
		if q[i] == '-' {
			neg = true
			i++
		}
		var text string
		quoted := i < len(q) && q[i] == '"'
		if quoted {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				end = len(q) - i - 1 // an unclosed quote runs to the end
			}
			text = q[i+1 : i+1+end]
			i += end + 2
		} else {
			end := strings.IndexFunc(q[i:], func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
			if end < 0 {
				end = len(q) - i
			}
			text = q[i : i+end]
			i += end
		}
		it, ok := a.item(text, quoted)
		if !ok {
			continue
		}
		if neg {
			not = append(not, it)
		} else {
			must = append(must, it)
		}
	}

	keepStops := true
	for _, it := range must {
		if !it.stop {
			keepStops = false
		}
	}
	return Query{must: groups(must, keepStops), not: groups(not, false)}
}

type item struct {
	alts group
	stop bool // a single word that is a stop word in some language
}

func (a *analyzer) item(text string, quoted bool) (item, bool) {
	var tokens []string
	scan(text, func(start, end int) {
		if t := a.foldToken(text[start:end]); t != "" && len(t) <= maxTermBytes {
			tokens = append(tokens, t)
		}
	})
	switch {
	case len(tokens) == 0:
		return item{}, false
	case len(tokens) == 1 && !quoted:
		t := tokens[0]
		var it item
		for _, code := range stemLanguages {
			l := languages[code]
			it.stop = it.stop || l.stops[t]
			it.alts = appendAlt(it.alts, []string{a.stem(t, l)})
		}
		it.alts = appendAlt(it.alts, []string{t})
		return it, true
	}
	var alts group
	for _, code := range stemLanguages {
		l := languages[code]
		var phrase []string
		for _, t := range tokens {
			if !l.stops[t] {
				phrase = append(phrase, a.stem(t, l))
			}
		}
		if len(phrase) > 0 {
			alts = appendAlt(alts, phrase)
		}
	}
	return item{alts: appendAlt(alts, tokens)}, true
}

// appendAlt adds alt unless g already has it.
func appendAlt(g group, alt []string) group {
	for _, have := range g {
		if strings.Join(have, " ") == strings.Join(alt, " ") {
			return g
		}
	}
	return append(g, alt)
}

// groups drops stop words (unless keepStops) and repeated items, and caps
// the count.
func groups(items []item, keepStops bool) []group {
	var out []group
	seen := make(map[string]bool)
	for _, it := range items {
		key := it.alts.fts5()
		if (it.stop && !keepStops) || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, it.alts)
		if len(out) == maxGroups {
			break
		}
	}
	return out
}

// Empty reports whether the query asks for nothing at all; the caller shows
// its normal, unfiltered listing.
func (q Query) Empty() bool { return len(q.must) == 0 && len(q.not) == 0 }

// HasPositive reports whether the query has something rows must match. A
// query that is not Empty but has no positive part ("-parking") means: every
// row except those matching ExcludedFTS5 / ExcludedTSQuery.
func (q Query) HasPositive() bool { return len(q.must) > 0 }

// FTS5 returns the expression for "WHERE docs MATCH ?", or "" when the query
// has no positive part (FTS5 cannot evaluate a bare NOT). Every term is a
// double-quoted string, so no user input is read as FTS5 syntax.
func (q Query) FTS5() string {
	if len(q.must) == 0 {
		return ""
	}
	parts := make([]string, len(q.must))
	for i, g := range q.must {
		parts[i] = g.fts5()
	}
	expr := strings.Join(parts, " AND ")
	if len(q.not) == 0 {
		return expr
	}
	return "(" + expr + ") NOT (" + q.ExcludedFTS5() + ")"
}

// ExcludedFTS5 returns an FTS5 expression matching the rows the query
// excludes, or "" when it excludes nothing. For a query without a positive
// part: "WHERE rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?)".
func (q Query) ExcludedFTS5() string {
	var alts []string
	for _, g := range q.not {
		for _, alt := range g {
			alts = append(alts, fts5Phrase(alt))
		}
	}
	return strings.Join(alts, " OR ")
}

// TSQuery returns the expression for "vec @@ to_tsquery('simple', $1)",
// or "" when the query has no positive part, like FTS5. Every term is a
// single-quoted, escaped operand.
func (q Query) TSQuery() string {
	if len(q.must) == 0 {
		return ""
	}
	parts := make([]string, len(q.must))
	for i, g := range q.must {
		parts[i] = g.tsquery()
	}
	expr := strings.Join(parts, " & ")
	if len(q.not) == 0 {
		return expr
	}
	return expr + " & !( " + q.ExcludedTSQuery() + " )"
}

// ExcludedTSQuery is ExcludedFTS5 for PostgreSQL: for a query without a
// positive part, "WHERE NOT (vec @@ to_tsquery('simple', $1))".
func (q Query) ExcludedTSQuery() string {
	var alts []string
	for _, g := range q.not {
		for _, alt := range g {
			alts = append(alts, tsPhrase(alt))
		}
	}
	return strings.Join(alts, " | ")
}

func (g group) fts5() string {
	if len(g) == 1 {
		return fts5Phrase(g[0])
	}
	alts := make([]string, len(g))
	for i, alt := range g {
		alts[i] = fts5Phrase(alt)
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

func (g group) tsquery() string {
	if len(g) == 1 {
		return tsPhrase(g[0])
	}
	alts := make([]string, len(g))
	for i, alt := range g {
		alts[i] = tsPhrase(alt)
	}
	return "( " + strings.Join(alts, " | ") + " )"
}

// fts5Phrase writes one FTS5 string; the tokenizer splits it on the spaces
// into a phrase. Terms never hold quotes, but escaping keeps that a
// non-issue for safety.
func fts5Phrase(terms []string) string {
	return `"` + strings.ReplaceAll(strings.Join(terms, " "), `"`, `""`) + `"`
}

func tsPhrase(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		t = strings.ReplaceAll(t, `\`, `\\`)
		quoted[i] = "'" + strings.ReplaceAll(t, "'", "''") + "'"
	}
	return strings.Join(quoted, " <-> ")
}

// positiveTerms is every term a matching row may contain, for highlighting.
func (q Query) positiveTerms() map[string]bool {
	terms := make(map[string]bool)
	for _, g := range q.must {
		for _, alt := range g {
			for _, t := range alt {
				terms[t] = true
			}
		}
	}
	return terms
}
