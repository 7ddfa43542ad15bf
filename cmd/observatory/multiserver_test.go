package main_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/mail"
	"observatory/internal/testutil"
)

// TestSeveralServersOnePostgres runs three servers of the real binary on
// one PostgreSQL database, as deploy/ sets them up behind a proxy, and
// checks that they act as one site: a change made through one is seen at
// once by the others in pages, search, feeds and API; a session made on
// one is valid on the others; sign-in limits count across them; each mail
// is sent once; and a server killed during writes loses no acknowledged
// write while the others keep serving.
func TestSeveralServersOnePostgres(t *testing.T) {
	if os.Getenv(testutil.PostgresEnv) == "" {
		t.Skip(testutil.PostgresEnv + " is not set: several servers need one PostgreSQL database to share")
	}
	dsn := testutil.PostgresDSN(t)
	out, stderr, code := run(t, "", "seed", "--demo", "--db", dsn)
	if code != 0 {
		t.Fatalf("seed --demo: %d %s", code, stderr)
	}
	m := regexp.MustCompile(`Sign in as (\S+) with the password (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("seed printed no admin: %q", out)
	}
	adminEmail, adminPassword := m[1], m[2]

	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var dus int64
	if err := d.R.QueryRow(`SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&dus); err != nil {
		t.Fatal(err)
	}

	smtp := newSMTPPeer(t)
	smtpURL := "smtp://" + smtp.ln.Addr().String() + "?from=noreply@observatory.example"
	a, b, c := startServer(t, dsn, smtpURL), startServer(t, dsn, smtpURL), startServer(t, dsn, smtpURL)
	servers := []*server{a, b, c}
	pub := newClient(t)

	// A session made on one server is valid on the others.
	admin := newClient(t)
	admin.post(a, "/en/login", url.Values{"email": {adminEmail}, "password": {adminPassword}}).expect(t, 303)
	for _, s := range servers {
		admin.get(s, "/en/admin").expect(t, 200, "Secretariat (demo)")
		pub.get(s, "/en/admin").expect(t, 303)
	}

	// Fill the other servers' caches with what the change will touch.
	const word = "Quartiersgarten"
	for _, s := range []*server{b, c} {
		for range 2 { // a search is kept from its second request on
			pub.get(s, "/en/practices?q="+word).expect(t, 200).lacks(t, "Gemeinsamer "+word)
			pub.get(s, "/api/v1/practices?q="+word).expect(t, 200).lacks(t, "Gemeinsamer "+word)
		}
		pub.get(s, "/en/practices/feed.atom").expect(t, 200).lacks(t, "Gemeinsamer "+word)
	}

	// A practice written and published through one server is at once
	// on the others: page, search, feed, API.
	res := admin.post(a, "/en/practices/new", url.Values{"language": {"de"}, "city": {strconv.FormatInt(dus, 10)},
		"title": {"Gemeinsamer " + word}, "summary": {"Nachbarn gärtnern zusammen."},
		"body": {"Auf einer Brache wächst Gemüse für alle."}, "results": {"Dreißig Beete."}, "evidence": {"monitored"},
		"theme": {"education"}, "status": {"running"}, "start": {"2019-04"}, "ongoing": {"1"}}).expect(t, 303)
	wm := regexp.MustCompile(`/practices/(\d+)/work`).FindStringSubmatch(res.Header.Get("Location"))
	if wm == nil {
		t.Fatalf("after creating: %q", res.Header.Get("Location"))
	}
	id := wm[1]
	admin.post(a, "/en/practices/"+id+"/submit", nil).expect(t, 303)
	admin.post(a, "/en/practices/"+id+"/publish", nil).expect(t, 303)
	var page string
	for _, s := range []*server{b, c} {
		loc := pub.get(s, "/en/practices/"+id).expect(t, 301).Header.Get("Location")
		page = strings.TrimPrefix(loc, s.url)
		pub.get(s, page).expect(t, 200, "Gemeinsamer "+word, "Düsseldorf")
		pub.get(s, "/en/practices?q="+word).expect(t, 200, "Gemeinsamer "+word)
		pub.get(s, "/api/v1/practices?q="+word).expect(t, 200, "Gemeinsamer "+word)
		pub.get(s, "/api/v1/practices/"+id).expect(t, 200, "Gemeinsamer "+word)
		pub.get(s, "/en/practices/feed.atom").expect(t, 200, "Gemeinsamer "+word)
	}

	// A city's profile changed through one server: its page and the
	// (cached) practice page on the others follow at once, twice in a row.
	rename := func(name string) {
		t.Helper()
		admin.post(a, fmt.Sprintf("/en/cities/%d/edit", dus), url.Values{"name": {name}, "country": {"DE"},
			"lat": {"51.2277"}, "lon": {"6.7735"}, "timezone": {"Europe/Berlin"}, "population": {"620523"},
			"population_year": {"2018"}, "description_lang": {"de"}}).expect(t, 303)
	}
	for _, names := range [][]string{{"Düsseldorf am Rhein"}, {"Düsseldorf an der Düssel", "Landeshauptstadt Düsseldorf"}} {
		for _, name := range names { // one change, then two in a row
			rename(name)
		}
		name := names[len(names)-1]
		for _, s := range []*server{b, c} {
			pub.get(s, page).expect(t, 200, name).lacks(t, "an der Düssel")
			pub.follow(s, fmt.Sprintf("/en/cities/%d", dus)).expect(t, 200, name).lacks(t, "an der Düssel")
			pub.get(s, fmt.Sprintf("/api/v1/cities/%d", dus)).expect(t, 200, name).lacks(t, "an der Düssel")
			pub.get(s, "/en/practices?q="+word).expect(t, 200, name).lacks(t, "an der Düssel")
		}
	}

	// Sign-in limits count across servers: of many wrong passwords sent
	// at once to all three, at most the limit (5 per account) are
	// checked; then even the right password waits.
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 15 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := -1 // no answer
			if res, err := newClient(t).try("POST", servers[i%3], "/en/login", url.Values{"email": {adminEmail}, "password": {"not the password " + strconv.Itoa(i)}}); err == nil {
				st = res.StatusCode
			}
			mu.Lock()
			statuses[st]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[401] > 5 || statuses[401]+statuses[429] != 15 {
		t.Errorf("15 wrong passwords at once over three servers: %v; want at most 5 checked (401), the rest refused (429)", statuses)
	}
	// Attempts refused while others were being counted may leave the
	// limit not quite used; one by one, it fills to exactly 5.
	checked := statuses[401]
	for ; checked < 10; checked++ {
		if newClient(t).post(servers[checked%3], "/en/login", url.Values{"email": {adminEmail}, "password": {"wrong again"}}).StatusCode == 429 {
			break
		}
	}
	if checked != 5 {
		t.Errorf("%d wrong passwords checked in all, want 5", checked)
	}
	for _, s := range servers {
		newClient(t).post(s, "/en/login", url.Values{"email": {adminEmail}, "password": {adminPassword}}).expect(t, 429)
	}

	// Each queued mail is sent once, whichever server's worker takes it.
	const mails = 30
	for i := range mails {
		if err := mail.Enqueue(context.Background(), d.W, fmt.Sprintf("city%d@example.org", i), fmt.Sprintf("Message %d", i), "Hello."); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "every queued mail marked sent", func() bool {
		var n int
		d.R.QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&n)
		return n == 0
	})
	got := map[string]int{}
	for _, msg := range smtp.received() {
		if m := regexp.MustCompile(`(?m)^Subject: (Message \d+)\r?$`).FindStringSubmatch(msg); m != nil {
			got[m[1]]++
		}
	}
	for i := range mails {
		if n := got[fmt.Sprintf("Message %d", i)]; n != 1 {
			t.Errorf("Message %d was sent %d times", i, n)
		}
	}
	// The waiting-list job runs on one server at a time: one holder.
	var holders int
	d.R.QueryRow(`SELECT COUNT(DISTINCT holder) FROM job_leases WHERE name = 'summit.waiting-lists'`).Scan(&holders)
	if holders != 1 {
		t.Errorf("the waiting-list job's lease has %d holders", holders)
	}

	// One server killed with SIGKILL during writes: every write it
	// acknowledged is there, and the others keep serving.
	writer := newClient(t)
	writer.jar = admin.jar
	type ack struct{ id, title string }
	acks := make(chan ack, 1000)
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				title := fmt.Sprintf("Entwurf %d-%d", w, i)
				res, err := writer.try("POST", c, "/en/practices/new", url.Values{"language": {"de"}, "city": {strconv.FormatInt(dus, 10)}, "title": {title}})
				if err != nil {
					return // the server is gone
				}
				if m := regexp.MustCompile(`/practices/(\d+)/work`).FindStringSubmatch(res.Header.Get("Location")); res.StatusCode == 303 && m != nil {
					acks <- ack{m[1], title}
				}
			}
		}()
	}
	var acked []ack
	for len(acked) < 8 {
		acked = append(acked, <-acks)
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	close(stop)
	writers.Wait()
	close(acks)
	for x := range acks {
		acked = append(acked, x)
	}
	for _, s := range []*server{a, b} {
		pub.get(s, "/en/cities").expect(t, 200)
		pub.get(s, page).expect(t, 200, "Gemeinsamer "+word)
	}
	for _, x := range acked {
		admin.get(a, "/en/practices/"+x.id+"/work").expect(t, 200, x.title)
	}
	// And the survivors still take writes.
	admin.post(b, "/en/practices/new", url.Values{"language": {"de"}, "city": {strconv.FormatInt(dus, 10)}, "title": {"Nach dem Ausfall"}}).expect(t, 303)
	t.Logf("%d writes acknowledged before the kill, all present; statuses of the parallel sign-ins: %v", len(acked), statuses)
}

