// Package search is the single text analyzer behind full-text search.
//
// Stemming happens in Go, not in the database: documents are stored as
// IndexText (stems separated by spaces) and queries are expanded to stems
// by Parse. SQLite FTS5 (tokenizer unicode61) and PostgreSQL
// (to_tsvector/to_tsquery with the 'simple' configuration) then only split
// on spaces and compare plain terms, so both engines find the same rows.
//
// Storing and searching:
//
//	SQLite:     CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61 remove_diacritics 2')
//	            INSERT INTO docs(rowid, body) VALUES ($1, $2)          -- $2 = IndexText(text, lang)
//	            SELECT rowid FROM docs WHERE docs MATCH $1 ORDER BY bm25(docs)   -- $1 = q.FTS5()
//	PostgreSQL: vec tsvector, filled with to_tsvector('simple', $2)    -- $2 = IndexText(text, lang)
//	            WHERE vec @@ to_tsquery('simple', $1) ORDER BY ts_rank_cd(vec, to_tsquery('simple', $1)) DESC
//
// The engines match the same rows. Their scores are computed over the same
// terms but with different formulas (BM25, cover density), so rankings are
// similar, not identical.
package search

import (
	"iter"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxIndexTerms is the number of terms IndexText keeps. PostgreSQL cannot
// record positions past 16,383, so later phrase matches would differ between
// the engines.
const MaxIndexTerms = 16383

// PostgreSQL silently skips words of 2 KB and more; a shorter cap keeps both
// engines in step and keeps junk (hashes, base64) out of the index.
const maxTermBytes = 100

// stemLanguages are the languages Parse expands every query word under.
var stemLanguages = []string{"de", "en", "fr"}

type language struct {
	stem  func(*snowball.Env) bool
	stops map[string]bool
	// prepare adjusts a folded word before stemming; may be nil.
	prepare func(string) string
	// seen remembers the terms of tokens already analysed.
	seen *memo
}

// Stop words are written folded (as Terms sees them). The lists are short on
// purpose: a query word that is a stop word in any of the languages is
// ignored (see Parse), so each entry costs the other languages a word.
var languages = map[string]language{
	"de": {stem: german.Stem, seen: newMemo(), stops: set(`
		aber als am an auch auf aus bei bis da das dass dem den der des die ein eine
		einem einen einer eines es im in ist nach nicht noch oder sich sie sind und
		vom von wie wir zu zum zur uber`)},
	// No "it": in this domain it is usually "IT" (information technology).
	"en": {stem: english.Stem, seen: newMemo(), stops: set(`
		a an and are as at be by for from has have in is of on or s t that the their
		this to was were which with`)},
	// Single letters are the elided articles and pronouns (l'ecole, d'un, qu'il).
	"fr": {stem: french.Stem, prepare: frenchEndings, seen: newMemo(), stops: set(`
		a au aux avec c ce ces d dans de des du elle en et est il ils j l la le les
		leur m n ne ou par pas pour qu que qui s se ses sur un une y`)},
}

// frenchEndings exists because the French stemmer relies on accents to
// recognise -ée, -ées and -ière, which folding removed: without help
// "partagée" would stem to "partage" while "partagé" stems to "partag".
// Trimming the doubled letter gives the stemmer an ending it reduces like
// the other forms of the word.
func frenchEndings(t string) string {
	for _, r := range [...][2]string{{"ees", "es"}, {"ee", "e"}, {"ieres", "iers"}, {"iere", "ier"}} {
		if len(t) > len(r[0])+1 && strings.HasSuffix(t, r[0]) {
			return t[:len(t)-len(r[0])] + r[1]
		}
	}
	return t
}

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// lookup accepts "de", "DE", "de-CH", "fr_CA" and so on.
// Any other code yields the zero language: no stemmer, no stop words.
func lookup(lang string) language {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return languages[strings.ToLower(lang)]
}

// Terms returns the index terms of text in language lang: tokens of letters
// and digits, case-folded, without diacritics, stop words removed, stemmed.
// Languages without a stemmer get folding only (no stop words either).
func Terms(text, lang string) []string {
	l := lookup(lang)
	var a analyzer
	var out []string
	scan(text, func(start, end int) {
		if t := a.term(text[start:end], l); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// IndexText is Terms joined by single spaces: the value for the FTS5 column
// and for to_tsvector('simple', …). At most MaxIndexTerms terms are kept.
func IndexText(text, lang string) string {
	terms := Terms(text, lang)
	if len(terms) > MaxIndexTerms {
		terms = terms[:MaxIndexTerms]
	}
	return strings.Join(terms, " ")
}

// analyzer holds per-call state that must not be shared between goroutines.
type analyzer struct {
	fold *cases.Caser
	env  *snowball.Env
}

// term folds, filters and stems one raw token; "" means the token is dropped.
func (a *analyzer) term(raw string, l language) string {
	if l.seen == nil {
		return a.analyse(raw, l)
	}
	if t, ok := l.seen.get(raw); ok {
		return t
	}
	t := a.analyse(raw, l)
	l.seen.put(raw, t)
	return t
}

func (a *analyzer) analyse(raw string, l language) string {
	t := a.foldToken(raw)
	if t == "" || len(t) > maxTermBytes || l.stops[t] {
		return ""
	}
	return a.stem(t, l)
}

func (a *analyzer) stem(t string, l language) string {
	if l.stem == nil {
		return t
	}
	if a.env == nil {
		a.env = snowball.NewEnv("")
	}
	if l.prepare != nil {
		t = l.prepare(t)
	}
	a.env.SetCurrent(t)
	l.stem(a.env)
	return a.env.Current()
}

// memo maps raw tokens to their terms in one language. Texts repeat their
// words, so most tokens are looked up instead of folded and stemmed again;
// it starts afresh when full, which bounds its memory.
type memo struct {
	mu    sync.RWMutex
	terms map[string]string
}

const memoSize = 1 << 17

func newMemo() *memo { return &memo{terms: make(map[string]string)} }

func (m *memo) get(raw string) (string, bool) {
	m.mu.RLock()
	t, ok := m.terms[raw]
	m.mu.RUnlock()
	return t, ok
}

func (m *memo) put(raw, term string) {
	if len(raw) > maxTermBytes {
		return
	}
	m.mu.Lock()
	if len(m.terms) >= memoSize {
		m.terms = make(map[string]string)
	}
	// The token is a slice of a possibly long text: keep a copy, not the text.
	m.terms[strings.Clone(raw)] = term
	m.mu.Unlock()
}

// scan calls fn with the byte range of every token: a run of letters, digits
// and combining marks. Marks belong to the token so that decomposed input
// ("e" + U+0301) is not split in two.
func scan(text string, fn func(start, end int)) {
	for t := range tokens(text) {
		fn(t.from, t.to)
	}
}

// span is a token's byte range.
type span struct{ from, to int }

// tokens yields the byte range of every token, as scan describes them.
func tokens(text string) iter.Seq[span] {
	return func(yield func(span) bool) {
		start := -1
		for i, r := range text {
			if isTokenRune(r) {
				if start < 0 {
					start = i
				}
			} else if start >= 0 {
				if !yield(span{start, i}) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(span{start, len(text)})
		}
	}
}

func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// foldToken case-folds a token and strips diacritics. The result holds only
// letters and ASCII digits, which every tokenizer involved keeps as one word.
func (a *analyzer) foldToken(tok string) string {
	ascii := true
	for i := 0; i < len(tok); i++ {
		if tok[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(tok)
	}
	if a.fold == nil {
		c := cases.Fold()
		a.fold = &c
	}
	// Case folding first: it turns ß into ss and İ into i + dot, which NFD
	// then splits into base letter and a mark we drop.
	s := norm.NFD.String(a.fold.String(tok))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case unicode.IsMark(r):
		case foldTable[r] != "":
			b.WriteString(foldTable[r])
		case unicode.IsDigit(r):
			b.WriteByte(byte('0' + digitValue(r)))
		case unicode.IsLetter(r):
			// Folding maps Cherokee to upper case; PostgreSQL's lower() would
			// undo that on one side only.
			b.WriteRune(unicode.ToLower(r))
		}
	}
	// Recompose what NFD split without marks (Hangul syllables), so terms
	// stay readable and match text that was never decomposed.
	return norm.NFC.String(b.String())
}

// foldTable covers letters that NFD leaves alone (they have no combining
// mark to strip) but that people type without their diacritic.
var foldTable = map[rune]string{
	'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th",
	'ħ': "h", 'ı': "i", 'ŀ': "l", 'ŧ': "t", 'ĳ': "ij", 'ß': "ss", 'ſ': "s",
}

// digitValue maps any decimal digit to 0–9. Unicode encodes every decimal
// digit set as ten consecutive code points starting at zero.
func digitValue(r rune) int {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return 0
}

// Fold makes names comparable and sortable regardless of case and
// accents: lower case, no accents, single spaces.
func Fold(s string) string { return strings.Join(Terms(s, ""), " ") }
