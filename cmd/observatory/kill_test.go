package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/voice"
)

// An acknowledged idea is never lost: the server is killed (SIGKILL)
// while residents give ideas, restarted, and every receipt it answered
// with 202 must be in the database. Runs when OBSERVATORY_TEST_KILL=1
// (OBSERVATORY_TEST_KILL_RUNS times, 20 by default), on SQLite and, when
// configured, on PostgreSQL.
func TestKillDuringIdeasLosesNothing(t *testing.T) {
	if os.Getenv("OBSERVATORY_TEST_KILL") != "1" {
		t.Skip("the kill harness runs with OBSERVATORY_TEST_KILL=1")
	}
	runs := 20
	if n, err := strconv.Atoi(os.Getenv("OBSERVATORY_TEST_KILL_RUNS")); err == nil && n > 0 {
		runs = n
	}
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			total, lost := 0, 0
			for run := 1; run <= runs; run++ {
				acked := killRun(t, dsn, run == 1)
				d, err := db.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				missing := 0
				for _, r := range acked {
					var n int
					if err := d.R.QueryRow(`SELECT COUNT(*) FROM voice_ideas WHERE receipt = $1`, r).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if n != 1 {
						missing++
					}
				}
				d.Close()
				total += len(acked)
				lost += missing
				t.Logf("run %d: %d ideas acknowledged before the kill, %d missing after restart", run, len(acked), missing)
			}
			t.Logf("%s: %d runs, %d acknowledged ideas, %d lost", name, runs, total, lost)
			if lost != 0 {
				t.Errorf("%d acknowledged ideas lost", lost)
			}
		})
	}
}

// killRun starts the server, gives ideas from 32 clients, kills the
// server at a random moment and returns the receipts it acknowledged.
func killRun(t *testing.T, dsn string, demo bool) []string {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}
	if demo {
		args = append(args, "--demo")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "OBSERVATORY_VOICE_POW=1", "OBSERVATORY_VOICE_LIMIT=100000000", "OBSERVATORY_API_LIMIT=-1")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	sc := bufio.NewScanner(stdout)
	url := ""
	for sc.Scan() {
		if i := strings.Index(sc.Text(), "http://"); i >= 0 {
			url = strings.TrimSuffix(strings.Fields(sc.Text()[i:])[0], "/")
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if url == "" {
		cmd.Process.Kill()
		t.Fatal("the server printed no address")
	}
	var list struct {
		Consultations []struct {
			ID   int64 `json:"id"`
			Open bool  `json:"open"`
		} `json:"items"`
	}
	res, err := http.Get(url + "/api/v1/consultations")
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	var consultation int64
	for _, c := range list.Consultations {
		if c.Open {
			consultation = c.ID
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Get(url + "/api/v1/ideas/challenge")
				if err != nil {
					return
				}
				var ch voice.Challenge
				json.NewDecoder(res.Body).Decode(&ch)
				res.Body.Close()
				sol, err := voice.Solve(ch)
				if err != nil {
					return
				}
				body, _ := json.Marshal(map[string]any{"consultation": consultation, "language": "en", "altcha": sol.Encode(),
					"text": fmt.Sprintf("Worker %d, idea %d: a bench, a tree and a fountain at %d.", w, i, time.Now().UnixNano())})
				res, err = client.Post(url+"/api/v1/ideas", "application/json", bytes.NewReader(body))
				if err != nil {
					return
				}
				var ans struct {
					Receipt string `json:"receipt"`
				}
				json.NewDecoder(res.Body).Decode(&ans)
				res.Body.Close()
				if res.StatusCode == http.StatusAccepted && ans.Receipt != "" {
					mu.Lock()
					acked = append(acked, ans.Receipt)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Duration(500+rand.IntN(1500)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), acked...)
}
