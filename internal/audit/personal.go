package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// MaxExported bounds the entries one person's download lists (newest first).
const MaxExported = 100000

// ExportEntry is one audit entry in a person's download.
type ExportEntry struct {
	At      time.Time `json:"at"`
	Action  string    `json:"action"`
	Target  string    `json:"target,omitempty"`
	Subject string    `json:"subject,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	IP      string    `json:"ip,omitempty"`
}

// PersonalData is the audit log's part of a person's download (the
// entries of what they did) and of an erasure: the entries stay, for what
// was done stays on record, but name the pseudonym instead of the person
// and lose the address they came from.
func PersonalData(d *db.DB) web.PersonalData {
	return web.PersonalData{
		Name: "audit_log",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			rows, err := d.R.QueryContext(ctx, `SELECT at, action, target, subject_title, detail, ip FROM audit_log
				WHERE actor_id = $1 ORDER BY id DESC LIMIT $2`, p.ID, MaxExported)
			if err != nil {
				return nil, fmt.Errorf("audit entries of account %d: %w", p.ID, err)
			}
			defer rows.Close()
			out := []ExportEntry{}
			for rows.Next() {
				var e ExportEntry
				if err := rows.Scan(&e.At, &e.Action, &e.Target, &e.Subject, &e.Detail, &e.IP); err != nil {
					return nil, fmt.Errorf("audit entries of account %d: %w", p.ID, err)
				}
				out = append(out, e)
			}
			return out, rows.Err()
		},
		Erase: func(ctx context.Context, tx *sql.Tx, p web.Person, pseudonym string) error {
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET actor_email = $1, ip = '' WHERE actor_id = $2 OR actor_email = $3`,
				pseudonym, p.ID, p.Email); err != nil {
				return fmt.Errorf("pseudonymising the audit entries of account %d: %w", p.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET subject_title = $1 WHERE target = $2`,
				pseudonym, fmt.Sprintf("user:%d", p.ID)); err != nil {
				return fmt.Errorf("pseudonymising the audit entries about account %d: %w", p.ID, err)
			}
			// The address may be written in any entry's text (an invitation,
			// a contact); the name only in the person's own entries, where it
			// cannot be another's.
			replace := func(old, where string, args ...any) error {
				if strings.TrimSpace(old) == "" {
					return nil
				}
				args = append([]any{old, pseudonym, "%" + likeEscape(old) + "%"}, args...)
				_, err := tx.ExecContext(ctx, `UPDATE audit_log SET detail = REPLACE(detail, $1, $2), subject_title = REPLACE(subject_title, $1, $2)
					WHERE (detail LIKE $3 ESCAPE '\' OR subject_title LIKE $3 ESCAPE '\')`+where, args...)
				return err
			}
			if err := replace(p.Email, ""); err != nil {
				return fmt.Errorf("removing account %d's address from the audit log: %w", p.ID, err)
			}
			if err := replace(p.Name, ` AND (actor_id = $4 OR target = $5)`, p.ID, fmt.Sprintf("user:%d", p.ID)); err != nil {
				return fmt.Errorf("removing account %d's name from the audit log: %w", p.ID, err)
			}
			return nil
		},
	}
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
