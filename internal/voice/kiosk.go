package voice

import (
	"errors"
	"net/http"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// KioskLangs are the languages a kiosk offers: the interface's and those
// of the city's largest groups of foreign residents.
var KioskLangs = []string{"de", "en", "fr", "tr", "ar", "pl", "el", "ru", "uk", "zh", "ja"}

type kioskData struct {
	C       *Consultation
	Token   string
	Strings map[string]map[string]string // language → key → text
	Langs   []string
	Themes  []Theme
	Names   map[string]string // language → its own name
}

// Kiosk is the full-screen page for a tablet at the venue. Its script
// keeps ideas in IndexedDB while the network is down and sends each with
// an idempotency key when it returns.
func (h *Handlers) Kiosk(w http.ResponseWriter, r *http.Request) {
	c, ok := h.consultation(w, r)
	if !ok {
		return
	}
	token := r.PathValue("token")
	_, _, cons, err := h.Store.StationByToken(r.Context(), token)
	if errors.Is(err, ErrNotFound) || err == nil && cons != c.ID {
		h.Render.NotFound(w, r)
		return
	} else if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	themes, err := h.Store.Themes(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var used []Theme
	for _, t := range themes {
		if c.HasTheme(t.Key) {
			used = append(used, t)
		}
	}
	d := kioskData{C: c, Token: token, Strings: map[string]map[string]string{}, Langs: KioskLangs, Themes: used, Names: map[string]string{}}
	for _, l := range KioskLangs {
		d.Strings[l] = kioskStrings(l)
		d.Strings[l]["question"] = c.Question.Get(l, c.SourceLang)
		d.Names[l] = kioskStrings(l)["name"]
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = c.Question.Get(web.Lang(r), c.SourceLang)
	p.NoIndex = true
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.Render.HTML(w, r, http.StatusOK, "voice/kiosk", p)
}

// KioskText is one kiosk string in lang, falling back to English.
func (d kioskData) KioskText(lang, key string) string {
	if s := d.Strings[lang][key]; s != "" {
		return s
	}
	return d.Strings["en"][key]
}

// ThemeIn names a theme in lang (or the interface's fallback).
func (d kioskData) ThemeIn(t Theme, lang string) string { return t.Names.Get(lang, i18n.Default) }
