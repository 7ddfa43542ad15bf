package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/search"
)

// Scale adds n realistic published practices, spread over the cities
// and themes there are, written in German, English or French (some with
// translations), for measuring the library at scale. Texts are built on
// worker goroutines; one writer stores them with multi-row inserts in
// large transactions. progress is called after each transaction. The
// related practices are left to practice.Store.RebuildRelated.
func Scale(ctx context.Context, d *db.DB, n int, seed uint64, progress func(done int)) error {
	s := struct{ DB *db.DB }{d}
	cities, err := practice.LoadCities(ctx, s.DB.R)
	if err != nil {
		return err
	}
	if len(cities) == 0 {
		return errors.New("there are no cities: load the demo content first (observatory seed --demo)")
	}
	terms, err := practice.LoadTerms(ctx, s.DB.R)
	if err != nil {
		return err
	}
	themes, groups := terms.List(practice.KindTheme), terms.List(practice.KindGroup)
	if len(themes) == 0 {
		return errors.New("there are no themes")
	}
	var firstID, firstRev, firstEvent int64
	q := s.DB.R
	for _, x := range []struct {
		table string
		dst   *int64
	}{{"practices", &firstID}, {"practice_revisions", &firstRev}, {"practice_events", &firstEvent}} {
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+x.table).Scan(x.dst); err != nil {
			return err
		}
	}
	cityByID := map[int64]practice.City{}
	for _, c := range cities {
		cityByID[c.ID] = c
	}

	// Workers write the rows of practice i; the writer takes them in order.
	const batch = 2000
	type built struct {
		practice, revision, event []any
		text                      string
	}
	out := make([]built, n)
	ready := make([]chan struct{}, (n+batch-1)/batch)
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	var wg sync.WaitGroup
	jobs := make(chan int)
	workers := max(1, runtime.NumCPU())
	now := db.Now()
	var remaining []int32
	for b := range ready {
		remaining = append(remaining, int32(min(batch, n-b*batch)))
	}
	var mu sync.Mutex
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			memo := analysisMemo{}
			for i := range jobs {
				id, rev := firstID+int64(i), firstRev+int64(i)
				city := cities[r.IntN(len(cities))]
				rec, pieces := generateRecord(r, city, themes, groups)
				x := memo.doc(rec, pieces, cityByID[city.ID], terms)
				raw, _ := json.Marshal(rec)
				published := now.Add(-time.Duration(n-i) * time.Minute)
				out[i] = built{
					practice: []any{id, uuid.NewString(), city.ID, rev, rev, practice.Slug(rec.Title[rec.Lang]), rec.Lang, rec.Title, rec.Summary,
						strings.Join(rec.Themes, " "), strings.Join(rec.Groups, " "), rec.Status, rec.Start, rec.Quality(),
						x.TitleTerms, x.LeadTerms, published, published, published, published},
					revision: []any{rev, id, 1, string(raw), published},
					event:    []any{firstEvent + int64(i), id, 1, "published", "generated", published},
					text:     x.Text,
				}
				b := i / batch
				mu.Lock()
				remaining[b]--
				done := remaining[b] == 0
				mu.Unlock()
				if done {
					close(ready[b])
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	dl := s.DB.Dialect
	for b := range ready {
		select {
		case <-ready[b]:
		case <-ctx.Done():
			return ctx.Err()
		}
		from, to := b*batch, min((b+1)*batch, n)
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			seq, err := practice.NextSeq(ctx, tx)
			if err != nil {
				return err
			}
			var ps, rs, es, fs [][]any
			for i := from; i < to; i++ {
				ps = append(ps, append(out[i].practice, seq))
				rs = append(rs, out[i].revision)
				es = append(es, out[i].event)
				fs = append(fs, []any{firstID + int64(i), out[i].text})
			}
			if err := db.InsertRows(ctx, tx, dl, `practices (id, uid, city_id, head_rev, pub_rev, slug, lang, title, summary, themes,
				target_groups, status, start_on, quality, title_terms, lead_terms, created_at, updated_at, published_at, revised_at, seq, state)`,
				withState(ps)); err != nil {
				return err
			}
			if err := db.InsertRows(ctx, tx, dl, `practice_revisions (id, practice_id, number, record, created_at)`, rs); err != nil {
				return err
			}
			if err := db.InsertRows(ctx, tx, dl, `practice_events (id, practice_id, revision, action, comment, at)`, es); err != nil {
				return err
			}
			return search.InsertFullText(ctx, tx, dl, "practice_fts", fs)
		})
		if err != nil {
			return fmt.Errorf("storing practices %d–%d: %w", from+1, to, err)
		}
		for i := from; i < to; i++ {
			out[i] = built{} // let the texts go
		}
		if progress != nil {
			progress(to)
		}
	}
	for _, t := range []string{"practices", "practice_revisions", "practice_events"} {
		if _, err := s.DB.W.ExecContext(ctx, dl.SyncIdentity(t)); err != nil {
			return err
		}
	}
	return nil
}

func withState(rows [][]any) [][]any {
	for i := range rows {
		rows[i] = append(rows[i], practice.StatePublished)
	}
	return rows
}

// analysisMemo remembers the index text of generated sentences: they
// repeat across practices, and analysing text is most of the work.
type analysisMemo map[[2]string]string

func (m analysisMemo) index(text, lang string) string {
	k := [2]string{text, lang}
	if t, ok := m[k]; ok {
		return t
	}
	if len(m) > 200_000 {
		clear(m)
	}
	t := search.IndexText(text, lang)
	m[k] = t
	return t
}

