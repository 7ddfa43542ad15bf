package app_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The house's import rules (ARCHITECTURE.md): cmd → app → capabilities →
// shared rooms → libraries. Every package under internal/ is one of these
// kinds; a package not named below is a capability.
var (
	// sharedRooms serve every capability and import none.
	sharedRooms = []string{"admin", "audit", "auth", "cache", "config", "db", "feed", "geo", "i18n", "jobs", "jsonlines", "mail", "media", "richtext", "search", "sitecopy", "web"}
	// assemblers put capabilities together: the app, the demo content,
	// backup and restore (which rebuild what capabilities derive), and the
	// test helpers. No capability or shared room imports them.
	assemblers = []string{"app", "backup", "demo", "testutil"}
)

// forbidden pairs a shared room may never import, beyond the general rules.
var forbidden = map[string][]string{
	"db": {"search"}, // the database knows nothing of searching
}

// knownExceptions are imports that break a rule today, each with what
// removes it. The test fails when one no longer occurs, so the list only
// shrinks.
var knownExceptions = map[string]string{}

func TestImportRules(t *testing.T) {
	root := filepath.Join("..")
	imports := map[string][]string{} // package (dir under internal/) → internal packages it imports
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := strings.Split(filepath.ToSlash(rel), "/")[0]
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if dep, ok := strings.CutPrefix(p, "observatory/internal/"); ok {
				dep = strings.Split(dep, "/")[0]
				if dep != pkg && !slices.Contains(imports[pkg], dep) {
					imports[pkg] = append(imports[pkg], dep)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "web", "capability.go")); err != nil || len(imports) < 10 {
		t.Fatalf("the walk found %d packages under %s", len(imports), root)
	}
	kind := func(p string) string {
		switch {
		case slices.Contains(sharedRooms, p):
			return "shared room"
		case slices.Contains(assemblers, p):
			return "assembler"
		}
		return "capability"
	}
	seen := map[string]bool{}
	for pkg, deps := range imports {
		for _, dep := range deps {
			edge := pkg + " → " + dep
			var broken string
			switch {
			case kind(pkg) == "capability" && kind(dep) == "capability":
				broken = "a capability imports another capability"
			case kind(pkg) != "assembler" && kind(dep) == "assembler":
				broken = "only cmd and the assemblers import " + dep
			case kind(pkg) == "shared room" && kind(dep) == "capability":
				broken = "a shared room imports a capability"
			case slices.Contains(forbidden[pkg], dep):
				broken = pkg + " must never import " + dep
			}
			if broken == "" {
				continue
			}
			if _, ok := knownExceptions[edge]; ok {
				seen[edge] = true
				continue
			}
			t.Errorf("%s: %s", edge, broken)
		}
	}
	for edge, until := range knownExceptions {
		if !seen[edge] {
			t.Errorf("%s no longer breaks a rule (%s): remove it from knownExceptions", edge, until)
		}
	}
}
