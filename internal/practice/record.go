// Package practice is the best-practice library: practice records with
// per-field translations, the editors' and secretariat's workflow with a
// full revision history, search and browse with facets, related practices
// and similar cities, exports, import and the JSON API.
package practice

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/web"
)

// Record is one version of a practice: everything an editor writes. It is
// stored as JSON in practice_revisions; the published one is copied into
// practices' columns for lists and search.
type Record struct {
	Lang     string    `json:"language"` // the source language of the text
	CityID   int64     `json:"city_id"`
	Title    i18n.Text `json:"title"`
	Summary  i18n.Text `json:"summary"`
	Body     i18n.Text `json:"body"`
	Results  i18n.Text `json:"results,omitempty"`
	Transfer i18n.Text `json:"transfer,omitempty"`
	Lessons  i18n.Text `json:"lessons,omitempty"`
	// Trans is the state of each translation: field → language →
	// Translated or Outdated. The source language is always the original.
	Trans    i18n.Translations `json:"translations,omitempty"`
	Themes   []string          `json:"themes"`
	Groups   []string          `json:"target_groups"`
	Start    string            `json:"start"` // YYYY, YYYY-MM or YYYY-MM-DD
	End      string            `json:"end,omitempty"`
	Ongoing  bool              `json:"ongoing,omitempty"`
	Status   string            `json:"status"`
	Partners []string          `json:"partners,omitempty"`
	Funders  []string          `json:"funders,omitempty"`
	Budget   string            `json:"budget,omitempty"`
	Evidence string            `json:"evidence,omitempty"`
	Contact  Contact           `json:"contact"`
	Links    []Link            `json:"links,omitempty"`
	Videos   []Link            `json:"videos,omitempty"`
	Images   []Image           `json:"images,omitempty"`
}

// Contact is the person to ask about a practice.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Link is a web address with an optional label.
type Link struct {
	URL   string `json:"url"`
	Label string `json:"label,omitempty"`
}

// Image is an uploaded picture (a photo, a sketch) shown with the
// practice; the file itself is kept by the media store.
type Image struct {
	ID      int64  `json:"id"`
	Type    string `json:"type"` // image/jpeg or image/png
	Key     string `json:"key"`  // the image's SHA-256, part of its address
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Caption string `json:"caption"` // also the text for people who cannot see it
	Credit  string `json:"credit,omitempty"`
}

// URL is where the image is served.
func (im Image) URL() string { return media.URL(im.ID, im.Type, im.Key) }

// ThumbHeight is the height of the image shown width pixels wide.
func (im Image) ThumbHeight(width int) int {
	if im.Width == 0 {
		return width * 3 / 4
	}
	return width * im.Height / im.Width
}

// maxImages is how many images one practice may show.
const maxImages = 12

// Translation states (see i18n.Translations). The source language's value
// is the original.
const (
	Original   = i18n.Original
	Translated = i18n.Translated
	Outdated   = i18n.Outdated
	Partial    = i18n.Partial
)

// Fields are the translatable fields, in the order pages show them.
var Fields = []string{"title", "summary", "body", "results", "transfer", "lessons"}

// Markdown fields are rendered; the others are plain text.
var markdownFields = map[string]bool{"body": true, "results": true, "transfer": true, "lessons": true}

// Text returns a pointer to a translatable field by name.
func (r *Record) Text(field string) *i18n.Text {
	switch field {
	case "title":
		return &r.Title
	case "summary":
		return &r.Summary
	case "body":
		return &r.Body
	case "results":
		return &r.Results
	case "transfer":
		return &r.Transfer
	case "lessons":
		return &r.Lessons
	}
	return nil
}

// TransState is the state of field's translation into lang: Original for
// the source language, "" when there is no text in lang.
func (r *Record) TransState(field, lang string) string {
	if t := r.Text(field); t != nil {
		return r.Trans.State(field, lang, r.Lang, *t)
	}
	return ""
}

// LangState is the state of the whole text in lang: Original for the source
// language; Partial when a field the original has is missing in lang;
// Outdated when a translated field is older than the original; Translated
// when every field is translated and up to date; "" without a title in lang.
func (r *Record) LangState(lang string) string {
	if r.TransState("title", lang) == "" {
		return ""
	}
	if lang == r.Lang {
		return Original
	}
	state := Translated
	for _, f := range Fields {
		if strings.TrimSpace((*r.Text(f))[r.Lang]) == "" {
			continue
		}
		switch r.TransState(f, lang) {
		case "":
			return Partial
		case Outdated:
			state = Outdated
		}
	}
	return state
}

