package mail_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"observatory/internal/db"
	"observatory/internal/mail"
	"observatory/internal/testutil"
)

// smtpServer is a minimal SMTP peer on a local port that records what it receives.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func newSMTPServer(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(l string) { io.WriteString(c, l+"\r\n") }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
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
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.mu.Unlock()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestOutboxDeliversAndRetries(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := newSMTPServer(t)
		if err := mail.Enqueue(ctx, d.W, "jana@example.org", "Willkommen in Düsseldorf", "Hallo Jana,\nbis bald."); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		// The server is down first: the message stays queued with its error.
		down, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := down.Addr().String()
		down.Close()
		bad, err := mail.NewSender("smtp://"+addr+"?from=noreply@example.org", log)
		if err != nil {
			t.Fatal(err)
		}
		w := &mail.Worker{DB: d, Sender: bad, Log: log}
		if n, err := w.DeliverDue(ctx); n != 0 || err != nil {
			t.Fatalf("delivered %d (%v) to a server that is down", n, err)
		}
		var pending int
		var lastErr string
		d.R.QueryRow(`SELECT COUNT(*), MAX(last_error) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&pending, &lastErr)
		if pending != 1 || lastErr == "" {
			t.Fatalf("after a failed attempt: %d pending, error %q", pending, lastErr)
		}
		// Due again (the backoff has passed), and the server is up.
		d.W.Exec(`UPDATE mail_outbox SET next_attempt_at = $1`, db.Now())
		good, err := mail.NewSender("smtp://"+srv.ln.Addr().String()+"?from=noreply@example.org", log)
		if err != nil {
			t.Fatal(err)
		}
		w.Sender = good
		if n, err := w.DeliverDue(ctx); n != 1 || err != nil {
			t.Fatalf("delivered %d (%v)", n, err)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if len(srv.msgs) != 1 || !strings.Contains(srv.msgs[0], "To: jana@example.org") || !strings.Contains(srv.msgs[0], "=?utf-8?q?") || !strings.Contains(srv.msgs[0], "bis bald.") {
			t.Errorf("received %q", srv.msgs)
		}
		if n, _ := w.DeliverDue(ctx); n != 0 {
			t.Error("a sent message was sent again")
		}
	})
}

func TestSenderURL(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, bad := range []string{"http://x", "smtp://", "smtp://host:25"} {
		if _, err := mail.NewSender(bad, log); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	s, err := mail.NewSender("", log)
	if err != nil || s.Configured() {
		t.Error("no URL must mean: log, not send")
	}
}

// What a mail program reads: the subject and the sender's name decode to
// the text they were given, and every message has a Message-ID of its own.
func TestHeadersEncodedAndMessageID(t *testing.T) {
	srv := newSMTPServer(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	from := url.QueryEscape("Observatoire du vivre-ensemble <noreply@example.org>")
	s, err := mail.NewSender("smtp://"+srv.ln.Addr().String()+"?from="+from, log)
	if err != nil {
		t.Fatal(err)
	}
	subject := "Gipfel in Düsseldorf: Anmeldung bestätigt — 2019"
	for _, to := range []string{"jana@example.org", "Jürgen Weiß <juergen@example.org>"} {
		if err := s.Send(context.Background(), to, subject, "Hallo,\nbis bald."); err != nil {
			t.Fatal(err)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.msgs) != 2 {
		t.Fatalf("received %d messages", len(srv.msgs))
	}
	var dec mime.WordDecoder
	ids := map[string]bool{}
	for i, raw := range srv.msgs {
		m, err := netmail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("message %d does not parse: %v\n%s", i, err, raw)
		}
		for _, line := range strings.Split(raw[:strings.Index(raw, "\r\n\r\n")], "\r\n") {
			for _, r := range line {
				if r > 127 {
					t.Errorf("a header line is not plain ASCII: %q", line)
					break
				}
			}
		}
		if got, err := dec.DecodeHeader(m.Header.Get("Subject")); err != nil || got != subject {
			t.Errorf("subject reads %q (%v), want %q", got, err, subject)
		}
		f, err := m.Header.AddressList("From")
		if err != nil || len(f) != 1 || f[0].Name != "Observatoire du vivre-ensemble" || f[0].Address != "noreply@example.org" {
			t.Errorf("From reads %+v (%v)", f, err)
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 || i == 1 && to[0].Name != "Jürgen Weiß" {
			t.Errorf("To reads %+v (%v)", to, err)
		}
		id := m.Header.Get("Message-ID")
		if !regexp.MustCompile(`^<[0-9a-f]{32}@example\.org>$`).MatchString(id) || ids[id] {
			t.Errorf("Message-ID %q: missing, malformed or repeated", id)
		}
		ids[id] = true
		if b, _ := io.ReadAll(m.Body); string(b) != "Hallo,\r\nbis bald.\r\n" {
			t.Errorf("body %q", b)
		}
	}
}
