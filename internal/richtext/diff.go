package richtext

import (
	"regexp"
	"slices"
	"strings"
)

// Part is a run of text in a diff: kept (' '), removed ('-') or added ('+').
type Part struct {
	Op   byte
	Text string
}

// Del, Ins and Same tell templates what a part is.
func (p Part) Del() bool { return p.Op == '-' }
func (p Part) Ins() bool { return p.Op == '+' }

var tokenPattern = regexp.MustCompile(`\S+\s*|\s+`)

// maxDiffCells bounds the comparison table; beyond it the changed middle
// is shown as removed and added as a whole.
const maxDiffCells = 4_000_000

// WordDiff compares two texts word by word.
func WordDiff(a, b string) []Part {
	x, y := tokenPattern.FindAllString(a, -1), tokenPattern.FindAllString(b, -1)
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var out []Part
	add := func(op byte, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, Part{op, s})
	}
	add(' ', strings.Join(x[:pre], ""))
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	if (len(mx)+1)*(len(my)+1) > maxDiffCells {
		add('-', strings.Join(mx, ""))
		add('+', strings.Join(my, ""))
	} else {
		for _, p := range lcsDiff(mx, my) {
			add(p.Op, p.Text)
		}
	}
	add(' ', strings.Join(x[len(x)-suf:], ""))
	return out
}

// lcsDiff is the classic longest-common-subsequence table, walked forward.
func lcsDiff(x, y []string) []Part {
	n, m := len(x), len(y)
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var out []Part
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, Part{' ', x[i]})
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			out = append(out, Part{'-', x[i]})
			i++
		default:
			out = append(out, Part{'+', y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Part{'-', x[i]})
	}
	for ; j < m; j++ {
		out = append(out, Part{'+', y[j]})
	}
	return out
}

// Change is one difference between two versions of a record, as a history
// page shows it: a text's words, or what a list gained and lost.
type Change struct {
	Key     string // catalog key of the field's name
	Lang    string // for a translatable field
	Parts   []Part // a text's changes
	Added   []string
	Removed []string
}

// Changes collects a record's differences, field by field.
type Changes []Change

// Text adds the word diff of a field's text x → y, when they differ.
func (c *Changes) Text(key, lang, x, y string) {
	if x != y {
		*c = append(*c, Change{Key: key, Lang: lang, Parts: WordDiff(x, y)})
	}
}

// List adds what a list field gained and lost from x to y, if anything.
func (c *Changes) List(key string, x, y []string) {
	ch := Change{Key: key}
	for _, v := range y {
		if !slices.Contains(x, v) {
			ch.Added = append(ch.Added, v)
		}
	}
	for _, v := range x {
		if !slices.Contains(y, v) {
			ch.Removed = append(ch.Removed, v)
		}
	}
	if len(ch.Added)+len(ch.Removed) > 0 {
		*c = append(*c, ch)
	}
}
