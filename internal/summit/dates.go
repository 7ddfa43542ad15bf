package summit

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// DateSource offers the public summits and their sessions to the one
// calendar: a summit as whole days, a session at its time in the summit's
// zone. A summit's sequence follows its last change.
func (st *Store) DateSource(ctx context.Context, from, to time.Time) ([]web.Date, error) {
	list, err := st.List(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []web.Date
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	for _, s := range list {
		host := map[string]string{}
		for _, l := range i18n.Langs {
			host[l] = s.Host.In(l)
		}
		// The deadlines: the last day to register, the last day to bid.
		for _, dl := range []struct {
			uid, key, path string
			on             time.Time
		}{
			{"summit-registration-", "summit.deadline.registration", "/summits/" + s.Ref(), s.RegistrationCloseDay()},
			{"summit-bids-", "summit.deadline.bids", "/summits/" + s.Ref() + "#next-host-section", s.BidsCloseDay()},
		} {
			if dl.on.IsZero() || !dl.on.Before(to) || !dl.on.AddDate(0, 0, 1).After(from) {
				continue
			}
			title := map[string]string{}
			for _, l := range i18n.Langs {
				title[l] = st.text(l, dl.key, "Summit", s.Title.Get(l, s.SourceLang))
			}
			out = append(out, web.Date{UID: dl.uid + itoa(s.ID) + "@observatory", Kind: "deadline", Title: title, Place: host,
				Start: day(dl.on), End: day(dl.on).AddDate(0, 0, 1), AllDay: true, CityID: s.Host.ID, Path: dl.path,
				Sequence: int(s.UpdatedAt.Unix() / 60), Updated: s.UpdatedAt})
		}
		start, end := s.Start(), s.End().AddDate(0, 0, 1)
		if !start.Before(to) || !end.After(from) {
			continue
		}
		out = append(out, web.Date{UID: "summit-" + itoa(s.ID) + "@observatory", Kind: "summit", Title: s.Title, Place: host,
			Start: day(start), End: day(end), AllDay: true, CityID: s.Host.ID, Path: "/summits/" + s.Ref(),
			Sequence: int(s.UpdatedAt.Unix() / 60), Updated: s.UpdatedAt})
		sessions, err := st.sessions(ctx, `WHERE x.summit_id = $1`, s.ID)
		if err != nil {
			return nil, err
		}
		loc := s.Location()
		for _, x := range sessions {
			if !x.StartsAt.Before(to) || !x.EndsAt.After(from) {
				continue
			}
			out = append(out, web.Date{UID: "summit-session-" + itoa(x.ID) + "@observatory", Kind: "session", Title: x.Title,
				Place: x.Venue, Start: x.StartsAt.In(loc), End: x.EndsAt.In(loc), CityID: s.Host.ID,
				Path: "/summits/" + s.Ref() + "/programme", Sequence: int(x.UpdatedAt.Unix() / 60), Updated: x.UpdatedAt})
		}
	}
	return out, nil
}

// text is a catalog message, or its key when the store has no catalog.
func (st *Store) text(lang, key string, args ...any) string {
	if st.Catalog == nil {
		return key
	}
	return st.Catalog.T(lang, key, args...)
}

var homeSection = template.Must(template.New("home").Parse(`<section class="home-summit" aria-labelledby="home-summit-title">
  <h2 id="home-summit-title">{{.Heading}}</h2>
  <p><a href="{{.URL}}"><strong>{{.Title}}</strong></a> — {{.Host}}, {{.Dates}}</p>
  <p><span class="badge">{{.State}}</span>{{with .Seats}} {{.}}{{end}}</p>
  {{with .Until}}<p>{{.}}</p>{{end}}
  {{with .Register}}<p><a class="button" href="{{.}}">{{$.RegisterLabel}}</a></p>{{end}}
</section>`))

// HomeSection shows the next summit on the home page: when and where, its
// state and, while registration is open, the places left.
func (h *Handlers) HomeSection(r *http.Request) (template.HTML, error) {
	lang := web.Lang(r)
	list, err := h.Store.List(r.Context(), false)
	if err != nil {
		return "", err
	}
	today := time.Now().UTC().Format("2006-01-02")
	var next *Summit
	for _, s := range list { // newest first: the last one not over yet is the next
		if s.EndsOn >= today {
			next = s
		}
	}
	if next == nil {
		return "", nil
	}
	t := func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) }
	d := map[string]string{"Heading": t("summit.home.next"), "Title": next.Title.Get(lang, next.SourceLang),
		"URL": "/" + lang + "/summits/" + next.Ref(), "Host": next.Host.In(lang),
		"Dates": i18n.Date(lang, next.Start()) + " – " + i18n.Date(lang, next.End()),
		"State": t("summit.status." + next.Status)}
	if next.RegistrationOpenAt(h.Store.now()) {
		d["Register"] = "/" + lang + "/summits/" + next.Ref() + "/delegation"
		d["RegisterLabel"] = t("summit.home.register")
		if next.RegistrationClosesOn != "" {
			d["Until"] = t("summit.deadline.registration_until", "Date", i18n.Date(lang, next.RegistrationCloseDay()))
		}
		if next.MaxDelegations > 0 {
			taken, _, err := usage(r.Context(), h.Store.DB.R, next.ID)
			if err != nil {
				return "", err
			}
			d["Seats"] = t("summit.home.places_left", "Count", max(0, next.MaxDelegations-taken), "Max", strconv.Itoa(next.MaxDelegations))
		}
	}
	var buf bytes.Buffer
	if err := homeSection.Execute(&buf, d); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// eventLD is the schema.org Event of a summit, at its venues (Places).
func eventLD(p *web.Page, s *Summit, venues []Venue) map[string]any {
	var places []map[string]any
	for _, v := range venues {
		pl := map[string]any{"@type": "Place", "name": v.Name.Get(p.Lang, s.SourceLang), "address": v.Address}
		if v.Lat != nil && v.Lon != nil {
			pl["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": *v.Lat, "longitude": *v.Lon}
		}
		places = append(places, pl)
	}
	if len(places) == 0 {
		places = append(places, map[string]any{"@type": "Place", "name": s.Host.In(p.Lang),
			"geo": map[string]any{"@type": "GeoCoordinates", "latitude": s.Host.Lat, "longitude": s.Host.Lon}})
	}
	ld := map[string]any{"@context": "https://schema.org", "@type": "Event", "name": s.Title.Get(p.Lang, s.SourceLang),
		"startDate": s.StartsOn, "endDate": s.EndsOn, "url": p.Canonical(), "location": places,
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"organizer":           map[string]any{"@type": "Organization", "name": p.Site(), "url": p.SiteURL + "/"}}
	if s.Status == StatusHeld || s.Status == StatusOpen || s.Status == StatusClosed || s.Status == StatusAnnounced {
		ld["eventStatus"] = "https://schema.org/EventScheduled"
	}
	return ld
}

// Sitemap lists the public summits' pages.
func (st *Store) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	list, err := st.List(ctx, false)
	if err != nil {
		return nil, err
	}
	out := []web.SitemapEntry{{Path: "/summits"}}
	for _, s := range list {
		p := "/summits/" + s.Ref()
		out = append(out, web.SitemapEntry{Path: p, LastMod: s.UpdatedAt}, web.SitemapEntry{Path: p + "/programme", LastMod: s.UpdatedAt})
	}
	return out, nil
}
