package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"observatory/internal/app"
	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/config"
)

const userUsage = `usage:
  observatory user create --email E --name N --role admin|moderator|editor|delegate [--city ID] [--lang de|en|fr] --password-stdin
  observatory user list
  observatory user set-password --email E --password-stdin
  observatory user disable --email E
  observatory user enable --email E
  observatory user reset-second-factor --email E
every action takes --db DSN (env OBSERVATORY_DB)`

func user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"say what to do.\n" + userUsage}
	}
	action, args := args[0], args[1:]
	fs := flags("user " + action)
	dsn := config.DBFlag(fs)
	email := fs.String("email", "", "the account's e-mail address")
	var name, role, lang *string
	var city *int64
	var pwStdin *bool
	switch action {
	case "create":
		name = fs.String("name", "", "the person's name")
		role = fs.String("role", "", "admin, moderator, editor or delegate")
		city = fs.Int64("city", 0, "the city id (editors and delegates)")
		lang = fs.String("lang", "en", "the language mail to the person is written in: de, en or fr")
		fallthrough
	case "set-password":
		pwStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	case "list", "disable", "enable", "reset-second-factor":
	default:
		return usageError{fmt.Sprintf("unknown action %q.\n%s", action, userUsage)}
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if action != "list" && *email == "" {
		return usageError{"--email is required"}
	}
	var password string
	if pwStdin != nil {
		if !*pwStdin {
			return usageError{"give the password on standard input with --password-stdin (never as an argument)"}
		}
		var err error
		if password, err = readPassword(os.Stdin); err != nil {
			return err
		}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	users := app.NewUserStore(d)
	record := func(what, target string) error {
		return audit.Record(ctx, d.W, audit.Entry{Action: what, Target: target, Detail: "command line", IP: "cli"})
	}
	explain := func(err error) error {
		var fe *auth.FieldError
		if errors.As(err, &fe) {
			return errors.New(fe.Message())
		}
		if errors.Is(err, auth.ErrNotFound) {
			return fmt.Errorf("there is no account with the e-mail address %s", auth.NormalizeEmail(*email))
		}
		return err
	}
	switch action {
	case "create":
		u, err := users.Create(ctx, auth.NewUser{Email: *email, Name: *name, Role: *role, CityID: *city, Lang: *lang, Password: password})
		if err != nil {
			return explain(err)
		}
		fmt.Printf("Account %d created: %s (%s)\n", u.ID, u.Email, u.Role)
		return record("user.create", fmt.Sprintf("user:%d", u.ID))
	case "list":
		list, err := users.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tROLE\tCITY\tSTATE")
		for _, u := range list {
			state := "active"
			if u.Disabled {
				state = "disabled"
			} else if !u.HasPassword() {
				state = "no password"
			}
			c := "-"
			if u.CityID != 0 {
				c = fmt.Sprint(u.CityID)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, c, state)
		}
		return tw.Flush()
	}
	u, err := users.ByEmail(ctx, *email)
	if err != nil {
		return explain(err)
	}
	switch action {
	case "set-password":
		if err := users.SetPassword(ctx, audit.System("cli"), u.ID, password); err != nil {
			return explain(err)
		}
		fmt.Printf("Password of %s changed; its sessions have ended.\n", u.Email)
		return nil
	case "reset-second-factor":
		if err := users.ResetSecondFactor(ctx, audit.System("cli"), u.ID); err != nil {
			return explain(err)
		}
		fmt.Printf("Second factor of %s removed; its sessions have ended.\n", u.Email)
		return nil
	case "disable", "enable":
		if err := users.SetDisabled(ctx, audit.System("cli"), u.ID, action == "disable"); err != nil {
			return explain(err)
		}
		fmt.Printf("Account %s %sd.\n", u.Email, action)
		return nil
	}
	return record("user."+action, fmt.Sprintf("user:%d", u.ID))
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %v", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
