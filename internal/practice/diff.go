package practice

import (
	"fmt"
	"observatory/internal/richtext"
	"slices"
	"strings"
)

// Change is one difference between two versions of a practice.
type Change struct {
	Key     string          // catalog key of the field's name
	Lang    string          // for translatable fields
	Parts   []richtext.Part // text changes
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
			out = append(out, Change{Key: key, Lang: lang, Parts: richtext.WordDiff(x, y)})
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
