package app

import (
	"html/template"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/legal"
	"observatory/internal/site"
)

// MenuOrder is the order of the main menu by path. A capability's menu
// entry (web.Capability.Nav) takes its place here; a capability that comes
// later adds its path where it belongs. Only built capabilities show.
var MenuOrder = []string{
	"/cities",
	"/practices",
	"/exchanges",
	"/summits",
	"/declarations",
	"/ideas",
	"/news",
	"/figures",
	"/data",
}

// routes is the one place that shows every route of the platform.
func (a *App) routes() {
	rt, ah, adm := a.Router, a.Auth, a.Admin
	// Routes that more than one action opens: the handlers check the city
	// (auth.CanForCity), the table the role.
	cityEdit := []string{auth.CityEditAny, auth.CityEditOwn}
	practiceWrite := []string{auth.PracticeReview, auth.PracticeWriteOwn}
	declarationSign := []string{auth.DeclarationManage, auth.DeclarationSignOwn}
	exchangeUse := []string{auth.ExchangeManage, auth.ExchangeOwn}
	newsWrite := []string{auth.NewsPublish, auth.NewsWriteOwn}

	// Operations and assets.
	rt.Handle("GET /healthz", http.HandlerFunc(a.healthz))
	rt.Handle("GET /readyz", http.HandlerFunc(a.readyz))
	a.Metrics = promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{}) // served on --debug-addr, not here
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
	rt.Private("GET /admin/cities", ah.Require(auth.CityAdmit, ch.Admin))
	rt.Private("GET /cities/new", ah.Require(auth.CityAdmit, ch.NewPage))
	rt.Private("POST /cities/new", ah.Require(auth.CityAdmit, ch.Create))
	rt.Private("GET /cities/{id}/membership", ah.Require(auth.CityAdmit, ch.MembershipPage))
	rt.Private("POST /cities/{id}/membership", ah.Require(auth.CityAdmit, ch.Membership))
	rt.Private("GET /cities/{id}/history", ah.Require(auth.AuditRead, ch.History))
	rt.Private("GET /cities/{id}/edit", ah.RequireAny(cityEdit, ch.EditPage))
	rt.Private("POST /cities/{id}/edit", ah.RequireAny(cityEdit, ch.Update))
	rt.Private("POST /cities/{id}/photo", ah.RequireAny(cityEdit, ch.Photo))
	rt.Private("GET /cities/{id}/people", ah.RequireAny(cityEdit, ch.PeoplePage))
	rt.Private("POST /cities/{id}/people", ah.RequireAny(cityEdit, ch.SavePerson))
	rt.Private("GET /cities/{id}/people/{pid}", ah.RequireAny(cityEdit, ch.PersonPage))
	rt.Private("POST /cities/{id}/people/{pid}", ah.RequireAny(cityEdit, ch.SavePerson))
	rt.Private("POST /cities/{id}/people/{pid}/delete", ah.RequireAny(cityEdit, ch.DeletePerson))
	rt.Private("GET /cities/{id}/partners", ah.RequireAny(cityEdit, ch.PartnersPage))
	rt.Private("POST /cities/{id}/partners", ah.RequireAny(cityEdit, ch.SavePartner))
	rt.Private("GET /cities/{id}/partners/{pid}", ah.RequireAny(cityEdit, ch.PartnerPage))
	rt.Private("POST /cities/{id}/partners/{pid}", ah.RequireAny(cityEdit, ch.SavePartner))
	rt.Private("POST /cities/{id}/partners/{pid}/delete", ah.RequireAny(cityEdit, ch.DeletePartner))
	rt.Private("GET /cities/{id}/figures", ah.RequireAny(cityEdit, ch.FiguresPage))
	rt.Private("POST /cities/{id}/figures", ah.RequireAny(cityEdit, ch.SaveFigures))

	// Accounts.
	rt.Page("GET /login", ah.LoginPage)
	rt.Page("POST /login", ah.LoginSubmit)
	rt.Page("POST /logout", ah.Logout)
	rt.Page("GET /login/code", ah.CodePage)
	rt.Page("POST /login/code", ah.CodeSubmit)
	rt.Page("GET /invitation/{token}", ah.TokenPage(auth.KindInvite))
	rt.Page("POST /invitation/{token}", ah.TokenSubmit(auth.KindInvite))
	rt.Page("GET /password/forgot", ah.ForgotPage)
	rt.Page("POST /password/forgot", ah.ForgotSubmit)
	rt.Page("GET /password/reset/{token}", ah.TokenPage(auth.KindReset))
	rt.Page("POST /password/reset/{token}", ah.TokenSubmit(auth.KindReset))
	rt.Private("GET /account", ah.Require(auth.AccountOwn, a.account))
	rt.Private("GET /account/password", ah.Require(auth.AccountOwn, ah.PasswordPage))
	rt.Private("POST /account/password", ah.Require(auth.AccountOwn, ah.PasswordSubmit))
	rt.Private("GET /account/tokens", ah.Require(auth.AccountOwn, ah.TokensPage))
	rt.Private("POST /account/tokens", ah.Require(auth.AccountOwn, ah.TokenCreate))
	rt.Private("POST /account/tokens/{id}/revoke", ah.Require(auth.AccountOwn, ah.TokenRevoke))
	rt.Private("POST /account/language", ah.Require(auth.AccountOwn, ah.LangSubmit))
	rt.Private("GET /account/two-factor", ah.Require(auth.AccountSecurity, ah.SecondFactorPage))
	rt.Private("POST /account/two-factor", ah.Require(auth.AccountSecurity, ah.SecondFactorSubmit))

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
	rt.Private("GET /summits/{ref}/delegation", ah.Require(auth.SummitRegisterOwn, sh.DelegationPage))
	rt.Private("POST /summits/{ref}/delegation", ah.Require(auth.SummitRegisterOwn, sh.RegisterSubmit))
	rt.Private("POST /summits/{ref}/delegation/members", ah.Require(auth.SummitRegisterOwn, sh.AddMember))
	rt.Private("GET /summits/{ref}/delegation/members/{mid}", ah.Require(auth.SummitRegisterOwn, sh.MemberPage))
	rt.Private("POST /summits/{ref}/delegation/members/{mid}", ah.Require(auth.SummitRegisterOwn, sh.MemberSubmit))
	rt.Private("POST /summits/{ref}/delegation/members/{mid}/remove", ah.Require(auth.SummitRegisterOwn, sh.RemoveMember))
	rt.Private("POST /summits/{ref}/delegation/signups", ah.Require(auth.SummitRegisterOwn, sh.Signups))
	rt.Private("POST /summits/{ref}/delegation/withdraw", ah.Require(auth.SummitRegisterOwn, sh.Withdraw()))
	rt.Private("POST /summits/{ref}/delegation/accept", ah.Require(auth.SummitRegisterOwn, sh.AcceptOffer()))
	rt.Private("POST /summits/{ref}/delegation/decline-offer", ah.Require(auth.SummitRegisterOwn, sh.DeclineOffer()))
	rt.Private("POST /summits/{ref}/delegation/reopen", ah.Require(auth.SummitRegisterOwn, sh.Reopen()))
	rt.Private("GET /summits/{ref}/bid", ah.Require(auth.SummitRegisterOwn, sh.BidPage))
	rt.Private("POST /summits/{ref}/bid", ah.Require(auth.SummitRegisterOwn, sh.BidSubmit))
	rt.Private("POST /summits/{ref}/bid/withdraw", ah.Require(auth.SummitRegisterOwn, sh.BidWithdraw))
	rt.Private("GET /admin/summits", ah.Require(auth.SummitManage, sh.AdminList))
	rt.Private("GET /admin/summits/new", ah.Require(auth.SummitManage, sh.AdminNew))
	rt.Private("POST /admin/summits", ah.Require(auth.SummitManage, sh.AdminSave))
	rt.Private("GET /admin/summits/{id}", ah.Require(auth.SummitManage, sh.AdminEdit))
	rt.Private("POST /admin/summits/{id}", ah.Require(auth.SummitManage, sh.AdminSave))
	rt.Private("GET /admin/summits/{id}/programme", ah.Require(auth.SummitManage, sh.AdminProgramme))
	rt.Private("POST /admin/summits/{id}/venues", ah.Require(auth.SummitManage, sh.AdminItemSave("venue")))
	rt.Private("GET /admin/summits/{id}/venues/{item}", ah.Require(auth.SummitManage, sh.AdminItem("venue")))
	rt.Private("POST /admin/summits/{id}/venues/{item}", ah.Require(auth.SummitManage, sh.AdminItemSave("venue")))
	rt.Private("POST /admin/summits/{id}/venues/{item}/delete", ah.Require(auth.SummitManage, sh.AdminItemDelete("venue")))
	rt.Private("POST /admin/summits/{id}/sessions", ah.Require(auth.SummitManage, sh.AdminItemSave("session")))
	rt.Private("GET /admin/summits/{id}/sessions/{item}", ah.Require(auth.SummitManage, sh.AdminItem("session")))
	rt.Private("POST /admin/summits/{id}/sessions/{item}", ah.Require(auth.SummitManage, sh.AdminItemSave("session")))
	rt.Private("POST /admin/summits/{id}/sessions/{item}/delete", ah.Require(auth.SummitManage, sh.AdminItemDelete("session")))
	rt.Private("POST /admin/summits/{id}/speakers", ah.Require(auth.SummitManage, sh.AdminItemSave("speaker")))
	rt.Private("GET /admin/summits/{id}/speakers/{item}", ah.Require(auth.SummitManage, sh.AdminItem("speaker")))
	rt.Private("POST /admin/summits/{id}/speakers/{item}", ah.Require(auth.SummitManage, sh.AdminItemSave("speaker")))
	rt.Private("POST /admin/summits/{id}/speakers/{item}/delete", ah.Require(auth.SummitManage, sh.AdminItemDelete("speaker")))
	rt.Private("POST /admin/summits/{id}/partners", ah.Require(auth.SummitManage, sh.AdminItemSave("partner")))
	rt.Private("GET /admin/summits/{id}/partners/{item}", ah.Require(auth.SummitManage, sh.AdminItem("partner")))
	rt.Private("POST /admin/summits/{id}/partners/{item}", ah.Require(auth.SummitManage, sh.AdminItemSave("partner")))
	rt.Private("POST /admin/summits/{id}/partners/{item}/delete", ah.Require(auth.SummitManage, sh.AdminItemDelete("partner")))
	rt.Private("POST /admin/summits/{id}/partners/{item}/move", ah.Require(auth.SummitManage, sh.AdminPartnerMove))
	rt.Private("GET /admin/summits/{id}/registrations", ah.Require(auth.SummitManage, sh.AdminRegistrations))
	rt.Private("POST /admin/summits/{id}/registrations/confirm", ah.Require(auth.SummitManage, sh.AdminBulkConfirm))
	rt.Private("GET /admin/summits/{id}/registrations/{did}", ah.Require(auth.SummitManage, sh.AdminDelegation))
	rt.Private("POST /admin/summits/{id}/registrations/{did}/state", ah.Require(auth.SummitManage, sh.AdminSetState))
	rt.Private("POST /admin/summits/{id}/registrations/{did}/members", ah.Require(auth.SummitManage, sh.AdminAddMember))
	rt.Private("GET /admin/summits/{id}/registrations/{did}/members/{mid}", ah.Require(auth.SummitManage, sh.AdminMember))
	rt.Private("POST /admin/summits/{id}/registrations/{did}/members/{mid}", ah.Require(auth.SummitManage, sh.AdminMemberSave))
	rt.Private("POST /admin/summits/{id}/registrations/{did}/members/{mid}/remove", ah.Require(auth.SummitManage, sh.AdminRemoveMember))
	rt.Private("POST /admin/summits/{id}/registrations/{did}/signups", ah.Require(auth.SummitManage, sh.AdminSignups))
	rt.Private("GET /admin/summits/{id}/participants.csv", ah.Require(auth.SummitManage, sh.AdminCSV))
	rt.Private("GET /admin/summits/{id}/participants", ah.Require(auth.SummitManage, sh.AdminPrint))
	rt.Private("GET /admin/summits/{id}/badges.pdf", ah.Require(auth.SummitManage, sh.AdminBadges))
	rt.Private("GET /admin/summits/{id}/checkin", ah.Require(auth.SummitManage, sh.CheckInPage))
	rt.Private("POST /admin/summits/{id}/checkin", ah.Require(auth.SummitManage, sh.CheckInSubmit))
	rt.Private("GET /admin/summits/{id}/bids", ah.Require(auth.SummitManage, sh.AdminBids))
	rt.Private("POST /admin/summits/{id}/bids/{bid}/choose", ah.Require(auth.SummitManage, sh.AdminChooseBid))

	// Declarations: texts, signatories, signing and withdrawal, verification,
	// the secretariat's tools, the API and the platform's public keys.
	dh := a.Declarations
	rt.Page("GET /declarations", dh.List)
	rt.Page("GET /declarations/{ref}", dh.Show)
	rt.Page("GET /declarations/{ref}/verify", dh.VerifyPage)
	rt.Page("POST /declarations/{ref}/verify", dh.VerifyUpload)
	rt.Private("GET /declarations/{ref}/sign", ah.RequireAny(declarationSign, dh.SignPage))
	rt.Private("POST /declarations/{ref}/sign", ah.RequireAny(declarationSign, dh.SignSubmit))
	rt.Private("GET /declarations/{ref}/withdraw", ah.RequireAny(declarationSign, dh.WithdrawPage))
	rt.Private("POST /declarations/{ref}/withdraw", ah.RequireAny(declarationSign, dh.WithdrawSubmit))
	rt.Private("GET /admin/declarations", ah.Require(auth.DeclarationManage, dh.AdminList))
	rt.Private("GET /admin/declarations/new", ah.Require(auth.DeclarationManage, dh.NewPage))
	rt.Private("POST /admin/declarations", ah.Require(auth.DeclarationManage, dh.Create))
	rt.Private("GET /admin/declarations/{id}", ah.Require(auth.DeclarationManage, dh.EditPage))
	rt.Private("POST /admin/declarations/{id}", ah.Require(auth.DeclarationManage, dh.Update))
	rt.Private("POST /admin/declarations/{id}/publish", ah.Require(auth.DeclarationManage, dh.Publish))
	rt.Private("POST /admin/declarations/{id}/status", ah.Require(auth.DeclarationManage, dh.SetStatus))
	rt.Private("POST /admin/declarations/keys/rotate", ah.Require(auth.DeclarationManage, dh.RotateKey))
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
	// Writing through the API: a personal token's owner, for their city
	// (the handlers check the token's scope and the city).
	rt.Handle("POST /api/v1/practices", http.HandlerFunc(ph.APICreate))
	rt.Handle("GET /api/v1/practices/{id}/work", http.HandlerFunc(ph.APIWork))
	rt.Handle("PATCH /api/v1/practices/{id}", http.HandlerFunc(ph.APIPatch))
	rt.Handle("POST /api/v1/practices/{id}/submit", http.HandlerFunc(ph.APISubmit))
	rt.Private("GET /practices/work", ah.RequireAny(practiceWrite, ph.Workspace))
	rt.Private("GET /practices/new", ah.RequireAny(practiceWrite, ph.NewPage))
	rt.Private("POST /practices/new", ah.RequireAny(practiceWrite, ph.Create))
	rt.Private("GET /practices/{id}/work", ah.RequireAny(practiceWrite, ph.Work))
	rt.Private("GET /practices/{id}/edit", ah.RequireAny(practiceWrite, ph.EditPage))
	rt.Private("POST /practices/{id}/edit", ah.RequireAny(practiceWrite, ph.Edit))
	rt.Private("POST /practices/{id}/submit", ah.RequireAny(practiceWrite, ph.Submit()))
	rt.Private("POST /practices/{id}/publish", ah.Require(auth.PracticeReview, ph.Publish()))
	rt.Private("POST /practices/{id}/return", ah.Require(auth.PracticeReview, ph.Return()))
	rt.Private("POST /practices/{id}/archive", ah.RequireAny(practiceWrite, ph.Archive()))
	rt.Private("POST /practices/{id}/unarchive", ah.Require(auth.PracticeReview, ph.Unarchive()))
	rt.Private("POST /practices/{id}/discard", ah.RequireAny(practiceWrite, ph.Discard()))
	rt.Private("POST /practices/{id}/restore", ah.RequireAny(practiceWrite, ph.Restore()))
	rt.Private("POST /practices/{id}/images", ah.RequireAny(practiceWrite, ph.UploadImage))
	rt.Private("POST /practices/{id}/images/{n}/remove", ah.RequireAny(practiceWrite, ph.RemoveImage))
	rt.Private("GET /practices/{id}/history", ah.RequireAny(practiceWrite, ph.History))
	rt.Private("GET /practices/{id}/history/{n}", ah.RequireAny(practiceWrite, ph.Diff))
	rt.Private("GET /admin/practice-terms", ah.Require(auth.PracticeReview, ph.TermsPage))
	rt.Private("POST /admin/practice-terms", ah.Require(auth.PracticeReview, ph.SaveTerm))
	rt.Private("POST /admin/practice-terms/{id}/delete", ah.Require(auth.PracticeReview, ph.DeleteTerm))

	// Exchanges between cities: the public network, figures and API; the
	// inbox, requests, threads and files of the two cities' editors and
	// delegates and of the secretariat (the store shows each only the
	// exchanges of their city: a third city gets 404); the secretariat's
	// overview and export.
	xh := a.Exchanges
	rt.Page("GET /exchanges", xh.Inbox)
	rt.Page("GET /exchanges/network", xh.Network)
	rt.Handle("GET /api/v1/exchanges", http.HandlerFunc(xh.API))
	rt.Private("GET /exchanges/new", ah.Require(auth.ExchangeOwn, xh.NewPage))
	rt.Private("POST /exchanges/new", ah.Require(auth.ExchangeOwn, xh.Create))
	rt.Private("GET /exchanges/{id}", ah.RequireAny(exchangeUse, xh.Show))
	rt.Private("POST /exchanges/{id}/step", ah.RequireAny(exchangeUse, xh.StepSubmit))
	rt.Private("POST /exchanges/{id}/public", ah.Require(auth.ExchangeOwn, xh.PublicSubmit))
	rt.Private("POST /exchanges/{id}/messages", ah.RequireAny(exchangeUse, xh.PostMessage))
	rt.Private("GET /exchanges/{id}/files/{file}", ah.RequireAny(exchangeUse, xh.File))
	rt.Private("GET /admin/exchanges", ah.Require(auth.ExchangeManage, xh.Admin))
	rt.Private("GET /admin/exchanges.csv", ah.Require(auth.ExchangeManage, xh.CSV))
	// News, the calendar of everything dated and the press pages (public:
	// published items only); writing and scheduling news: the secretariat
	// any item, a city's editors their city's (the handlers check the city).
	nh := a.News
	rt.Page("GET /news", nh.List)
	rt.Page("GET /news/feed.atom", nh.FeedAtom)
	rt.Page("GET /news/feed.rss", nh.FeedRSS)
	rt.Page("GET /news/feed.json", nh.FeedJSON)
	rt.Page("GET /news/{ref}", nh.Show)
	rt.Handle("GET /api/v1/news", http.HandlerFunc(nh.APIList))
	rt.Page("GET /calendar", nh.Calendar)
	rt.Page("GET /calendar.ics", nh.ICS)
	rt.Page("GET /calendar/event.ics", nh.EventICS)
	rt.Page("GET /calendar/observances/{key}", nh.ObservancePage)
	rt.Page("GET /press", nh.Portal)
	rt.Page("GET /press/summits/{id}", nh.GallerySummit)
	rt.Page("GET /press/cities/{id}", nh.GalleryCity)
	rt.Page("GET /summits/{ref}/press", nh.Press)
	rt.Private("GET /news/work", ah.RequireAny(newsWrite, nh.Work))
	rt.Private("GET /news/new", ah.RequireAny(newsWrite, nh.NewPage))
	rt.Private("POST /news/new", ah.RequireAny(newsWrite, nh.Create))
	rt.Private("GET /news/{id}/edit", ah.RequireAny(newsWrite, nh.EditPage))
	rt.Private("POST /news/{id}/edit", ah.RequireAny(newsWrite, nh.Edit))
	rt.Private("GET /news/{id}/preview", ah.RequireAny(newsWrite, nh.Preview))
	rt.Private("POST /news/{id}/state", ah.RequireAny(newsWrite, nh.State))
	rt.Private("POST /news/{id}/media", ah.RequireAny(newsWrite, nh.AddMedia))
	rt.Private("POST /news/{id}/media/{mid}/remove", ah.RequireAny(newsWrite, nh.RemoveMedia))
	rt.Private("GET /admin/observances", ah.Require(auth.NewsPublish, nh.ObservancesAdmin))
	rt.Private("GET /admin/observances/new", ah.Require(auth.NewsPublish, nh.ObservanceNew))
	rt.Private("POST /admin/observances/new", ah.Require(auth.NewsPublish, nh.ObservanceSave))
	rt.Private("GET /admin/observances/{id}", ah.Require(auth.NewsPublish, nh.ObservanceEdit))
	rt.Private("POST /admin/observances/{id}", ah.Require(auth.NewsPublish, nh.ObservanceSave))
	rt.Private("POST /admin/observances/{id}/delete", ah.Require(auth.NewsPublish, nh.ObservanceDelete))

	// Open data: the portal, every dataset's files, the ZIP and the catalogue.
	rt.Page("GET /data", a.Data.Page)
	rt.Handle("GET /data/{file}", http.HandlerFunc(a.Data.File))

	// The API's description: the OpenAPI document, the reference page, the
	// descriptions of its problems; any other address under /api/v1 is a
	// problem too.
	rt.Handle("GET /api/v1/openapi.json", http.HandlerFunc(a.APIDoc.OpenAPI))
	rt.Handle("GET /api/v1/problems/{code}", http.HandlerFunc(a.APIDoc.ProblemType))
	rt.Handle("/api/v1/", http.HandlerFunc(a.APIDoc.NotFound))
	rt.Page("GET /data/api", a.APIDoc.Reference)

	// Findable: sitemap, robots.txt, icon, manifest, preview image.
	rt.Handle("GET /sitemap.xml", http.HandlerFunc(a.Site.Sitemap))
	rt.Handle("GET /sitemaps/{file}", http.HandlerFunc(a.Site.Part))
	rt.Handle("GET /robots.txt", http.HandlerFunc(a.Site.Robots))
	rt.Handle("GET /favicon.svg", http.HandlerFunc(a.Site.Favicon))
	rt.Handle("GET /favicon.ico", http.HandlerFunc(a.Site.Favicon))
	rt.Handle("GET /manifest.webmanifest", http.HandlerFunc(a.Site.Manifest))
	rt.Handle("GET /og-image.png", http.HandlerFunc(a.Site.OGImage))
	// Residents' voice: consultations and their ideas (public: published
	// only), giving an idea without an account, receipts, supports and
	// reports, kiosks, exports and API; the moderators' queue; consultations
	// kept by the secretariat and the city's editors (the handlers check the
	// city: auth.CanForCity), reports for them and the city's moderators.
	vh := a.Voice
	rt.Page("GET /ideas", vh.List)
	rt.Page("GET /ideas/{ref}", vh.Show)
	rt.Page("POST /ideas/{ref}", vh.Submit)
	rt.Page("GET /ideas/{ref}/{page}", vh.SubPage) // charter, report, export.csv, export.json
	rt.Page("GET /ideas/{ref}/kiosk/{token}", vh.Kiosk)
	rt.Page("POST /ideas/{ref}/ideas/{id}/support", vh.Support)
	rt.Page("POST /ideas/{ref}/ideas/{id}/report", vh.ReportIdea)
	rt.Page("GET /ideas/receipt/{code}", vh.Receipt)
	rt.Page("POST /ideas/receipt/{code}/delete", vh.DeleteReceipt)
	rt.Page("GET /ideas/qr/{code}", vh.ReceiptQR)
	rt.Page("GET /ideas/confirm/{token}", vh.Confirm)
	rt.Handle("GET /api/v1/consultations", http.HandlerFunc(vh.APIConsultations))
	rt.Handle("GET /api/v1/ideas", http.HandlerFunc(vh.APIIdeas))
	rt.Handle("GET /api/v1/ideas/challenge", http.HandlerFunc(vh.APIChallenge))
	rt.Handle("POST /api/v1/ideas", http.HandlerFunc(vh.APIGive))
	rt.Handle("POST /api/v1/ideas/station", http.HandlerFunc(vh.StationPing))
	rt.Handle("GET /api/v1/ideas/receipt/{code}", http.HandlerFunc(vh.APIReceipt))
	rt.Private("GET /admin/ideas", ah.Require(auth.VoiceModerate, vh.Queue))
	rt.Private("POST /admin/ideas/decide", ah.Require(auth.VoiceModerate, vh.Decide))
	rt.Private("GET /admin/ideas/words", ah.Require(auth.VoiceModerate, vh.WordsPage))
	rt.Private("POST /admin/ideas/words", ah.Require(auth.VoiceModerate, vh.SaveWords))
	rt.Private("GET /admin/ideas/transcribe", ah.Require(auth.VoiceModerate, vh.TranscribePage))
	rt.Private("POST /admin/ideas/transcribe", ah.Require(auth.VoiceModerate, vh.Transcribe))
	rt.Private("GET /admin/ideas/consultations/{ref}/export.json", ah.Require(auth.VoiceModerate, vh.AdminExport))
	voiceManage := []string{auth.VoiceManageAny, auth.VoiceManageOwn}
	rt.Private("GET /admin/ideas/consultations", ah.RequireAny(voiceManage, vh.Admin))
	rt.Private("GET /admin/ideas/consultations/new", ah.RequireAny(voiceManage, vh.EditPage))
	rt.Private("POST /admin/ideas/consultations/new", ah.RequireAny(voiceManage, vh.Save))
	rt.Private("GET /admin/ideas/consultations/{ref}", ah.RequireAny(voiceManage, vh.EditPage))
	rt.Private("POST /admin/ideas/consultations/{ref}", ah.RequireAny(voiceManage, vh.Save))
	rt.Private("POST /admin/ideas/consultations/{ref}/exhibitions", ah.RequireAny(voiceManage, vh.SaveExhibition))
	rt.Private("POST /admin/ideas/consultations/{ref}/stations", ah.RequireAny(voiceManage, vh.AddStation))
	rt.Private("POST /admin/ideas/consultations/{ref}/stations/{sid}/revoke", ah.RequireAny(voiceManage, vh.RevokeStation))
	rt.Private("GET /admin/ideas/consultations/{ref}/poster.pdf", ah.RequireAny(voiceManage, vh.Poster))

	// What the law asks: the privacy notice and the imprint (public, linked
	// from every page's footer); each person's data, to download and to
	// ask to erase; the secretariat's texts, contact and erasure requests.
	lh := a.Legal
	rt.Page("GET /privacy", lh.Privacy)
	rt.Page("GET /imprint", lh.Imprint)
	rt.Private("GET /account/data", ah.Require(auth.AccountOwn, lh.DataPage))
	rt.Private("GET /account/data.json", ah.Require(auth.AccountOwn, lh.Download))
	rt.Private("POST /account/erasure", ah.Require(auth.AccountOwn, lh.RequestErasure))
	rt.Private("GET /admin/legal", ah.Require(auth.LegalEdit, lh.Admin))
	rt.Private("POST /admin/legal/contact", ah.Require(auth.LegalEdit, lh.SaveContact))
	rt.Private("GET /admin/legal/privacy", ah.Require(auth.LegalEdit, lh.EditPage(legal.KindPrivacy)))
	rt.Private("POST /admin/legal/privacy", ah.Require(auth.LegalEdit, lh.Save(legal.KindPrivacy)))
	rt.Private("GET /admin/legal/imprint", ah.Require(auth.LegalEdit, lh.EditPage(legal.KindImprint)))
	rt.Private("POST /admin/legal/imprint", ah.Require(auth.LegalEdit, lh.Save(legal.KindImprint)))
	rt.Private("POST /admin/legal/requests/{id}/complete", ah.Require(auth.LegalEdit, lh.Complete))

	// The secretariat.
	rt.Private("GET /admin", ah.Require(auth.AdminDashboard, adm.Dashboard))
	rt.Private("GET /admin/audit", ah.Require(auth.AuditRead, adm.Audit))
	rt.Private("GET /admin/users", ah.Require(auth.UsersManage, ah.UsersPage))
	rt.Private("POST /admin/users", ah.Require(auth.UsersManage, ah.Invite))
	rt.Private("POST /admin/users/{id}/disable", ah.Require(auth.UsersManage, ah.SetDisabled(true)))
	rt.Private("POST /admin/users/{id}/enable", ah.Require(auth.UsersManage, ah.SetDisabled(false)))
	rt.Private("POST /admin/users/{id}/second-factor/reset", ah.Require(auth.UsersManage, ah.ResetSecondFactor))
	rt.Private("POST /admin/users/invitations/resend", ah.Require(auth.UsersManage, ah.ResendInvitation))
	rt.Private("POST /admin/users/invitations/revoke", ah.Require(auth.UsersManage, ah.RevokeInvitation))
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
	p.Description = p.T("home.lead")
	p.JSONLD = append(p.JSONLD, site.Organization(p.SiteURL, SiteName))
	a.Render.HTML(w, r, http.StatusOK, "home", p)
}
