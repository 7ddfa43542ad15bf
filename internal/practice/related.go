package practice

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	mbits "math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Related practices and similar cities are computed when a practice is
// published (or archived) and stored, so that a page view reads a few
// rows however large the library grows.

const (
	relatedCount = 6 // related practices kept per practice
	similarCount = 5 // similar cities kept per city

	// Bounds on the work for one practice: candidates come from the
	// postings of its rarer words and from the best practices sharing
	// each of its themes.
	maxTermPostings  = 2500
	themeSample      = 250
	rareTermFraction = 50 // a word in more than 1/50 of the practices says little
)

// relatedIndex holds the inverted lists for finding candidates and the
// items' themes and groups as bit sets, built once per snapshot.
type relatedIndex struct {
	themePost [][]int32          // theme → positions, best quality first
	termPost  map[uint32][]int32 // rare term → positions
	idf       map[uint32]float64
	themes    []uint64 // position → theme bits (the first 64 themes)
	groups    []uint64
}

type relatedCache struct {
	once sync.Once
	ri   *relatedIndex
}

var relatedIndexes sync.Map // *snapshot → *relatedCache

func (n *snapshot) related() *relatedIndex {
	c, _ := relatedIndexes.LoadOrStore(n, &relatedCache{})
	rc := c.(*relatedCache)
	rc.once.Do(func() {
		// Forget the indexes of older snapshots.
		relatedIndexes.Range(func(k, _ any) bool {
			if k != n {
				relatedIndexes.Delete(k)
			}
			return true
		})
		rc.ri = buildRelatedIndex(n)
	})
	return rc.ri
}

func buildRelatedIndex(n *snapshot) *relatedIndex {
	ri := &relatedIndex{themePost: make([][]int32, len(n.themes)), termPost: map[uint32][]int32{}, idf: map[uint32]float64{},
		themes: make([]uint64, len(n.items)), groups: make([]uint64, len(n.items))}
	df := map[uint32]int{}
	for pos := range n.items {
		it := &n.items[pos]
		ri.themes[pos], ri.groups[pos] = it.themes, it.groups
		for b := it.themes; b != 0; b &= b - 1 {
			t := mbits.TrailingZeros64(b)
			ri.themePost[t] = append(ri.themePost[t], int32(pos))
		}
		for _, t := range mergeTerms(n.titleT(it), n.leadT(it)) {
			df[t]++
		}
	}
	limit := max(50, len(n.items)/rareTermFraction)
	for t, c := range df {
		ri.idf[t] = math.Log(1 + float64(len(n.items))/float64(c))
		if c <= limit {
			ri.termPost[t] = make([]int32, 0, c)
		}
	}
	for pos := range n.items {
		it := &n.items[pos]
		for _, t := range mergeTerms(n.titleT(it), n.leadT(it)) {
			if p, ok := ri.termPost[t]; ok {
				ri.termPost[t] = append(p, int32(pos))
			}
		}
	}
	for _, p := range ri.themePost {
		slices.SortStableFunc(p, func(a, b int32) int { return int(n.items[b].quality) - int(n.items[a].quality) })
	}
	return ri
}

