package auth

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/skip2/go-qrcode"

	"observatory/internal/audit"
	"observatory/internal/i18n"
	"observatory/internal/mail"
	"observatory/internal/web"
)

// LangOption is a language a person can be written to in, named in itself.
type LangOption struct{ Value, Label string }

var langNames = map[string]string{"de": "Deutsch", "en": "English", "fr": "Français"}

// LangOptions lists the platform's languages for a select.
func LangOptions() []LangOption {
	out := make([]LangOption, 0, len(i18n.Langs))
	for _, l := range i18n.Langs {
		n := langNames[l]
		if n == "" {
			n = l
		}
		out = append(out, LangOption{l, n})
	}
	return out
}

// pendingTTL is how long a right password waits for its code.
const pendingTTL = 10 * time.Minute

// SecondFactorRequired reports whether u's role may not do without a
// second factor.
func (h *Handlers) SecondFactorRequired(u *User) bool {
	return h.SecondFactorAdmins && u.Role == RoleAdmin
}

// needsSetup marks a request whose viewer must set up a second factor
// before anything else.
type needsSetup struct{}

func setupRequired(ctx context.Context) bool { return ctx.Value(needsSetup{}) != nil }

// pendingUser is the account whose password was accepted on this session
// and whose code is awaited, or nil.
func (h *Handlers) pendingUser(r *http.Request) (*User, string, error) {
	ctx := r.Context()
	id := h.Sessions.GetInt64(ctx, sessPending)
	at := h.Sessions.GetInt64(ctx, sessPendingAt)
	if id == 0 || time.Since(time.Unix(at, 0)) > pendingTTL {
		return nil, "", nil
	}
	u, err := h.Users.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if u.Disabled || u.Epoch != h.Sessions.GetInt(ctx, sessPendingEpoch) {
		return nil, "", nil
	}
	return u, localNext(h.Sessions.GetString(ctx, sessPendingNext)), nil
}

