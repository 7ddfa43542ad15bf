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

// loadIdeas gives ideas through the API as fast as the connections allow:
// each worker fetches a challenge, solves it (start the server with a low
// --voice-pow, a high --voice-limit and --api-limit -1 for a measurement from one
// address) and posts an idea. With receipts set, every idea the server
// acknowledged (202) is appended to that file before the next is sent, so
// a harness can check after a crash that each one is in the database.
func loadIdeas(ctx context.Context, root string, duration, warmup time.Duration, conc int, receipts string) error {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute}}
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
	if receipts != "" {
		f, err := os.OpenFile(receipts, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	var seq atomic.Int64
	stamp := time.Now().UnixNano()
	give := func() (time.Duration, bool) {
		start := time.Now()
		var ch voice.Challenge
		if err := getJSON(ctx, client, root+"/api/v1/ideas/challenge", &ch); err != nil {
			return time.Since(start), false
		}
		sol, err := voice.Solve(ch)
		if err != nil {
			return time.Since(start), false
		}
		n := seq.Add(1)
		body, _ := json.Marshal(map[string]any{"consultation": consultation, "language": "en", "altcha": sol.Encode(),
			"text": fmt.Sprintf("Idea %d-%d: more trees, benches and shade on square %d, and a library open late.", stamp, n, n%977)})
		req, _ := http.NewRequestWithContext(ctx, "POST", root+"/api/v1/ideas", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
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
					lat["idea (challenge, solve, post)"] = append(lat["idea (challenge, solve, post)"], local...)
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
	fmt.Fprintf(os.Stderr, "Giving ideas to consultation %d at %s: warming up for %s, then measuring for %s with %d connections …\n",
		consultation, root, warmup, duration, conc)
	run(warmup, false)
	start := time.Now()
	lat := run(duration, true)
	elapsed := time.Since(start)
	if ctx.Err() != nil && receipts == "" {
		return ctx.Err()
	}
	report(os.Stdout, lat, elapsed)
	return nil
}
