package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, installed by `npm ci --prefix e2e/axe` (.ci/run does).
func axeSource() (string, error) {
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("axe-core is not installed: run npm ci --prefix e2e/axe (%v)", err)
	}
	return string(b), nil
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// CheckA11y runs axe-core's WCAG 2 A and AA rules on the page the tab shows
// and fails the test for each violation. The script is evaluated through the
// DevTools protocol, which the page's Content-Security-Policy does not govern.
func (b *Browser) CheckA11y() {
	b.T.Helper()
	src, err := axeSource()
	if err != nil {
		b.T.Fatal(err)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](src))
	vs := Value(b, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " "))
		}
		b.T.Errorf("accessibility (%s, %s) on %s: %s — at %s", v.ID, v.Impact, b.Location(), v.Help, strings.Join(where, "; "))
	}
}
