// Package app wires the platform together: config → database → features →
// HTTP server, and shuts it down gracefully.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"observatory/internal/admin"
	"observatory/internal/apiv1"
	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/cache"
	"observatory/internal/city"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/exchange"
	"observatory/internal/i18n"
	"observatory/internal/jobs"
	"observatory/internal/legal"
	"observatory/internal/mail"
	"observatory/internal/media"
	"observatory/internal/news"
	"observatory/internal/opendata"
	"observatory/internal/practice"
	"observatory/internal/site"
	"observatory/internal/stats"
	"observatory/internal/summit"
	"observatory/internal/voice"
	"observatory/internal/web"
)

// Version is the build's version, set with -ldflags "-X observatory/internal/app.Version=…".
var Version = "dev"

// SiteName is the platform's name in the header and titles.
const SiteName = "Observatory"

// App is one running platform instance.
type App struct {
	Cfg      *config.Config
	DB       *db.DB
	Log      *slog.Logger
	Catalog  *i18n.Catalog
	Render   *web.Renderer
	Sessions *scs.SessionManager
	Users    *auth.Store
	Auth     *auth.Handlers
	Admin    *admin.Handlers
	Cities   *city.Handlers
	Stats    *stats.Handlers
	Media    *media.Store
	Summits  *summit.Handlers
	Mailer   mail.Sender
	Registry *prometheus.Registry
	Metrics  http.Handler // for the private debug address only
	Router   *web.Router
	Handler  http.Handler
	// Pages keeps the public answers (see cacheRoute).
	Pages *cache.Pages
	// APIDoc serves the API's OpenAPI document and its reference page.
	APIDoc *apiv1.Doc
	// APILimit counts each address's requests to /api/v1 (apiv1.Middleware).
	APILimit *apiv1.Limiter

	// Declarations serves the declarations, their signatures and proofs.
	Declarations *declaration.Handlers

	// Practices is the best-practice library.
	Practices *practice.Handlers

	// Exchanges are the requests between cities about their practices.
	Exchanges *exchange.Handlers
	// Voice takes residents' ideas and lets moderators publish them.
	Voice *voice.Handlers

	// News is the news, the calendar of everything dated and the press pages.
	News *news.Handlers
	// Site serves sitemap.xml, robots.txt, the favicon and the manifest.
	Site *site.Handlers
	// Legal is the privacy notice, the imprint and each person's data.
	Legal *legal.Handlers
	// Data is the open-data portal: every capability's datasets.
	Data *opendata.Handlers
	// Holder names this server in the leases of the background jobs.
	Holder string

	// jobs, homeSections, dates, sitemap, personal and datasets come from
	// the capabilities (see use); err is why some could not be built or
	// wired.
	jobs         []web.Job
	homeSections []web.PageSection
	dates        []web.DateSource
	sitemap      []web.SitemapSource
	personal     []web.PersonalData
	datasets     []web.Dataset
	err          error
}

// capability is what every capability's handlers offer the app.
type capability interface{ Capability() web.Capability }

// use wires one capability by its contract (h.Capability()): its
// templates, menu entry, dashboard figures, sections on city, figures and
// home pages, jobs, dates, sitemap, personal data and datasets; and returns
// h, so that each capability is one line of Build. Its routes are in
// routes.go, the one table of every route. Why a capability could not be
// built or wired is kept in a.err for Build to return.
func use[H capability](a *App, h H) H {
	c := h.Capability()
	if a.err = errors.Join(a.err, c.Err); a.err != nil {
		return h
	}
	if c.Templates != nil {
		if err := a.Render.Register(c.Name, c.Templates, "."); err != nil {
			a.err = fmt.Errorf("templates of %s: %w", c.Name, err)
			return h
		}
	}
	if c.Nav != nil {
		a.Render.Add(*c.Nav)
	}
	a.Admin.Figures = append(a.Admin.Figures, c.Counts...)
	for _, s := range c.CitySections {
		a.Cities.Sections = append(a.Cities.Sections, city.Section(s))
	}
	if len(c.CityRenamed) > 0 {
		a.Cities.Store.Renamed = append(a.Cities.Store.Renamed, c.CityRenamed...)
	}
	for _, s := range c.FigureSections {
		a.Stats.Sections = append(a.Stats.Sections, stats.Section(s))
	}
	a.homeSections = append(a.homeSections, c.HomeSections...)
	a.jobs = append(a.jobs, c.Jobs...)
	a.dates = append(a.dates, c.Dates...)
	a.sitemap = append(a.sitemap, c.Sitemap...)
	a.personal = append(a.personal, c.PersonalData...)
	a.datasets = append(a.datasets, c.Datasets...)
	return h
}

