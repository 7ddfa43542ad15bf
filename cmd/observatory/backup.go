package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"observatory/internal/backup"
	"observatory/internal/config"
	"observatory/internal/db"
)

// parseAround parses flags given before and after the one file argument.
func parseAround(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", usageError{"name the " + what}
	}
	file := fs.Arg(0)
	if err := parse(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() != 0 {
		return "", usageError{"name one " + what + " only"}
	}
	return file, nil
}

// backupCmd writes a snapshot of the whole database to a file while the
// server may go on running.
func backupCmd(ctx context.Context, args []string) error {
	fs := flags("backup")
	dsn := config.DBFlag(fs)
	force := fs.Bool("force", false, "replace FILE if it exists")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory backup [--db DSN] [--force] FILE")
		fs.PrintDefaults()
	}
	file, err := parseAround(fs, args, "archive file to write: observatory backup FILE")
	if err != nil {
		return err
	}
	if _, err := os.Stat(file); err == nil && !*force {
		return fmt.Errorf("%s exists; choose another name or pass --force to replace it", file)
	}
	if !db.IsPostgres(*dsn) {
		if _, err := os.Stat(*dsn); err != nil {
			return fmt.Errorf("no database at %s", *dsn)
		}
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()

	start := time.Now()
	// Written beside FILE and moved into place when complete, so a failed
	// backup never leaves a file that looks like one. CreateTemp makes it
	// readable by its owner only: an archive holds password hashes and
	// the declarations' signing key.
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", file, err)
	}
	defer os.Remove(tmp.Name())
	st, err := backup.Backup(ctx, d, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backing up: %w", err)
	}
	if *force {
		err = os.Rename(tmp.Name(), file)
	} else {
		// A link fails if FILE appeared in the meantime.
		err = os.Link(tmp.Name(), file)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", file, err)
	}
	fmt.Printf("backed up %d tables, %d rows to %s (%s) in %s\n", st.Tables, st.Rows, file, size(st.Bytes), took(start))
	return nil
}

// restoreCmd loads an archive into a new or empty database.
func restoreCmd(ctx context.Context, args []string) error {
	fs := flags("restore")
	dsn := config.DBFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory restore [--db DSN] FILE")
		fs.PrintDefaults()
	}
	file, err := parseAround(fs, args, "archive file to restore: observatory restore FILE")
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", file, errors.Unwrap(err))
	}
	defer f.Close()
	// Check the archive before anything touches (or creates) the database.
	if _, err := backup.ReadHeader(f); err != nil {
		return err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	st, err := backup.Restore(ctx, d, f)
	if err != nil {
		return err
	}
	fmt.Printf("restored %d tables, %d rows from %s in %s; %d practices indexed for search\n",
		st.Tables, st.Rows, file, took(start), st.Indexed)
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func took(start time.Time) string {
	return time.Since(start).Round(time.Millisecond).String()
}
