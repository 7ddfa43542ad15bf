package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"observatory/internal/voice"
)

// ideaLoad is how the ideas scenario speaks to the server.
type ideaLoad struct {
	// prefixes > 0 sends each idea as coming from one of that many IPv4
	// /24 networks (X-Forwarded-For, which the server honours only with
	// --trust-proxy), so that no one network's limit and growing
	// difficulty decide the rate.
	prefixes int
	// pool > 0 fetches and solves that many challenges before warming up,
	// so that the measured path is the POST alone (once the pool is empty,
	// each idea fetches and solves its own again); 0 fetches and solves
	// within each idea, as one resident's browser does.
	pool     int
	receipts string
}

// prefixAddr is an address in the i-th of the load's networks.
func prefixAddr(i int) string {
	return fmt.Sprintf("10.%d.%d.7", (i/256)%256, i%256)
}

type ticket struct {
	addr   string
	altcha string
}

// loadIdeas gives ideas through the API as fast as the connections allow.
// Start the server with a low --voice-pow, a high --voice-limit and
// --api-limit -1 (and --trust-proxy with --prefixes). With receipts set,
// every idea the server acknowledged (202) is appended to that file
// before the next is sent, so a harness can check after a crash that
// each one is in the database.
func loadIdeas(ctx context.Context, root string, duration, warmup time.Duration, conc int, opt ideaLoad) error {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conc * 4, MaxIdleConnsPerHost: conc * 4, IdleConnTimeout: time.Minute}}
	var list struct {
		Items []struct {
			ID   int64 `json:"id"`
			Open bool  `json:"open"`
		} `json:"items"`
	}
	if err := getJSON(ctx, client, root+"/api/v1/consultations", &list); err != nil {
		return err
	}
	var consultation int64
	for _, c := range list.Items {
		if c.Open {
			consultation = c.ID
			break
		}
	}
	if consultation == 0 {
		return errors.New("the server has no open consultation (start it with --demo)")
	}
	var out *os.File
	var outMu sync.Mutex
	if opt.receipts != "" {
		f, err := os.OpenFile(opt.receipts, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	var addrSeq, seq, solved atomic.Int64
	nextAddr := func() string {
		if opt.prefixes <= 0 {
			return ""
		}
		return prefixAddr(int(addrSeq.Add(1)) % opt.prefixes)
	}
	// solve fetches a challenge as addr and solves it.
	solve := func(addr string) (ticket, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", root+"/api/v1/ideas/challenge", nil)
		if addr != "" {
			req.Header.Set("X-Forwarded-For", addr)
		}
		res, err := client.Do(req)
		if err != nil {
			return ticket{}, err
		}
		var ch voice.Challenge
		err = json.NewDecoder(res.Body).Decode(&ch)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return ticket{}, fmt.Errorf("challenge: %s %v", res.Status, err)
		}
		sol, err := voice.Solve(ch)
		if err != nil {
			return ticket{}, err
		}
		solved.Add(1)
		return ticket{addr: addr, altcha: sol.Encode()}, nil
	}
	// With a pool, solvers fill it ahead.
	var pool chan ticket
	var solvers sync.WaitGroup
	if opt.pool > 0 {
		pool = make(chan ticket, opt.pool)
		fmt.Fprintf(os.Stderr, "Solving %d challenges ahead …\n", opt.pool)
		for range conc {
			solvers.Add(1)
			go func() {
				defer solvers.Done()
				for ctx.Err() == nil {
					t, err := solve(nextAddr())
					if err != nil {
						time.Sleep(50 * time.Millisecond)
						continue
					}
					select {
					case pool <- t:
					default:
						return // full: the solvers are done before measuring
					}
				}
			}()
		}
		solvers.Wait()
	}
	stamp := time.Now().UnixNano()
	// give sends one idea; the time counted is the POST's, plus the
	// challenge's fetching and solving when there is no pool.
	give := func() (time.Duration, bool) {
		var t ticket
		start := time.Now()
		select {
		case t = <-pool: // a nil pool is never ready
		default:
			var err error
			if t, err = solve(nextAddr()); err != nil {
				return time.Since(start), false
			}
		}
		n := seq.Add(1)
		body, _ := json.Marshal(map[string]any{"consultation": consultation, "language": "en", "altcha": t.altcha,
			"text": fmt.Sprintf("Idea %d-%d: more trees, benches and shade on square %d, and a library open late.", stamp, n, n%977)})
		req, _ := http.NewRequestWithContext(ctx, "POST", root+"/api/v1/ideas", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if t.addr != "" {
			req.Header.Set("X-Forwarded-For", t.addr)
		}
		res, err := client.Do(req)
		if err != nil {
			return time.Since(start), false
		}
		var ans struct {
			Receipt string `json:"receipt"`
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusAccepted || json.Unmarshal(raw, &ans) != nil || ans.Receipt == "" {
			return time.Since(start), false
		}
		if out != nil {
			outMu.Lock()
			fmt.Fprintln(out, ans.Receipt)
			outMu.Unlock()
		}
		return time.Since(start), true
	}
	route := "idea (challenge, solve, post)"
	if pool != nil {
		route = "idea (post; solved ahead while the pool lasts)"
	}
	run := func(d time.Duration, record bool) map[string][]time.Duration {
		lat := map[string][]time.Duration{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		deadline := time.Now().Add(d)
		for range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var local, bad []time.Duration
				for time.Now().Before(deadline) && ctx.Err() == nil {
					el, ok := give()
					if ok {
						local = append(local, el)
					} else {
						bad = append(bad, el)
						time.Sleep(50 * time.Millisecond) // a server that is down is not hammered
					}
				}
				if record {
					mu.Lock()
					lat[route] = append(lat[route], local...)
					if len(bad) > 0 {
						lat["idea (errors)"] = append(lat["idea (errors)"], bad...)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return lat
	}
	fmt.Fprintf(os.Stderr, "Giving ideas to consultation %d at %s from %d networks: warming up for %s, then measuring for %s with %d connections …\n",
		consultation, root, max(opt.prefixes, 1), warmup, duration, conc)
	run(warmup, false)
	before := solved.Load()
	start := time.Now()
	lat := run(duration, true)
	elapsed := time.Since(start)
	if ctx.Err() != nil && opt.receipts == "" {
		return ctx.Err()
	}
	report(os.Stdout, lat, elapsed)
	if pool != nil {
		fmt.Fprintf(os.Stdout, "%d challenges fetched and solved while measuring, after the pool ran out (%d left in the pool)\n",
			solved.Load()-before, len(pool))
	}
	return nil
}
