package voice

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/search"
)

var linkRe = regexp.MustCompile(`(?i)(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|ru|xyz|info|biz|top|io|shop|click|online)\b)`)

// HasLink reports whether text contains something that looks like a link.
func HasLink(text string) bool { return mayLink(text) && linkRe.MatchString(text) }

var linkEnds = map[string]bool{"com": true, "net": true, "org": true, "ru": true, "xyz": true, "info": true, "biz": true, "top": true,
	"io": true, "shop": true, "click": true, "online": true}

// mayLink is true for every text linkRe matches, and cheap: most ideas
// have none of its parts, and the expression need not run.
func mayLink(text string) bool {
	if strings.Contains(text, "://") || strings.ContainsAny(text, "\u017f\u212a") { // ſ and K fold to s and k
		return true
	}
	var word [8]byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case 'w', 'W':
			if i+4 <= len(text) && strings.EqualFold(text[i:i+4], "www.") {
				return true
			}
		case '.':
			n := 0
			for j := i + 1; j < len(text) && isWordByte(text[j]); j++ {
				if n == len(word) {
					n = 0
					break
				}
				word[n] = text[j] | 0x20
				n++
			}
			if n > 0 && linkEnds[string(word[:n])] {
				return true
			}
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// Signals are what the spam defence knows about one submission beyond its
// text; Assess turns them and the text into a decision.
type Signals struct {
	Honeypot  bool          // the hidden field was filled
	FillTime  time.Duration // from the form's first display to its sending; 0: unknown
	Proof     bool          // a valid, unused proof of work came with it
	NeedProof bool          // the channel requires one (API)
	Recent    int           // ideas from the same network prefix this hour, before this one
	Limit     int           // the prefix's hourly limit (0: none)
}

// MinFillTime is the shortest time a person takes to write an idea.
const MinFillTime = 4 * time.Second

// BurstAt is the number of ideas per prefix and hour from which new ones
// wait for a moderator.
const BurstAt = 10

// Decision is the spam defence's answer.
type Decision struct {
	Reject bool     // refuse, store nothing
	Why    string   // catalog key of the reason when rejected
	Flags  []string // hold for a moderator with these flags
}

// Assess decides about one idea. words is the moderators' word list and
// duplicate tells whether the idea nearly repeats a recent one.
func Assess(text string, sig Signals, words []string, duplicate bool) Decision {
	if sig.Honeypot {
		return Decision{Reject: true, Why: "voice.err.rejected"}
	}
	if sig.NeedProof && !sig.Proof {
		return Decision{Reject: true, Why: "voice.err.pow"}
	}
	if sig.Limit > 0 && sig.Recent >= sig.Limit {
		return Decision{Reject: true, Why: "voice.err.limit"}
	}
	var d Decision
	if !sig.Proof {
		d.Flags = append(d.Flags, FlagNoPoW)
	}
	if sig.FillTime > 0 && sig.FillTime < MinFillTime {
		d.Flags = append(d.Flags, FlagFast)
	}
	if HasLink(text) {
		d.Flags = append(d.Flags, FlagLinks)
	}
	if WordHit(text, words) != "" {
		d.Flags = append(d.Flags, FlagWords)
	}
	if sig.Recent >= BurstAt {
		d.Flags = append(d.Flags, FlagBurst)
	}
	if duplicate {
		d.Flags = append(d.Flags, FlagDuplicate)
	}
	return d
}

// WordHit returns the first listed word the text contains (folded, whole
// words or word starts), or "".
func WordHit(text string, words []string) string {
	if len(words) == 0 {
		return ""
	}
	toks := map[string]bool{}
	for _, t := range search.Terms(text, "") {
		toks[t] = true
	}
	for _, w := range words {
		ws := search.Terms(w, "")
		if len(ws) == 0 {
			continue
		}
		all := true
		for _, x := range ws {
			all = all && toks[x]
		}
		if all {
			return w
		}
	}
	return ""
}

// Simhash is a 64-bit fingerprint of text's word trigrams: near-identical
// texts have fingerprints a few bits apart.
func Simhash(text string) uint64 {
	terms := search.Terms(text, "")
	if len(terms) == 0 {
		return 0
	}
	var v [64]int
	add := func(s string) {
		x := fnv64a(s)
		for i := 0; i < 64; i++ {
			if x&(1<<i) != 0 {
				v[i]++
			} else {
				v[i]--
			}
		}
	}
	if len(terms) < 3 {
		add(strings.Join(terms, " "))
	}
	var b []byte
	for i := 0; i+2 < len(terms); i++ {
		b = append(append(append(append(append(b[:0], terms[i]...), ' '), terms[i+1]...), ' '), terms[i+2]...)
		add(string(b)) // no copy: the conversion does not escape
	}
	var out uint64
	for i := 0; i < 64; i++ {
		if v[i] > 0 {
			out |= 1 << i
		}
	}
	return out
}

// fnv64a is FNV-1a, 64 bits (hash/fnv's, without its allocation).
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// NearDuplicate: fingerprints at most 6 bits apart.
func NearDuplicate(a, b uint64) bool { return a != 0 && b != 0 && bits.OnesCount64(a^b) <= 6 }

// recentCache keeps the fingerprints of each consultation's latest ideas
// as the database holds them, stored by any app server: the writer reads
// the ideas added since its last batch in each batch's transaction, so
// checking for near-duplicates costs one short query per consultation and
// batch, not one per idea.
type recentCache struct {
	m map[int64]*recentList // used by the writer's goroutine alone
}

type recentList struct {
	last   int64    // the highest idea id read
	hashes []uint64 // oldest first, the latest recentSize to twice as many
}

const recentSize = 2000

// recentIn brings the consultation's list up to date with the database
// (inside the writer's transaction) and answers it.
func (w *Writer) recentIn(ctx context.Context, tx *sql.Tx, consultation int64) (*recentList, error) {
	if w.recent.m == nil {
		w.recent.m = map[int64]*recentList{}
	}
	l := w.recent.m[consultation]
	if l == nil {
		l = &recentList{}
		w.recent.m[consultation] = l
	}
	// "+consultation_id": walk the ids above the last one read, not every
	// idea of the consultation (which its index would offer).
	rows, err := tx.QueryContext(ctx, `SELECT id, simhash FROM voice_ideas WHERE id > $2 AND +consultation_id = $1 ORDER BY id DESC LIMIT `+itoa(recentSize),
		consultation, l.last)
	if err != nil {
		return nil, fmt.Errorf("reading recent ideas: %w", err)
	}
	var added []uint64
	for rows.Next() {
		var id, x int64
		if err := rows.Scan(&id, &x); err != nil {
			rows.Close()
			return nil, err
		}
		l.last = max(l.last, id)
		added = append(added, uint64(x))
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	slices.Reverse(added)
	l.hashes = append(l.hashes, added...)
	l.trim()
	return l, nil
}

// add records an idea the writer stores, so the next batch need not read
// it back: every idea of the consultation with a lower id was committed
// before (see lockConsultations), and read.
func (l *recentList) add(id int64, h uint64) {
	l.last = max(l.last, id)
	l.hashes = append(l.hashes, h)
	l.trim()
}

func (l *recentList) trim() {
	if len(l.hashes) > 2*recentSize {
		l.hashes = append([]uint64(nil), l.hashes[len(l.hashes)-recentSize:]...)
	}
}

// nearDuplicateOf tells whether h nearly repeats one of the fingerprints.
func nearDuplicateOf(list []uint64, h uint64) bool {
	for _, x := range list {
		if NearDuplicate(x, h) {
			return true
		}
	}
	return false
}

// Words lists the moderators' word list.
func (s *Store) Words(ctx context.Context) ([]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT word FROM voice_words ORDER BY word`)
	if err != nil {
		return nil, fmt.Errorf("reading the word list: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetWords replaces the word list.
func (s *Store) SetWords(ctx context.Context, a audit.Actor, words []string) error {
	now := db.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// Every server's writer sees the counter move and reads the list again.
		if _, err := tx.ExecContext(ctx, `UPDATE voice_words_version SET value = value + 1 WHERE id = 1`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM voice_words`); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, w := range words {
			w = strings.ToLower(strings.TrimSpace(w))
			if w == "" || seen[w] || len(w) > 100 {
				continue
			}
			seen[w] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO voice_words (word, created_at) VALUES ($1, $2)`, w, now); err != nil {
				return err
			}
		}
		return a.Record(ctx, tx, "voice.words.save", audit.Subject{Kind: "words", Title: "voice word list", Path: "/admin/ideas/words"}, fmt.Sprintf("%d words", len(seen)))
	})
}

// DetectLang guesses the language an idea is written in from its script
// and its commonest words; "" when unsure.
func DetectLang(text string) string {
	var arabic, greek, cyr, han, kana, latin int
	ukr := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Greek, r):
			greek++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
			if strings.ContainsRune("іїєґІЇЄҐ", r) {
				ukr = true
			}
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case arabic > latin && arabic > cyr:
		return "ar"
	case greek > latin:
		return "el"
	case cyr > latin:
		if ukr {
			return "uk"
		}
		return "ru"
	case kana > 0 && kana+han > latin:
		return "ja"
	case han > latin:
		return "zh"
	}
	best, bestN := "", 0
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for lang, list := range commonWords {
		n := 0
		for _, w := range words {
			if list[w] {
				n++
			}
		}
		if n > bestN {
			best, bestN = lang, n
		}
	}
	return best
}

var commonWords = map[string]map[string]bool{
	"de": wordSet("der die das und ist nicht mit für ein eine mehr wir sich auf den dem im zu es gibt sollte sollten wäre würde mehr bitte"),
	"en": wordSet("the and is are not with for more we should would a an of to in it there please our could"),
	"fr": wordSet("le la les et est pas avec pour un une plus nous des du dans il y faudrait serait notre devrait"),
	"tr": wordSet("ve bir bu için daha çok ile de da olsun olmalı gibi her şehir daha biz ama"),
	"pl": wordSet("i w na nie jest się z do że dla więcej miasto być powinno"),
	"es": wordSet("el la los las y es no con para un una más nosotros del en que"),
	"it": wordSet("il lo la gli le e è non con per un una più noi del nella che"),
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// wordsIn answers the word list as of the writer's transaction: the list
// is read again only when its counter moved (a moderator saved it on any
// server).
func (w *Writer) wordsIn(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM voice_words_version WHERE id = 1`).Scan(&v); err != nil {
		return nil, fmt.Errorf("reading the word list's version: %w", err)
	}
	if v == w.words.version && w.words.read {
		return w.words.list, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT word FROM voice_words ORDER BY word`)
	if err != nil {
		return nil, fmt.Errorf("reading the word list: %w", err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		list = append(list, w)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	w.words.list, w.words.version, w.words.read = list, v, true
	return list, nil
}

// wordCache is the word list the writer last read (its goroutine alone
// uses it).
type wordCache struct {
	list    []string
	version int64
	read    bool
}