func mergeTerms(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// probe is the practice whose related practices are sought.
type probe struct {
	id     int64
	city   int64
	themes uint64 // bit sets, like items'
	groups uint64
	terms  []uint32
}

type scored struct {
	pos    int32
	score  float64
	shared uint64 // the themes in common
}

// scratch is one worker's accumulator over all positions, reset after
// each probe by walking what it touched.
type scratch struct {
	acc     []float64
	seen    []bool
	touched []int32
}

func newScratch(n int) *scratch { return &scratch{acc: make([]float64, n), seen: make([]bool, n)} }

func (sc *scratch) add(pos int32, w float64) {
	if !sc.seen[pos] {
		sc.seen[pos] = true
		sc.touched = append(sc.touched, pos)
	}
	sc.acc[pos] += w
}

func (sc *scratch) reset() {
	for _, p := range sc.touched {
		sc.acc[p], sc.seen[p] = 0, false
	}
	sc.touched = sc.touched[:0]
}

// top finds the k practices most like p: shared themes count most, then
// shared target groups, then the weight of the words they share, and a
// practice from another city wins a tie (cities learn from each other).
func (n *snapshot) top(p probe, k int, sc *scratch) []scored {
	ri := n.related()
	if sc == nil {
		sc = newScratch(len(n.items))
	}
	defer sc.reset()
	budget := maxTermPostings
	var total float64
	for _, t := range p.terms {
		total += ri.idf[t]
	}
	for _, t := range p.terms {
		post, ok := ri.termPost[t]
		if !ok || budget <= 0 {
			continue
		}
		w := ri.idf[t]
		for _, pos := range post[:min(len(post), budget)] {
			sc.add(pos, w)
		}
		budget -= len(post)
	}
	for b := p.themes; b != 0; b &= b - 1 {
		th := mbits.TrailingZeros64(b)
		for _, pos := range ri.themePost[th][:min(len(ri.themePost[th]), themeSample)] {
			sc.add(pos, 0)
		}
	}
	pt, pg := p.themes, p.groups
	best := make([]scored, 0, k+1)
	for _, pos := range sc.touched {
		it := &n.items[pos]
		if it.id == p.id {
			continue
		}
		sh := bitsCount(ri.themes[pos] & pt)
		s := 2*float64(sh) + float64(bitsCount(ri.groups[pos]&pg))
		if total > 0 {
			s += 4 * sc.acc[pos] / total
		}
		if n.cities[it.city].ID != p.city {
			s += 0.5
		}
		if s < 2 { // not even one theme or a little text in common
			continue
		}
		s = math.Round(s*1000) / 1000
		if len(best) == k && !better(n, s, pos, best[k-1]) {
			continue
		}
		i := len(best)
		best = append(best, scored{})
		for i > 0 && better(n, s, pos, best[i-1]) {
			best[i] = best[i-1]
			i--
		}
		best[i] = scored{pos: pos, score: s}
		if len(best) > k {
			best = best[:k]
		}
	}
	for i := range best {
		best[i].shared = p.themes & n.items[best[i].pos].themes
	}
	return best
}

// better orders by score, then the newer practice.
func better(n *snapshot, s float64, pos int32, than scored) bool {
	if s != than.score {
		return s > than.score
	}
	return n.items[pos].id > n.items[than.pos].id
}

func bitsCount(x uint64) int { return mbits.OnesCount64(x) }

// probeOf describes a record for top, in snapshot n's numbering.
func (n *snapshot) probeOf(id int64, rec *Record, d IndexDoc) probe {
	p := probe{id: id, city: rec.CityID}
	for _, k := range rec.Themes {
		if i, ok := n.themeAt[k]; ok && i < maxTerms {
			p.themes |= 1 << i
		}
	}
	for _, k := range rec.Groups {
		if i, ok := n.groupAt[k]; ok && i < maxTerms {
			p.groups |= 1 << i
		}
	}
	for _, t := range strings.Fields(d.TitleTerms + " " + d.LeadTerms) {
		if id := n.dict.id(t, false); id != 0 {
			p.terms = append(p.terms, id)
		}
	}
	slices.Sort(p.terms)
	p.terms = slices.Compact(p.terms)
	return p
}

func (n *snapshot) sharedKeys(sh uint64) string {
	var keys []string
	for b := sh; b != 0; b &= b - 1 {
		keys = append(keys, n.themes[mbits.TrailingZeros64(b)])
	}
	return strings.Join(keys, " ")
}

// relatedTx stores the related practices of practice id, which the
// transaction has just published, and offers it to theirs in return.
func (s *Store) relatedTx(ctx context.Context, tx *sql.Tx, id int64) error {
	n, err := s.index.current(ctx)
	if err != nil {
		return err
	}
	var raw string
	var cityID int64
	if err := tx.QueryRowContext(ctx, `SELECT r.record, p.city_id FROM practices p JOIN practice_revisions r ON r.id = p.pub_rev WHERE p.id = $1`, id).Scan(&raw, &cityID); err != nil {
		return err
	}
	rec, err := decodeRecord(raw)
	if err != nil {
		return err
	}
	var d IndexDoc
	d.TitleTerms, d.LeadTerms = termSet(rec.Title), termSet(rec.Summary)
	top := n.top(n.probeOf(id, rec, d), relatedCount, nil)
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related WHERE practice_id = $1`, id); err != nil {
		return err
	}
	var rows [][]any
	for _, r := range top {
		other := n.items[r.pos].id
		rows = append(rows, []any{id, other, r.score, n.sharedKeys(r.shared)})
	}
	if err := db.InsertRows(ctx, tx, s.DB.Dialect, `practice_related (practice_id, related_id, score, shared)`, rows); err != nil {
		return err
	}
	// The score is symmetric: offer this practice to each related one,
	// which keeps its best relatedCount.
	for _, r := range rows {
		other := r[1].(int64)
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_related (practice_id, related_id, score, shared) VALUES ($1, $2, $3, $4)
			ON CONFLICT (practice_id, related_id) DO UPDATE SET score = excluded.score, shared = excluded.shared`, other, id, r[2], r[3]); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related WHERE practice_id = $1 AND related_id NOT IN
			(SELECT related_id FROM practice_related WHERE practice_id = $1 ORDER BY score DESC, related_id DESC LIMIT $2)`, other, relatedCount); err != nil {
			return err
		}
	}
	return s.citySimilarTx(ctx, tx)
}

// citySimilarTx recomputes which cities face the same challenges: the
// cosine similarity of their practices' theme profiles (how many of each
// city's published practices carry each theme). Cities are few, so all
// pairs are cheap; it runs in the publishing transaction.
func (s *Store) citySimilarTx(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT city_id, themes FROM practices WHERE state = 'published'`)
	if err != nil {
		return err
	}
	profile := map[int64]map[string]float64{}
	for rows.Next() {
		var city int64
		var themes string
		if err := rows.Scan(&city, &themes); err != nil {
			rows.Close()
			return err
		}
		if profile[city] == nil {
			profile[city] = map[string]float64{}
		}
		for _, t := range strings.Fields(themes) {
			profile[city][t]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	norm := map[int64]float64{}
	var cities []int64
	for c, p := range profile {
		var sum float64
		for _, v := range p {
			sum += v * v
		}
		norm[c] = math.Sqrt(sum)
		cities = append(cities, c)
	}
	slices.Sort(cities)
	var out [][]any
	for _, a := range cities {
		type pair struct {
			other  int64
			score  float64
			shared string
		}
		var best []pair
		for _, b := range cities {
			if a == b || norm[a] == 0 || norm[b] == 0 {
				continue
			}
			var dot float64
			type common struct {
				key string
				w   float64
			}
			var sh []common
			for k, va := range profile[a] {
				if vb := profile[b][k]; vb > 0 {
					dot += va * vb
					sh = append(sh, common{k, min(va/norm[a], vb/norm[b])})
				}
			}
			if dot == 0 {
				continue
			}
			slices.SortFunc(sh, func(x, y common) int {
				if x.w != y.w {
					if x.w > y.w {
						return -1
					}
					return 1
				}
				return strings.Compare(x.key, y.key)
			})
			var keys []string
			for _, c := range sh[:min(3, len(sh))] {
				keys = append(keys, c.key)
			}
			best = append(best, pair{b, math.Round(dot/(norm[a]*norm[b])*1000) / 1000, strings.Join(keys, " ")})
		}
		slices.SortFunc(best, func(x, y pair) int {
			if x.score != y.score {
				if x.score > y.score {
					return -1
				}
				return 1
			}
			return int(x.other - y.other)
		})
		for _, p := range best[:min(similarCount, len(best))] {
			out = append(out, []any{a, p.other, p.score, p.shared})
		}
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM practice_city_similar`); err != nil {
		return err
	}
	return db.InsertRows(ctx, q, s.DB.Dialect, `practice_city_similar (city_id, other_id, score, shared)`, out)
}

// RelatedItem is a practice shown as related, with the themes it shares.
type RelatedItem struct {
	ListItem
	Shared []string
}

// Related reads the stored related practices of a published practice.
func (s *Store) Related(ctx context.Context, id int64, lang string) ([]RelatedItem, error) {
	// The stored rows drive the join, whatever the planner thinks of the tables.
	rows, err := s.DB.ReadRows(ctx, `SELECT p.id, p.slug, p.lang, p.title, p.summary, x.shared, c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM (SELECT related_id, score, shared FROM practice_related WHERE practice_id = $1 ORDER BY score DESC, related_id DESC LIMIT $2) x
		JOIN practices p ON p.id = x.related_id JOIN cities c ON c.id = p.city_id
		WHERE p.state = 'published'
		ORDER BY x.score DESC, p.id DESC`, id, relatedCount)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RelatedItem
	for rows.Next() {
		var it RelatedItem
		var title, summary i18n.Text
		var sh string
		if err := rows.Scan(&it.ID, &it.Slug, &it.Lang, &title, &summary, &sh, &it.City.ID, &it.City.Slug, &it.City.Name,
			&it.City.Names, &it.City.Country, &it.City.Continent); err != nil {
			return nil, err
		}
		it.Title = title.In(lang, it.Lang)
		it.Summary = summary.In(lang, it.Lang)
		it.Shared = strings.Fields(sh)
		out = append(out, it)
	}
	return out, rows.Err()
}

// SimilarCity is a city facing the same challenges as another.
type SimilarCity struct {
	City   City
	Score  float64
	Shared []string // theme keys both work on most
}

// SimilarCities reads the stored cities closest to city by their practices.
func (s *Store) SimilarCities(ctx context.Context, city int64) ([]SimilarCity, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT x.score, x.shared, c.id, c.slug, c.name, c.names, c.country, c.continent
		FROM practice_city_similar x JOIN cities c ON c.id = x.other_id
		WHERE x.city_id = $1 ORDER BY x.score DESC, c.id LIMIT $2`, city, similarCount)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SimilarCity
	for rows.Next() {
		var sc SimilarCity
		var sh string
		if err := rows.Scan(&sc.Score, &sh, &sc.City.ID, &sc.City.Slug, &sc.City.Name, &sc.City.Names, &sc.City.Country, &sc.City.Continent); err != nil {
			return nil, err
		}
		sc.Shared = strings.Fields(sh)
		out = append(out, sc)
	}
	return out, rows.Err()
}

func decodeRecord(raw string) (*Record, error) {
	var r Record
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, fmt.Errorf("practice record: %w", err)
	}
	return &r, nil
}

