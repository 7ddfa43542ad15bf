package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
)

// loadgen drives a running server with a mix of page views and searches,
// like wrk but knowing the platform's routes, and prints requests per
// second and latency percentiles per route. It discovers practice
// addresses, words to search for and facet values from the API.
func loadgen(ctx context.Context, args []string) error {
	fs := flags("loadgen")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's address")
	duration := fs.Duration("duration", 30*time.Second, "how long to send requests")
	conc := fs.Int("concurrency", 8, "requests in flight at once")
	queries := fs.Int("queries", 400, "distinct search queries to draw from (more means fewer answers from the server's cache)")
	warmup := fs.Duration("warmup", 2*time.Second, "requests sent before measuring starts")
	rate := fs.Float64("rate", 0, "requests per second to send (open loop, latency counted from each request's planned start); 0 sends as fast as the connections allow")
	scenario := fs.String("scenario", "pages", "pages (page views and searches) or ideas (residents give ideas through the API, each with a solved proof of work)")
	receipts := fs.String("receipts", "", "ideas scenario: append every acknowledged receipt code to this file")
	prefixes := fs.Int("prefixes", 0, "ideas scenario: speak from this many IPv4 /24 networks through X-Forwarded-For (the server must run with --trust-proxy); 0 sends none")
	pool := fs.Int("pool", 0, "ideas scenario: fetch and solve this many challenges before measuring and keep solving beside the senders, so the measured path is the POST alone; 0 solves within each idea")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *conc < 1 || *duration <= 0 {
		return usageError{"--concurrency and --duration must be positive"}
	}
	if *scenario == "ideas" {
		if *prefixes < 0 || *pool < 0 {
			return usageError{"--prefixes and --pool must not be negative"}
		}
		return loadIdeas(ctx, strings.TrimRight(*base, "/"), *duration, *warmup, *conc, ideaLoad{prefixes: *prefixes, pool: *pool, receipts: *receipts})
	} else if *scenario != "pages" {
		return usageError{"--scenario is pages or ideas"}
	}
	client := &http.Client{Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConns: *conc * 2, MaxIdleConnsPerHost: *conc * 2, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	root := strings.TrimRight(*base, "/")
	fmt.Fprintf(os.Stderr, "Discovering practices, words and facets at %s …\n", root)
	mix, err := discover(ctx, client, root, *queries)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d practices, %d queries, %d facet values. Warming up for %s, then measuring for %s with %d connections …\n",
		len(mix.pages), len(mix.queries), len(mix.facets), *warmup, *duration, *conc)
	run := func(d time.Duration, record bool) map[string][]time.Duration {
		lat := map[string][]time.Duration{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		deadline := time.Now().Add(d)
		// With a rate, a pacer plans each request's start; a request that
		// waits for a free connection counts its wait (no coordinated omission).
		var plan chan time.Time
		if *rate > 0 {
			plan = make(chan time.Time, 1024)
			go func() {
				defer close(plan)
				every := time.Duration(float64(time.Second) / *rate)
				for t := time.Now(); t.Before(deadline) && ctx.Err() == nil; t = t.Add(every) {
					time.Sleep(time.Until(t))
					plan <- t
				}
			}()
		}
		for w := range *conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
				local := map[string][]time.Duration{}
				for time.Now().Before(deadline) && ctx.Err() == nil {
					route, path := mix.next(r)
					start := time.Now()
					if plan != nil {
						var ok bool
						if start, ok = <-plan; !ok {
							break
						}
					}
					ok := fetch(ctx, client, root+path)
					el := time.Since(start)
					if !ok {
						route += " (errors)"
					}
					local[route] = append(local[route], el)
				}
				if record {
					mu.Lock()
					for k, v := range local {
						lat[k] = append(lat[k], v...)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return lat
	}
	run(*warmup, false)
	start := time.Now()
	lat := run(*duration, true)
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	report(os.Stdout, lat, elapsed)
	return nil
}

// fetch requests path and reads the whole answer; ok means a 2xx.
func fetch(ctx context.Context, c *http.Client, u string) bool {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return false
	}
	// Taken compressed like a browser takes it, but not unpacked: the
	// measuring client should leave the machine's time to the server.
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode/100 == 2
}

type workload struct {
	pages   []string // practice page paths
	queries []string
	facets  []string // "theme=housing", "city=dusseldorf"
	langs   []string
}

// next draws a request: page views and searches in the proportions a
// public library sees.
func (m *workload) next(r *rand.Rand) (route, path string) {
	lang := m.langs[r.IntN(len(m.langs))]
	q := url.QueryEscape(m.queries[r.IntN(len(m.queries))])
	f := m.facets[r.IntN(len(m.facets))]
	switch x := r.IntN(100); {
	case x < 40:
		p := m.pages[r.IntN(len(m.pages))]
		return "practice page", "/" + lang + p
	case x < 70:
		return "search", "/" + lang + "/practices?q=" + q
	case x < 80:
		return "search + facet", "/" + lang + "/practices?q=" + q + "&" + f
	case x < 90:
		return "browse facet", "/" + lang + "/practices?" + f + fmt.Sprintf("&page=%d", 1+r.IntN(5))
	default:
		return "API search", "/api/v1/practices?lang=" + lang + "&q=" + q
	}
}

type apiPage struct {
	Total int     `json:"total"`
	Next  *string `json:"next"`
	Items []struct {
		URL   string `json:"url"`
		Title string `json:"title"`
	} `json:"items"`
	Facets map[string][]struct {
		Value string `json:"value"`
	} `json:"facets"`
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// discover reads practice addresses, title words and facet values from
// a sample of the API's pages.
func discover(ctx context.Context, c *http.Client, root string, nQueries int) (*workload, error) {
	m := &workload{langs: []string{"de", "en", "fr"}}
	var first apiPage
	if err := getJSON(ctx, c, root+"/api/v1/practices?limit=100&sort=newest", &first); err != nil {
		return nil, err
	}
	if first.Total == 0 {
		return nil, errors.New("the server has no published practices: seed some first (observatory seed --scale N)")
	}
	for name, vals := range first.Facets {
		for _, v := range vals {
			m.facets = append(m.facets, name+"="+url.QueryEscape(v.Value))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := map[string]int{}
	pages := []apiPage{first}
	for next := first.Next; next != nil && len(pages) < 21; {
		var p apiPage
		if err := getJSON(ctx, c, *next, &p); err != nil {
			return nil, err
		}
		pages = append(pages, p)
		next = p.Next
	}
	for _, p := range pages {
		for _, it := range p.Items {
			u, err := url.Parse(it.URL)
			if err != nil {
				continue
			}
			// The path after the language: /practices/12-slug
			if i := strings.Index(u.Path, "/practices/"); i >= 0 {
				m.pages = append(m.pages, u.Path[i:])
			}
			for _, w := range strings.FieldsFunc(it.Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len([]rune(w)) > 3 {
					words[strings.ToLower(w)]++
				}
			}
		}
	}
	vocab := make([]string, 0, len(words))
	for w := range words {
		vocab = append(vocab, w)
	}
	sort.Slice(vocab, func(i, j int) bool {
		return words[vocab[i]] > words[vocab[j]] || words[vocab[i]] == words[vocab[j]] && vocab[i] < vocab[j]
	})
	if len(vocab) == 0 {
		return nil, errors.New("no words found in the practices' titles")
	}
	// Common words, rare words, pairs, phrases and exclusions.
	seen := map[string]bool{}
	add := func(q string) {
		if !seen[q] {
			seen[q] = true
			m.queries = append(m.queries, q)
		}
	}
	common := vocab[:min(len(vocab), 30)]
	for _, w := range common {
		add(w)
	}
	for tries := 0; len(m.queries) < nQueries && tries < nQueries*20; tries++ {
		a, b := vocab[r.IntN(len(vocab))], common[r.IntN(len(common))]
		switch r.IntN(5) {
		case 0:
			add(a)
		case 1, 2:
			add(a + " " + b)
		case 3:
			add(`"` + b + " " + a + `"`)
		default:
			add(b + " -" + a)
		}
	}
	slices.Sort(m.pages)
	m.pages = slices.Compact(m.pages)
	return m, nil
}

// report prints a table: requests, rate and latency percentiles per route.
func report(w io.Writer, lat map[string][]time.Duration, elapsed time.Duration) {
	routes := make([]string, 0, len(lat))
	total := 0
	var all []time.Duration
	for k, v := range lat {
		routes = append(routes, k)
		total += len(v)
		all = append(all, v...)
	}
	sort.Strings(routes)
	fmt.Fprintf(w, "%-22s %9s %9s %9s %9s %9s %9s\n", "route", "requests", "req/s", "p50", "p90", "p99", "max")
	line := func(name string, v []time.Duration) {
		slices.Sort(v)
		pct := func(p float64) string {
			if len(v) == 0 {
				return "-"
			}
			return fmtDur(v[min(len(v)-1, int(p*float64(len(v))))])
		}
		fmt.Fprintf(w, "%-22s %9d %9.1f %9s %9s %9s %9s\n", name, len(v), float64(len(v))/elapsed.Seconds(), pct(.5), pct(.9), pct(.99), fmtDur(v[len(v)-1]))
	}
	for _, k := range routes {
		line(k, lat[k])
	}
	if total > 0 {
		line("all", all)
	}
	fmt.Fprintf(w, "%d requests in %s: %.1f requests/s\n", total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	}
	return d.Round(time.Millisecond).String()
}
