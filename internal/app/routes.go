package app

import (
	"html/template"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// Navigation lists the platform's sections in menu order. A section shows
// once its capability is switched on (Renderer.Enable).
func Navigation() []web.NavItem {
	return []web.NavItem{
		{Key: "nav.cities", Path: "/cities"},
		{Key: "nav.practices", Path: "/practices"},
		{Key: "nav.exchanges", Path: "/exchanges"},
		{Key: "nav.summits", Path: "/summits"},
		{Key: "nav.declarations", Path: "/declarations"},
		{Key: "nav.ideas", Path: "/ideas"},
		{Key: "nav.news", Path: "/news"},
		{Key: "nav.figures", Path: "/figures"},
		{Key: "nav.data", Path: "/data"},
	}
}

// routes is the one place that shows every route of the platform.
func (a *App) routes() {
	rt, ah, adm := a.Router, a.Auth, a.Admin

	// Operations and assets.
	rt.Handle("GET /healthz", http.HandlerFunc(a.healthz))
	rt.Handle("GET /readyz", http.HandlerFunc(a.readyz))
	rt.Handle("GET /metrics", promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{}))
	rt.Handle("GET /static/{file...}", a.Render.Assets)
	rt.Handle("GET /{$}", http.HandlerFunc(a.rootRedirect))
	rt.Handle("/", http.HandlerFunc(a.Render.NotFound))

	// Public pages.
	rt.Page("GET /", a.home)

	// Member cities: directory, map, city pages, CSV and API; images; the
	// network's figures. Admins admit cities and change memberships; editors
	// keep their own city (the handlers check which: auth.CanForCity).
	ch := a.Cities
	rt.Page("GET /cities", ch.Directory)
	rt.Page("GET /cities.csv", ch.CSV)
	rt.Page("GET /cities/{ref}", ch.Show)
	rt.Handle("GET /api/v1/cities", http.HandlerFunc(ch.APIList))
	rt.Handle("GET /api/v1/cities/{id}", http.HandlerFunc(ch.APIShow))
	rt.Handle("GET /media/{file}", http.HandlerFunc(a.Media.Serve))
	rt.Page("GET /figures", a.Stats.Page)
	rt.Handle("GET /api/v1/figures", http.HandlerFunc(a.Stats.API))
	rt.Page("GET /admin/cities", ah.Require(auth.CityAdmit, ch.Admin))
	rt.Page("GET /cities/new", ah.Require(auth.CityAdmit, ch.NewPage))
	rt.Page("POST /cities/new", ah.Require(auth.CityAdmit, ch.Create))
	rt.Page("GET /cities/{id}/membership", ah.Require(auth.CityAdmit, ch.MembershipPage))
	rt.Page("POST /cities/{id}/membership", ah.Require(auth.CityAdmit, ch.Membership))
	rt.Page("GET /cities/{id}/history", ah.Require(auth.AuditRead, ch.History))
	rt.Page("GET /cities/{id}/edit", ch.EditPage)
	rt.Page("POST /cities/{id}/edit", ch.Update)
	rt.Page("POST /cities/{id}/photo", ch.Photo)
	rt.Page("GET /cities/{id}/people", ch.PeoplePage)
	rt.Page("POST /cities/{id}/people", ch.SavePerson)
	rt.Page("GET /cities/{id}/people/{pid}", ch.PersonPage)
	rt.Page("POST /cities/{id}/people/{pid}", ch.SavePerson)
	rt.Page("POST /cities/{id}/people/{pid}/delete", ch.DeletePerson)
	rt.Page("GET /cities/{id}/partners", ch.PartnersPage)
	rt.Page("POST /cities/{id}/partners", ch.SavePartner)
	rt.Page("GET /cities/{id}/partners/{pid}", ch.PartnerPage)
	rt.Page("POST /cities/{id}/partners/{pid}", ch.SavePartner)
	rt.Page("POST /cities/{id}/partners/{pid}/delete", ch.DeletePartner)
	rt.Page("GET /cities/{id}/figures", ch.FiguresPage)
	rt.Page("POST /cities/{id}/figures", ch.SaveFigures)

	// Accounts.
	rt.Page("GET /login", ah.LoginPage)
	rt.Page("POST /login", ah.LoginSubmit)
	rt.Page("POST /logout", ah.Logout)
	rt.Page("GET /invitation/{token}", ah.TokenPage(auth.KindInvite))
	rt.Page("POST /invitation/{token}", ah.TokenSubmit(auth.KindInvite))
	rt.Page("GET /password/forgot", ah.ForgotPage)
	rt.Page("POST /password/forgot", ah.ForgotSubmit)
	rt.Page("GET /password/reset/{token}", ah.TokenPage(auth.KindReset))
	rt.Page("POST /password/reset/{token}", ah.TokenSubmit(auth.KindReset))
	rt.Page("GET /account", ah.Require(auth.AccountOwn, a.account))
	rt.Page("GET /account/password", ah.Require(auth.AccountOwn, ah.PasswordPage))
	rt.Page("POST /account/password", ah.Require(auth.AccountOwn, ah.PasswordSubmit))

	// Summits: public pages, feeds and API; the city's registration and bid;
	// the secretariat's tools.
	sh := a.Summits
	rt.Page("GET /summits", sh.List)
	rt.Page("GET /summits/{ref}", sh.Show)
	rt.Page("GET /summits/{ref}/programme", sh.Programme)
	rt.Page("GET /summits/{ref}/participants", sh.Participants)
	rt.Handle("GET /feeds/summits/{file}", http.HandlerFunc(sh.ProgrammeICS))
	rt.Handle("GET /feeds/summit-delegates/{file}", http.HandlerFunc(sh.PersonalICS))
	rt.Handle("GET /api/v1/summits", http.HandlerFunc(sh.APIList))
	rt.Handle("GET /api/v1/summits/{id}", http.HandlerFunc(sh.APIShow))
	reg := func(h http.HandlerFunc) http.HandlerFunc { return ah.Require(auth.SummitRegisterOwn, h) }
	rt.Page("GET /summits/{ref}/delegation", reg(sh.DelegationPage))
	rt.Page("POST /summits/{ref}/delegation", reg(sh.RegisterSubmit))
	rt.Page("POST /summits/{ref}/delegation/members", reg(sh.AddMember))
	rt.Page("GET /summits/{ref}/delegation/members/{mid}", reg(sh.MemberPage))
	rt.Page("POST /summits/{ref}/delegation/members/{mid}", reg(sh.MemberSubmit))
	rt.Page("POST /summits/{ref}/delegation/members/{mid}/remove", reg(sh.RemoveMember))
	rt.Page("POST /summits/{ref}/delegation/signups", reg(sh.Signups))
	rt.Page("POST /summits/{ref}/delegation/withdraw", reg(sh.Withdraw()))
	rt.Page("POST /summits/{ref}/delegation/accept", reg(sh.AcceptOffer()))
	rt.Page("POST /summits/{ref}/delegation/decline-offer", reg(sh.DeclineOffer()))
	rt.Page("POST /summits/{ref}/delegation/reopen", reg(sh.Reopen()))
	rt.Page("GET /summits/{ref}/bid", reg(sh.BidPage))
	rt.Page("POST /summits/{ref}/bid", reg(sh.BidSubmit))
	rt.Page("POST /summits/{ref}/bid/withdraw", reg(sh.BidWithdraw))
	man := func(h http.HandlerFunc) http.HandlerFunc { return ah.Require(auth.SummitManage, h) }
	rt.Page("GET /admin/summits", man(sh.AdminList))
	rt.Page("GET /admin/summits/new", man(sh.AdminNew))
	rt.Page("POST /admin/summits", man(sh.AdminSave))
	rt.Page("GET /admin/summits/{id}", man(sh.AdminEdit))
	rt.Page("POST /admin/summits/{id}", man(sh.AdminSave))
	rt.Page("GET /admin/summits/{id}/programme", man(sh.AdminProgramme))
	for _, kind := range []string{"venue", "session", "speaker", "partner"} {
		rt.Page("POST /admin/summits/{id}/"+kind+"s", man(sh.AdminItemSave(kind)))
		rt.Page("GET /admin/summits/{id}/"+kind+"s/{item}", man(sh.AdminItem(kind)))
		rt.Page("POST /admin/summits/{id}/"+kind+"s/{item}", man(sh.AdminItemSave(kind)))
		rt.Page("POST /admin/summits/{id}/"+kind+"s/{item}/delete", man(sh.AdminItemDelete(kind)))
	}
	rt.Page("POST /admin/summits/{id}/partners/{item}/move", man(sh.AdminPartnerMove))
	rt.Page("GET /admin/summits/{id}/registrations", man(sh.AdminRegistrations))
	rt.Page("POST /admin/summits/{id}/registrations/confirm", man(sh.AdminBulkConfirm))
	rt.Page("GET /admin/summits/{id}/registrations/{did}", man(sh.AdminDelegation))
	rt.Page("POST /admin/summits/{id}/registrations/{did}/state", man(sh.AdminSetState))
	rt.Page("POST /admin/summits/{id}/registrations/{did}/members", man(sh.AdminAddMember))
	rt.Page("GET /admin/summits/{id}/registrations/{did}/members/{mid}", man(sh.AdminMember))
	rt.Page("POST /admin/summits/{id}/registrations/{did}/members/{mid}", man(sh.AdminMemberSave))
	rt.Page("POST /admin/summits/{id}/registrations/{did}/members/{mid}/remove", man(sh.AdminRemoveMember))
	rt.Page("POST /admin/summits/{id}/registrations/{did}/signups", man(sh.AdminSignups))
	rt.Page("GET /admin/summits/{id}/participants.csv", man(sh.AdminCSV))
	rt.Page("GET /admin/summits/{id}/participants", man(sh.AdminPrint))
	rt.Page("GET /admin/summits/{id}/badges.pdf", man(sh.AdminBadges))
	rt.Page("GET /admin/summits/{id}/checkin", man(sh.CheckInPage))
	rt.Page("POST /admin/summits/{id}/checkin", man(sh.CheckInSubmit))
	rt.Page("GET /admin/summits/{id}/bids", man(sh.AdminBids))
	rt.Page("POST /admin/summits/{id}/bids/{bid}/choose", man(sh.AdminChooseBid))

	// Declarations: texts, signatories, signing and withdrawal, verification,
	// the secretariat's tools, the API and the platform's public keys.
	dh := a.Declarations
	rt.Page("GET /declarations", dh.List)
	rt.Page("GET /declarations/{ref}", dh.Show)
	rt.Page("GET /declarations/{ref}/verify", dh.VerifyPage)
	rt.Page("POST /declarations/{ref}/verify", dh.VerifyUpload)
	rt.Page("GET /declarations/{ref}/sign", dh.SignPage)
	rt.Page("POST /declarations/{ref}/sign", dh.SignSubmit)
	rt.Page("GET /declarations/{ref}/withdraw", dh.WithdrawPage)
	rt.Page("POST /declarations/{ref}/withdraw", dh.WithdrawSubmit)
	dman := func(h http.HandlerFunc) http.HandlerFunc { return ah.Require(auth.DeclarationManage, h) }
	rt.Page("GET /admin/declarations", dman(dh.AdminList))
	rt.Page("GET /admin/declarations/new", dman(dh.NewPage))
	rt.Page("POST /admin/declarations", dman(dh.Create))
	rt.Page("GET /admin/declarations/{id}", dman(dh.EditPage))
	rt.Page("POST /admin/declarations/{id}", dman(dh.Update))
	rt.Page("POST /admin/declarations/{id}/publish", dman(dh.Publish))
	rt.Page("POST /admin/declarations/{id}/status", dman(dh.SetStatus))
	rt.Page("POST /admin/declarations/keys/rotate", dman(dh.RotateKey))
	rt.Handle("GET /api/v1/declarations", http.HandlerFunc(dh.APIList))
	rt.Handle("GET /api/v1/declarations/{id}", http.HandlerFunc(dh.APIGet))
	rt.Handle("GET /api/v1/declarations/{id}/bundle", http.HandlerFunc(dh.APIBundle))
	rt.Handle("GET /api/v1/keys", http.HandlerFunc(dh.Keys))
	rt.Handle("GET /.well-known/observatory-keys.json", http.HandlerFunc(dh.Keys))

	// Best practices: browse and search, pages, exports, feeds and API (public:
	// published only); the editors' and the secretariat's workflow (the
	// handlers check the city: auth.CanForCity); the taxonomies.
	ph := a.Practices
	rt.Page("GET /practices", ph.List)
	rt.Page("GET /practices/export.csv", ph.ExportCSV)
	rt.Page("GET /practices/export.json", ph.ExportJSON)
	rt.Page("GET /practices/feed.atom", ph.FeedAtom)
	rt.Page("GET /practices/feed.rss", ph.FeedRSS)
	rt.Page("GET /practices/feed.json", ph.FeedJSON)
	rt.Page("GET /practices/{ref}", ph.Show)
	rt.Page("GET /practices/{ref}/print", ph.Print)
	rt.Handle("GET /api/v1/practices", http.HandlerFunc(ph.APIList))
	rt.Handle("GET /api/v1/practices/export.json", http.HandlerFunc(ph.ExportJSON))
	rt.Handle("GET /api/v1/practices/{id}", http.HandlerFunc(ph.APIGet))
	rt.Page("GET /practices/work", ph.Workspace)
	rt.Page("GET /practices/new", ph.NewPage)
	rt.Page("POST /practices/new", ph.Create)
	rt.Page("GET /practices/{id}/work", ph.Work)
	rt.Page("GET /practices/{id}/edit", ph.EditPage)
	rt.Page("POST /practices/{id}/edit", ph.Edit)
	rt.Page("POST /practices/{id}/submit", ph.Submit())
	rt.Page("POST /practices/{id}/publish", ph.Publish())
	rt.Page("POST /practices/{id}/return", ph.Return())
	rt.Page("POST /practices/{id}/archive", ph.Archive())
	rt.Page("POST /practices/{id}/unarchive", ph.Unarchive())
	rt.Page("POST /practices/{id}/discard", ph.Discard())
	rt.Page("POST /practices/{id}/restore", ph.Restore())
	rt.Page("POST /practices/{id}/images", ph.UploadImage)
	rt.Page("POST /practices/{id}/images/{n}/remove", ph.RemoveImage)
	rt.Page("GET /practices/{id}/history", ph.History)
	rt.Page("GET /practices/{id}/history/{n}", ph.Diff)
	rt.Page("GET /admin/practice-terms", ah.Require(auth.PracticeReview, ph.TermsPage))
	rt.Page("POST /admin/practice-terms", ah.Require(auth.PracticeReview, ph.SaveTerm))
	rt.Page("POST /admin/practice-terms/{id}/delete", ah.Require(auth.PracticeReview, ph.DeleteTerm))

	// The secretariat.
	rt.Page("GET /admin", ah.Require(auth.AdminDashboard, adm.Dashboard))
	rt.Page("GET /admin/audit", ah.Require(auth.AuditRead, adm.Audit))
	rt.Page("GET /admin/users", ah.Require(auth.UsersManage, ah.UsersPage))
	rt.Page("POST /admin/users", ah.Require(auth.UsersManage, ah.Invite))
	rt.Page("POST /admin/users/{id}/disable", ah.Require(auth.UsersManage, ah.SetDisabled(true)))
	rt.Page("POST /admin/users/{id}/enable", ah.Require(auth.UsersManage, ah.SetDisabled(false)))
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.DB.Ping(r.Context()); err != nil {
		a.Log.Error("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// rootRedirect sends / to the visitor's language.
func (a *App) rootRedirect(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Language")
	http.Redirect(w, r, "/"+i18n.Match(r.Header.Get("Accept-Language"))+"/", http.StatusFound)
}

type homeData struct {
	Figures  []homeFigure
	Sections []template.HTML // the capabilities' home sections
}

type homeFigure struct {
	Key   string
	Value int64
}

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	// The network's headline figures, computed as on /figures and in the API.
	n, err := a.Stats.Store.Network(r.Context())
	if err != nil {
		a.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var d homeData
	for _, f := range n.Headlines() {
		d.Figures = append(d.Figures, homeFigure{Key: f.Key, Value: f.Value})
	}
	for _, s := range a.homeSections {
		html, err := s(r)
		if err != nil {
			a.Render.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		if html != "" {
			d.Sections = append(d.Sections, html)
		}
	}
	p := a.Render.NewPage(r, "", d)
	p.Title = p.T("home.title")
	a.Render.HTML(w, r, http.StatusOK, "home", p)
}
