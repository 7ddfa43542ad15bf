// Package admin serves the secretariat's dashboard and the audit log.
package admin

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// Count is one figure on the dashboard.
type Count struct {
	Key   string // catalog key of the label
	Value int
	Path  string // where to manage it, if anywhere
}

// Handlers serves the admin pages.
type Handlers struct {
	DB      *db.DB
	Render  *web.Renderer
	Version string
	// Figures are the capabilities' dashboard figures (web.Capability.Counts),
	// shown after the platform's own (accounts, sessions, mail, audit log).
	Figures []web.Count
}

// platformCounts are the dashboard's figures about the platform itself; a
// $1 in a statement stands for the current time.
var platformCounts = []struct{ Key, SQL, Path string }{
	{Key: "admin.count.users", SQL: `SELECT COUNT(*) FROM users WHERE disabled = FALSE`, Path: "/admin/users"},
	{Key: "admin.count.sessions", SQL: `SELECT COUNT(*) FROM sessions WHERE expiry > $1`},
	{Key: "admin.count.mail_queued", SQL: `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`},
	{Key: "admin.count.audit", SQL: `SELECT COUNT(*) FROM audit_log`, Path: "/admin/audit"},
}

type dashboardData struct {
	Version    string
	Engine     db.Engine
	Target     string
	Counts     []Count
	Migrations []db.Migration
	Recent     []audit.Entry
}

// Dashboard shows version, database engine, counts and recent actions.
func (h *Handlers) Dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := dashboardData{Version: h.Version, Engine: h.DB.Engine(), Target: h.DB.Target}
	var err error
	if d.Counts, err = h.counts(ctx); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if d.Migrations, err = h.DB.Status(ctx); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if d.Recent, err = audit.List(ctx, h.DB, audit.Filter{Limit: 10}); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("admin.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "admin/dashboard", p)
}

func (h *Handlers) counts(ctx context.Context) ([]Count, error) {
	out := make([]Count, 0, len(platformCounts)+len(h.Figures))
	for _, c := range platformCounts {
		var n int
		var args []any
		if strings.Contains(c.SQL, "$1") {
			args = append(args, db.Now()) // $1 is always "now"
		}
		if err := h.DB.R.QueryRowContext(ctx, c.SQL, args...).Scan(&n); err != nil {
			return nil, fmt.Errorf("dashboard figure %s: %w", c.Key, err)
		}
		out = append(out, Count{Key: c.Key, Value: n, Path: c.Path})
	}
	for _, f := range h.Figures {
		n, err := f.Value(ctx)
		if err != nil {
			return nil, fmt.Errorf("dashboard figure %s: %w", f.Key, err)
		}
		out = append(out, Count{Key: f.Key, Value: int(n), Path: f.Path})
	}
	return out, nil
}

type auditData struct {
	Entries []audit.Entry
	Filter  audit.Filter
	Next    string
}

const auditPage = 50

// Audit lists recorded actions, newest first, filtered and paged by id.
func (h *Handlers) Audit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Actor: q.Get("actor"), Target: q.Get("target"), Limit: auditPage + 1}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		f.Before = n
	}
	entries, err := audit.List(r.Context(), h.DB, f)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := auditData{Entries: entries, Filter: f}
	if len(entries) > auditPage {
		d.Entries = entries[:auditPage]
		nq := r.URL.Query()
		nq.Set("before", strconv.FormatInt(d.Entries[auditPage-1].ID, 10))
		d.Next = r.URL.Path + "?" + nq.Encode()
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("admin.audit.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "admin/audit", p)
}