// Langs lists the languages the record has a title in, the source first.
func (r *Record) Langs() []string {
	out := []string{}
	if r.Title[r.Lang] != "" {
		out = append(out, r.Lang)
	}
	for _, l := range ContentLangs {
		if l != r.Lang && strings.TrimSpace(r.Title[l]) != "" {
			out = append(out, l)
		}
	}
	return out
}

// Clean normalises a record before it is stored: trimmed text, no empty
// values or list items, sorted and unique keys.
func (r *Record) Clean() {
	for _, f := range Fields {
		t := r.Text(f)
		*t = t.Clean()
		for l := range r.Trans[f] {
			if (*t)[l] == "" || l == r.Lang {
				r.Trans.Set(f, l, "")
			}
		}
	}
	r.Themes, r.Groups = web.Keys(r.Themes), web.Keys(r.Groups)
	r.Partners, r.Funders = web.NonEmpty(r.Partners), web.NonEmpty(r.Funders)
	r.Start, r.End = strings.TrimSpace(r.Start), strings.TrimSpace(r.End)
	if r.Ongoing {
		r.End = ""
	}
	r.Contact = Contact{Name: strings.TrimSpace(r.Contact.Name), Role: strings.TrimSpace(r.Contact.Role),
		Email: strings.TrimSpace(r.Contact.Email), Phone: strings.TrimSpace(r.Contact.Phone)}
	r.Links = cleanLinks(r.Links)
	r.Videos = cleanLinks(r.Videos)
}

func cleanLinks(ls []Link) []Link {
	var out []Link
	for _, l := range ls {
		l.URL, l.Label = strings.TrimSpace(l.URL), strings.TrimSpace(l.Label)
		if l.URL != "" {
			out = append(out, l)
		}
	}
	return out
}

// ContentLangs are the languages practice text can be written in: the
// interface languages first, then others the network's cities use.
var ContentLangs = []string{"de", "en", "fr", "es", "it", "nl", "pl", "pt", "tr"}

// Practice statuses, budget ranges and evidence levels (catalog keys
// practice.status.*, practice.budget.*, practice.evidence.*).
var (
	Statuses       = []string{"planned", "running", "completed"} // search.go counts them in [4] arrays
	Budgets        = []string{"lt10k", "10k-50k", "50k-250k", "250k-1m", "gt1m"}
	EvidenceLevels = []string{"anecdotal", "monitored", "evaluated"}
)

// Problem is one thing wrong with a record: the form field and the
// catalog key that explains it.
type Problem struct {
	Field string
	Key   string
}

// Limits on what one practice may hold.
const (
	maxTitle   = 200
	maxSummary = 1200
	maxLong    = 40000
	maxList    = 30
	maxItem    = 300
)

