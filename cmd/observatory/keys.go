package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"observatory/internal/audit"
	"observatory/internal/config"
	"observatory/internal/declaration"
)

const keysUsage = `usage:
  observatory keys list            every signing key: id, state, in use from, retired at, entries signed
  observatory keys rotate          retire the key in use and start a new one
  observatory keys export-public   print the published key set (/.well-known/observatory-keys.json)
every action takes --db DSN (env OBSERVATORY_DB)`

// keys lets an operator see, rotate and publish the key that signs the
// declarations' logs, as the secretariat's page does.
func keys(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"say what to do: list, rotate or export-public.\n" + keysUsage}
	}
	action, args := args[0], args[1:]
	switch action {
	case "list", "rotate", "export-public":
	default:
		return usageError{fmt.Sprintf("unknown action %q: use list, rotate or export-public.\n%s", action, keysUsage)}
	}
	fs := flags("keys " + action)
	dsn := config.DBFlag(fs)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: observatory keys %s [--db DSN]\n", action)
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("keys %s takes no arguments, only --db", action)}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	st := &declaration.Store{DB: d}
	if action == "rotate" {
		return rotateKey(ctx, st)
	}
	// The server creates the first key when it starts; a database that was
	// only migrated gets it here the same way, so what is listed or
	// exported is what the server would publish.
	if err := st.EnsureKey(ctx); err != nil {
		return fmt.Errorf("creating the signing key: %w", err)
	}
	if action == "export-public" {
		set, err := st.KeySet(ctx)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(set)
	}
	list, err := st.Keys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tIN USE FROM\tRETIRED AT\tENTRIES\tPUBLIC KEY")
	for _, k := range list {
		state, until := "retired", "-"
		if k.InUse {
			state = "current"
		}
		if k.ValidUntil != nil {
			until = *k.ValidUntil
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", k.ID, state, k.ValidFrom, until, k.Entries, k.PublicKey.PublicKey)
	}
	return tw.Flush()
}

// rotateKey retires the key in use and records it in the audit log, in one
// transaction, as the secretariat's page does.
func rotateKey(ctx context.Context, st *declaration.Store) error {
	var r declaration.Rotation
	err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = st.Rotate(ctx, tx); err != nil {
			return err
		}
		detail := "command line"
		if r.Retired != "" {
			detail += "; retired key:" + r.Retired
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "declaration.key.rotate", Target: "key:" + r.New, Detail: detail, IP: "cli"})
	})
	if err != nil {
		return fmt.Errorf("rotating the signing key: %w", err)
	}
	if r.Retired == "" {
		fmt.Printf("Signing key %s created; no key was in use before.\n", r.New)
		return nil
	}
	fmt.Printf("Signing key %s is now in use; key %s was retired at %s and stays published, so the entries it signed keep verifying.\n",
		r.New, r.Retired, declaration.FormatTime(r.At))
	return nil
}
