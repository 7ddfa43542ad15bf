package practice

import (
	"fmt"
	"strings"

	"observatory/internal/richtext"
	"observatory/internal/web"
)

// Change is one difference between two versions of a practice.
type Change = richtext.Change

// Compare lists what changed from a to b (a may be nil: everything is new).
func Compare(a, b *Record, terms *Terms, lang string) []Change {
	if a == nil {
		a = &Record{Lang: b.Lang}
	}
	var out richtext.Changes
	if a.Lang != b.Lang && a.Title != nil {
		out.Text("practice.field.language", "", a.Lang, b.Lang)
	}
	for _, f := range Fields {
		for _, l := range ContentLangs {
			out.Text("practice.field."+f, l, (*a.Text(f))[l], (*b.Text(f))[l])
		}
	}
	names := func(kind string, keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = terms.Name(kind, k, lang)
		}
		return out
	}
	out.List("practice.field.themes", names(KindTheme, a.Themes), names(KindTheme, b.Themes))
	out.List("practice.field.groups", names(KindGroup, a.Groups), names(KindGroup, b.Groups))
	out.Text("practice.field.start", "", a.Start, b.Start)
	out.Text("practice.field.end", "", a.End, b.End)
	out.Text("practice.field.ongoing", "", fmt.Sprint(a.Ongoing), fmt.Sprint(b.Ongoing))
	out.Text("practice.field.status", "", a.Status, b.Status)
	out.Text("practice.field.budget", "", a.Budget, b.Budget)
	out.Text("practice.field.evidence", "", a.Evidence, b.Evidence)
	out.List("practice.field.partners", a.Partners, b.Partners)
	out.List("practice.field.funders", a.Funders, b.Funders)
	out.Text("practice.field.contact", "", contactLine(a.Contact), contactLine(b.Contact))
	out.List("practice.field.links", linkStrings(a.Links), linkStrings(b.Links))
	out.List("practice.field.videos", linkStrings(a.Videos), linkStrings(b.Videos))
	out.List("practice.field.images", imageStrings(a.Images), imageStrings(b.Images))
	return out
}

func contactLine(c Contact) string {
	return strings.Join(web.NonEmpty([]string{c.Name, c.Role, c.Email, c.Phone}), " · ")
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
