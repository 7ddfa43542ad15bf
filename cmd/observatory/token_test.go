package main_test

import (
	"strings"
	"testing"
)

// The secretariat makes a token on the command line: printed once on
// standard output (nothing else there), listed, revoked; a scope the
// account's role does not allow is refused in words.
func TestTokenCommands(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			if out, stderr, code := run(t, "a good long password\n", "user", "create", "--db", dsn, "--email", "mod@example.org", "--name", "Mod", "--role", "moderator", "--password-stdin"); code != 0 {
				t.Fatalf("user: %d %q %q", code, out, stderr)
			}
			out, stderr, code := run(t, "", "token", "create", "--db", dsn, "--email", "mod@example.org", "--scope", "read:private", "--expires", "90d", "--name", "reports")
			secret := strings.TrimSpace(out)
			if code != 0 || !strings.HasPrefix(secret, "obs_") || strings.Count(out, "\n") != 1 || !strings.Contains(stderr, "shown only now") || !strings.Contains(stderr, "expires") {
				t.Fatalf("create: %d %q %q", code, out, stderr)
			}
			_, stderr, code = run(t, "", "token", "create", "--db", dsn, "--email", "mod@example.org", "--scope", "practices:write")
			if code != 1 || !strings.Contains(stderr, "Only a city's editors") {
				t.Errorf("a scope beyond the role: %d %q", code, stderr)
			}
			_, stderr, code = run(t, "", "token", "create", "--db", dsn, "--email", "mod@example.org", "--scope", "read:private", "--expires", "soon")
			if code != 2 || !strings.Contains(stderr, "--expires") {
				t.Errorf("bad lifetime: %d %q", code, stderr)
			}
			out, _, code = run(t, "", "token", "list", "--db", dsn, "--email", "mod@example.org")
			if code != 0 || !strings.Contains(out, "reports") || !strings.Contains(out, "read:private") || !strings.Contains(out, "active") || strings.Contains(out, secret) {
				t.Errorf("list: %d %q", code, out)
			}
			if _, stderr, code = run(t, "", "token", "revoke", "--db", dsn, "--email", "mod@example.org", "--id", "1"); code != 0 {
				t.Errorf("revoke: %d %q", code, stderr)
			}
			if out, _, _ = run(t, "", "token", "list", "--db", dsn, "--email", "mod@example.org"); !strings.Contains(out, "revoked") {
				t.Errorf("after revoking: %q", out)
			}
			if _, stderr, code = run(t, "", "token", "revoke", "--db", dsn, "--email", "mod@example.org", "--id", "99"); code != 1 || !strings.Contains(stderr, "no token 99") {
				t.Errorf("revoke another: %d %q", code, stderr)
			}
		})
	}
}