// waitFor polls cond until it holds, failing the test after a generous
// minute (a bound against hanging, not a measured time).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type server struct {
	url string
	cmd *exec.Cmd
}

// startServer starts `observatory serve` on a free port and waits until
// it says where it listens.
func startServer(t *testing.T, dsn, smtpURL string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--smtp-url", smtpURL, "--base-url", "http://observatory.test")
	// The administrator here signs in with a password alone: the second
	// factor has its own tests, this one is about several servers.
	cmd.Env = append(os.Environ(), "OBSERVATORY_DB=", "OBSERVATORY_API_LIMIT=-1", "OBSERVATORY_SECOND_FACTOR_ADMINS=false")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	cmd.Stderr = &syncWriter{w: &logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`listening on ([^; ]+);`).FindStringSubmatch(sc.Text()); m != nil {
			s.url = "http://" + m[1]
			break
		}
	}
	if s.url == "" {
		cmd.Wait()
		t.Fatalf("the server did not start: %s", logs.String())
	}
	go io.Copy(io.Discard, stdout)
	return s
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// client is a browser: cookies (which do not depend on the port, so a
// session travels between the servers as it would behind one proxy), no
// redirects followed, same-origin forms.
type client struct {
	t   *testing.T
	jar http.CookieJar
}

func newClient(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, jar: jar}
}