// CodePage asks for the second factor's code after the password.
func (h *Handlers) CodePage(w http.ResponseWriter, r *http.Request) {
	h.showCode(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *Handlers) showCode(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	u, _, err := h.pendingUser(r)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if u == nil {
		h.Flash(r, h.Render.Catalog.T(web.Lang(r), "auth.code.expired"))
		web.Redirect(w, r, "/"+web.Lang(r)+"/login")
		return
	}
	f.Values.Del("code") // a code is never typed twice
	p := h.Render.NewPage(r, "", nil)
	p.Title = p.T("auth.code.title")
	p.Form = f
	p.NoIndex = true
	h.Render.HTML(w, r, status, "auth/code", p)
}

// CodeSubmit checks the second factor's code (or a recovery code) and
// signs in. The code step is limited like the password: per account and
// per client address, each attempt reserved before the code is checked.
func (h *Handlers) CodeSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	u, next, err := h.pendingUser(r)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if u == nil {
		h.Flash(r, h.Render.Catalog.T(web.Lang(r), "auth.code.expired"))
		web.Redirect(w, r, "/"+web.Lang(r)+"/login")
		return
	}
	code := f.Get("code")
	if code == "" || len(code) > 64 {
		f.Fail("code", "auth.err.code")
		h.showCode(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err = h.Login.SecondStep(r.Context(), audit.ActorFrom(r), u, code, web.ClientIP(r))
	switch {
	case errors.Is(err, ErrCodeWrong):
		if errors.Is(err, ErrLimitReached) {
			if err := h.codeNotice(r, u); err != nil {
				h.Log.Error("second-factor notice", "err", err)
			}
		}
		f.Fail("code", "auth.err.code")
		h.showCode(w, r, http.StatusUnauthorized, f)
		return
	case errors.Is(err, ErrTooManyTries):
		f.Fail("code", "auth.err.too_many_codes")
		h.showCode(w, r, http.StatusTooManyRequests, f)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.startSession(w, r, u, next)
}

// codeNotice tells the account holder, in their language, that someone
// gave the right password and then wrong codes.
func (h *Handlers) codeNotice(r *http.Request, u *User) error {
	lang := u.Lang
	if !i18n.Supported(lang) {
		lang = web.Lang(r)
	}
	cat := h.Render.Catalog
	return h.Users.QueueMail(r.Context(), u.Email, cat.T(lang, "auth.mail.code_limited.subject"),
		cat.T(lang, "auth.mail.code_limited.body", "Name", u.Name, "Link", h.link("/"+lang+"/account/password")))
}

// RecoveryNotice tells the account holder, in their language and in the
// transaction that spent it, that a recovery code was used: someone who
// found the codes could sign in with the password alone. The links start
// with the configured address only. It is Store.RecoveryUsed.
func (h *Handlers) RecoveryNotice(ctx context.Context, tx *sql.Tx, u *User, left int) error {
	lang := u.Lang
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	cat := h.Render.Catalog
	err := mail.Enqueue(ctx, tx, u.Email, cat.T(lang, "auth.mail.recovery_used.subject"),
		cat.T(lang, "auth.mail.recovery_used.body", "Name", u.Name, "Time", i18n.NetworkTime(lang, time.Now()), "Left", left,
			"Codes", h.link("/"+lang+"/account/two-factor"), "Password", h.link("/"+lang+"/account/password")))
	if err != nil {
		return fmt.Errorf("queueing the recovery-code notice to account %d: %w", u.ID, err)
	}
	return nil
}

type secondFactorData struct {
	State    SecondFactor
	Required bool
	// While setting up: the key as typed and as a QR code (a data: URL).
	Key string
	QR  template.URL
	// Right after turning on or renewing: the recovery codes, shown once.
	Codes []string
}

// SecondFactorPage shows the state of one's second factor, or sets one up.
func (h *Handlers) SecondFactorPage(w http.ResponseWriter, r *http.Request) {
	h.showSecondFactor(w, r, http.StatusOK, web.NewForm(nil), nil)
}

func (h *Handlers) showSecondFactor(w http.ResponseWriter, r *http.Request, status int, f *web.Form, codes []string) {
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	u, err := h.Users.ByID(ctx, v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := secondFactorData{Required: h.SecondFactorRequired(u), Codes: codes}
	if d.State, err = h.Users.SecondFactorOf(ctx, u.ID); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if !d.State.On {
		secret, err := h.Users.PendingSecondFactor(ctx, u.ID)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		issuer := h.Render.SiteName
		if issuer == "" {
			issuer = "Observatory"
		}
		png, err := qrcode.Encode(TOTPURI(issuer, u.Email, secret), qrcode.Medium, 256)
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		d.Key = TOTPKey(secret)
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		// The key must not linger in caches.
		w.Header().Set("Cache-Control", "no-store")
	}
	f.Values.Del("code")
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("account.second_factor.title")
	p.Form = f
	p.NoIndex = true
	if len(codes) > 0 {
		w.Header().Set("Cache-Control", "no-store")
	}
	h.Render.HTML(w, r, status, "auth/secondfactor", p)
}

// SecondFactorSubmit turns the second factor on (confirm), renews the
// recovery codes (codes) or turns it off (off), each after a code.
func (h *Handlers) SecondFactorSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	u, err := h.Users.ByID(ctx, v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	code := f.Get("code")
	if code == "" || len(code) > 64 {
		f.Fail("code", "auth.err.code")
		h.showSecondFactor(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	// Codes typed here count against the same limits as at sign-in.
	key := "code:" + strconv.FormatInt(u.ID, 10)
	if tries, _, err := h.Login.PerEmail.Reserve(ctx, key); err != nil || tries == 0 {
		if err != nil {
			h.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		f.Fail("code", "auth.err.too_many_codes")
		h.showSecondFactor(w, r, http.StatusTooManyRequests, f, nil)
		return
	}
	by := audit.ActorFrom(r)
	var codes []string
	flash := ""
	switch f.Get("do") {
	case "confirm":
		codes, err = h.Users.ConfirmSecondFactor(ctx, by, u, code)
	case "codes":
		codes, err = h.Users.NewRecoveryCodes(ctx, by, u, code)
	case "off":
		err, flash = h.Users.TurnOffSecondFactor(ctx, by, u, code, h.SecondFactorRequired(u)), "account.second_factor.turned_off"
	default:
		h.Render.Error(w, r, http.StatusBadRequest, errors.New("unknown second-factor action"))
		return
	}
	switch {
	case errors.Is(err, ErrCodeWrong):
		f.Fail("code", "auth.err.code")
		h.showSecondFactor(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	case errors.Is(err, ErrSecondFactorRequired):
		f.Fail("code", "account.second_factor.err_required")
		h.showSecondFactor(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	case errors.Is(err, ErrSecondFactorOn), errors.Is(err, ErrSecondFactorOff):
		h.Render.Error(w, r, http.StatusConflict, err)
		return
	case err != nil:
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if err := h.Login.PerEmail.Reset(ctx, key); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if flash != "" {
		h.Flash(r, h.Render.Catalog.T(web.Lang(r), flash))
		web.Redirect(w, r, "/"+web.Lang(r)+"/account/two-factor")
		return
	}
	// The recovery codes are shown on this answer only, never again.
	h.showSecondFactor(w, r, http.StatusOK, web.NewForm(nil), codes)
}

// LangSubmit sets the language one is written to in.
func (h *Handlers) LangSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	lang := f.Get("lang")
	err = h.Users.SetLang(r.Context(), audit.ActorFrom(r), v.ID, lang)
	var fe *FieldError
	if errors.As(err, &fe) {
		// Only a tampered form names a language the select does not offer.
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Flash(r, h.Render.Catalog.T(lang, "account.lang.saved"))
	web.Redirect(w, r, "/"+lang+"/account")
}

// ResetSecondFactor removes someone's second factor (lost device and codes).
func (h *Handlers) ResetSecondFactor(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	err = h.Users.ResetSecondFactor(r.Context(), audit.ActorFrom(r), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Flash(r, h.Render.Catalog.T(web.Lang(r), "admin.users.second_factor_reset"))
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/users")
}
