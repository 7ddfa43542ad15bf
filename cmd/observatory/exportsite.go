package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"observatory/internal/app"
	"observatory/internal/config"
	"observatory/internal/i18n"
	"observatory/internal/sitecopy"
)

// exportSite writes the public site as static files into DIR: pages,
// assets, images, feeds and open data, with relative links, for a plain
// file server with no database (a summit's site kept as it was).
func exportSite(ctx context.Context, args []string) error {
	fs := flags("export-site")
	dbPath := config.DBFlag(fs)
	langs := fs.String("lang", strings.Join(i18n.Langs, ","), "languages to export, comma-separated")
	base := fs.String("base-url", os.Getenv("OBSERVATORY_BASE_URL"), "the live site's address: links that need the server point there (env OBSERVATORY_BASE_URL)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory export-site [--lang de,en,fr] [--base-url URL] DIR")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"name one directory: observatory export-site DIR"}
	}
	var want, skip []string
	for _, l := range strings.Split(*langs, ",") {
		l = strings.TrimSpace(l)
		if !slices.Contains(i18n.Langs, l) {
			return usageError{fmt.Sprintf("--lang: %q is not one of %s", l, strings.Join(i18n.Langs, ", "))}
		}
		want = append(want, l)
	}
	for _, l := range i18n.Langs {
		if !slices.Contains(want, l) {
			skip = append(skip, l)
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, &config.Config{DB: *dbPath, BaseURL: *base, LogFormat: "text", Addr: "127.0.0.1:0"}, log)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := sitecopy.Copy(ctx, a.Handler, fs.Arg(0), sitecopy.Options{Base: *base, Langs: want, Skip: skip, Start: app.ExportStart})
	if err != nil {
		return err
	}
	fmt.Printf("%d files written to %s: %d pages, %d redirects\n", res.Files, fs.Arg(0), res.Pages, res.Redirects)
	return nil
}
