package mail

import (
	"context"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Recipient is someone to write to, in their language.
type Recipient struct{ Email, Name, Lang string }

// Recipients reads the recipients query selects as (email, name, lang).
func Recipients(ctx context.Context, q db.Querier, query string, args ...any) ([]Recipient, error) {
	return db.All(ctx, q, func(r *Recipient) []any { return []any{&r.Email, &r.Name, &r.Lang} }, query, args...)
}

// EnqueueEach stores one message per recipient, each in their language
// (the default one when theirs is not supported): the catalog's key +
// ".subject" and key + ".body", given "Name" and what args gives for the
// language.
func EnqueueEach(ctx context.Context, q db.Querier, cat *i18n.Catalog, to []Recipient, key string, args func(lang string) []any) error {
	for _, r := range to {
		lang := r.Lang
		if !i18n.Supported(lang) {
			lang = i18n.Default
		}
		all := append([]any{"Name", r.Name}, args(lang)...)
		if err := Enqueue(ctx, q, r.Email, cat.T(lang, key+".subject", all...), cat.T(lang, key+".body", all...)); err != nil {
			return err
		}
	}
	return nil
}
