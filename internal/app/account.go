package app

import (
	"net/http"
	"strconv"

	"observatory/internal/auth"
	"observatory/internal/web"
)

// accountLink is one of the signed-in person's tools.
type accountLink struct {
	Key, Lead, Path string
}

type accountData struct {
	Role     string
	CityName string
	Links    []accountLink
	Security accountSecurity
}

// accountSecurity is the account page's own section on signing in and
// being written to: the second factor and the language.
type accountSecurity struct {
	Lang         string
	Langs        []auth.LangOption
	SecondFactor auth.SecondFactor
	Required     bool
}

// account is where a signed-in person lands: who they are, for which
// city, and the tools their role gives them.
func (a *App) account(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	lang := web.Lang(r)
	d := accountData{Role: v.Role}
	if v.CityID != 0 {
		d.CityName = a.Cities.Store.NameIn(r.Context(), lang, v.CityID)
		d.Links = append(d.Links, accountLink{"account.city", "account.city.lead", "/cities/" + strconv.FormatInt(v.CityID, 10)})
	}
	for _, l := range []struct {
		action string
		link   accountLink
	}{
		{auth.PracticeWriteOwn, accountLink{"account.practices", "account.practices.lead", "/practices/work"}},
		{auth.SummitRegisterOwn, accountLink{"account.summits", "account.summits.lead", "/summits"}},
		{auth.DeclarationSignOwn, accountLink{"account.declarations", "account.declarations.lead", "/declarations"}},
		{auth.AdminDashboard, accountLink{"nav.admin", "account.admin.lead", "/admin"}},
		{auth.AccountOwn, accountLink{"auth.password.title", "auth.password.lead", "/account/password"}},
		{auth.AccountOwn, accountLink{"auth.tokens.title", "auth.tokens.card", "/account/tokens"}},
	} {
		if auth.Can(v, l.action) {
			d.Links = append(d.Links, l.link)
		}
	}
	u, err := a.Users.ByID(r.Context(), v.ID)
	if err != nil {
		a.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d.Security = accountSecurity{Lang: u.Lang, Langs: auth.LangOptions(), Required: a.Auth.SecondFactorRequired(u)}
	if d.Security.SecondFactor, err = a.Users.SecondFactorOf(r.Context(), u.ID); err != nil {
		a.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := a.Render.NewPage(r, "", d)
	p.Title = p.T("account.title")
	p.Form = web.NewForm(nil)
	p.NoIndex = true
	a.Render.HTML(w, r, http.StatusOK, "account", p)
}
