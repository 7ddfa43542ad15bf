package voice

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/mail"
	"observatory/internal/search"
)

// Submission is one idea on its way into the database.
type Submission struct {
	ConsultationID int64
	Body           string
	Lang           string
	Theme          string
	Neighbourhood  string
	AgeGroup       string
	Channel        string
	ExhibitionID   int64
	StationID      int64
	Card           string
	State          string // StateWaiting or StatePublished
	Flags          []string
	PrefixHash     string // "" for transcribed cards: not counted
	Limit          int    // ideas per prefix and hour (0: none)
	PowSignature   string // spent with the idea; "" when none came
	PowExpires     time.Time
	IdemKey        string
	Simhash        uint64
	Email          string
	EmailToken     string
	Mail           *OutMail // the confirmation message, when an e-mail was given
}

// OutMail is a message to queue with the idea.
type OutMail struct{ To, Subject, Body string }

// Accepted is what the writer answers for a stored idea.
type Accepted struct {
	ID      int64
	Receipt string
	State   string
	Again   bool // an earlier submission with the same idempotency key
}

type job struct {
	sub  Submission
	done chan result
}

type result struct {
	acc Accepted
	err error
}

// Writer stores ideas through one goroutine that commits whatever is
// queued in one transaction (group commit): under load, thousands of ideas
// share one durable commit, and each is acknowledged only after it.
type Writer struct {
	store *Store
	queue chan *job // pointers: the buffer of a value channel is allocated in full at the start
	// MaxBatch bounds one transaction.
	MaxBatch int
	// Committed is called after each commit with the batch's size (metrics).
	Committed func(n int, took time.Duration)

	recent recentCache // the consultations' latest fingerprints
	words  wordCache   // the moderators' word list

	beforeCommit func(*sql.Tx) // tests: runs at the end of each batch's transaction
}

// NewWriter starts the writer; it runs until ctx ends.
func NewWriter(ctx context.Context, s *Store) *Writer {
	w := &Writer{store: s, queue: make(chan *job, 4096), MaxBatch: 2000}
	go w.run(ctx)
	return w
}

// Submit queues an idea and waits until it is committed (or refused).
func (w *Writer) Submit(ctx context.Context, sub Submission) (Accepted, error) {
	j := &job{sub: sub, done: make(chan result, 1)}
	select {
	case w.queue <- j:
	case <-ctx.Done():
		return Accepted{}, ctx.Err()
	}
	// Once queued the idea will be committed or refused; wait for the
	// answer even if the client leaves, so nothing is half-acknowledged.
	r := <-j.done
	return r.acc, r.err
}