// New opens the database, migrates it and builds every feature.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*App, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("migrating the database: %w", err)
	}
	a, err := Build(cfg, d, log)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// Build assembles the platform on an open, migrated database.
func Build(cfg *config.Config, d *db.DB, log *slog.Logger) (*App, error) {
	a := &App{Cfg: cfg, DB: d, Log: log, Registry: prometheus.NewRegistry()}
	var err error
	if a.Catalog, err = i18n.Load(); err != nil {
		return nil, err
	}
	a.Catalog.OnMissing = func(lang, key string) { log.Warn("missing translation", "lang", lang, "key", key) }
	assets, err := web.LoadAssets()
	if err != nil {
		return nil, err
	}
	if a.Render, err = web.NewRenderer(a.Catalog, assets, log); err != nil {
		return nil, err
	}
	a.Render.SiteName, a.Render.Version, a.Render.BaseURL = SiteName, Version, cfg.BaseURL
	a.Render.NavOrder = MenuOrder
	a.Render.Policy = auth.Can
	if a.Mailer, err = mail.NewSender(cfg.SMTPURL, log); err != nil {
		return nil, err
	}
	// The shared rooms: sessions and accounts, the secretariat's pages, images.
	a.Sessions = auth.NewSessions(d, cfg.Secure())
	a.Sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		a.Render.Error(w, r, http.StatusInternalServerError, err)
	}
	a.Users = NewUserStore(d)
	if a.Users.Sealer, err = auth.NewSealer(cfg.SecretKey); err != nil {
		return nil, err
	}
	if !a.Users.Sealer.Encrypts() && cfg.Secure() {
		log.Warn("second-factor secrets are stored unencrypted: set --secret-key (openssl rand -hex 32) to encrypt them")
	}
	if n, err := a.Users.SealStoredSecrets(context.Background()); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("second-factor secrets stored before --secret-key was set are now encrypted", "count", n)
	}
	a.Auth = &auth.Handlers{Users: a.Users, Login: auth.NewLogin(a.Users), Sessions: a.Sessions, Render: a.Render,
		Mail: a.Mailer, BaseURL: cfg.LinkBase(), Log: log, SecondFactorAdmins: cfg.SecondFactorAdmins}
	a.Users.RecoveryUsed = a.Auth.RecoveryNotice
	a.Render.Flash = a.Auth.PopFlash
	a.Admin = &admin.Handlers{DB: d, Render: a.Render, Version: Version}
	if err := a.Render.Register("auth", auth.Templates, "templates"); err != nil {
		return nil, err
	}
	if err := a.Render.Register("admin", admin.Templates, "templates"); err != nil {
		return nil, err
	}
	a.Media = &media.Store{DB: d}
	if a.APIDoc, err = apiv1.NewDoc(a.Render); err != nil {
		return nil, err
	}
	if err := a.Render.Register("apiv1", apiv1.Templates, "templates"); err != nil {
		return nil, err
	}

	// The capabilities: each built by its constructor and wired by use, one
	// line each (their routes are in routes.go). The member cities and the
	// figures come first: the others add sections to their pages.
	a.Cities = use(a, city.New(d, a.Render, a.Auth, a.Media, log))
	a.Stats = use(a, stats.New(d, a.Render))
	a.Summits = use(a, summit.New(d, a.Render, a.Auth, a.Catalog, cfg.BaseURL, cfg.DelegateDays(), log))
	a.Declarations = use(a, declaration.New(context.Background(), d, a.Render, a.Auth, cfg.BaseURL, log))
	a.Practices = use(a, practice.New(d, a.Render, a.Auth, a.Catalog, cfg.BaseURL, log))
	a.Exchanges = use(a, exchange.New(d, a.Render, a.Auth, a.Catalog, cfg.BaseURL, log))
	// A practice's page shows who adopted it and how to ask its city.
	a.Practices.Sections = append(a.Practices.Sections, practice.Section{Render: a.Exchanges.PracticeSection})
	a.News = use(a, news.New(news.Deps{DB: d, Render: a.Render, Auth: a.Auth, Log: log, BaseURL: cfg.BaseURL, Dates: a.dateSources}))
	// Findable: the sitemap lists every capability's public pages.
	a.sitemap = append(a.sitemap, a.publicPages)
	a.Site = &site.Handlers{BaseURL: cfg.BaseURL, SiteName: SiteName, Sources: func() []web.SitemapSource { return a.sitemap }}
	a.Voice = use(a, voice.New(context.Background(), d, a.Render, a.Auth, voice.Config{BaseURL: cfg.BaseURL, PowBase: cfg.VoicePowBase, Limit: cfg.VoiceLimit}, log))
	// What the law asks: the privacy notice and imprint, each person's
	// data and its erasure across every part that keeps personal data.
	a.personal = append(a.personal, a.Users.PersonalData(), audit.PersonalData(d), mail.PersonalData(d))
	a.jobs = append(a.jobs, mail.RetentionJob(d))
	a.Legal = use(a, legal.New(d, a.Render, a.Auth, cfg.DelegateDays(), func() []web.PersonalData { return a.personal }, log))
	// Open data: whatever the capabilities offer, assembled (built last).
	a.Holder = jobs.NewHolder()
	a.Data = use(a, opendata.New(d, a.Render, opendata.Config{Holder: a.Holder, BaseURL: cfg.BaseURL, License: cfg.DataLicense, Publisher: SiteName,
		Datasets: func() []web.Dataset { return a.datasets }, Log: log}))
	// Links in mail start with the configured address only (see LinkBase).
	a.Summits.Store.BaseURL, a.Practices.Store.Notify.BaseURL = cfg.LinkBase(), cfg.LinkBase()
	if a.err != nil {
		return nil, a.err
	}

	// The collector's stop-the-world pauses as a histogram, beside the
	// default Go metrics: its highest growing bucket is the longest pause.
	goMetrics := collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
		collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/sched/pauses/total/gc:seconds$`)}))
	a.Registry.MustRegister(goMetrics, collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.W, "writer"))
	if d.R != d.W {
		a.Registry.MustRegister(collectors.NewDBStatsCollector(d.R, "reader"))
	}
	a.APILimit = &apiv1.Limiter{Limit: cfg.APILimit, DB: d}
	if a.APILimit.Limit == 0 {
		a.APILimit.Limit = 600
	}
	a.Router = web.NewRouter(a.Registry)
	a.Pages = a.newPages()
	a.Router.Cache = a.cacheRoute
	a.routes()
	a.Handler = web.Chain(a.Router.Mux,
		// Kept answers first: a hit needs none of what follows, but the
		// API's rate limit and headers, which its gate gives it.
		a.Pages.Fast(log, cfg.TrustProxy, hitLogEvery, cache.Gate{Prefix: apiv1.Prefix, Admit: apiv1.Admit(a.APILimit, cfg.TrustProxy)}),
		web.RequestLog(log, cfg.TrustProxy),
		web.Recover(a.Render),
		web.RefuseNUL(a.Render),
		web.SecurityHeaders(cfg.TrustProxy),
		apiv1.Middleware(a.Render, a.APILimit),
		web.CrossOrigin(a.Render),
		a.Pages.Front,
		a.Sessions.LoadAndSave,
		a.Auth.LoadViewer,
		a.Auth.Bearer,
	)
	return a, nil
}

// dateSources are every capability's dated things, for the one calendar.
func (a *App) dateSources() []web.DateSource { return a.dates }

// NewUserStore is the account store with its checks wired to the other
// capabilities (a city id must name a city).
func NewUserStore(d *db.DB) *auth.Store {
	return &auth.Store{DB: d, Hasher: auth.NewHasher(0), CityExists: (&city.Store{DB: d}).Exists}
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Background runs the platform's periodic work until ctx ends: mail
// delivery, the removal of expired sessions and sign-in attempts, and the
// capabilities' jobs.
func (a *App) Background(ctx context.Context) {
	go (&mail.Worker{DB: a.DB, Sender: a.Mailer, Log: a.Log}).Run(ctx)
	var background []web.Job
	for _, j := range a.jobs {
		if !j.Before {
			background = append(background, j)
		}
	}
	(&jobs.Runner{DB: a.DB, Log: a.Log, Holder: a.Holder}).Start(ctx, background)
	go func() {
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			store := auth.SessionStore{DB: a.DB}
			if err := errors.Join(store.DeleteExpired(ctx), a.Auth.Login.PerEmail.Prune(ctx), a.APILimit.Prune(ctx)); err != nil && ctx.Err() == nil {
				a.Log.Warn("cleanup", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// WarmUp runs the capabilities' jobs marked Before, together, for at most
// two minutes; a failure is logged and the server starts all the same
// (the first requests then load what is missing).
func (a *App) WarmUp(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for _, j := range a.jobs {
		if j.Before {
			wg.Go(func() {
				if err := j.Run(ctx); err != nil {
					a.Log.Warn("warm-up", "job", j.Name, "err", err)
				}
			})
		}
	}
	wg.Wait()
}

// Serve listens on cfg.Addr until ctx ends, then lets in-flight requests
// finish (up to 20 seconds) before returning.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", a.Cfg.Addr, errors.Unwrap(err))
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	// The port is taken: connections wait in its queue while the warm-up
	// runs, and the first requests find the search loaded.
	a.WarmUp(ctx)
	a.Background(bg)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
