package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"observatory/internal/config"
	"observatory/internal/i18n"
	"observatory/internal/practice"
)

// importCmd loads content from files: `observatory import practices FILE`.
func importCmd(ctx context.Context, args []string) error {
	fs := flags("import")
	dsn := config.DBFlag(fs)
	dry := fs.Bool("dry-run", false, "only check the file; import nothing")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, `usage: observatory import practices FILE [--dry-run] [--db DSN]

FILE holds one practice per line (JSON Lines), or is a JSON export of the
library. Every line is checked first; if any is bad, each bad line is
reported with its number and nothing is imported. "-" reads standard input.`)
		fs.PrintDefaults()
	}
	// Flags may come before or after the arguments.
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 || pos[0] != "practices" {
		return usageError{"usage: observatory import practices FILE [--dry-run]"}
	}
	var in io.Reader = os.Stdin
	if pos[1] != "-" {
		f, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	s := practice.NewStore(d)
	explain := func(key string) string { return cat.T("en", key) }
	rep, err := s.Import(ctx, in, practice.Actor{Email: "observatory import"}, *dry, explain)
	if errors.Is(err, practice.ErrImportInvalid) {
		for _, b := range rep.Bad {
			fmt.Fprintln(os.Stderr, b.Error())
		}
		return fmt.Errorf("%d of %d lines are bad; nothing was imported", len(rep.Bad), rep.Lines)
	}
	if err != nil {
		return err
	}
	if *dry {
		fmt.Printf("All %d line(s) are valid (%d to publish, %d drafts). Dry run: nothing was imported.\n", rep.Lines, rep.Published, rep.Drafts)
		return nil
	}
	fmt.Printf("Imported %d practice(s): %d new, %d updated; %d published, %d drafts.\n", rep.Lines, rep.Created, rep.Updated, rep.Published, rep.Drafts)
	return nil
}
