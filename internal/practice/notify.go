package practice

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/mail"
)

// Notifier queues the workflow's e-mail, in the recipient's language,
// inside the transaction of the step it reports.
type Notifier struct {
	Catalog *i18n.Catalog
	BaseURL string // the site's public address, for links; may be empty
}

func (n *Notifier) link(lang string, w *wf, path string) string {
	return strings.TrimRight(n.BaseURL, "/") + fmt.Sprintf("/%s/practices/%d%s", lang, w.id, path)
}

func (n *Notifier) send(ctx context.Context, tx *sql.Tx, to []mail.Recipient, w *wf, key, path string, args ...any) error {
	return mail.EnqueueEach(ctx, tx, n.Catalog, to, key, func(lang string) []any {
		return append([]any{"Title", w.head.Title.Get(lang, w.head.Lang), "Link", n.link(lang, w, path)}, args...)
	})
}

// submitted tells the secretariat that a practice waits for review.
func (n *Notifier) submitted(ctx context.Context, tx *sql.Tx, w *wf) error {
	if n == nil {
		return nil
	}
	to, err := mail.Recipients(ctx, tx, `SELECT email, name, lang FROM users WHERE role = 'admin' AND disabled = FALSE ORDER BY id`)
	if err != nil {
		return err
	}
	return n.send(ctx, tx, to, w, "practice.mail.submitted", "/work")
}

// author is whoever wrote the working copy, if they still have an account.
func author(ctx context.Context, tx *sql.Tx, w *wf) ([]mail.Recipient, error) {
	return mail.Recipients(ctx, tx, `SELECT email, name, lang FROM users WHERE id = $1 AND disabled = FALSE`, w.headAuthor)
}

// returned tells the author what the secretariat asks them to change.
func (n *Notifier) returned(ctx context.Context, tx *sql.Tx, w *wf, comment string) error {
	if n == nil {
		return nil
	}
	to, err := author(ctx, tx, w)
	if err != nil {
		return err
	}
	return n.send(ctx, tx, to, w, "practice.mail.returned", "/work", "Comment", comment)
}

// published tells the author that the practice is public.
func (n *Notifier) published(ctx context.Context, tx *sql.Tx, w *wf) error {
	if n == nil {
		return nil
	}
	to, err := author(ctx, tx, w)
	if err != nil {
		return err
	}
	return n.send(ctx, tx, to, w, "practice.mail.published", "")
}
