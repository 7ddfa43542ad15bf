package index

import (
	"math"
	mbits "math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Related items are found from what documents share: values of the
// Strong and Weak facets (themes, target groups) and the weight of the
// words they share; a document whose Apart facet differs (another city)
// wins a tie. Capabilities store the results when a document is
// published, so a page view reads a few rows however large the library.

const (
	// Bounds on the work for one document: candidates come from the
	// postings of its rarer words and from the best documents sharing
	// each of its Strong values.
	maxTermPostings  = 2500
	strongSample     = 250
	rareTermFraction = 50 // a word in more than 1/50 of the documents says little
)

// relatedIndex holds the inverted lists for finding candidates, built
// once per snapshot.
type relatedIndex struct {
	strong, weak, apart int                // facet indexes (-1: none)
	strongPost          [][]int32          // Strong value → positions, best quality first
	termPost            map[uint32][]int32 // rare term → positions
	idf                 map[uint32]float64
}

func (n *Snapshot) related() *relatedIndex {
	n.relOnce.Do(func() { n.rel = n.buildRelated() })
	return n.rel
}

func (n *Snapshot) facetIndex(name string) int {
	return slices.IndexFunc(n.facets, func(f facet) bool { return f.Name == name && name != "" })
}

func (n *Snapshot) buildRelated() *relatedIndex {
	cfg := n.ix.cfg.Related
	ri := &relatedIndex{strong: n.facetIndex(cfg.Strong), weak: n.facetIndex(cfg.Weak), apart: n.facetIndex(cfg.Apart),
		termPost: map[uint32][]int32{}, idf: map[uint32]float64{}}
	if ri.strong >= 0 {
		ri.strongPost = make([][]int32, len(n.facets[ri.strong].vals))
	}
	df := map[uint32]int{}
	for pos := range n.items {
		it := &n.items[pos]
		if ri.strong >= 0 {
			for b := n.bits(ri.strong, int32(pos)); b != 0; b &= b - 1 {
				t := mbits.TrailingZeros64(b)
				ri.strongPost[t] = append(ri.strongPost[t], int32(pos))
			}
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
	for _, p := range ri.strongPost {
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

// Probe is a document whose related items are sought, in the terms of
// Doc; it need not be in the index yet.
type Probe struct {
	ID     int64
	Values [][]string // per facet, as in Doc
	// Terms are its index terms (titles' and summaries'), space-separated.
	Terms string
}

// probe is a Probe in a snapshot's numbering.
type probe struct {
	id           int64
	apart        int // Apart value index + 1
	strong, weak uint64
	terms        []uint32
}

func (n *Snapshot) probeOf(p Probe) probe {
	ri := n.related()
	out := probe{id: p.ID}
	bitsOf := func(f int) uint64 {
		var b uint64
		if f >= 0 && f < len(p.Values) {
			for _, v := range p.Values[f] {
				if k, ok := n.facets[f].at[v]; ok && k < MaxMulti {
					b |= 1 << k
				}
			}
		}
		return b
	}
	out.strong, out.weak = bitsOf(ri.strong), bitsOf(ri.weak)
	if ri.apart >= 0 && ri.apart < len(p.Values) && len(p.Values[ri.apart]) > 0 {
		if k, ok := n.facets[ri.apart].at[p.Values[ri.apart][0]]; ok {
			out.apart = k + 1
		}
	}
	for _, t := range strings.Fields(p.Terms) {
		if id := n.dict.id(t, false); id != 0 {
			out.terms = append(out.terms, id)
		}
	}
	slices.Sort(out.terms)
	out.terms = slices.Compact(out.terms)
	return out
}

// probeAt describes the document at pos.
func (n *Snapshot) probeAt(pos int32) probe {
	ri := n.related()
	it := &n.items[pos]
	p := probe{id: it.id, terms: mergeTerms(n.titleT(it), n.leadT(it))}
	if ri.strong >= 0 {
		p.strong = n.bits(ri.strong, pos)
	}
	if ri.weak >= 0 {
		p.weak = n.bits(ri.weak, pos)
	}
	if ri.apart >= 0 {
		p.apart = n.value(ri.apart, pos)
	}
	return p
}

// Similar is a related document: its score and the Strong values both have.
type Similar struct {
	ID     int64
	Score  float64
	Shared []string
}

// Scratch is one worker's accumulator over all positions, reset after
// each probe by walking what it touched.
type Scratch struct {
	acc     []float64
	seen    []bool
	touched []int32
}

// NewScratch returns an accumulator for n's documents.
func (n *Snapshot) NewScratch() *Scratch {
	return &Scratch{acc: make([]float64, len(n.items)), seen: make([]bool, len(n.items))}
}

func (sc *Scratch) add(pos int32, w float64) {
	if !sc.seen[pos] {
		sc.seen[pos] = true
		sc.touched = append(sc.touched, pos)
	}
	sc.acc[pos] += w
}

func (sc *Scratch) reset() {
	for _, p := range sc.touched {
		sc.acc[p], sc.seen[p] = 0, false
	}
	sc.touched = sc.touched[:0]
}

type scored struct {
	pos   int32
	score float64
}

// Similar finds the k documents most like p: shared Strong values count
// most, then shared Weak values, then the weight of the words they
// share, and a document with another Apart value wins a tie. sc may be
// nil.
func (n *Snapshot) Similar(p Probe, k int, sc *Scratch) []Similar {
	return n.similar(n.probeOf(p), k, sc)
}

func (n *Snapshot) similar(p probe, k int, sc *Scratch) []Similar {
	ri := n.related()
	if sc == nil {
		sc = n.NewScratch()
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
	for b := p.strong; b != 0; b &= b - 1 {
		th := mbits.TrailingZeros64(b)
		for _, pos := range ri.strongPost[th][:min(len(ri.strongPost[th]), strongSample)] {
			sc.add(pos, 0)
		}
	}
	best := make([]scored, 0, k+1)
	for _, pos := range sc.touched {
		it := &n.items[pos]
		if it.id == p.id {
			continue
		}
		var s float64
		if ri.strong >= 0 {
			s += 2 * float64(mbits.OnesCount64(n.bits(ri.strong, pos)&p.strong))
		}
		if ri.weak >= 0 {
			s += float64(mbits.OnesCount64(n.bits(ri.weak, pos) & p.weak))
		}
		if total > 0 {
			s += 4 * sc.acc[pos] / total
		}
		if ri.apart >= 0 && n.value(ri.apart, pos) != p.apart {
			s += 0.5
		}
		if s < 2 { // not even one Strong value or a little text in common
			continue
		}
		s = math.Round(s*1000) / 1000
		if len(best) == k && !n.better(s, pos, best[k-1]) {
			continue
		}
		i := len(best)
		best = append(best, scored{})
		for i > 0 && n.better(s, pos, best[i-1]) {
			best[i] = best[i-1]
			i--
		}
		best[i] = scored{pos: pos, score: s}
		if len(best) > k {
			best = best[:k]
		}
	}
	out := make([]Similar, len(best))
	for i, b := range best {
		out[i] = Similar{ID: n.items[b.pos].id, Score: b.score}
		if ri.strong >= 0 {
			for sh := p.strong & n.bits(ri.strong, b.pos); sh != 0; sh &= sh - 1 {
				out[i].Shared = append(out[i].Shared, n.facets[ri.strong].vals[mbits.TrailingZeros64(sh)])
			}
		}
	}
	return out
}

// better orders by score, then the newer document.
func (n *Snapshot) better(s float64, pos int32, than scored) bool {
	if s != than.score {
		return s > than.score
	}
	return n.items[pos].id > n.items[than.pos].id
}

// SimilarAll finds the k related documents of each of ids in the index
// (on every core) and returns them by position in ids.
func (n *Snapshot) SimilarAll(ids []int64, k int) [][]Similar {
	out := make([][]Similar, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := n.NewScratch()
			for i := range next {
				if pos, ok := n.at(ids[i]); ok {
					out[i] = n.similar(n.probeAt(pos), k, sc)
				}
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Neighbour is a group close to another by its members' profiles.
type Neighbour struct {
	ID     int64
	Score  float64
	Shared []string // the keys both weigh most
}

// Cosine finds, for each group (a city), the k groups whose profiles (a
// weight per key: how many of the city's practices carry each theme) are
// closest by cosine similarity, with up to three keys they share most.
// Groups are few, so all pairs are compared.
func Cosine(profile map[int64]map[string]float64, k int) map[int64][]Neighbour {
	norm := map[int64]float64{}
	var groups []int64
	for c, p := range profile {
		var sum float64
		for _, v := range p {
			sum += v * v
		}
		norm[c] = math.Sqrt(sum)
		groups = append(groups, c)
	}
	slices.Sort(groups)
	out := map[int64][]Neighbour{}
	for _, a := range groups {
		var best []Neighbour
		for _, b := range groups {
			if a == b || norm[a] == 0 || norm[b] == 0 {
				continue
			}
			var dot float64
			type common struct {
				key string
				w   float64
			}
			var sh []common
			for key, va := range profile[a] {
				if vb := profile[b][key]; vb > 0 {
					dot += va * vb
					sh = append(sh, common{key, min(va/norm[a], vb/norm[b])})
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
			best = append(best, Neighbour{b, math.Round(dot/(norm[a]*norm[b])*1000) / 1000, keys})
		}
		slices.SortFunc(best, func(x, y Neighbour) int {
			if x.Score != y.Score {
				if x.Score > y.Score {
					return -1
				}
				return 1
			}
			return int(x.ID - y.ID)
		})
		out[a] = best[:min(k, len(best))]
	}
	return out
}
