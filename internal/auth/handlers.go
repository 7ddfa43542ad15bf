package auth

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/mail"
	"observatory/internal/web"
)

//go:embed templates
var Templates embed.FS

// Handlers serves sign-in, sign-out, invitations, password resets and the
// admins' account management.
type Handlers struct {
	Users    *Store
	Login    *Login
	Sessions *scs.SessionManager
	Render   *web.Renderer
	Mail     mail.Sender
	BaseURL  string // the address links in mail start with (config.LinkBase)
	Log      *slog.Logger
	// CityName names a city for the account list; the cities capability provides it.
	CityName func(ctx context.Context, lang string, id int64) string
	// Cities lists the cities an account can be bound to, for the
	// invitation form's select (and, in one query, the account list's
	// names); the cities capability provides it.
	Cities func(ctx context.Context, lang string) ([]CityOption, error)
	// SecondFactorAdmins: administrators must set up a second factor
	// before anything else (config --second-factor-admins).
	SecondFactorAdmins bool
}

// CityOption is a city in the invitation form's select.
type CityOption struct {
	ID   int64
	Name string
}

const (
	sessUser  = "uid"
	sessEpoch = "epoch"
	sessFlash = "flash"
	// A password accepted, the second factor's code still to come.
	sessPending      = "pending_uid"
	sessPendingEpoch = "pending_epoch"
	sessPendingAt    = "pending_at"
	sessPendingNext  = "pending_next"
)

// LoadViewer puts the signed-in user, if any, into the request. A session
// whose account was disabled or changed its password since is ended.
func (h *Handlers) LoadViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), sessionLoaded{}, true)
		r = r.WithContext(ctx)
		id := h.Sessions.GetInt64(ctx, sessUser)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := h.Users.ByID(ctx, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		if u == nil || u.Disabled || u.Epoch != h.Sessions.GetInt(ctx, sessEpoch) {
			h.Sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		web.SetUser(r, u.ID)
		if h.SecondFactorRequired(u) && !u.SecondFactor {
			ctx = context.WithValue(ctx, needsSetup{}, true)
		}
		next.ServeHTTP(w, r.WithContext(web.WithViewer(ctx, u.Viewer())))
	})
}

// sessionLoaded marks requests that passed the session middleware; pages
// rendered before it (a refused cross-origin request) have no session.
type sessionLoaded struct{}

// Flash stores a one-time message shown on the next page.
func (h *Handlers) Flash(r *http.Request, msg string) { h.Sessions.Put(r.Context(), sessFlash, msg) }

// PopFlash takes the one-time message, if the visitor has a session.
func (h *Handlers) PopFlash(r *http.Request) string {
	if r.Context().Value(sessionLoaded{}) == nil || h.Sessions.Token(r.Context()) == "" {
		return ""
	}
	return h.Sessions.PopString(r.Context(), sessFlash)
}

// Require lets only viewers the policy allows action reach h: the public
// is sent to sign in, anyone else gets 403 (and a log line).
func (h *Handlers) Require(action string, next http.HandlerFunc) web.Guarded {
	return h.RequireAny([]string{action}, next)
}

// RequireAny is Require for a route that more than one action opens, such
// as a city's page for its own editors (city.edit.own) and the secretariat
// (city.edit.any); the handler still checks which city.
func (h *Handlers) RequireAny(actions []string, next http.HandlerFunc) web.Guarded {
	return web.Guarded{Actions: actions, Handler: func(w http.ResponseWriter, r *http.Request) {
		v := web.ViewerFrom(r.Context())
		if v == nil {
			http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if !slices.ContainsFunc(actions, func(a string) bool { return Can(v, a) }) {
			h.Forbidden(w, r, actions[0])
			return
		}
		if setupRequired(r.Context()) && !slices.Contains(actions, AccountSecurity) {
			// A role that needs a second factor sets it up first.
			h.Flash(r, h.Render.Catalog.T(web.Lang(r), "account.second_factor.needed"))
			web.Redirect(w, r, "/"+web.Lang(r)+"/account/two-factor")
			return
		}
		next(w, r)
	}}
}

// Forbidden answers 403 and logs who tried what.
func (h *Handlers) Forbidden(w http.ResponseWriter, r *http.Request, action string) {
	v := web.ViewerFrom(r.Context())
	attrs := []any{"request_id", web.RequestID(r), "action", action, "method", r.Method, "path", r.URL.Path, "ip", web.ClientIP(r)}
	if v != nil {
		attrs = append(attrs, "user", v.ID, "role", v.Role, "city", v.CityID)
	}
	h.Log.Warn("forbidden", attrs...)
	h.Render.Error(w, r, http.StatusForbidden, nil)
}

func urlEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "#", "%23", "+", "%2B", " ", "%20").Replace(s)
}

