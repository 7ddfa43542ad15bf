package practice

import (
	"fmt"
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

// Change is one difference between two versions of a practice.
type Change struct {
	Key     string // catalog key of the field's name
	Lang    string // for translatable fields
	Parts   []Part // text changes
	Added   []string
	Removed []string
}

// Compare lists what changed from a to b (a may be nil: everything is new).
func Compare(a, b *Record, terms *Terms, lang string) []Change {
	if a == nil {
		a = &Record{Lang: b.Lang}
	}
	var out []Change
	text := func(key, lang, x, y string) {
		if x != y {
			out = append(out, Change{Key: key, Lang: lang, Parts: WordDiff(x, y)})
		}
	}
	if a.Lang != b.Lang && a.Title != nil {
		text("practice.field.language", "", a.Lang, b.Lang)
	}
	for _, f := range Fields {
		for _, l := range ContentLangs {
			text("practice.field."+f, l, (*a.Text(f))[l], (*b.Text(f))[l])
		}
	}
	list := func(key string, x, y []string) {
		c := Change{Key: key}
		for _, v := range y {
			if !slices.Contains(x, v) {
				c.Added = append(c.Added, v)
			}
		}
		for _, v := range x {
			if !slices.Contains(y, v) {
				c.Removed = append(c.Removed, v)
			}
		}
		if len(c.Added)+len(c.Removed) > 0 {
			out = append(out, c)
		}
	}
	names := func(kind string, keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = terms.Name(kind, k, lang)
		}
		return out
	}
	list("practice.field.themes", names(KindTheme, a.Themes), names(KindTheme, b.Themes))
	list("practice.field.groups", names(KindGroup, a.Groups), names(KindGroup, b.Groups))
	text("practice.field.start", "", a.Start, b.Start)
	text("practice.field.end", "", a.End, b.End)
	text("practice.field.ongoing", "", fmt.Sprint(a.Ongoing), fmt.Sprint(b.Ongoing))
	text("practice.field.status", "", a.Status, b.Status)
	text("practice.field.budget", "", a.Budget, b.Budget)
	text("practice.field.evidence", "", a.Evidence, b.Evidence)
	list("practice.field.partners", a.Partners, b.Partners)
	list("practice.field.funders", a.Funders, b.Funders)
	text("practice.field.contact", "", contactLine(a.Contact), contactLine(b.Contact))
	list("practice.field.links", linkStrings(a.Links), linkStrings(b.Links))
	list("practice.field.videos", linkStrings(a.Videos), linkStrings(b.Videos))
	list("practice.field.images", imageStrings(a.Images), imageStrings(b.Images))
	return out
}

func contactLine(c Contact) string {
	var parts []string
	for _, s := range []string{c.Name, c.Role, c.Email, c.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func linkStrings(ls []Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = strings.TrimSpace(l.URL + " " + l.Label)
	}
	return out
}

func imageStrings(is []Image) []string {
	out := make([]string, len(is))
	for i, im := range is {
		out[i] = strings.TrimSpace(fmt.Sprintf("#%d %s", im.ID, im.Caption))
	}
	return out
}
