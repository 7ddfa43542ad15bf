// Command observatory runs the platform: the web server and the tools an
// operator scripts it with.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, usage string
	run         func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", serve},
		{"migrate", "apply the database migrations (up) or list them (status)", migrate},
		{"seed", "load demo content into an empty database (--demo)", seed},
		{"backup", "write a consistent snapshot of the whole database to FILE (works while the server runs)", backupCmd},
		{"restore", "load a backup FILE into a new, empty database of either engine", restoreCmd},
		{"user", "manage accounts: create, list, set-password, disable, enable", user},
		{"token", "personal API tokens: create (printed once), list, revoke", token},
		{"media", "stored images: prune deletes those nothing refers to (--older-than 24h, --dry-run)", mediaCmd},
		{"import", "import content from a file: practices FILE [--dry-run]", importCmd},
		{"loadgen", "send a mix of page views and searches to a running server; print req/s and latency per route", loadgen},
		{"keys", "the key that signs the declarations' logs: list, rotate, export-public", keys},
		{"export-site", "write the public site as static files into DIR (--lang de,en,fr), for a plain file server", exportSite},
		{"verify", "check a declaration's signed bundle offline (exit 1 names the first bad entry)", verify},
		{"version", "print the version", version},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: observatory <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --db (SQLite file path or postgres:// URL; env OBSERVATORY_DB).\nRun 'observatory <command> -h' for its flags.")
}

// usageError is a mistake on the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name, args := os.Args[1], os.Args[2:]
	if name == "-h" || name == "--help" || name == "help" {
		usage(os.Stdout)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, args)
			if errors.Is(err, flag.ErrHelp) {
				return
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "observatory "+name+": "+oneLine(err.Error()))
				var ue usageError
				if errors.As(err, &ue) {
					os.Exit(2)
				}
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "observatory: unknown command %q\n\n", name)
	usage(os.Stderr)
	os.Exit(2)
}

func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// flags makes a flag set whose parse errors come back as usage errors.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("observatory "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