// localNext accepts only paths on this site as a place to go after sign-in.
func localNext(next string) string { return web.LocalPath(next) }

type loginData struct{ Next string }

// LoginPage shows the sign-in form.
func (h *Handlers) LoginPage(w http.ResponseWriter, r *http.Request) {
	p := h.Render.NewPage(r, "", loginData{Next: localNext(r.URL.Query().Get("next"))})
	p.Title = p.T("auth.login.title")
	p.Form = web.NewForm(nil)
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "auth/login", p)
}

// LoginSubmit signs in.
func (h *Handlers) LoginSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	next := localNext(f.Get("next"))
	show := func(status int, key string) {
		p := h.Render.NewPage(r, "", loginData{Next: next})
		p.Title = p.T("auth.login.title")
		f.Fail("email", key)
		p.Form = f
		p.NoIndex = true
		h.Render.HTML(w, r, status, "auth/login", p)
	}
	f.Required("email", "password")
	if !f.Valid() {
		show(http.StatusUnprocessableEntity, "auth.err.credentials")
		return
	}
	u, err := h.Login.Authenticate(r.Context(), f.Get("email"), f.Values.Get("password"), web.ClientIP(r))
	switch {
	case errors.Is(err, ErrBadCredentials):
		if errors.Is(err, ErrLimitReached) {
			if err := h.limitNotice(r, f.Get("email")); err != nil {
				h.Log.Error("sign-in notice", "err", err)
			}
		}
		show(http.StatusUnauthorized, "auth.err.credentials")
		return
	case errors.Is(err, ErrTooManyTries):
		show(http.StatusTooManyRequests, "auth.err.too_many")
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if u.SecondFactor {
		// The password was right; the session remembers that for a few
		// minutes, and the code step signs in.
		ctx := r.Context()
		if err := h.Sessions.RenewToken(ctx); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		h.Sessions.Remove(ctx, sessUser) // whoever was signed in here before is not any more
		h.Sessions.Put(ctx, sessPending, u.ID)
		h.Sessions.Put(ctx, sessPendingEpoch, u.Epoch)
		h.Sessions.Put(ctx, sessPendingAt, time.Now().Unix())
		h.Sessions.Put(ctx, sessPendingNext, next)
		web.Redirect(w, r, "/"+web.Lang(r)+"/login/code")
		return
	}
	if err := h.Users.SignIn(r.Context(), audit.ActorFrom(r), u, ""); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.startSession(w, r, u, next)
}

// startSession signs u in on a new session token and goes to next (or to
// the person's own page).
func (h *Handlers) startSession(w http.ResponseWriter, r *http.Request, u *User, next string) {
	ctx := r.Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, k := range []string{sessPending, sessPendingEpoch, sessPendingAt, sessPendingNext} {
		h.Sessions.Remove(ctx, k)
	}
	h.Sessions.Put(ctx, sessUser, u.ID)
	h.Sessions.Put(ctx, sessEpoch, u.Epoch)
	if next == "" {
		next = "/" + web.Lang(r) + "/account"
		if Can(u.Viewer(), AdminDashboard) {
			next = "/" + web.Lang(r) + "/admin"
		}
	}
	web.Redirect(w, r, next)
}

// Logout ends the session.
func (h *Handlers) Logout(w http.ResponseWriter, r *http.Request) {
	if err := h.Sessions.Destroy(r.Context()); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/")
}

type tokenData struct {
	Token *Token
	Kind  string
}

// TokenPage shows the form behind an invitation or reset link.
func (h *Handlers) TokenPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := h.Users.LookupToken(r.Context(), kind, r.PathValue("token"))
		h.showToken(w, r, kind, t, err, web.NewForm(nil))
	}
}