type response struct {
	*http.Response
	body string
}

func (c *client) try(method string, s *server, path string, form url.Values) (*response, error) {
	var body io.Reader
	if form != nil || method == "POST" {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		return nil, err
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.url)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	hc := &http.Client{Jar: c.jar, Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &response{Response: res, body: string(b)}, nil
}

func (c *client) do(method string, s *server, path string, form url.Values) *response {
	c.t.Helper()
	res, err := c.try(method, s, path, form)
	if err != nil {
		c.t.Fatalf("%s %s%s: %v", method, s.url, path, err)
	}
	return res
}

func (c *client) get(s *server, path string) *response {
	c.t.Helper()
	return c.do("GET", s, path, nil)
}

// follow gets path and follows redirects on the same server.
func (c *client) follow(s *server, path string) *response {
	c.t.Helper()
	for range 5 {
		res := c.get(s, path)
		if res.StatusCode < 300 || res.StatusCode >= 400 {
			return res
		}
		path = strings.TrimPrefix(res.Header.Get("Location"), s.url)
	}
	c.t.Fatalf("%s%s: too many redirects", s.url, path)
	return nil
}

func (c *client) post(s *server, path string, form url.Values) *response {
	c.t.Helper()
	return c.do("POST", s, path, form)
}

func (r *response) expect(t *testing.T, status int, texts ...string) *response {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, excerpt(r.body))
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s %s: lacks %q\n%s", r.Request.Method, r.Request.URL, s, excerpt(r.body))
		}
	}
	return r
}

func (r *response) lacks(t *testing.T, texts ...string) *response {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.body, s) {
			t.Errorf("%s %s: has %q", r.Request.Method, r.Request.URL, s)
		}
	}
	return r
}

func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// smtpPeer is a minimal SMTP server on a local port that keeps what it receives.
type smtpPeer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func newSMTPPeer(t *testing.T) *smtpPeer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &smtpPeer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(conn)
		}
	}()
	return p
}

func (p *smtpPeer) received() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.msgs...)
}

func (p *smtpPeer) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(l string) { io.WriteString(conn, l+"\r\n") }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			p.mu.Lock()
			p.msgs = append(p.msgs, b.String())
			p.mu.Unlock()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
