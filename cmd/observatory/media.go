package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"observatory/internal/config"
	"observatory/internal/db"
	"observatory/internal/media"
	"observatory/internal/practice"
)

const mediaUsage = `usage:
  observatory media prune [--db DSN] [--older-than 24h] [--dry-run]
                   delete uploaded images that nothing refers to any more`

// mediaCmd looks after the stored images.
func mediaCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "prune" {
		if len(args) == 0 {
			return usageError{"say what to do: prune.\n" + mediaUsage}
		}
		return usageError{fmt.Sprintf("unknown action %q: use prune.\n%s", args[0], mediaUsage)}
	}
	fs := flags("media prune")
	dsn := config.DBFlag(fs)
	age := fs.Duration("older-than", media.DefaultPruneAge, "keep every image stored less than this long ago, referenced or not")
	dry := fs.Bool("dry-run", false, "list what would be deleted and delete nothing")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory media prune [--db DSN] [--older-than 24h] [--dry-run]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"media prune takes no arguments, only flags"}
	}
	if *age < 0 {
		return usageError{"--older-than must not be negative"}
	}
	if *dsn != "" && !db.IsPostgres(*dsn) {
		if _, err := os.Stat(*dsn); err != nil {
			return fmt.Errorf("no database at %s", *dsn)
		}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	res, err := media.Prune(ctx, d, *age, *dry, practice.ImagesInUse)
	if err != nil {
		return fmt.Errorf("pruning images (nothing was deleted): %w", err)
	}
	took := time.Since(start).Round(time.Millisecond)
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	fmt.Printf("%s %d unreferenced images older than %v (%s); %d kept; %v\n", verb, len(res.IDs), *age, sizeOf(res.Bytes), res.Kept, took)
	if *dry && len(res.IDs) > 0 {
		ids := make([]string, len(res.IDs))
		for i, id := range res.IDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		fmt.Println("ids: " + strings.Join(ids, " "))
	}
	return nil
}

func sizeOf(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
