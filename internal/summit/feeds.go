package summit

import (
	"net/http"
	"net/url"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// feedLang is the language of a feed: ?lang= when given (calendar apps
// send no useful Accept-Language), else the browser's.
func feedLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return web.Lang(r)
}

// ProgrammeICS is the whole programme as iCalendar: GET /feeds/summits/{file}, file "2.ics".
func (h *Handlers) ProgrammeICS(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	id, _, ok := web.ParseRef(strings.TrimSuffix(file, ".ics"))
	if !ok || !strings.HasSuffix(file, ".ics") {
		h.Render.NotFound(w, r)
		return
	}
	s, err := h.Store.Get(r.Context(), id, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	prog, err := h.Store.Programme(r.Context(), s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := feedLang(r)
	h.writeCalendar(w, r, s, s.Title.Get(lang, s.SourceLang), prog.Sessions, lang)
}

// PersonalICS is one delegate's own sessions: GET /feeds/summit-delegates/{file},
// file "<token>.ics". The token is the only key, so the answer is private.
func (h *Handlers) PersonalICS(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimSuffix(r.PathValue("file"), ".ics")
	if len(token) < 20 || !strings.HasSuffix(r.PathValue("file"), ".ics") {
		h.Render.NotFound(w, r)
		return
	}
	s, p, sessions, err := h.Store.PersonalFeed(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := feedLang(r)
	// The speakers of each session, from the programme (one statement).
	prog, err := h.Store.Programme(r.Context(), s.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	full := map[int64]*Session{}
	for _, x := range prog.Sessions {
		full[x.ID] = x
	}
	for i, x := range sessions {
		if f, ok := full[x.ID]; ok {
			sessions[i] = f
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	h.writeCalendar(w, r, s, s.Title.Get(lang, s.SourceLang)+" · "+p.Name, sessions, lang)
}

func (h *Handlers) writeCalendar(w http.ResponseWriter, r *http.Request, s *Summit, name string, sessions []*Session, lang string) {
	cat := h.Render.Catalog
	host := "observatory"
	if u, err := url.Parse(h.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	base := strings.TrimRight(h.BaseURL, "/")
	cal := &Calendar{Name: name, ProdID: "-//Observatory//Summits//" + strings.ToUpper(lang), Location: s.Location()}
	for _, x := range sessions {
		var desc []string
		if d := x.Description.Get(lang, s.SourceLang); d != "" {
			desc = append(desc, d)
		}
		var names []string
		for _, sp := range x.Speakers {
			n := sp.Name
			if role := sp.Role.Get(lang, s.SourceLang); role != "" {
				n += " (" + role + ")"
			}
			names = append(names, n)
		}
		if len(names) > 0 {
			desc = append(desc, cat.T(lang, "summit.session.speakers")+": "+strings.Join(names, "; "))
		}
		if len(x.Languages) > 0 {
			desc = append(desc, cat.T(lang, "summit.session.languages")+": "+languageNames(lang, x.Languages))
		}
		if len(x.Interpretation) > 0 {
			desc = append(desc, cat.T(lang, "summit.session.interpretation")+": "+languageNames(lang, x.Interpretation))
		}
		var place []string
		if v := x.Venue.Get(lang, s.SourceLang); v != "" {
			place = append(place, v)
		}
		if x.Room != "" {
			place = append(place, x.Room)
		}
		if x.VenueAddress != "" {
			place = append(place, x.VenueAddress)
		}
		ev := CalEvent{
			UID: "summit-session-" + itoa(x.ID) + "@" + host, Start: x.StartsAt, End: x.EndsAt, Stamp: x.UpdatedAt,
			Summary: x.Title.Get(lang, s.SourceLang), Description: strings.Join(desc, "\n\n"), Location: strings.Join(place, ", "),
			Categories: cat.T(lang, "summit.kind."+x.Kind),
		}
		if base != "" {
			ev.URL = base + "/" + lang + "/summits/" + s.Ref() + "/programme#session-" + itoa(x.ID)
		}
		cal.Events = append(cal.Events, ev)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="summit-`+itoa(s.ID)+`.ics"`)
	w.Write(cal.Bytes())
}

// languageNames lists language codes by name in lang: "German, French".
func languageNames(lang string, codes []string) string {
	var out []string
	for _, c := range codes {
		out = append(out, i18n.LanguageName(lang, c))
	}
	return strings.Join(out, ", ")
}

// LanguageNames is languageNames for templates.
func (s *Session) LanguageNames(lang string) string { return languageNames(lang, s.Languages) }

// InterpretationNames names the languages interpreted into.
func (s *Session) InterpretationNames(lang string) string {
	return languageNames(lang, s.Interpretation)
}
