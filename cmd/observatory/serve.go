package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"observatory/internal/app"
	"observatory/internal/cache"
	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/demo"
)

func logger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// defaultMemoryLimit is the Go runtime's soft memory limit for serve:
// with the shared cache's budget (cache.DefaultBudget) it keeps 100,000
// practices within 250 MB resident on a small machine, SQLite's page
// caches and the program's own pages included.
const defaultMemoryLimit = 160 << 20

// smallMemoryLimit is the limit for a database of a few megabytes (the
// demo): the templates, translations and the cache's smallest budget, with
// room for the collector to run a few times a second under load.
const smallMemoryLimit = 32 << 20

// memoryLimitFor is the soft memory limit for a database of dataBytes:
// smallMemoryLimit plus half the data's size, at most defaultMemoryLimit
// (reached at about 70,000 practices). A small site then stays small
// instead of growing until the collector of a large one would run.
func memoryLimitFor(dataBytes int64) int64 {
	return min(smallMemoryLimit+dataBytes/2, defaultMemoryLimit)
}

// dataSize is the database's size in bytes, which the memory limit and
// the answer cache's budget follow.
func dataSize(ctx context.Context, d *db.DB) (int64, error) {
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if d.Engine() == db.Postgres {
		q = `SELECT pg_database_size(current_database())`
	}
	var n int64
	if err := d.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading the database's size: %w", err)
	}
	return n, nil
}

func serve(ctx context.Context, args []string) error {
	fs := flags("serve")
	cfg := config.ServeFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	_, limitSet := os.LookupEnv("GOMEMLIMIT")
	if !limitSet {
		// The index of 100,000 practices, the shared cache's budget
		// (cache.DefaultBudget) and the requests in flight fit within it;
		// the collector works harder as the heap nears it instead of
		// letting it grow. Once the database's size is known, the limit
		// and the cache's budget follow it. GOGC and GOMEMLIMIT set in
		// the environment decide instead.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	log := logger(cfg.LogFormat)
	start := time.Now()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if size, err := dataSize(ctx, a.DB); err != nil {
		log.Warn("memory limit and cache budget left at their defaults", "err", err)
	} else {
		cache.FitShared(size)
		if !limitSet {
			debug.SetMemoryLimit(memoryLimitFor(size))
		}
	}
	if cfg.DebugAddr != "" {
		if err := serveDebug(ctx, cfg.DebugAddr, a.Metrics, log); err != nil {
			return err
		}
	}
	var loaded demo.Result
	if cfg.Demo {
		if loaded, err = demo.Load(ctx, a.DB, a.Users); err != nil {
			return fmt.Errorf("loading demo content: %w", err)
		}
	}
	return a.Serve(ctx, func(addr string) {
		url := cfg.BaseURL
		if url == "" {
			url = "http://" + addr + "/"
		}
		log.Info("ready", "url", url, "db", a.DB.Target, "engine", a.DB.Engine(), "version", app.Version, "startup", time.Since(start).Round(time.Millisecond))
		fmt.Printf("Observatory is running at %s (listening on %s; database: %s %s)\n", url, addr, a.DB.Engine(), a.DB.Target)
		if loaded.Loaded {
			fmt.Printf("Demo content loaded. Sign in as %s with the password %s\n", loaded.AdminEmail, loaded.AdminPassword)
		}
	})
}

// serveDebug starts Go's profiler and the Prometheus metrics on their own
// listener, kept private (go tool pprof http://ADDR/debug/pprof/profile,
// http://ADDR/metrics).
func serveDebug(ctx context.Context, addr string, metrics http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--debug-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.Handle("GET /metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	go func() { <-ctx.Done(); srv.Close() }()
	log.Info("profiler listening", "addr", ln.Addr().String())
	return nil
}

func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("migrating the database: %w", err)
	}
	return d, nil
}

func migrate(ctx context.Context, args []string) error {
	action := "up"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	fs := flags("migrate")
	dsn := config.DBFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory migrate [up|status] [--db DSN]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		action = fs.Arg(0)
	}
	if action != "up" && action != "status" {
		return usageError{fmt.Sprintf("unknown migrate action %q: use up or status", action)}
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	switch action {
	case "up":
		n, err := d.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("%d migration(s) applied.\n", n)
		return nil
	case "status":
		ms, err := d.Status(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			state := "pending"
			if m.AppliedAt != nil {
				state = "applied " + m.AppliedAt.Format(time.RFC3339)
			}
			fmt.Printf("%04d_%s\t%s\n", m.Version, m.Name, state)
		}
		return nil
	}
	return usageError{fmt.Sprintf("unknown migrate action %q: use up or status", action)}
}

func seed(ctx context.Context, args []string) error {
	fs := flags("seed")
	dsn := config.DBFlag(fs)
	withDemo := fs.Bool("demo", false, "load the demo content (only into an empty database)")
	cities := fs.Int("cities", 0, "add this many invented member cities, with partnerships and delegations to the first summit (after --demo, before --scale)")
	scale := fs.Int("scale", 0, "add this many generated, published practices (after --demo, or to a database with cities)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*withDemo && *scale <= 0 && *cities <= 0 {
		return usageError{"say what to seed: --demo, --cities N, --scale N, or several"}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if *withDemo {
		res, err := demo.Load(ctx, d, app.NewUserStore(d))
		if err != nil {
			return err
		}
		if !res.Loaded {
			return fmt.Errorf("the database %s is not empty; demo content is only loaded into an empty one", d.Target)
		}
		fmt.Printf("Demo content loaded. Sign in as %s with the password %s\n", res.AdminEmail, res.AdminPassword)
	}
	if *cities > 0 {
		start := time.Now()
		if err := demo.Cities(ctx, d, *cities, uint64(start.UnixNano())); err != nil {
			return err
		}
		fmt.Printf("Generated %d cities in %s.\n", *cities, time.Since(start).Round(time.Millisecond))
	}
	if *scale > 0 {
		return seedScale(ctx, d, *scale)
	}
	return nil
}

func version(ctx context.Context, args []string) error {
	fmt.Println("observatory", app.Version)
	return nil
}