func (h *Handlers) showToken(w http.ResponseWriter, r *http.Request, kind string, t *Token, err error, f *web.Form) {
	status := http.StatusOK
	if errors.Is(err, ErrLinkInvalid) {
		status = http.StatusNotFound
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	} else if !f.Valid() {
		status = http.StatusUnprocessableEntity
	}
	p := h.Render.NewPage(r, "", tokenData{Token: t, Kind: kind})
	p.Title = p.T("auth." + kind + ".title")
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "auth/token", p)
}

// TokenSubmit sets the password through an invitation or reset link.
func (h *Handlers) TokenSubmit(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := web.ParseForm(w, r)
		if err != nil {
			h.Render.Error(w, r, http.StatusBadRequest, err)
			return
		}
		secret := r.PathValue("token")
		t, err := h.Users.LookupToken(r.Context(), kind, secret)
		if err != nil {
			h.showToken(w, r, kind, nil, err, f)
			return
		}
		if f.Values.Get("password") != f.Values.Get("password2") {
			f.Fail("password2", "auth.err.password_mismatch")
			h.showToken(w, r, kind, t, nil, f)
			return
		}
		u, err := h.Users.Redeem(r.Context(), audit.ActorFrom(r), kind, secret, f.Get("name"), f.Values.Get("password"))
		var fe *FieldError
		if errors.As(err, &fe) {
			f.Fail(fe.Field, fe.Key)
			h.showToken(w, r, kind, t, nil, f)
			return
		}
		if err != nil {
			h.showToken(w, r, kind, nil, err, f)
			return
		}
		if err := h.Login.PerEmail.Reset(r.Context(), "email:"+u.Email); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		if kind == KindInvite {
			// Accepting an invitation signs the new account in (it has no
			// second factor yet), in the language it was invited in.
			if err := h.Users.SignIn(r.Context(), audit.ActorFrom(r), u, ""); err != nil {
				h.Render.Error(w, r, http.StatusInternalServerError, err)
				return
			}
			h.Flash(r, h.Render.Catalog.T(u.Lang, "auth.invite.welcome", "Name", u.Name))
			h.startSession(w, r, u, "/"+u.Lang+"/account")
			return
		}
		// A reset does not sign in: the second factor, if any, still asks.
		h.Flash(r, h.Render.Catalog.T(web.Lang(r), "auth.password_set"))
		web.Redirect(w, r, "/"+web.Lang(r)+"/login")
	}
}

// ForgotPage asks for the address to send a reset link to.
func (h *Handlers) ForgotPage(w http.ResponseWriter, r *http.Request) {
	p := h.Render.NewPage(r, "", nil)
	p.Title = p.T("auth.forgot.title")
	p.Form = web.NewForm(nil)
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "auth/forgot", p)
}

// ForgotSubmit mails a reset link when the account exists, and answers
// the same either way.
func (h *Handlers) ForgotSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	lang := web.Lang(r)
	email := NormalizeEmail(f.Get("email"))
	if !ValidEmail(email) {
		p := h.Render.NewPage(r, "", nil)
		p.Title = p.T("auth.forgot.title")
		f.Fail("email", "auth.err.email")
		p.Form = f
		h.Render.HTML(w, r, http.StatusUnprocessableEntity, "auth/forgot", p)
		return
	}
	// Reset mails are limited like sign-ins, per client and per address.
	ok, _, err := h.Login.PerIP.Reserve(r.Context(), "reset-ip:"+web.ClientIP(r))
	if err == nil && ok > 0 {
		ok, _, err = h.Login.PerEmail.Reserve(r.Context(), "reset-email:"+email)
		if err == nil && ok > 0 {
			err = h.sendReset(r, lang, email)
		}
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Flash(r, h.Render.Catalog.T(lang, "auth.forgot.sent"))
	web.Redirect(w, r, "/"+lang+"/password/forgot")
}

func (h *Handlers) sendReset(r *http.Request, lang, email string) error {
	cat := h.Render.Catalog
	return h.Users.RequestReset(r.Context(), email, func(u *User, secret string) (string, string) {
		// The mail speaks the account's language; the page's only for
		// addresses without an account, which get no mail at all.
		name := ""
		if u != nil {
			name = u.Name
			if i18n.Supported(u.Lang) {
				lang = u.Lang
			}
		}
		link := h.link("/" + lang + "/password/reset/" + secret)
		if u != nil && !h.Mail.Configured() {
			h.Log.Info("password reset link (no SMTP configured)", "email", u.Email, "link", link)
		}
		return cat.T(lang, "auth.mail.reset.subject"), cat.T(lang, "auth.mail.reset.body", "Name", name, "Link", link)
	})
}