// Check reports format problems: what can never be stored. A draft may
// be incomplete; Complete says what a submission still lacks.
func (r *Record) Check(terms *Terms) []Problem {
	var ps []Problem
	bad := func(field, key string) { ps = append(ps, Problem{field, key}) }
	if !slices.Contains(ContentLangs, r.Lang) {
		bad("language", "practice.err.language")
	}
	if r.CityID <= 0 {
		bad("city", "practice.err.city")
	}
	limits := map[string]int{"title": maxTitle, "summary": maxSummary}
	for _, f := range Fields {
		limit := limits[f]
		if limit == 0 {
			limit = maxLong
		}
		for l, v := range *r.Text(f) {
			if !slices.Contains(ContentLangs, l) {
				bad(f, "practice.err.language")
			} else if len([]rune(v)) > limit {
				bad(f, "form.too_long")
			} else if f == "title" && strings.ContainsAny(v, "\r\n") {
				bad(f, "practice.err.one_line")
			}
		}
	}
	if strings.TrimSpace(r.Title[r.Lang]) == "" {
		bad("title", "practice.err.title")
	}
	for _, k := range r.Themes {
		if terms != nil && !terms.Has(KindTheme, k) {
			bad("themes", "practice.err.theme")
			break
		}
	}
	for _, k := range r.Groups {
		if terms != nil && !terms.Has(KindGroup, k) {
			bad("groups", "practice.err.group")
			break
		}
	}
	var start, end time.Time
	var ok bool
	if r.Start != "" {
		if start, ok = i18n.ParsePartialDate(r.Start); !ok {
			bad("start", "practice.err.date")
		}
	}
	if r.End != "" {
		if end, ok = i18n.ParsePartialDate(r.End); !ok {
			bad("end", "practice.err.date")
		} else if !start.IsZero() && end.Before(start) {
			bad("end", "practice.err.end_before_start")
		}
	}
	if r.Status != "" && !slices.Contains(Statuses, r.Status) {
		bad("status", "form.invalid")
	}
	if r.Budget != "" && !slices.Contains(Budgets, r.Budget) {
		bad("budget", "form.invalid")
	}
	if r.Evidence != "" && !slices.Contains(EvidenceLevels, r.Evidence) {
		bad("evidence", "form.invalid")
	}
	for name, list := range map[string][]string{"partners": r.Partners, "funders": r.Funders} {
		if len(list) > maxList {
			bad(name, "practice.err.too_many")
		}
		for _, x := range list {
			if len([]rune(x)) > maxItem {
				bad(name, "form.too_long")
				break
			}
		}
	}
	if len([]rune(r.Contact.Name)) > maxItem || len([]rune(r.Contact.Role)) > maxItem || len(r.Contact.Phone) > 60 {
		bad("contact_name", "form.too_long")
	}
	if r.Contact.Email != "" {
		if a, err := mail.ParseAddress(r.Contact.Email); err != nil || a.Address != r.Contact.Email {
			bad("contact_email", "practice.err.email")
		}
	}
	for name, list := range map[string][]Link{"links": r.Links, "videos": r.Videos} {
		if len(list) > maxList {
			bad(name, "practice.err.too_many")
		}
		for _, l := range list {
			if !web.WebURL(l.URL) || len([]rune(l.Label)) > maxItem {
				bad(name, "practice.err.url")
				break
			}
		}
	}
	if len(r.Images) > maxImages {
		bad("images", "practice.err.too_many_images")
	}
	for _, im := range r.Images {
		if strings.TrimSpace(im.Caption) == "" || len([]rune(im.Caption)) > maxItem || len([]rune(im.Credit)) > maxItem {
			bad("images", "practice.err.caption")
			break
		}
	}
	return ps
}

// Complete reports what a record still lacks before it can be submitted
// for review: text in its source language, a theme, a status and a start.
func (r *Record) Complete() []Problem {
	var ps []Problem
	for _, f := range []string{"title", "summary", "body"} {
		if strings.TrimSpace((*r.Text(f))[r.Lang]) == "" {
			ps = append(ps, Problem{f, "practice.err.required_for_review"})
		}
	}
	if len(r.Themes) == 0 {
		ps = append(ps, Problem{"themes", "practice.err.theme_needed"})
	}
	if r.Status == "" {
		ps = append(ps, Problem{"status", "practice.err.required_for_review"})
	}
	if r.Start == "" {
		ps = append(ps, Problem{"start", "practice.err.required_for_review"})
	}
	return ps
}

// Year is the start year, or 0.
func (r *Record) Year() int {
	t, ok := i18n.ParsePartialDate(r.Start)
	if !ok {
		return 0
	}
	return t.Year()
}

// Quality is a static score from 0 to 100 for ranking: how complete and
// how well evidenced a practice is. Search ties are broken by it.
func (r *Record) Quality() int {
	q := 0
	add := func(ok bool, n int) {
		if ok {
			q += n
		}
	}
	src := r.Lang
	add(r.Summary[src] != "", 10)
	add(len(r.Body[src]) > 600, 10)
	add(len(r.Body[src]) > 2000, 5)
	add(r.Results[src] != "", 10)
	add(r.Transfer[src] != "", 10)
	add(r.Lessons[src] != "", 10)
	add(r.Contact.Name != "" && (r.Contact.Email != "" || r.Contact.Phone != ""), 5)
	add(len(r.Partners)+len(r.Funders) > 0, 5)
	add(len(r.Images) > 0, 5)
	add(len(r.Links)+len(r.Videos) > 0, 5)
	switch r.Evidence {
	case "evaluated":
		q += 15
	case "monitored":
		q += 8
	}
	n := len(r.Langs())
	add(n >= 2, 5)
	add(n >= 3, 5)
	return min(q, 100)
}
