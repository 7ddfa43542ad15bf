package summit

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"observatory/internal/i18n"
	"observatory/internal/mail"
)

var (
	defaultCatalog     *i18n.Catalog
	defaultCatalogOnce sync.Once
)

func (st *Store) catalog() *i18n.Catalog {
	if st.Catalog != nil {
		return st.Catalog
	}
	defaultCatalogOnce.Do(func() { defaultCatalog, _ = i18n.Load() })
	return defaultCatalog
}

// notify e-mails everyone in a delegation — the person who registered it
// and each delegate with an address — about its new state, in the
// recipient's language. It runs in the transaction of the change, so the
// message is sent exactly when the change stands.
func (st *Store) notify(ctx context.Context, tx *sql.Tx, s *Summit, delegationID int64, state, reason string) error {
	cat := st.catalog()
	if cat == nil {
		return nil
	}
	var lang, contact string
	var expires sql.NullTime
	var queued sql.NullTime
	c := CityRef{}
	dest := append([]any{&lang, &contact, &expires, &queued}, cityDest(&c)...)
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(u.lang, ''), d.contact_email, d.offer_expires_at, d.queued_at, `+cityColumns+`
		FROM summit_delegations d JOIN cities c ON c.id = d.city_id LEFT JOIN users u ON u.id = d.created_by WHERE d.id = $1`, delegationID).Scan(dest...)
	if err != nil {
		return err
	}
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	to := []string{}
	add := func(a string) {
		a = strings.TrimSpace(a)
		for _, x := range to {
			if strings.EqualFold(x, a) {
				return
			}
		}
		if a != "" {
			to = append(to, a)
		}
	}
	add(contact)
	rows, err := tx.QueryContext(ctx, `SELECT email FROM summit_delegates WHERE delegation_id = $1 ORDER BY is_head DESC, position, id`, delegationID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return err
		}
		add(e)
	}
	rows.Close()
	if len(to) == 0 {
		return nil
	}
	position := 0
	if state == StateWaiting && queued.Valid {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM summit_delegations WHERE summit_id = $1 AND state = 'waiting'
			AND (queued_at < $2 OR (queued_at = $2 AND id <= $3))`, s.ID, queued.Time, delegationID).Scan(&position); err != nil {
			return err
		}
	}
	// Each address is written to in its account's language, if it has an
	// account; otherwise in the language of the person who registered.
	type letter struct{ subject, body string }
	letters := map[string]letter{}
	write := func(lang string) letter {
		if l, ok := letters[lang]; ok {
			return l
		}
		deadline := ""
		if expires.Valid {
			deadline = i18n.DateTime(lang, expires.Time.In(s.Location())) + " (" + s.Timezone + ")"
		}
		title := s.Title.Get(lang, s.SourceLang)
		link := strings.TrimRight(st.BaseURL, "/") + "/" + lang + "/summits/" + s.Ref() + "/delegation"
		l := letter{subject: cat.T(lang, "summit.mail.subject", "Summit", title, "City", c.In(lang), "State", cat.T(lang, "summit.state."+state))}
		l.body = cat.T(lang, "summit.mail.body."+state, "Summit", title, "City", c.In(lang), "Reason", reason,
			"Position", position, "Deadline", deadline, "Link", link) + "\n\n" + cat.T(lang, "summit.mail.footer")
		letters[lang] = l
		return l
	}
	for _, addr := range to {
		own := ""
		if err := tx.QueryRowContext(ctx, `SELECT lang FROM users WHERE email = $1`, strings.ToLower(addr)).Scan(&own); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if !i18n.Supported(own) {
			own = lang
		}
		l := write(own)
		if err := mail.Enqueue(ctx, tx, addr, l.subject, l.body); err != nil {
			return err
		}
	}
	return nil
}