// limitNotice tells the account holder, in their language, that sign-ins
// to their account are now slowed down, and how to get back in.
func (h *Handlers) limitNotice(r *http.Request, email string) error {
	u, err := h.Users.ByEmail(r.Context(), NormalizeEmail(email))
	if err != nil {
		return err
	}
	lang := u.Lang
	if !i18n.Supported(lang) {
		lang = web.Lang(r)
	}
	cat := h.Render.Catalog
	return h.Users.QueueMail(r.Context(), u.Email, cat.T(lang, "auth.mail.limited.subject"),
		cat.T(lang, "auth.mail.limited.body", "Name", u.Name, "Link", h.link("/"+lang+"/password/forgot")))
}

// link makes an absolute URL from the configured base URL alone: a link
// that follows the request's Host header would let anyone who asks for a
// reset mail choose where the victim's secret is sent.
func (h *Handlers) link(path string) string { return strings.TrimRight(h.BaseURL, "/") + path }

// PasswordPage lets a signed-in user change their password.
func (h *Handlers) PasswordPage(w http.ResponseWriter, r *http.Request) {
	p := h.Render.NewPage(r, "", nil)
	p.Title = p.T("auth.password.title")
	p.Form = web.NewForm(nil)
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "auth/password", p)
}

// PasswordSubmit changes the password, ends every session (this one too)
// and signs in again with a new session.
func (h *Handlers) PasswordSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	show := func() {
		p := h.Render.NewPage(r, "", nil)
		p.Title = p.T("auth.password.title")
		p.Form = f
		h.Render.HTML(w, r, http.StatusUnprocessableEntity, "auth/password", p)
	}
	u, err := h.Users.ByID(r.Context(), v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if ok, err := h.Users.Hasher.Verify(r.Context(), f.Values.Get("current"), u.passwordHash); err != nil || !ok {
		f.Fail("current", "auth.err.current_wrong")
		show()
		return
	}
	if f.Values.Get("password") != f.Values.Get("password2") {
		f.Fail("password2", "auth.err.password_mismatch")
		show()
		return
	}
	if err := h.Users.SetPassword(r.Context(), audit.ActorFrom(r), u.ID, f.Values.Get("password")); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			f.Fail(fe.Field, fe.Key)
			show()
			return
		}
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	ctx := r.Context()
	h.Sessions.RenewToken(ctx)
	h.Sessions.Put(ctx, sessEpoch, u.Epoch+1)
	h.Flash(r, h.Render.Catalog.T(web.Lang(r), "auth.password.changed"))
	web.Redirect(w, r, "/"+web.Lang(r)+"/account/password")
}

type usersData struct {
	Langs       []LangOption
	Users       []*User
	Invitations []PendingInvitation
	Roles       []string
	Link        string // the invitation link, shown when no mail leaves the platform
	CityName    func(id int64) string
	Cities      []CityOption
}

// UsersPage lists accounts and invitations and offers the invitation form.
func (h *Handlers) UsersPage(w http.ResponseWriter, r *http.Request) {
	h.showUsers(w, r, http.StatusOK, web.NewForm(nil), "")
}