// RebuildRelated recomputes the related practices of the published
// practices ids (nil: all of them) and the similar cities, after a bulk
// load skipped them. The scoring runs on every core; the rows are written
// in a few large transactions.
func (s *Store) RebuildRelated(ctx context.Context, ids []int64) error {
	n, err := s.index.current(ctx)
	if err != nil {
		return err
	}
	all := ids == nil
	if all {
		for _, it := range n.items {
			ids = append(ids, it.id)
		}
	}
	rows := make([][][]any, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newScratch(len(n.items))
			for i := range next {
				it, ok := n.at(ids[i])
				if !ok {
					continue
				}
				p := probe{id: it.id, city: n.cities[it.city].ID, themes: it.themes, groups: it.groups, terms: mergeTerms(n.titleT(it), n.leadT(it))}
				for _, r := range n.top(p, relatedCount, sc) {
					rows[i] = append(rows[i], []any{it.id, n.items[r.pos].id, r.score, n.sharedKeys(r.shared)})
				}
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	const batch = 5000
	for from := 0; from < len(ids); from += batch {
		to := min(from+batch, len(ids))
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			if all && from == 0 {
				if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related`); err != nil {
					return err
				}
			}
			var out [][]any
			for i := from; i < to; i++ {
				if !all {
					if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related WHERE practice_id = $1`, ids[i]); err != nil {
						return err
					}
				}
				out = append(out, rows[i]...)
			}
			if err := db.InsertRows(ctx, tx, s.DB.Dialect, `practice_related (practice_id, related_id, score, shared)`, out); err != nil {
				return err
			}
			if all {
				return nil
			}
			// Offer the new practices to their related ones, as publishing does.
			for _, r := range out {
				if _, err := tx.ExecContext(ctx, `INSERT INTO practice_related (practice_id, related_id, score, shared) VALUES ($1, $2, $3, $4)
					ON CONFLICT (practice_id, related_id) DO UPDATE SET score = excluded.score, shared = excluded.shared`, r[1], r[0], r[2], r[3]); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM practice_related WHERE practice_id = $1 AND related_id NOT IN
					(SELECT related_id FROM practice_related WHERE practice_id = $1 ORDER BY score DESC, related_id DESC LIMIT $2)`, r[1], relatedCount); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.citySimilarTx(ctx, tx) }); err != nil {
		return err
	}
	return s.analyze(ctx)
}

// analyze refreshes the planner's statistics after a bulk load, so that
// queries keep using the indexes (PostgreSQL's autovacuum may come late).
func (s *Store) analyze(ctx context.Context) error {
	for _, t := range []string{"practices", "practice_revisions", "practice_events", "practice_fts", "practice_related", "practice_city_similar"} {
		if _, err := s.DB.W.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return err
		}
	}
	return nil
}