func (w *Writer) run(ctx context.Context) {
	var batch []*job // grows with the load, up to MaxBatch
	for {
		batch = batch[:0]
		select {
		case j := <-w.queue:
			batch = append(batch, j)
		case <-ctx.Done():
			return
		}
	fill:
		for len(batch) < w.MaxBatch {
			select {
			case j := <-w.queue:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		start := time.Now()
		results, err := w.commit(context.WithoutCancel(ctx), batch)
		for i, j := range batch {
			if err != nil {
				j.done <- result{err: fmt.Errorf("storing idea: %w", err)}
				continue
			}
			j.done <- results[i]
		}
		if err == nil && w.Committed != nil {
			w.Committed(len(batch), time.Since(start))
		}
	}
}

// maxParams bounds the parameters of one multi-row statement.
const maxParams = 960

// commit stores a batch in one transaction with a few multi-row statements
// (a round trip per statement matters on PostgreSQL). A submission refused
// for its own sake (a spent proof, a limit) gets its error; the others go on.
func (w *Writer) commit(ctx context.Context, batch []*job) ([]result, error) {
	s := w.store
	dl := s.DB.Dialect
	out := make([]result, len(batch))
	now := db.Now()
	bucket := hourBucket(now)
	// Ideas that wait for a moderator, spent proofs and counts are seen by
	// no public answer: the data version moves only for a batch that
	// published an idea, so the kept pages stay while ideas come in.
	published := false
	err := s.DB.TxPrivate(ctx, func(tx *sql.Tx) error {
		cons, err := consultationsIn(ctx, tx, dl, batch)
		if err != nil {
			return fmt.Errorf("reading consultations: %w", err)
		}
		// Ideas sent again under an idempotency key answer what the first
		// one got: in the database, or earlier in this batch.
		var keys []any
		for _, j := range batch {
			if j.sub.IdemKey != "" {
				keys = append(keys, j.sub.IdemKey)
			}
		}
		known, err := knownKeys(ctx, tx, dl, keys)
		if err != nil {
			return fmt.Errorf("reading idempotency keys: %w", err)
		}
		// Each network prefix's hourly count goes up once per batch by the
		// number of its ideas in it; the row lock this takes (in prefix
		// order, so two servers never wait on each other in a circle) keeps
		// the count exact across servers, and each idea's place in it is
		// what it was before the batch plus its rank in the batch.
		perPrefix := map[string]int{}
		for _, j := range batch {
			if j.sub.PrefixHash != "" {
				perPrefix[j.sub.PrefixHash]++
			}
		}
		seenBefore, err := countPrefixes(ctx, tx, dl, perPrefix, bucket)
		if err != nil {
			return fmt.Errorf("counting network prefixes: %w", err)
		}
		// Proofs of work are spent at once; the database answers which
		// were still unspent, and within the batch the first one wins.
		var sigs [][]any
		for _, j := range batch {
			if _, again := known[j.sub.IdemKey]; j.sub.PowSignature != "" && !again {
				sigs = append(sigs, []any{j.sub.PowSignature, j.sub.PowExpires.UTC()})
			}
		}
		fresh, err := spendProofs(ctx, tx, dl, sigs)
		if err != nil {
			return fmt.Errorf("spending proofs of work: %w", err)
		}
		// The word list and each consultation's recent fingerprints as the
		// database holds them, whichever server stored them.
		words, err := w.wordsIn(ctx, tx)
		if err != nil {
			return err
		}
		recent := map[int64]*recentList{}
		for _, j := range batch {
			if _, ok := recent[j.sub.ConsultationID]; !ok {
				if recent[j.sub.ConsultationID], err = w.recentIn(ctx, tx, j.sub.ConsultationID); err != nil {
					return err
				}
			}
		}
		inBatch := map[int64][]uint64{} // fingerprints stored earlier in this batch
		seen := map[string]int{}        // idempotency keys in this batch → index
		var rows [][]any
		var at []int // batch index of each row
		for i, j := range batch {
			sub := j.sub
			// The consultation as the database holds it decides: the
			// handler checked a copy up to a second old.
			c := cons[sub.ConsultationID]
			switch {
			case c == nil || !c.Open(time.Now()):
				out[i] = result{err: ErrClosed}
				continue
			case sub.Theme != "" && !c.HasTheme(sub.Theme):
				out[i] = result{err: ErrTheme}
				continue
			}
			sub.State = StateWaiting
			if c.Moderation == "after" && len(sub.Flags) == 0 {
				sub.State = StatePublished
			}
			if sub.IdemKey != "" {
				if k, ok := seen[sub.IdemKey]; ok && out[k].err == nil {
					out[i] = result{acc: out[k].acc}
					out[i].acc.Again = true
					continue
				}
				if a, ok := known[sub.IdemKey]; ok {
					out[i] = result{acc: a}
					continue
				}
			}
			if sub.PowSignature != "" {
				if !fresh[sub.PowSignature] {
					out[i] = result{err: ErrReplay}
					continue
				}
				delete(fresh, sub.PowSignature)
			}
			if sub.PrefixHash != "" {
				seenBefore[sub.PrefixHash]++
				n := seenBefore[sub.PrefixHash]
				if sub.Limit > 0 && n > sub.Limit {
					out[i] = result{err: ErrRateLimited}
					continue
				}
				if n > BurstAt {
					sub.State, sub.Flags = StateWaiting, append(sub.Flags, FlagBurst)
				}
			}
			if WordHit(sub.Body, words) != "" {
				sub.State, sub.Flags = StateWaiting, append(sub.Flags, FlagWords)
			}
			if nearDuplicateOf(recent[sub.ConsultationID].hashes, sub.Simhash) || nearDuplicateOf(inBatch[sub.ConsultationID], sub.Simhash) {
				sub.State, sub.Flags = StateWaiting, append(sub.Flags, FlagDuplicate)
			}
			inBatch[sub.ConsultationID] = append(inBatch[sub.ConsultationID], sub.Simhash)
			var idemKey any
			if sub.IdemKey != "" {
				idemKey = sub.IdemKey
				seen[sub.IdemKey] = i
			}
			var decided any
			if sub.State == StatePublished {
				decided = now
			}
			out[i] = result{acc: Accepted{Receipt: newReceipt(), State: sub.State}}
			rows = append(rows, []any{sub.ConsultationID, out[i].acc.Receipt, sub.Body, sub.Lang, sub.Theme, sub.Neighbourhood, sub.AgeGroup,
				sub.Channel, nullID(sub.ExhibitionID), nullID(sub.StationID), sub.Card, sub.State, joinFlags(sub.Flags), sub.Email, sub.EmailToken,
				sub.PrefixHash, idemKey, int64(sub.Simhash), now, decided})
			at = append(at, i)
			batch[i].sub = sub
		}
		ids, err := insertIdeas(ctx, tx, dl, rows)
		if err != nil {
			return fmt.Errorf("storing ideas: %w", err)
		}
		var docs [][]any
		for _, i := range at {
			sub := batch[i].sub
			out[i].acc.ID = ids[out[i].acc.Receipt]
			recent[sub.ConsultationID].add(out[i].acc.ID, sub.Simhash)
			if sub.State == StatePublished {
				docs = append(docs, []any{out[i].acc.ID, search.IndexText(sub.Body, sub.Lang)})
			}
			if sub.Mail != nil {
				if err := mail.Enqueue(ctx, tx, sub.Mail.To, sub.Mail.Subject, sub.Mail.Body); err != nil {
					return fmt.Errorf("queueing a confirmation: %w", err)
				}
			}
		}
		published = len(docs) > 0
		for _, c := range db.Chunks(docs, 2, maxParams) {
			if _, err := tx.ExecContext(ctx, search.FullTextPutRows(dl, "voice_idea_fts", len(c)), flat(c)...); err != nil {
				return fmt.Errorf("indexing ideas: %w", err)
			}
		}
		if w.beforeCommit != nil {
			w.beforeCommit(tx)
		}
		return nil
	})
	if err != nil {
		w.recent.m = nil // it may hold ideas that were not stored: read again
		return nil, err
	}
	if published {
		if err := s.DB.Bump(ctx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// consultationsIn reads the batch's consultations: whether they are open,
// their themes and moderation. On PostgreSQL it also makes the writers of
// every app server store a consultation's ideas one transaction after the
// other. PostgreSQL hands
// out ids when a row is inserted, not when it is committed: without the
// lock another server's idea could commit after this writer read the
// ideas above its last id, with a lower id, and never be compared for
// near-duplicates. Under the lock (taken before reading the recent ideas,
// in id order, so two writers never wait on each other in a circle) ids
// follow the commits, as they do on SQLite, whose writes are one at a time.
func consultationsIn(ctx context.Context, tx *sql.Tx, dl db.Dialect, batch []*job) (map[int64]*Consultation, error) {
	var ids []any
	seen := map[int64]bool{}
	for _, j := range batch {
		if c := j.sub.ConsultationID; !seen[c] {
			seen[c] = true
			ids = append(ids, c)
		}
	}
	ph := make([]string, len(ids))
	for k := range ids {
		ph[k] = dl.Placeholder(k + 1)
	}
	lock := ""
	if dl.Engine == db.Postgres {
		lock = ` FOR NO KEY UPDATE`
	}
	out := make(map[int64]*Consultation, len(ids))
	err := queryEach(ctx, tx, `SELECT id, opens_at, closes_at, moderation, themes FROM voice_consultations
		WHERE id IN (`+strings.Join(ph, ", ")+`) ORDER BY id`+lock, ids, func(rows *sql.Rows) error {
		var c Consultation
		var themes string
		if err := rows.Scan(&c.ID, &c.OpensAt, &c.ClosesAt, &c.Moderation, &themes); err != nil {
			return err
		}
		c.Themes = splitList(themes)
		out[c.ID] = &c
		return nil
	})
	return out, err
}

// knownKeys answers the stored ideas of the given idempotency keys.
func knownKeys(ctx context.Context, tx *sql.Tx, dl db.Dialect, keys []any) (map[string]Accepted, error) {
	known := map[string]Accepted{}
	for _, c := range db.Chunks(keys, 1, maxParams) {
		ph := make([]string, len(c))
		for k := range c {
			ph[k] = dl.Placeholder(k + 1)
		}
		rows, err := tx.QueryContext(ctx, `SELECT idem_key, id, receipt, state FROM voice_ideas WHERE idem_key IN (`+strings.Join(ph, ", ")+`)`, c...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			a := Accepted{Again: true}
			if err := rows.Scan(&k, &a.ID, &a.Receipt, &a.State); err != nil {
				rows.Close()
				return nil, err
			}
			known[k] = a
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return known, nil
}

// countPrefixes adds each prefix's ideas to its hourly count and answers
// the count each had before.
func countPrefixes(ctx context.Context, tx *sql.Tx, dl db.Dialect, perPrefix map[string]int, bucket string) (map[string]int, error) {
	prefixes := make([]string, 0, len(perPrefix))
	for p := range perPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	before := map[string]int{}
	for _, c := range db.Chunks(prefixes, 3, maxParams) {
		args := make([]any, 0, 3*len(c))
		for _, p := range c {
			args = append(args, p, bucket, perPrefix[p])
		}
		err := queryEach(ctx, tx, `INSERT INTO voice_rate (prefix_hash, bucket, n) VALUES `+db.ValuesList(dl, len(c), 3, nil)+`
			ON CONFLICT (prefix_hash, bucket) DO UPDATE SET n = voice_rate.n + excluded.n RETURNING prefix_hash, n`, args, func(rows *sql.Rows) error {
			var p string
			var n int
			if err := rows.Scan(&p, &n); err != nil {
				return err
			}
			before[p] = n - perPrefix[p]
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return before, nil
}

// spendProofs marks proofs of work used and answers those that were not.
func spendProofs(ctx context.Context, tx *sql.Tx, dl db.Dialect, sigs [][]any) (map[string]bool, error) {
	fresh := map[string]bool{}
	for _, c := range db.Chunks(sigs, 2, maxParams) {
		err := queryEach(ctx, tx, `INSERT INTO voice_pow_used (signature, expires_at) VALUES `+db.ValuesList(dl, len(c), 2, nil)+`
			ON CONFLICT (signature) DO NOTHING RETURNING signature`, flat(c), func(rows *sql.Rows) error {
			var sig string
			if err := rows.Scan(&sig); err != nil {
				return err
			}
			fresh[sig] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return fresh, nil
}

// insertIdeas stores the rows and answers each one's id by its receipt.
func insertIdeas(ctx context.Context, tx *sql.Tx, dl db.Dialect, rows [][]any) (map[string]int64, error) {
	ids := make(map[string]int64, len(rows))
	for _, c := range db.Chunks(rows, 20, maxParams) {
		err := queryEach(ctx, tx, `INSERT INTO voice_ideas (consultation_id, receipt, body, lang, theme, neighbourhood, age_group, channel,
			exhibition_id, station_id, card, state, flags, email, email_token, prefix_hash, idem_key, simhash, created_at, decided_at)
			VALUES `+db.ValuesList(dl, len(c), 20, nil)+` RETURNING receipt, id`, flat(c), func(rows *sql.Rows) error {
			var receipt string
			var id int64
			if err := rows.Scan(&receipt, &id); err != nil {
				return err
			}
			ids[receipt] = id
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// queryEach runs a statement and calls fn for each row it answers.
func queryEach(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func flat(rows [][]any) []any {
	out := make([]any, 0, len(rows)*2)
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
