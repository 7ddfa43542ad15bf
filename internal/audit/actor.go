package audit

import (
	"context"
	"net/http"
	"strconv"

	"observatory/internal/db"
	"observatory/internal/web"
)

// Actor is who does a write: a signed-in person (or a token of theirs),
// from an address. Every store method that changes something takes one and
// records the audit entry in its own transaction.
type Actor struct {
	UserID int64
	Email  string
	CityID int64  // the person's city, for city-bound roles
	Role   string // the person's role ("" for a resident without account)
	IP     string
	Via    string // how the write came in when not through a form, e.g. "token:3" or "cli"
}

// ActorFrom is the signed-in viewer of r (or an anonymous actor) and r's address.
func ActorFrom(r *http.Request) Actor {
	a := Actor{IP: web.ClientIP(r)}
	if v := web.ViewerFrom(r.Context()); v != nil {
		a.UserID, a.Email, a.CityID, a.Role = v.ID, v.Email, v.CityID, v.Role
		if v.Token != 0 {
			a.Via = "token:" + strconv.FormatInt(v.Token, 10) + " " + strconv.Quote(v.TokenName)
		}
	}
	return a
}

// System is the actor of the platform's own jobs and commands.
func System(via string) Actor { return Actor{Via: via} }

// Subject is what an action was done to, readable in the audit log: its
// kind and id (for filtering), a title and the path of its page after the
// language prefix ("/practices/24-school-garden"), when it has one.
type Subject struct {
	Kind  string
	ID    int64
	Title string
	Path  string
}

// Target is the subject's stable code, e.g. "practice:24".
func (s Subject) Target() string {
	if s.Kind == "" {
		return ""
	}
	return s.Kind + ":" + strconv.FormatInt(s.ID, 10)
}

// Record writes the entry for action on s by a in q, the transaction that
// made the change, so the change and its record stand or fall together.
func (a Actor) Record(ctx context.Context, q db.Querier, action string, s Subject, detail string) error {
	email := a.Email
	if a.Via != "" {
		if email != "" {
			email += " "
		}
		email += "(" + a.Via + ")"
	}
	return Record(ctx, q, Entry{ActorID: a.UserID, ActorEmail: email, Action: action, Target: s.Target(),
		SubjectTitle: s.Title, SubjectPath: s.Path, Detail: detail, IP: a.IP})
}
