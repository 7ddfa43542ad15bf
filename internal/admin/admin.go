// Package admin serves the secretariat's dashboard and the audit log.
package admin

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"net/url"
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

// dbHost names where the database lives without any of its address's
// secrets: the host of a PostgreSQL URL, or "local file" for SQLite.
func dbHost(d *db.DB) string {
	if d.Engine() != db.Postgres {
		return "local file"
	}
	u, err := url.Parse(d.Target)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Host
}

// Dashboard shows version, database engine, counts and recent actions.
func (h *Handlers) Dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := dashboardData{Version: h.Version, Engine: h.DB.Engine(), Target: dbHost(h.DB)}
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
	// The filter's choices, from what the log holds.
	Actions []optionGroup
	Kinds   []option
	Actors  []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// optionGroup is the actions of one area ("city", "practice" …); its first
// option chooses them all.
type optionGroup struct {
	Label   string
	Options []option
}

const auditPage = 50

// Audit lists recorded actions, newest first, filtered and paged by id.
func (h *Handlers) Audit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Actor: q.Get("actor"), Target: q.Get("target"), Kind: q.Get("kind"), Limit: auditPage + 1}
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
	if err := h.auditChoices(r, &d); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
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

// auditChoices fills the filter's selects: the actions grouped by area,
// the kinds of subject, the people, each with the current choice marked.
func (h *Handlers) auditChoices(r *http.Request, d *auditData) error {
	c, err := audit.ListChoices(r.Context(), h.DB)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	known := map[string]bool{}
	for _, k := range h.Render.Catalog.Keys(lang) {
		known[k] = true
	}
	// kindLabel names an area or a kind of subject in the page's language
	// when the catalog knows it, else by its code.
	kindLabel := func(k string) string {
		if key := "admin.audit.kind." + k; known[key] {
			return h.Render.Catalog.T(lang, key)
		}
		return k
	}
	for _, a := range c.Actions {
		area, _, _ := strings.Cut(a, ".")
		if n := len(d.Actions); n == 0 || d.Actions[n-1].Options[0].Value != area {
			d.Actions = append(d.Actions, optionGroup{Label: kindLabel(area), Options: []option{{Value: area,
				Label: h.Render.Catalog.T(lang, "admin.audit.all_of", "Area", kindLabel(area)), Selected: d.Filter.Action == area}}})
		}
		g := &d.Actions[len(d.Actions)-1]
		if rest, ok := strings.CutPrefix(a, area+"."); ok { // under its area's heading: "login", "invite.redeem"
			g.Options = append(g.Options, option{Value: a, Label: rest, Selected: d.Filter.Action == a})
		}
	}
	for _, k := range c.Kinds {
		d.Kinds = append(d.Kinds, option{Value: k, Label: kindLabel(k), Selected: d.Filter.Kind == k})
	}
	for _, a := range c.Actors {
		d.Actors = append(d.Actors, option{Value: a, Label: a, Selected: d.Filter.Actor == a})
	}
	return nil
}
