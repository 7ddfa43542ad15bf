// Package e2e drives the real platform in a real browser (Debian's
// chromium through chromedp). The tests run when OBSERVATORY_TEST_BROWSER=1,
// on SQLite, or on PostgreSQL when OBSERVATORY_TEST_POSTGRES is set too.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// Browser is one test's platform and browser tab.
type Browser struct {
	T      *testing.T
	Server *testutil.Server
	DB     *db.DB
	Ctx    context.Context
}

// Start skips unless browser tests are asked for, then starts the platform
// on a fresh database and a headless chromium.
func Start(t *testing.T) *Browser {
	t.Helper()
	if os.Getenv("OBSERVATORY_TEST_BROWSER") != "1" {
		t.Skip("browser tests run with OBSERVATORY_TEST_BROWSER=1")
	}
	path := os.Getenv("OBSERVATORY_CHROMIUM")
	if path == "" {
		var err error
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("chromium is not installed: apt-get install -y chromium")
		}
	}
	var d *db.DB
	if os.Getenv(testutil.PostgresEnv) != "" {
		d = testutil.NewPostgres(t)
	} else {
		d = testutil.NewSQLite(t)
	}
	s := testutil.NewServer(t, d)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first action starts the browser; it must not run under a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &Browser{T: t, Server: s, DB: d, Ctx: ctx}
}

// Do runs browser actions in order (each step at most 30 seconds) and
// fails the test on error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.T.Fatalf("%v\n%s", err, b.state())
	}
}

// state describes what the tab shows, for a failure's message.
func (b *Browser) state() string {
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 800)`))
	if err != nil {
		return "(the page could not be read: " + err.Error() + ")"
	}
	return "the tab shows: " + s
}

// Value runs one action that returns a value.
func Value[T any](b *Browser, a chromedp.Action[T]) T {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.T.Fatal(err)
	}
	return v
}

// URL is the absolute address of a path on the platform.
func (b *Browser) URL(path string) string { return b.Server.URL + path }

// Text returns the visible text of the first element matching the CSS selector.
func (b *Browser) Text(sel string) string {
	b.T.Helper()
	return strings.TrimSpace(Value(b, chromedp.Text(chromedp.CSS(sel))))
}

// Location is the address the tab shows.
func (b *Browser) Location() string {
	b.T.Helper()
	return Value(b, chromedp.Location())
}

// Login signs in through the form.
func (b *Browser) Login(lang, email, password string) {
	b.T.Helper()
	b.Do(
		chromedp.Navigate(b.URL("/"+lang+"/login")),
		chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), password),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/logout"]`)),
	)
}

// Logout signs out through the header's button.
func (b *Browser) Logout() {
	b.T.Helper()
	b.Do(
		chromedp.Click(chromedp.CSS(`form[action$="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/login"]`)),
	)
}

// WaitLocation waits until the tab's address contains part: after a form
// is submitted, elements of the old page may still be there for a moment.
func (b *Browser) WaitLocation(part string) {
	b.T.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		loc, err := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if err == nil && strings.Contains(loc, part) {
			// The new document is there; wait for it to be ready.
			b.Do(chromedp.WaitReady(chromedp.CSS("body")))
			return
		}
		if time.Now().After(deadline) {
			b.T.Fatalf("the browser did not reach an address with %q (at %q, %v)", part, loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
