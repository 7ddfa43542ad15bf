package main_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"observatory/internal/testutil"
)

var bin string

// TestMain builds the real binary once; the tests run it as an operator would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "observatory-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "observatory")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		panic("building the binary: " + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "OBSERVATORY_DB=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// dsns gives a SQLite path and, when configured, a PostgreSQL schema.
func dsns(t *testing.T) map[string]string {
	m := map[string]string{"sqlite": testutil.SQLiteDSN(t)}
	if os.Getenv(testutil.PostgresEnv) != "" {
		m["postgres"] = testutil.PostgresDSN(t)
	}
	return m
}

func TestBadDatabaseIsOneClearLine(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres://nobody@127.0.0.1:1/x?sslmode=disable", "cannot reach PostgreSQL at postgres://nobody@127.0.0.1:1/x"},
		{"mysql://localhost/x", "only SQLite file paths and postgres:// URLs are supported"},
		{"/proc/no/such/place/obs.db", "cannot create the folder"},
	} {
		for _, args := range [][]string{{"migrate", "status"}, {"user", "list"}, {"serve", "--addr", "127.0.0.1:0"}} {
			_, stderr, code := run(t, "", append(args, "--db", c.dsn)...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code == 0 || len(lines) != 1 || !strings.Contains(lines[0], c.want) || strings.Contains(stderr, "panic") {
				t.Errorf("%v --db %s: exit %d, stderr %q; want one line with %q", args, c.dsn, code, stderr, c.want)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"nonsense"}, {"user"}, {"user", "create", "--email", "a@b.org"}, {"serve", "--no-such-flag"}, {"migrate", "sideways"}} {
		_, stderr, code := run(t, "", args...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "panic") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, code, stderr)
		}
	}
}

func TestUserCommands(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			out, stderr, code := run(t, "a good long password\n", "user", "create", "--db", dsn, "--email", "Sec@Example.org", "--name", "Secretariat", "--role", "admin", "--password-stdin")
			if code != 0 || !strings.Contains(out, "sec@example.org") {
				t.Fatalf("create: %d %q %q", code, out, stderr)
			}
			_, stderr, code = run(t, "another password!\n", "user", "create", "--db", dsn, "--email", "sec@example.org", "--name", "Again", "--role", "admin", "--password-stdin")
			if code != 1 || !strings.Contains(stderr, "already exists") {
				t.Errorf("duplicate: %d %q", code, stderr)
			}
			_, stderr, code = run(t, "a good long password\n", "user", "create", "--db", dsn, "--email", "ed@example.org", "--name", "Ed", "--role", "editor", "--password-stdin")
			if code != 1 || !strings.Contains(stderr, "bound to a city") {
				t.Errorf("editor without city: %d %q", code, stderr)
			}
			_, stderr, code = run(t, "short\n", "user", "set-password", "--db", dsn, "--email", "sec@example.org", "--password-stdin")
			if code != 1 || !strings.Contains(stderr, "at least 10 characters") {
				t.Errorf("short password: %d %q", code, stderr)
			}
			if _, stderr, code = run(t, "", "user", "disable", "--db", dsn, "--email", "sec@example.org"); code != 0 {
				t.Errorf("disable: %d %q", code, stderr)
			}
			out, _, _ = run(t, "", "user", "list", "--db", dsn)
			if !strings.Contains(out, "sec@example.org") || !strings.Contains(out, "disabled") {
				t.Errorf("list: %q", out)
			}
			out, _, code = run(t, "", "migrate", "status", "--db", dsn)
			if code != 0 || !strings.Contains(out, "0001_foundation\tapplied") {
				t.Errorf("migrate status: %d %q", code, out)
			}
		})
	}
}

// The server starts, prints its URL and the demo admin, serves pages, and on
// SIGTERM lets a request in flight finish before it exits.
func TestServeDemoAndGracefulShutdown(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", dsn)
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if testing.Verbose() == false {
				cmd.Stderr = nil
			}
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			sc := bufio.NewScanner(stdout)
			var url, pw string
			for sc.Scan() {
				line := sc.Text()
				if i := strings.Index(line, "http://"); i >= 0 && url == "" {
					url = strings.Fields(line[i:])[0]
				}
				if i := strings.Index(line, "with the password "); i >= 0 {
					pw = strings.TrimSpace(line[i+len("with the password "):])
					break
				}
			}
			if url == "" || pw == "" {
				t.Fatalf("serve did not print the URL and the demo password (url %q)", url)
			}
			t.Logf("%s: ready after %v", name, time.Since(start).Round(time.Millisecond))
			res, err := http.Get(url + "en/")
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("home page: %v %v", res, err)
			}
			res.Body.Close()
			// A request in flight: its handler is running, reading a body that
			// arrives slowly, when the server is told to stop. The server
			// answers "100 Continue" when the handler first reads the body.
			host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
			conn, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			body := "email=x%40example.org&password=wrong+password"
			fmt.Fprintf(conn, "POST /en/login HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
				host, strings.TrimSuffix(url, "/"), len(body))
			rd := bufio.NewReader(conn)
			if line, err := rd.ReadString('\n'); !strings.Contains(line, "100") {
				t.Fatalf("the handler did not start reading the body: %q (%v)", line, err)
			}
			rd.ReadString('\n') // the blank line after "100 Continue"
			conn.Write([]byte(body[:10]))
			cmd.Process.Signal(syscall.SIGTERM)
			// Shutting down closes the listener first: wait until a new
			// connection is refused, then send the rest of the body.
			for {
				c, err := net.Dial("tcp", host)
				if err != nil {
					break
				}
				c.Close()
				runtime.Gosched()
			}
			conn.Write([]byte(body[10:]))
			reply, err := rd.ReadString('\n')
			if !strings.Contains(reply, "401") {
				t.Errorf("request in flight during shutdown got %q (%v)", reply, err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after SIGTERM: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the server did not stop after SIGTERM")
			}
		})
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, stderr, code := run(t, "", "serve", "--db", testutil.SQLiteDSN(t), "--addr", ln.Addr().String())
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.Contains(last, "cannot listen on "+ln.Addr().String()) || strings.Contains(stderr, "panic") {
		t.Errorf("port in use: exit %d, stderr %q", code, stderr)
	}
}
