package voice

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"

	"observatory/internal/i18n"
	"observatory/internal/search"
	"observatory/internal/web"
	"observatory/internal/web/chart"
)

// Tally is one count in a report.
type Tally struct {
	Label string
	Count int
}

// Breakdown is a report section: a chart and the same figures as a table.
type Breakdown struct {
	Key   string // catalog key of its title
	Rows  []Tally
	Chart template.HTML
}

type reportData struct {
	C        *Consultation
	Question i18n.Resolved
	Received int
	Sections []Breakdown
	Top      []*Idea
	Words    []string
	Suggest  map[int64][]PracticeLink
}

// reportRow is what the report reads of each idea that was not spam.
type reportRow struct {
	day, channel, venue, station, theme, lang, body, state string
}

func (s *Store) reportRows(ctx context.Context, consultation int64) ([]reportRow, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT i.created_at, i.channel, COALESCE(e.venue, ''), COALESCE(st.name, ''), i.theme, i.lang, i.body, i.state`+
		ideaFrom+` WHERE i.consultation_id = $1 AND i.state <> 'spam' ORDER BY i.id`, consultation)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer rows.Close()
	var out []reportRow
	for rows.Next() {
		var r reportRow
		var at timeScan
		if err := rows.Scan(&at.t, &r.channel, &r.venue, &r.station, &r.theme, &r.lang, &r.body, &r.state); err != nil {
			return nil, err
		}
		r.day = at.t.UTC().Format("2006-01-02")
		out = append(out, r)
	}
	return out, rows.Err()
}

// standoutWords are the stems most over-represented in these texts
// compared with all published ideas, each shown as its commonest word.
func (s *Store) standoutWords(ctx context.Context, rows []reportRow, n int) ([]string, error) {
	all := map[string]int{}
	total := 0
	q, err := s.DB.R.QueryContext(ctx, `SELECT i.body, i.lang FROM voice_ideas i WHERE `+published)
	if err != nil {
		return nil, err
	}
	for q.Next() {
		var body, lang string
		if err := q.Scan(&body, &lang); err != nil {
			q.Close()
			return nil, err
		}
		for _, t := range search.Terms(body, lang) {
			all[t]++
			total++
		}
	}
	q.Close()
	here := map[string]int{}
	surface := map[string]map[string]int{}
	count := 0
	for _, r := range rows {
		if r.state != StatePublished {
			continue
		}
		for _, w := range strings.FieldsFunc(r.body, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
			ts := search.Terms(w, r.lang)
			if len(ts) != 1 || len([]rune(ts[0])) < 4 {
				continue
			}
			here[ts[0]]++
			count++
			if surface[ts[0]] == nil {
				surface[ts[0]] = map[string]int{}
			}
			surface[ts[0]][strings.ToLower(w)]++
		}
	}
	type scored struct {
		term  string
		score float64
	}
	var list []scored
	for t, c := range here {
		if c < 2 {
			continue
		}
		p := float64(c) / float64(count)
		bg := float64(all[t]+1) / float64(total+len(all)+1)
		list = append(list, scored{t, float64(c) * math.Log(p/bg)})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].term < list[j].term
	})
	var out []string
	for _, sc := range list {
		if len(out) == n {
			break
		}
		best, bestN := "", 0
		for w, k := range surface[sc.term] {
			if k > bestN || k == bestN && w < best {
				best, bestN = w, k
			}
		}
		out = append(out, best)
	}
	return out, nil
}

// SuggestPractices finds published practices whose text matches an idea's words.
func (s *Store) SuggestPractices(ctx context.Context, body, lang string, n int) ([]PracticeLink, error) {
	terms := search.Terms(body, lang)
	seen := map[string]bool{}
	var words []string
	for _, t := range terms {
		if !seen[t] && len([]rune(t)) >= 5 {
			seen[t] = true
			words = append(words, t)
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	if len(words) > 6 {
		words = words[:6]
	}
	// Any of the idea's longer words: one query item whose alternatives they are.
	alts := make([][]string, len(words))
	for i, w := range words {
		alts[i] = []string{w}
	}
	expr, _ := search.FullTextExpr(s.DB.Dialect, search.Item(alts))
	var list *string
	if err := s.DB.R.QueryRowContext(ctx, search.FullTextIDs(s.DB.Dialect, "practice_fts"), expr).Scan(&list); err != nil || list == nil {
		return nil, err
	}
	ids := strings.Split(*list, ",")
	if len(ids) > 200 {
		ids = ids[:200]
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.slug, p.title, p.lang, ci.name FROM practices p JOIN cities ci ON ci.id = p.city_id
		WHERE p.state = 'published' AND p.id IN (`+strings.Join(ids, ",")+`) ORDER BY p.quality DESC, p.id LIMIT `+itoa(int64(n)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PracticeLink
	for rows.Next() {
		var p PracticeLink
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Lang, &p.City); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Report is a consultation's report for the city: ideas received by day,
// channel, venue, station, theme and language; the most supported; the
// words that stand out; practices elsewhere that may answer them.
func (h *Handlers) Report(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	v := web.ViewerFrom(r.Context())
	if v == nil {
		http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+r.URL.Path, http.StatusSeeOther)
		return
	}
	if !mayManage(v, c.CityID) && !mayModerate(v, c.CityID) {
		h.Auth.Forbidden(w, r, "voice.moderate")
		return
	}
	ctx := r.Context()
	lang := web.Lang(r)
	cat := h.Render.Catalog
	rows, err := h.Store.reportRows(ctx, c.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	themes, _ := h.Store.Themes(ctx)
	themeName := map[string]string{}
	for _, t := range themes {
		themeName[t.Key] = t.Names.Get(lang, "en")
	}
	d := reportData{C: c, Question: c.Question.In(lang, c.SourceLang), Received: len(rows)}
	none := cat.T(lang, "voice.report.none")
	by := func(key string, label func(reportRow) string, sorted bool) {
		m := map[string]int{}
		for _, x := range rows {
			l := label(x)
			if l == "" {
				l = none
			}
			m[l]++
		}
		var t []Tally
		for l, n := range m {
			t = append(t, Tally{l, n})
		}
		sort.Slice(t, func(i, j int) bool {
			if sorted {
				return t[i].Label < t[j].Label
			}
			if t[i].Count != t[j].Count {
				return t[i].Count > t[j].Count
			}
			return t[i].Label < t[j].Label
		})
		ch := chart.Chart{Title: cat.T(lang, key), Desc: cat.T(lang, key), Horizontal: !sorted}
		for _, x := range t {
			ch.Bars = append(ch.Bars, chart.Bar{Label: x.Label, Value: int64(x.Count), Text: i18n.Number(lang, int64(x.Count))})
		}
		d.Sections = append(d.Sections, Breakdown{Key: key, Rows: t, Chart: ch.HTML()})
	}
	by("voice.report.by_day", func(x reportRow) string { return x.day }, true)
	by("voice.report.by_channel", func(x reportRow) string { return cat.T(lang, "voice.channel."+x.channel) }, false)
	by("voice.report.by_venue", func(x reportRow) string { return x.venue }, false)
	by("voice.report.by_station", func(x reportRow) string { return x.station }, false)
	by("voice.report.by_theme", func(x reportRow) string {
		if x.theme == "" {
			return ""
		}
		return themeName[x.theme]
	}, false)
	by("voice.report.by_lang", func(x reportRow) string { return x.lang }, false)
	if d.Top, _, err = h.Store.Published(ctx, Filter{Consultation: c.ID, Sort: "support", Limit: 10}); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if d.Words, err = h.Store.standoutWords(ctx, rows, 15); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d.Suggest = map[int64][]PracticeLink{}
	for _, i := range d.Top {
		if len(i.Practices) == 0 {
			if s, err := h.Store.SuggestPractices(ctx, i.Body, i.Lang, 3); err == nil {
				d.Suggest[i.ID] = s
			}
		}
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("voice.report.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "voice/report", p)
}

type timeScan struct{ t time.Time }
