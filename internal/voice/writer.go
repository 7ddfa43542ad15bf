package voice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
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
	queue chan job
	// MaxBatch bounds one transaction.
	MaxBatch int
	// Committed is called after each commit with the batch's size (metrics).
	Committed func(n int, took time.Duration)
}

// NewWriter starts the writer; it runs until ctx ends.
func NewWriter(ctx context.Context, s *Store) *Writer {
	w := &Writer{store: s, queue: make(chan job, 4096), MaxBatch: 2000}
	go w.run(ctx)
	return w
}

// Submit queues an idea and waits until it is committed (or refused).
func (w *Writer) Submit(ctx context.Context, sub Submission) (Accepted, error) {
	j := job{sub: sub, done: make(chan result, 1)}
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
	batch := make([]job, 0, w.MaxBatch)
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

// commit stores a batch in one transaction. A submission refused for its
// own sake (a spent proof, a limit) gets its error; the others go on.
func (w *Writer) commit(ctx context.Context, batch []job) ([]result, error) {
	s := w.store
	dl := s.DB.Dialect
	out := make([]result, len(batch))
	now := db.Now()
	bucket := hourBucket(now)
	var stored []Submission
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		idem, err := tx.PrepareContext(ctx, `SELECT id, receipt, state FROM voice_ideas WHERE idem_key = $1`)
		if err != nil {
			return err
		}
		defer idem.Close()
		spend, err := tx.PrepareContext(ctx, `INSERT INTO voice_pow_used (signature, expires_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING`)
		if err != nil {
			return err
		}
		defer spend.Close()
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
		prefixes := make([]string, 0, len(perPrefix))
		for p := range perPrefix {
			prefixes = append(prefixes, p)
		}
		sort.Strings(prefixes)
		seenBefore := map[string]int{}
		for _, p := range prefixes {
			var n int
			if err := tx.QueryRowContext(ctx, `INSERT INTO voice_rate (prefix_hash, bucket, n) VALUES ($1, $2, $3)
				ON CONFLICT (prefix_hash, bucket) DO UPDATE SET n = voice_rate.n + excluded.n RETURNING n`, p, bucket, perPrefix[p]).Scan(&n); err != nil {
				return err
			}
			seenBefore[p] = n - perPrefix[p]
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO voice_ideas (consultation_id, receipt, body, lang, theme, neighbourhood, age_group, channel,
			exhibition_id, station_id, card, state, flags, email, email_token, prefix_hash, idem_key, simhash, created_at, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		fts, err := tx.PrepareContext(ctx, search.FullTextPut(dl, "voice_idea_fts"))
		if err != nil {
			return err
		}
		defer fts.Close()
		seen := map[string]int{} // idempotency keys in this batch → index
		for i, j := range batch {
			sub := j.sub
			if sub.IdemKey != "" {
				if k, ok := seen[sub.IdemKey]; ok && out[k].err == nil {
					out[i] = result{acc: out[k].acc}
					out[i].acc.Again = true
					continue
				}
				var a Accepted
				err := idem.QueryRowContext(ctx, sub.IdemKey).Scan(&a.ID, &a.Receipt, &a.State)
				if err == nil {
					a.Again = true
					out[i] = result{acc: a}
					continue
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			if sub.PowSignature != "" {
				res, err := spend.ExecContext(ctx, sub.PowSignature, sub.PowExpires.UTC())
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					out[i] = result{err: ErrReplay}
					continue
				}
			}
			if sub.PrefixHash != "" {
				seenBefore[sub.PrefixHash]++
				n := seenBefore[sub.PrefixHash]
				if sub.Limit > 0 && n > sub.Limit {
					out[i] = result{err: ErrRateLimited}
					continue
				}
				if n > BurstAt && sub.State == StatePublished {
					sub.State, sub.Flags = StateWaiting, append(sub.Flags, FlagBurst)
				}
			}
			var idemKey any
			if sub.IdemKey != "" {
				idemKey = sub.IdemKey
			}
			var decided any
			if sub.State == StatePublished {
				decided = now
			}
			a := Accepted{Receipt: newReceipt(), State: sub.State}
			if err := ins.QueryRowContext(ctx, sub.ConsultationID, a.Receipt, sub.Body, sub.Lang, sub.Theme, sub.Neighbourhood, sub.AgeGroup,
				sub.Channel, nullID(sub.ExhibitionID), nullID(sub.StationID), sub.Card, sub.State, joinFlags(sub.Flags), sub.Email, sub.EmailToken,
				sub.PrefixHash, idemKey, int64(sub.Simhash), now, decided).Scan(&a.ID); err != nil {
				return err
			}
			if sub.State == StatePublished {
				if _, err := fts.ExecContext(ctx, a.ID, search.IndexText(sub.Body, sub.Lang)); err != nil {
					return err
				}
			}
			if sub.Mail != nil {
				if err := mail.Enqueue(ctx, tx, sub.Mail.To, sub.Mail.Subject, sub.Mail.Body); err != nil {
					return err
				}
			}
			if sub.IdemKey != "" {
				seen[sub.IdemKey] = i
			}
			out[i] = result{acc: a}
			stored = append(stored, sub)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, sub := range stored {
		s.remember(sub.ConsultationID, sub.Simhash)
	}
	return out, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
