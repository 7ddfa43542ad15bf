package auth

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"observatory/internal/audit"
	"observatory/internal/web"
)

// The account's API tokens: listed with their scopes, expiry, last use and
// state; a new one is shown once, right after it is made; any can be
// revoked at once.

type tokensData struct {
	Tokens  []*APIToken
	Scopes  []string // those the account may grant
	Secret  string   // the new token, shown once
	Now     time.Time
	Expires []string
}

// tokenExpiries are the lifetimes the form offers, in days ("" never ends).
var tokenExpiries = []string{"30", "90", "365", ""}

func (h *Handlers) tokensPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form, secret string) {
	v := web.ViewerFrom(r.Context())
	u, err := h.Users.ByID(r.Context(), v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := tokensData{Secret: secret, Now: time.Now().UTC(), Expires: tokenExpiries}
	if d.Tokens, err = h.Users.Tokens(r.Context(), v.ID); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, s := range Scopes {
		if CheckTokenRequest(u, "x", []string{s}) == nil {
			d.Scopes = append(d.Scopes, s)
		}
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("auth.tokens.title")
	p.Form = f
	p.NoIndex = true
	w.Header().Set("Cache-Control", "no-store")
	h.Render.HTML(w, r, status, "auth/apitokens", p)
}

// TokensPage lists the account's API tokens with the form for a new one.
func (h *Handlers) TokensPage(w http.ResponseWriter, r *http.Request) {
	h.tokensPage(w, r, http.StatusOK, web.NewForm(map[string][]string{"expires": {"90"}}), "")
}

// TokenCreate makes a token and shows its secret once.
func (h *Handlers) TokenCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	u, err := h.Users.ByID(r.Context(), v.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var expires *time.Time
	days := f.Get("expires")
	if !slices.Contains(tokenExpiries, days) {
		f.Fail("expires", "auth.token.err.expires")
		h.tokensPage(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if n, _ := strconv.Atoi(days); n > 0 {
		t := time.Now().UTC().Truncate(time.Second).Add(time.Duration(n) * 24 * time.Hour)
		expires = &t
	}
	secret, _, err := h.Users.CreateToken(r.Context(), audit.ActorFrom(r), u, f.Get("name"), f.Values["scope"], expires)
	var te *TokenError
	if errors.As(err, &te) {
		f.Fail(te.Field, te.Key)
		h.tokensPage(w, r, http.StatusUnprocessableEntity, f, "")
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.tokensPage(w, r, http.StatusCreated, web.NewForm(map[string][]string{"expires": {"90"}}), secret)
}

// TokenRevoke ends one of the account's tokens.
func (h *Handlers) TokenRevoke(w http.ResponseWriter, r *http.Request) {
	if _, err := web.ParseForm(w, r); err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	id, _, ok := web.PathRef(r, "id")
	if !ok {
		h.Render.NotFound(w, r)
		return
	}
	err := h.Users.RevokeToken(r.Context(), audit.ActorFrom(r), web.ViewerFrom(r.Context()).ID, id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	h.Flash(r, h.Render.Catalog.T(web.Lang(r), "auth.tokens.revoked"))
	web.Redirect(w, r, "/"+web.Lang(r)+"/account/tokens")
}