// doc is practice.BuildIndexDoc for a generated record whose texts are the pieces'
// concatenations: analysing the pieces gives the same terms, since no
// term spans the space between two pieces.
func (m analysisMemo) doc(rec *practice.Record, pieces []piece, city practice.City, terms *practice.Terms) practice.IndexDoc {
	var text []string
	add := func(s, lang string) {
		if t := m.index(s, lang); t != "" {
			text = append(text, t)
		}
	}
	for _, p := range pieces {
		add(p.text, p.lang)
	}
	add(city.Name, "")
	for _, n := range city.Names {
		add(n, "")
	}
	for kind, keys := range map[string][]string{practice.KindTheme: rec.Themes, practice.KindGroup: rec.Groups} {
		for _, k := range keys {
			if x, ok := terms.Get(kind, k); ok {
				for l, n := range x.Names {
					add(n, l)
				}
			}
		}
	}
	for _, p := range append(append([]string{}, rec.Partners...), rec.Funders...) {
		add(p, "")
	}
	set := func(t i18n.Text) string {
		seen := map[string]bool{}
		var out []string
		for l, v := range t {
			for _, term := range strings.Fields(m.index(v, l)) {
				if !seen[term] {
					seen[term] = true
					out = append(out, term)
				}
			}
		}
		return strings.Join(out, " ")
	}
	return practice.IndexDoc{Text: strings.Join(text, " "), TitleTerms: set(rec.Title), LeadTerms: set(rec.Summary)}
}

type piece struct{ text, lang string }

// generateRecord writes one practice from the text bank, and the pieces
// its texts are made of.
func generateRecord(r *rand.Rand, city practice.City, themes, groups []practice.Term) (*practice.Record, []piece) {
	langs := []string{"de", "en", "fr"}
	lang := langs[r.IntN(3)]
	// Practices carry one to three themes and up to three target groups.
	var ths []practice.Term
	for _, i := range r.Perm(len(themes))[:min(len(themes), 1+r.IntN(3))] {
		ths = append(ths, themes[i])
	}
	rec := &practice.Record{Lang: lang, CityID: city.ID, Title: i18n.Text{}, Summary: i18n.Text{}, Body: i18n.Text{}, Results: i18n.Text{}, Lessons: i18n.Text{}}
	for _, t := range ths {
		rec.Themes = append(rec.Themes, t.Key)
	}
	var grp []string
	for _, i := range r.Perm(len(groups))[:min(len(groups), r.IntN(4))] {
		rec.Groups = append(rec.Groups, groups[i].Key)
		grp = append(grp, groups[i].Key)
	}
	year := 2008 + r.IntN(18)
	rec.Start = fmt.Sprintf("%d-%02d", year, 1+r.IntN(12))
	switch {
	case year >= 2025:
		rec.Status = "planned"
	case r.IntN(3) == 0:
		rec.Status = "completed"
		rec.End = fmt.Sprintf("%d", min(2025, year+1+r.IntN(5)))
	default:
		rec.Status, rec.Ongoing = "running", true
	}
	rec.Evidence = practice.EvidenceLevels[r.IntN(3)]
	rec.Budget = practice.Budgets[r.IntN(len(practice.Budgets))]
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	// The same practice in its translations: the same choices in each language.
	choice := [8]int{r.IntN(8), r.IntN(8), r.IntN(8), r.IntN(8), r.IntN(8), r.IntN(8), r.IntN(8), r.IntN(8)}
	n := 1 + r.IntN(100)
	var pieces []piece
	write := func(l string, full bool) {
		b := bank[l]
		th := bank[l].theme[ths[0].Key]
		if th.noun == nil {
			th = bank[l].theme["inclusion"]
		}
		who := b.groups[grpKey(grp)]
		place := b.places[choice[0]%len(b.places)]
		name := city.In(l)
		fill := strings.NewReplacer("{noun}", th.noun[choice[1]%len(th.noun)], "{act}", th.act[choice[2]%len(th.act)],
			"{who}", who, "{place}", place, "{city}", name, "{n}", fmt.Sprint(n), "{year}", fmt.Sprint(year))
		rec.Title[l] = fill.Replace(b.titles[choice[3]%len(b.titles)])
		rec.Summary[l] = fill.Replace(b.summaries[choice[4]%len(b.summaries)])
		pieces = append(pieces, piece{rec.Title[l], l}, piece{rec.Summary[l], l})
		if !full {
			return
		}
		var body []string
		for _, p := range r.Perm(len(b.body))[:4+r.IntN(3)] {
			body = append(body, fill.Replace(b.body[p]))
		}
		body = append(body, fill.Replace(pick(th.detail)))
		rec.Body[l] = strings.Join(body, " ")
		rec.Results[l] = fill.Replace(b.results[choice[5]%len(b.results)])
		rec.Lessons[l] = fill.Replace(b.lessons[choice[6]%len(b.lessons)])
		for _, s := range body {
			pieces = append(pieces, piece{s, l})
		}
		pieces = append(pieces, piece{rec.Results[l], l}, piece{rec.Lessons[l], l})
	}
	write(lang, true)
	// A third of the practices have their title and summary translated.
	if r.IntN(3) == 0 {
		write(langs[(slicesIndex(langs, lang)+1+r.IntN(2))%3], false)
	}
	rec.Partners = []string{pick(partners)}
	rec.Contact = practice.Contact{Name: pick(firstNames) + " " + pick(lastNames), Role: bank[lang].role, Email: "contact@example.org"}
	rec.Clean()
	return rec, pieces
}

func slicesIndex(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func grpKey(g []string) string {
	if len(g) == 0 {
		return ""
	}
	return g[0]
}
