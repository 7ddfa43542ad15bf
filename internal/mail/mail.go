// Package mail sends the platform's e-mail through an outbox table: a
// message is stored in the same transaction as the change it reports, and a
// worker delivers it (retrying with backoff), so nothing acknowledged is lost.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"observatory/internal/db"
)

// Enqueue stores a message for delivery.
func Enqueue(ctx context.Context, q db.Querier, to, subject, body string) error {
	now := db.Now()
	_, err := q.ExecContext(ctx, `INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)`,
		to, subject, body, now)
	return err
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
	// Configured reports whether mail really leaves the platform.
	Configured() bool
}

// LogSender writes messages to the log, for installations without SMTP.
type LogSender struct{ Log *slog.Logger }

func (l LogSender) Send(_ context.Context, to, subject, body string) error {
	l.Log.Info("mail not sent (no SMTP configured)", "to", to, "subject", subject, "body", body)
	return nil
}
func (LogSender) Configured() bool { return false }

// SMTPSender sends through an SMTP server given as a URL:
// smtp://user:pass@host:587?from=noreply@example.org (STARTTLS when offered)
// or smtps://… (TLS from the start).
type SMTPSender struct {
	addr, host  string
	from        *netmail.Address
	auth        smtp.Auth
	implicitTLS bool
}

// NewSender returns the SMTP sender for rawURL, or a LogSender when it is empty.
func NewSender(rawURL string, log *slog.Logger) (Sender, error) {
	if rawURL == "" {
		return LogSender{Log: log}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("--smtp-url must look like smtp://user:password@host:587?from=noreply@example.org")
	}
	if u.Query().Get("from") == "" {
		return nil, errors.New("--smtp-url needs a sender address: add ?from=noreply@example.org")
	}
	// "noreply@example.org" or, URL-encoded, "Observatory <noreply@example.org>".
	from, err := netmail.ParseAddress(u.Query().Get("from"))
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: the sender address: %w", err)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"smtp": "587", "smtps": "465"}[u.Scheme]
	}
	s := &SMTPSender{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from, implicitTLS: u.Scheme == "smtps"}
	if u.User != nil {
		pw, _ := u.User.Password()
		s.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return s, nil
}

func (*SMTPSender) Configured() bool { return true }

// Send delivers one message.
func (s *SMTPSender) Send(ctx context.Context, to, subject, body string) error {
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	var err error
	if s.implicitTLS {
		conn, err = tls.DialWithDialer(&d, "tcp", s.addr, &tls.Config{ServerName: s.host})
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return err
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implicitTLS {
		if err := c.StartTLS(&tls.Config{ServerName: s.host}); err != nil {
			return err
		}
	}
	if s.auth != nil {
		if err := c.Auth(s.auth); err != nil {
			return err
		}
	}
	rcpt, err := netmail.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("recipient %q: %w", to, err)
	}
	if err := c.Mail(s.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt.Address); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg, err := compose(s.from, rcpt, subject, body, time.Now())
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// address writes "Name <a@b>" with the name encoded when it needs to be, or the bare address.
func address(a *netmail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.String()
}

// compose writes a message: headers with any non-ASCII text (subject,
// names) in RFC 2047 encoded words, a Message-ID of its own, plain text body.
func compose(from, to *netmail.Address, subject, body string, now time.Time) (string, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	h := []string{
		"From: " + address(from),
		"To: " + address(to),
		"Subject: " + mime.QEncoding.Encode("utf-8", subject),
		"Date: " + now.Format(time.RFC1123Z),
		"Message-ID: <" + hex.EncodeToString(id) + "@" + domain + ">",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
	}
	return strings.Join(h, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n") + "\r\n", nil
}

// Worker delivers queued messages.
type Worker struct {
	DB     *db.DB
	Sender Sender
	Log    *slog.Logger
}

// Run delivers until ctx ends, polling every few seconds.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("mail delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue sends every due message once; it returns how many were sent.
// Each message is claimed by pushing its next attempt forward first, so two
// app servers do not send it twice.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	rows, err := w.DB.R.QueryContext(ctx, `SELECT id, recipient, subject, body, attempts FROM mail_outbox
		WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT 50`, db.Now())
	if err != nil {
		return 0, err
	}
	type msg struct {
		id                int64
		to, subject, body string
		attempts          int
	}
	var due []msg
	for rows.Next() {
		var m msg
		if err := rows.Scan(&m.id, &m.to, &m.subject, &m.body, &m.attempts); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, m)
	}
	rows.Close()
	sent := 0
	for _, m := range due {
		backoff := time.Duration(1<<min(m.attempts, 10)) * time.Minute
		res, err := w.DB.W.ExecContext(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1
			WHERE id = $2 AND attempts = $3 AND sent_at IS NULL`, db.Now().Add(backoff), m.id, m.attempts)
		if err != nil {
			return sent, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another server took it
		}
		if err := w.Sender.Send(ctx, m.to, m.subject, m.body); err != nil {
			w.Log.Warn("mail not delivered, will retry", "id", m.id, "to", m.to, "err", err, "retry_in", backoff)
			w.DB.W.ExecContext(ctx, `UPDATE mail_outbox SET last_error = $1 WHERE id = $2`, err.Error(), m.id)
			continue
		}
		if _, err := w.DB.W.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $1, last_error = '' WHERE id = $2`, db.Now(), m.id); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
