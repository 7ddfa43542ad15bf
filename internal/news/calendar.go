package news

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The one calendar: everything dated that every capability offers, with
// the observed days, as a month, as a list and as iCalendar feeds.

// Kinds of dates, in the order filters show them.
var Kinds = []string{"summit", "session", "deadline", "exhibition", "event", "observance"}

// DateSource offers the news' dated things: the observed days (one
// recurring date each) and the events published items announce.
func (s *Store) DateSource(ctx context.Context, from, to time.Time) ([]web.Date, error) {
	var out []web.Date
	obs, err := s.Observances(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range obs {
		if !o.First().Before(to) {
			continue
		}
		out = append(out, web.Date{UID: o.UID(), Kind: "observance", Title: o.Title, Start: o.First(), AllDay: true,
			CityID: o.CityID, Path: o.Path(), RRule: "FREQ=YEARLY", Sequence: o.Sequence, Updated: o.UpdatedAt})
	}
	evs, err := s.Events(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, it := range evs {
		title := map[string]string{}
		for _, l := range i18n.Langs {
			title[l] = it.Title.Get(l, it.SourceLang)
		}
		place := map[string]string{}
		for _, l := range i18n.Langs {
			place[l] = it.Place.Get(l, it.SourceLang)
		}
		out = append(out, web.Date{UID: "news-" + strconv.FormatInt(it.ID, 10) + "@observatory", Kind: "event", Title: title,
			Place: place, Start: it.Date(), End: it.EndDate().AddDate(0, 0, 1), AllDay: true, CityID: it.CityID,
			Path: "/news/" + strconv.FormatInt(it.ID, 10), Sequence: it.Sequence, Updated: it.UpdatedAt})
	}
	return out, nil
}

// occurrence is one date on the calendar (a recurring date once per year).
type occurrence struct {
	web.Date
	Title, Place, URL string
	On                time.Time // the day it starts, for grouping
}

// collect asks every source for [from, to), expands yearly dates into
// their occurrences and keeps those matching kind and city.
func (h *Handlers) collect(ctx context.Context, from, to time.Time, kind string, city int64) ([]web.Date, error) {
	var all []web.Date
	for _, src := range h.sources() {
		ds, err := src(ctx, from, to)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if kind != "" && d.Kind != kind || city != 0 && d.CityID != city {
				continue
			}
			all = append(all, d)
		}
	}
	slices.SortStableFunc(all, func(a, b web.Date) int { return a.Start.Compare(b.Start) })
	return all, nil
}

func (h *Handlers) sources() []web.DateSource {
	if h.Dates == nil {
		return []web.DateSource{h.Store.DateSource}
	}
	return h.Dates()
}

// expand lists the occurrences of ds in [from, to) in lang.
func expand(ds []web.Date, from, to time.Time, lang string) []occurrence {
	var out []occurrence
	add := func(d web.Date, start time.Time) {
		o := occurrence{Date: d, Title: pick(d.Title, lang), Place: pick(d.Place, lang), On: start}
		if d.RRule != "" {
			o.Start = start
			if !d.End.IsZero() {
				o.End = start.Add(d.End.Sub(d.Start))
			}
		}
		if d.Path != "" {
			o.URL = "/" + lang + d.Path
		}
		out = append(out, o)
	}
	for _, d := range ds {
		if d.RRule == "FREQ=YEARLY" {
			for y := max(from.Year(), d.Start.Year()); y <= to.Year(); y++ {
				s := time.Date(y, d.Start.Month(), d.Start.Day(), d.Start.Hour(), d.Start.Minute(), 0, 0, d.Start.Location())
				if !s.Before(from) && s.Before(to) && s.Day() == d.Start.Day() {
					add(d, s)
				}
			}
			continue
		}
		end := d.End
		if end.IsZero() {
			end = d.Start.Add(time.Second)
		}
		if d.Start.Before(to) && end.After(from) {
			add(d, d.Start)
		}
	}
	slices.SortStableFunc(out, func(a, b occurrence) int {
		if c := a.On.Compare(b.On); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out
}

// pick resolves a per-language text with the usual fallback.
func pick(m map[string]string, lang string) string {
	return i18n.Text(m).Get(lang, i18n.Default)
}

type calData struct {
	View      string // "month" or "list"
	Month     time.Time
	Prev      string
	Next      string
	Weeks     [][]calDay
	Days      []calGroup
	Kind      string
	City      int64
	Kinds     []string
	Cities    []Option
	FeedQuery string
	PageLang  string
	Weekdays  []string
}

type calDay struct {
	Day    time.Time
	In     bool // in the month shown
	Events []occurrence
}

type calGroup struct {
	Day    time.Time
	Events []occurrence
}

// AddURL is the .ics of one event, for "add to my calendar".
func (d calData) AddURL(uid string) string {
	return "/" + d.PageLang + "/calendar/event.ics?uid=" + url.QueryEscape(uid)
}

// Feed is the iCalendar feed that follows the filters.
func (d calData) Feed() string {
	if d.FeedQuery != "" {
		return "/" + d.PageLang + "/calendar.ics?" + d.FeedQuery
	}
	return "/" + d.PageLang + "/calendar.ics"
}

// Link is the calendar with the filters and v as its view and month.
func (d calData) Link(view string, month time.Time) string {
	q := url.Values{}
	if view == "list" {
		q.Set("view", "list")
	}
	if !month.IsZero() {
		q.Set("month", month.Format("2006-01"))
	}
	if d.Kind != "" {
		q.Set("kind", d.Kind)
	}
	if d.City != 0 {
		q.Set("city", strconv.FormatInt(d.City, 10))
	}
	if s := q.Encode(); s != "" {
		return "/" + d.PageLang + "/calendar?" + s
	}
	return "/" + d.PageLang + "/calendar"
}

// filters reads kind and city; ok is false for bad values.
func filters(q url.Values) (kind string, city int64, ok bool) {
	kind = q.Get("kind")
	if kind != "" && !slices.Contains(Kinds, kind) {
		return "", 0, false
	}
	if v := q.Get("city"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return "", 0, false
		}
		city = id
	}
	return kind, city, true
}

// Calendar is GET /{lang}/calendar: a month (?month=2019-05) or, with
// ?view=list, the next dates for a year; filters ?kind= and ?city=.
func (h *Handlers) Calendar(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	q := r.URL.Query()
	kind, city, ok := filters(q)
	if !ok {
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	now := h.Store.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if v := q.Get("month"); v != "" {
		m, err := time.Parse("2006-01", v)
		if err != nil || m.Year() < 1900 || m.Year() > 3000 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
		month = m
	}
	d := calData{View: "month", Month: month, Kind: kind, City: city, Kinds: Kinds, PageLang: lang}
	if q.Get("view") == "list" {
		d.View = "list"
	}
	fq := url.Values{}
	if kind != "" {
		fq.Set("kind", kind)
	}
	if city != 0 {
		fq.Set("city", strconv.FormatInt(city, 10))
	}
	d.FeedQuery = fq.Encode()
	var from, to time.Time
	if d.View == "list" {
		from, to = month, month.AddDate(1, 0, 0)
	} else {
		// Whole weeks, Monday first.
		from = month.AddDate(0, 0, -((int(month.Weekday()) + 6) % 7))
		last := month.AddDate(0, 1, 0)
		to = last.AddDate(0, 0, (7-(int(last.Weekday())+6)%7)%7)
	}
	// Timed dates are in their own zones: ask a day wider and place each by its local day.
	ds, err := h.collect(r.Context(), from.AddDate(0, 0, -1), to.AddDate(0, 0, 1), kind, city)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	occ := expand(ds, from.AddDate(0, 0, -1), to.AddDate(0, 0, 1), lang)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	if d.View == "list" {
		for _, o := range occ {
			k := day(o.On)
			if k.Before(from) || !k.Before(to) {
				continue
			}
			if n := len(d.Days); n > 0 && d.Days[n-1].Day.Equal(k) {
				d.Days[n-1].Events = append(d.Days[n-1].Events, o)
			} else {
				d.Days = append(d.Days, calGroup{Day: k, Events: []occurrence{o}})
			}
		}
		d.Prev, d.Next = d.Link("list", month.AddDate(-1, 0, 0)), d.Link("list", month.AddDate(1, 0, 0))
	} else {
		byDay := map[time.Time][]occurrence{}
		for _, o := range occ {
			// A date over several days shows on each of them.
			last := o.On
			if o.AllDay && !o.End.IsZero() {
				last = o.End.AddDate(0, 0, -1)
			} else if !o.End.IsZero() {
				last = o.End.Add(-time.Second)
			}
			for t := day(o.On); !t.After(day(last)) && t.Before(to); t = t.AddDate(0, 0, 1) {
				byDay[t] = append(byDay[t], o)
			}
		}
		for t := from; t.Before(to); t = t.AddDate(0, 0, 7) {
			var week []calDay
			for i := 0; i < 7; i++ {
				x := t.AddDate(0, 0, i)
				week = append(week, calDay{Day: x, In: x.Month() == month.Month(), Events: byDay[x]})
			}
			d.Weeks = append(d.Weeks, week)
		}
		for i := 0; i < 7; i++ {
			d.Weekdays = append(d.Weekdays, i18n.Weekday(lang, time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)))
		}
		d.Prev, d.Next = d.Link("month", month.AddDate(0, -1, 0)), d.Link("month", month.AddDate(0, 1, 0))
	}
	if d.Cities, err = h.Store.CityOptions(r.Context(), web.Lang(r)); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.calendar.title")
	p.Description = p.T("news.calendar.lead")
	h.Render.HTML(w, r, http.StatusOK, "news/calendar", p)
}

// icsWindow is what the feeds cover around now.
func icsWindow(now time.Time) (time.Time, time.Time) {
	return now.AddDate(-2, 0, 0), now.AddDate(3, 0, 0)
}

// ICS is GET /{lang}/calendar.ics: the calendar (with ?kind= and ?city=)
// as an iCalendar feed in the page's language.
func (h *Handlers) ICS(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	kind, city, ok := filters(r.URL.Query())
	if !ok {
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	now := h.Store.now()
	from, to := icsWindow(now)
	ds, err := h.collect(r.Context(), from, to, kind, city)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	name := h.Render.SiteName + " · " + h.Render.Catalog.T(lang, "news.calendar.title")
	if kind != "" {
		name += " · " + h.Render.Catalog.T(lang, "news.kind."+kind)
	}
	h.writeCalendar(w, r, name, ds, "calendar.ics")
}

// EventICS is GET /{lang}/calendar/event.ics?uid=: one date, to add to one's calendar.
func (h *Handlers) EventICS(w http.ResponseWriter, r *http.Request) {
	uid := r.URL.Query().Get("uid")
	if uid == "" {
		h.Render.Error(w, r, http.StatusBadRequest, nil)
		return
	}
	// Any date the calendar pages show, however far back or ahead.
	from, to := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), h.Store.now().AddDate(20, 0, 0)
	ds, err := h.collect(r.Context(), from, to, "", 0)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, d := range ds {
		if d.UID == uid {
			h.writeCalendar(w, r, pick(d.Title, web.Lang(r)), []web.Date{d}, "event.ics")
			return
		}
	}
	h.Render.NotFound(w, r)
}

func (h *Handlers) writeCalendar(w http.ResponseWriter, r *http.Request, name string, ds []web.Date, file string) {
	lang := web.Lang(r)
	site := web.SiteURL(r, h.BaseURL)
	evs := make([]icsEvent, 0, len(ds))
	for _, d := range ds {
		e := icsEvent{Date: d, Summary: pick(d.Title, lang), Location: pick(d.Place, lang)}
		if d.Path != "" {
			e.URL = site + "/" + lang + d.Path
		}
		evs = append(evs, e)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"`, file))
	w.Write(writeICS(name, evs, h.Store.now()))
}

type obsData struct {
	O        *Observance
	Title    string
	About    string
	Source   string
	Rule     string
	Next     []time.Time
	Events   []card
	AddURL   string
	PageLang string
}

// RuleText says a yearly date's rule in words: "Every year on 16 May".
func RuleText(cat *i18n.Catalog, lang string, month, day int) string {
	d := time.Date(2001, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	dayMonth := strings.TrimSuffix(i18n.Date(lang, d), " 2001")
	return cat.T(lang, "news.rule.yearly", "Date", dayMonth)
}

// ObservancePage is GET /{lang}/calendar/observances/{key}: the day, who
// proclaimed it, its rule in words, its next dates and the cities' events for it.
func (h *Handlers) ObservancePage(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	o, err := h.Store.ObservanceByKey(r.Context(), r.PathValue("key"))
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := obsData{O: o, Title: o.Title.Get(lang, "en"), About: o.About.Get(lang, "en"), Source: o.Source.Get(lang, "en"),
		Rule: RuleText(h.Render.Catalog, lang, o.Month, o.Day), Next: o.Next(h.Store.now(), 3), PageLang: lang,
		AddURL: "/" + lang + "/calendar/event.ics?uid=" + url.QueryEscape(o.UID())}
	evs, err := h.Store.ObservanceEvents(r.Context(), o.ID)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, it := range evs {
		d.Events = append(d.Events, cardOf(it, lang))
	}
	p := h.Render.NewPage(r, d.Title, d)
	p.Description = d.Rule + ". " + d.Source
	next := d.Next[0]
	p.JSONLD = append(p.JSONLD, map[string]any{"@context": "https://schema.org", "@type": "Event", "name": d.Title,
		"startDate": next.Format("2006-01-02"), "eventSchedule": map[string]any{"@type": "Schedule", "repeatFrequency": "P1Y",
			"startDate": o.First().Format("2006-01-02")},
		"eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
		"location":            map[string]any{"@type": "Place", "name": placeOf(o, lang, h.Render.Catalog)},
		"url":                 p.Canonical()})
	h.Render.HTML(w, r, http.StatusOK, "news/observance", p)
}

func placeOf(o *Observance, lang string, cat *i18n.Catalog) string {
	if c := o.CityIn(lang); c != "" {
		return c
	}
	return cat.T(lang, "news.observance.worldwide")
}

// MonthTitle is the month shown: "Mai 2019".
func (d calData) MonthTitle() string { return i18n.MonthYear(d.PageLang, d.Month) }

// Clock is a timed date's local time with its zone.
func (d calData) Clock(o occurrence) string {
	return i18n.Clock(d.PageLang, o.Start) + " (" + o.Start.Location().String() + ")"
}

// Weekday is a date's day of the week.
func (d obsData) Weekday(t time.Time) string { return i18n.Weekday(d.PageLang, t) }
