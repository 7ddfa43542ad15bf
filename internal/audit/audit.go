// Package audit records every administrative action — who, what, when,
// from where — in an append-only table that admins can browse.
package audit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// Entry is one recorded action.
type Entry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorEmail string
	Action     string // e.g. "user.invite", "city.update"
	Target     string // e.g. "user:12", "city:3"
	// SubjectTitle and SubjectPath name the target readably and link its
	// page (after the language prefix), when the writer knew them.
	SubjectTitle string
	SubjectPath  string
	Detail       string // what changed, human-readable or JSON
	IP           string
}

// Record writes an entry in q (pass the transaction that made the change,
// so the change and its record stand or fall together).
func Record(ctx context.Context, q db.Querier, e Entry) error {
	if e.At.IsZero() {
		e.At = db.Now()
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, action, target, subject_title, subject_path, detail, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.At, nullID(e.ActorID), e.ActorEmail, e.Action, e.Target,
		e.SubjectTitle, e.SubjectPath, e.Detail, e.IP)
	if err != nil {
		return fmt.Errorf("recording %s in the audit log: %w", e.Action, err)
	}
	return nil
}

// FromRequest fills in the actor and address of r.
func FromRequest(r *http.Request, action, target, detail string) Entry {
	e := Entry{Action: action, Target: target, Detail: detail, IP: web.ClientIP(r)}
	if v := web.ViewerFrom(r.Context()); v != nil {
		e.ActorID, e.ActorEmail = v.ID, v.Email
	}
	return e
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Filter narrows the list.
type Filter struct {
	Action string // prefix: "user" matches "user.invite"
	Actor  string // e-mail, substring
	Target string // exact
	Kind   string // the subject's kind: "city" matches "city:3"
	Before int64  // entries with a smaller id (keyset paging)
	Limit  int
}

// List returns entries newest first.
func List(ctx context.Context, d *db.DB, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Action != "" {
		add("action LIKE ?", strings.ReplaceAll(f.Action, "%", "")+"%")
	}
	if f.Actor != "" {
		add("actor_email "+d.Dialect.ILike()+" ?", "%"+strings.ReplaceAll(f.Actor, "%", "")+"%")
	}
	if f.Target != "" {
		add("target = ?", f.Target)
	}
	if f.Kind != "" {
		add("target LIKE ?", strings.ReplaceAll(f.Kind, "%", "")+":%")
	}
	if f.Before > 0 {
		add("id < ?", f.Before)
	}
	q := `SELECT id, at, COALESCE(actor_id, 0), actor_email, action, target, subject_title, subject_path, detail, ip FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := d.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing the audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorEmail, &e.Action, &e.Target, &e.SubjectTitle, &e.SubjectPath, &e.Detail, &e.IP); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Choices are the values the audit log's filter offers: the actions, the
// kinds of subject and the people that occur in it, each sorted.
type Choices struct {
	Actions []string
	Kinds   []string
	Actors  []string
}

// ListChoices reads the filter's choices from the log.
func ListChoices(ctx context.Context, d *db.DB) (Choices, error) {
	var c Choices
	kind := `substr(target, 1, instr(target, ':') - 1)` // the part of "kind:id" before the colon
	if d.Engine() == db.Postgres {
		kind = `split_part(target, ':', 1)`
	}
	for _, q := range []struct {
		sql string
		out *[]string
	}{
		{`SELECT DISTINCT action FROM audit_log ORDER BY action`, &c.Actions},
		{`SELECT DISTINCT ` + kind + ` AS kind FROM audit_log WHERE target LIKE '%:%' ORDER BY kind`, &c.Kinds},
		{`SELECT DISTINCT actor_email FROM audit_log WHERE actor_email <> '' ORDER BY actor_email LIMIT 500`, &c.Actors},
	} {
		rows, err := d.R.QueryContext(ctx, q.sql)
		if err != nil {
			return c, fmt.Errorf("reading the audit log's filter choices: %w", err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return c, err
			}
			*q.out = append(*q.out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, err
		}
	}
	return c, nil
}
