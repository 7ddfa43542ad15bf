package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
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

var jsonType = []string{"application/json"}

// receiptIn is the receipt code in the server's answer to an idea, or nil.
func receiptIn(answer []byte) []byte {
	const key = `"receipt":"`
	i := bytes.Index(answer, []byte(key))
	if i < 0 {
		return nil
	}
	rest := answer[i+len(key):]
	end := bytes.IndexByte(rest, '"')
	if end <= 0 {
		return nil
	}
	return rest[:end:end]
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
	stamp := strconv.AppendInt(nil, time.Now().UnixNano(), 10)
	url := root + "/api/v1/ideas"
	head := fmt.Appendf(nil, `{"consultation":%d,"language":"en","altcha":"`, consultation)
	// give sends one idea; the time counted is the POST's, plus the
	// challenge's fetching and solving when there is no pool. Each sender
	// reuses its buffers: the load generator shares the server's cores.
	type sender struct {
		body   []byte
		answer bytes.Buffer
	}
	give := func(sd *sender) (time.Duration, bool) {
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
		b := append(append(append(sd.body[:0], head...), t.altcha...), `","text":"Idea `...)
		b = append(append(b, stamp...), '-')
		b = strconv.AppendInt(b, n, 10)
		b = append(strconv.AppendInt(append(b, `: more trees, benches and shade on square `...), n%977, 10), `, and a library open late."}`...)
		sd.body = b
		req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(b))
		req.Header["Content-Type"] = jsonType
		if t.addr != "" {
			req.Header["X-Forwarded-For"] = []string{t.addr}
		}
		res, err := client.Do(req)
		if err != nil {
			return time.Since(start), false
		}
		sd.answer.Reset()
		_, err = sd.answer.ReadFrom(res.Body)
		res.Body.Close()
		receipt := receiptIn(sd.answer.Bytes())
		if err != nil || res.StatusCode != http.StatusAccepted || receipt == nil {
			return time.Since(start), false
		}
		if out != nil {
			outMu.Lock()
			out.Write(append(receipt, '\n'))
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
				var sd sender
				for time.Now().Before(deadline) && ctx.Err() == nil {
					el, ok := give(&sd)
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
