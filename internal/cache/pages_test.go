package cache

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// site is a cache of answers in front of one counted handler, as the
// application chains them: Fast first, then (for what it does not
// answer) Front and the route's Wrap.
type site struct {
	pages    *Pages
	version  atomic.Int64
	rendered atomic.Int64  // the handler's runs
	chain    atomic.Int64  // requests that went past Fast
	admitted atomic.Int64  // the gate's runs
	refuse   atomic.Bool   // the gate refuses
	block    chan struct{} // when not nil, renders wait for it to close
	srv      *httptest.Server
}

func newSite(t *testing.T) *site {
	s := &site{}
	s.pages = NewPages(New(1<<20), "pages", "", func(context.Context) (string, error) {
		return string(rune('a' + s.version.Load())), nil
	})
	h := s.pages.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.rendered.Add(1)
		if s.block != nil {
			<-s.block
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, strings.Repeat("answer of "+r.URL.Path+" ", 50))
	}), false)
	type refusedKey struct{}
	gate := Gate{Prefix: "/api", Admit: func(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
		s.admitted.Add(1)
		if s.refuse.Load() {
			return r.WithContext(context.WithValue(r.Context(), refusedKey{}, true)), false
		}
		w.Header().Set("X-Gate", "passed")
		return r, true
	}}
	next := s.pages.Front(h)
	s.srv = httptest.NewServer(s.pages.Fast(nil, false, 1, gate)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.chain.Add(1)
		if r.Context().Value(refusedKey{}) != nil { // as the API's middleware answers 429
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) get(t *testing.T, path string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.srv.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// A kept answer under a gate's prefix comes from Fast once the gate lets
// it through, with the gate's headers; a refused request goes down the
// chain, which answers it, counted once.
func TestFastAnswersGatedPathsOnceAdmitted(t *testing.T) {
	s := newSite(t)
	if res := s.get(t, "/api/things"); res.StatusCode != 200 || res.Header.Get("X-Cache") != "" {
		t.Fatalf("first: %d, X-Cache %q", res.StatusCode, res.Header.Get("X-Cache"))
	}
	if n := s.admitted.Load(); n != 0 {
		t.Errorf("a miss was admitted by the gate %d times: the chain counts it", n)
	}
	chain := s.chain.Load()
	for i := range 3 {
		res := s.get(t, "/api/things")
		if res.StatusCode != 200 || res.Header.Get("X-Cache") != "hit" || res.Header.Get("X-Gate") != "passed" ||
			res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Request-Id") == "" {
			t.Errorf("hit %d: %d, headers %v", i, res.StatusCode, res.Header)
		}
	}
	if s.chain.Load() != chain || s.admitted.Load() != 3 {
		t.Errorf("3 hits: %d went down the chain, %d admitted", s.chain.Load()-chain, s.admitted.Load())
	}
	s.refuse.Store(true)
	if res := s.get(t, "/api/things"); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("X-Cache") != "" {
		t.Errorf("refused: %d, X-Cache %q", res.StatusCode, res.Header.Get("X-Cache"))
	}
	if s.admitted.Load() != 4 || s.chain.Load() != chain+1 {
		t.Errorf("refused: admitted %d times, %d down the chain", s.admitted.Load(), s.chain.Load()-chain)
	}
	// Pages outside the gate need no admission.
	s.get(t, "/page")
	if res := s.get(t, "/page"); res.Header.Get("X-Cache") != "hit" || s.admitted.Load() != 4 {
		t.Errorf("page: X-Cache %q, admitted %d", res.Header.Get("X-Cache"), s.admitted.Load())
	}
}

// A request with a token never gets a kept answer, nor does one with a
// session cookie.
func TestFastLeavesTokensAndSessionsAlone(t *testing.T) {
	s := newSite(t)
	for _, p := range []string{"/api/things", "/page"} {
		s.get(t, p)
		for _, h := range [][]string{{"Authorization", "Bearer x"}, {"Cookie", sessionName + "=x"}} {
			if res := s.get(t, p, h...); res.Header.Get("X-Cache") != "" {
				t.Errorf("%s with %s: X-Cache %q", p, h[0], res.Header.Get("X-Cache"))
			}
		}
	}
	if n := s.admitted.Load(); n != 0 {
		t.Errorf("the gate admitted %d requests with a token or a session", n)
	}
}

// Requests for an answer being rendered at their version wait for it
// rather than render it too.
func TestOneRenderPerAnswerAndVersion(t *testing.T) {
	s := newSite(t)
	s.get(t, "/page")
	s.version.Add(1) // a write: the kept answer is old
	s.block = make(chan struct{})
	const n = 8
	var wg sync.WaitGroup
	hits := make(chan string, n)
	for range n {
		wg.Go(func() { hits <- s.get(t, "/page").Header.Get("X-Cache") })
	}
	// Wait until one renders and the others wait for it.
	for {
		s.pages.mu.Lock()
		waiting := 0
		for _, f := range s.pages.fills {
			waiting += f.waiting
		}
		s.pages.mu.Unlock()
		if waiting == n-1 || s.rendered.Load() > 2 {
			break
		}
		runtime.Gosched()
	}
	close(s.block)
	wg.Wait()
	close(hits)
	kept := 0
	for h := range hits {
		if h == "hit" {
			kept++
		}
	}
	if r := s.rendered.Load(); r != 2 || kept != n-1 {
		t.Errorf("%d renders for 1 answer at 2 versions; %d of %d got the kept answer", r, kept, n)
	}
}
