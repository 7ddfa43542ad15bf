package i18n_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// placeholderRe finds the parameters a message uses: {{.Year}}, {{ .City }}.
var placeholderRe = regexp.MustCompile(`\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)`)

// messages reads every catalog file as written (every plural form, every
// language) and returns key → the parameters its texts use in any language.
// A key written twice in one file is an error: the second silently hides the first.
func messages(t *testing.T) map[string][]string {
	t.Helper()
	params := map[string]map[string]bool{}
	files, err := filepath.Glob(filepath.Join("locales", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog files found: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		if _, err := dec.Token(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			key := tok.(string)
			if seen[key] {
				t.Errorf("%s defines %q twice; the second hides the first", f, key)
			}
			seen[key] = true
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("%s: %q: %v", f, key, err)
			}
			if params[key] == nil {
				params[key] = map[string]bool{}
			}
			for _, m := range placeholderRe.FindAllStringSubmatch(string(v), -1) {
				params[key][m[1]] = true
			}
		}
	}
	out := map[string][]string{}
	for k, ps := range params {
		out[k] = []string{}
		for p := range ps {
			out[k] = append(out[k], p)
		}
		sort.Strings(out[k])
	}
	return out
}

// call is one request for a message found in the code: where, which key
// (or, for a key built with printf, the pattern of keys), and the names of
// the parameters given.
type call struct {
	where   string
	key     string
	pattern *regexp.Regexp
	given   []string
}

// Every message a template or Go code asks for gets every parameter its
// text uses, in every language: otherwise the page shows "<no value>".
func TestMessagesGetTheirParameters(t *testing.T) {
	msgs := messages(t)
	var calls []call
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".tmpl"):
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			cs, err := templateCalls(p, string(b))
			if err != nil {
				t.Errorf("%s: %v", p, err)
			}
			calls = append(calls, cs...)
		case strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			cs, err := goCalls(p, msgs)
			if err != nil {
				t.Errorf("%s: %v", p, err)
			}
			calls = append(calls, cs...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 500 {
		t.Fatalf("only %d message requests found; the scan is broken", len(calls))
	}
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, c := range calls {
		var ks []string
		if c.pattern != nil {
			for _, k := range keys {
				if c.pattern.MatchString(k) {
					ks = append(ks, k)
				}
			}
		} else if _, ok := msgs[c.key]; ok {
			ks = []string{c.key}
		}
		for _, k := range ks {
			for _, need := range msgs[k] {
				if !slices.Contains(c.given, need) {
					t.Errorf("%s asks for %q without %q, which its text uses", c.where, k, need)
				}
			}
		}
	}
}

// The check itself finds the mistake it is for.
func TestMissingParameterIsFound(t *testing.T) {
	cs, err := templateCalls("x.html", `<h2>{{.T "summit.next.summit_title"}}</h2>{{$.p.T "summit.next.summit_title" "Year" 2024 "City" .C}}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || len(cs[0].given) != 0 || !slices.Equal(cs[1].given, []string{"Year", "City"}) {
		t.Fatalf("calls found: %+v", cs)
	}
	if got := messages(t)["summit.next.summit_title"]; !slices.Equal(got, []string{"City", "Year"}) {
		t.Fatalf("parameters of summit.next.summit_title: %v", got)
	}
}

// templateCalls parses a template without knowing its functions and
// returns every call of a T method (.T, $.T, $p.T, .p.T) with a key.
func templateCalls(name, text string) ([]call, error) {
	trees := map[string]*parse.Tree{}
	tr := parse.New(name)
	tr.Mode = parse.SkipFuncCheck | parse.ParseComments
	if _, err := tr.Parse(text, "{{", "}}", trees); err != nil {
		return nil, err
	}
	var out []call
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case nil:
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for i, a := range n.Args {
				walk(a)
				if !isT(a) || i+1 >= len(n.Args) {
					continue
				}
				c := call{where: fmt.Sprintf("%s:%d", name, lineOf(text, int(n.Position())))}
				switch k := n.Args[i+1].(type) {
				case *parse.StringNode:
					c.key = k.Text
				case *parse.PipeNode:
					c.pattern = printfPattern(k)
				}
				if c.key == "" && c.pattern == nil {
					continue
				}
				for j := i + 2; j < len(n.Args); j += 2 {
					if s, ok := n.Args[j].(*parse.StringNode); ok {
						c.given = append(c.given, s.Text)
					}
				}
				out = append(out, c)
			}
		}
	}
	for _, tr := range trees {
		walk(tr.Root)
	}
	return out, nil
}

func isT(n parse.Node) bool {
	var idents []string
	switch n := n.(type) {
	case *parse.FieldNode:
		idents = n.Ident
	case *parse.VariableNode:
		idents = n.Ident
	case *parse.ChainNode:
		idents = n.Field
	}
	return len(idents) > 0 && idents[len(idents)-1] == "T" && (len(idents) > 1 || isField(n))
}

func isField(n parse.Node) bool { _, ok := n.(*parse.FieldNode); return ok }

// printfPattern turns (printf "summit.bid.state.%s" …) into a pattern of keys.
func printfPattern(p *parse.PipeNode) *regexp.Regexp {
	if len(p.Cmds) != 1 || len(p.Cmds[0].Args) < 2 {
		return nil
	}
	if id, ok := p.Cmds[0].Args[0].(*parse.IdentifierNode); !ok || id.Ident != "printf" {
		return nil
	}
	f, ok := p.Cmds[0].Args[1].(*parse.StringNode)
	if !ok {
		return nil
	}
	parts := regexp.MustCompile(`%[sdv]`).Split(f.Text, -1)
	if parts[0] == "" {
		return nil // "%s.lead": any key at all; too wide to check
	}
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, `[a-z0-9_]+`) + "$")
}

func lineOf(text string, pos int) int {
	if pos > len(text) {
		pos = len(text)
	}
	return 1 + strings.Count(text[:pos], "\n")
}

// goCalls finds calls of a method named T in Go code whose arguments hold
// a catalog key as a string literal; the name/value pairs follow the key.
func goCalls(path string, msgs map[string][]string) ([]call, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []call
	ast.Inspect(f, func(n ast.Node) bool {
		ce, ok := n.(*ast.CallExpr)
		if !ok || ce.Ellipsis.IsValid() {
			return true
		}
		sel, ok := ce.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "T" {
			return true
		}
		for i, a := range ce.Args {
			lit, ok := a.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			key, err := strconv.Unquote(lit.Value)
			if _, known := msgs[key]; err != nil || !known {
				continue
			}
			c := call{where: fset.Position(ce.Pos()).String(), key: key}
			for j := i + 1; j < len(ce.Args); j += 2 {
				if l, ok := ce.Args[j].(*ast.BasicLit); ok && l.Kind == token.STRING {
					name, _ := strconv.Unquote(l.Value)
					c.given = append(c.given, name)
				}
			}
			out = append(out, c)
			break
		}
		return true
	})
	return out, nil
}