func (h *Handlers) showUsers(w http.ResponseWriter, r *http.Request, status int, f *web.Form, link string) {
	ctx := r.Context()
	users, err := h.Users.List(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	inv, err := h.Users.PendingInvitations(ctx)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	lang := web.Lang(r)
	var cities []CityOption
	if h.Cities != nil {
		if cities, err = h.Cities(ctx, lang); err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	names := map[int64]string{}
	for _, c := range cities {
		names[c.ID] = c.Name
	}
	if f.Value("role") == "" {
		// Invitations start from the least-privileged role, in the page's language.
		f.Values.Set("role", Roles[len(Roles)-1])
	}
	if f.Value("lang") == "" {
		f.Values.Set("lang", lang)
	}
	d := usersData{Langs: LangOptions(), Users: users, Invitations: inv, Roles: Roles, Link: link, Cities: cities, CityName: func(id int64) string {
		if id == 0 {
			return ""
		}
		if n, ok := names[id]; ok {
			return n
		}
		if h.CityName != nil {
			return h.CityName(ctx, lang, id)
		}
		return "#" + strconv.FormatInt(id, 10)
	}}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("admin.users.title")
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "auth/users", p)
}

// Invite records an invitation and mails (or shows) its link, in the
// language chosen for the invitee.
func (h *Handlers) Invite(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	city, _ := strconv.ParseInt(f.Get("city"), 10, 64)
	if f.Get("city") != "" && city <= 0 {
		f.Fail("city", "auth.err.city_unknown")
		h.showUsers(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	lang := f.Get("lang")
	if lang == "" {
		lang = web.Lang(r)
	}
	var link string
	_, err = h.Users.Invite(r.Context(), audit.ActorFrom(r),
		Invitation{Email: f.Get("email"), Name: f.Get("name"), Role: f.Get("role"), CityID: city, Lang: lang},
		h.letter(r, &link))
	var fe *FieldError
	if errors.As(err, &fe) {
		f.Fail(fe.Field, fe.Key)
		h.showUsers(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.invited(w, r, NormalizeEmail(f.Get("email")), link)
}

// letter writes an invitation in its own language, naming the city, and
// keeps the link for installations that send no mail.
func (h *Handlers) letter(r *http.Request, link *string) Letter {
	v := web.ViewerFrom(r.Context())
	cat := h.Render.Catalog
	return func(in Invitation, secret string) (string, string) {
		*link = h.link("/" + in.Lang + "/invitation/" + secret)
		role := cat.T(in.Lang, "role."+in.Role)
		if in.CityID != 0 && h.CityName != nil {
			role = cat.T(in.Lang, "auth.mail.invite.role_city", "Role", role, "City", h.CityName(r.Context(), in.Lang, in.CityID))
		}
		return cat.T(in.Lang, "auth.mail.invite.subject"),
			cat.T(in.Lang, "auth.mail.invite.body", "Name", in.Name, "Inviter", v.Name, "Role", role, "Link", *link)
	}
}

func (h *Handlers) invited(w http.ResponseWriter, r *http.Request, email, link string) {
	lang := web.Lang(r)
	if h.Mail.Configured() {
		h.Flash(r, h.Render.Catalog.T(lang, "admin.users.invited", "Email", email))
		web.Redirect(w, r, "/"+lang+"/admin/users")
		return
	}
	h.Log.Info("invitation link (no SMTP configured)", "email", email, "link", link)
	h.showUsers(w, r, http.StatusOK, web.NewForm(nil), link)
}

// ResendInvitation sends an open invitation again with a new link.
func (h *Handlers) ResendInvitation(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	var link string
	email := NormalizeEmail(f.Get("email"))
	_, err = h.Users.ResendInvitation(r.Context(), audit.ActorFrom(r), email, h.letter(r, &link))
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.invited(w, r, email, link)
}

// RevokeInvitation makes an open invitation's link unusable.
func (h *Handlers) RevokeInvitation(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	email := NormalizeEmail(f.Get("email"))
	err = h.Users.RevokeInvitation(r.Context(), audit.ActorFrom(r), email)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Flash(r, h.Render.Catalog.T(web.Lang(r), "admin.users.revoked", "Email", email))
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/users")
}

// SetDisabled disables or re-enables an account.
func (h *Handlers) SetDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			h.Render.NotFound(w, r)
			return
		}
		v := web.ViewerFrom(r.Context())
		if id == v.ID {
			h.Render.Error(w, r, http.StatusBadRequest, errors.New("cannot disable oneself"))
			return
		}
		err = h.Users.SetDisabled(r.Context(), audit.ActorFrom(r), id, disabled)
		if errors.Is(err, ErrNotFound) {
			h.Render.NotFound(w, r)
			return
		}
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		h.Flash(r, h.Render.Catalog.T(web.Lang(r), "admin.users."+map[bool]string{true: "disabled", false: "enabled"}[disabled]))
		web.Redirect(w, r, "/"+web.Lang(r)+"/admin/users")
	}
}
