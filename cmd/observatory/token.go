package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"observatory/internal/app"
	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/config"
	"observatory/internal/i18n"
)

const tokenUsage = `usage:
  observatory token create --email E --scope S [--scope S…] [--expires 90d] [--name N]
  observatory token list --email E
  observatory token revoke --email E --id N
scopes: practices:write (the account's city's practices), read:private
--expires takes days (90d) or hours (12h); without it the token does not expire
every action takes --db DSN (env OBSERVATORY_DB)`

// scopeList collects --scope, repeated or comma-separated.
type scopeList []string

func (s *scopeList) String() string { return strings.Join(*s, ",") }
func (s *scopeList) Set(v string) error {
	for _, x := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		*s = append(*s, x)
	}
	return nil
}

// parseLifetime reads "90d" or "12h".
func parseLifetime(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > 3650 {
			return 0, fmt.Errorf("--expires %q: give days from 1 to 3650, such as 90d", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("--expires %q: give days (90d) or hours (12h)", s)
	}
	return d, nil
}

func token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"say what to do.\n" + tokenUsage}
	}
	action, args := args[0], args[1:]
	fs := flags("token " + action)
	dsn := config.DBFlag(fs)
	email := fs.String("email", "", "the account's e-mail address")
	var scopes scopeList
	var expires, name *string
	var id *int64
	switch action {
	case "create":
		fs.Var(&scopes, "scope", "a scope: practices:write or read:private (repeat for more)")
		expires = fs.String("expires", "", "lifetime, such as 90d or 12h (default: no expiry)")
		name = fs.String("name", "command line", "what the token is for")
	case "revoke":
		id = fs.Int64("id", 0, "the token's number (see token list)")
	case "list":
	default:
		return usageError{fmt.Sprintf("unknown action %q.\n%s", action, tokenUsage)}
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, extra := range fs.Args() { // --scope a b: the words after it are scopes too
		if action != "create" {
			return usageError{fmt.Sprintf("unexpected %q.\n%s", extra, tokenUsage)}
		}
		scopes.Set(extra)
	}
	if *email == "" {
		return usageError{"--email is required"}
	}
	var life time.Duration
	if expires != nil && *expires != "" {
		var err error
		if life, err = parseLifetime(*expires); err != nil {
			return usageError{err.Error()}
		}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	users := app.NewUserStore(d)
	u, err := users.ByEmail(ctx, *email)
	if errors.Is(err, auth.ErrNotFound) {
		return fmt.Errorf("no account has the address %s", *email)
	} else if err != nil {
		return err
	}
	by := audit.System("cli")
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	switch action {
	case "create":
		var exp *time.Time
		if life > 0 {
			t := time.Now().UTC().Truncate(time.Second).Add(life)
			exp = &t
		}
		secret, t, err := users.CreateToken(ctx, by, u, *name, scopes, exp)
		var te *auth.TokenError
		if errors.As(err, &te) {
			return errors.New(cat.T(i18n.Default, te.Key))
		} else if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "token %d for %s, scopes %s", t.ID, u.Email, strings.Join(t.Scopes, " "))
		if exp != nil {
			fmt.Fprintf(os.Stderr, ", expires %s", exp.Format(time.RFC3339))
		}
		fmt.Fprintln(os.Stderr, ". It is shown only now; keep it like a password.")
		fmt.Println(secret)
	case "list":
		ts, err := users.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tCREATED\tEXPIRES\tLAST USED\tSTATE")
		now := time.Now()
		for _, t := range ts {
			state := "active"
			if t.RevokedAt != nil {
				state = "revoked"
			} else if t.Expired(now) {
				state = "expired"
			}
			f := func(p *time.Time) string {
				if p == nil {
					return "-"
				}
				return p.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Scopes, " "), t.CreatedAt.Format(time.RFC3339), f(t.ExpiresAt), f(t.LastUsedAt), state)
		}
		return tw.Flush()
	case "revoke":
		if err := users.RevokeToken(ctx, by, u.ID, *id); errors.Is(err, auth.ErrNotFound) {
			return fmt.Errorf("%s has no token %d", u.Email, *id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "token %d of %s revoked\n", *id, u.Email)
	}
	return nil
}
