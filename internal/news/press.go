package news

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The media portal: the photos of published items, by summit and by city,
// each with caption, credit, licence and date and a download at the
// resolution stored; and a press page per summit.

type galleryData struct {
	Owners   []GalleryOwner
	Photos   []Media
	Heading  string
	PageLang string
}

// Caption is a photo's caption in the page's language.
func (d galleryData) Caption(m Media) string { return m.Caption.Get(d.PageLang, m.ItemLang) }

// ItemTitle is the title of the photo's item in the page's language.
func (d galleryData) ItemTitle(m Media) string { return m.ItemTitle.Get(d.PageLang, m.ItemLang) }

// ItemURL is the page of the photo's item.
func (d galleryData) ItemURL(m Media) string {
	it := Item{ID: m.ItemID, Title: m.ItemTitle, SourceLang: m.ItemLang}
	return "/" + d.PageLang + it.Path(d.PageLang)
}

// Download is the photo's file name for the press.
func (m Media) Download() string {
	return "observatory-" + strconv.FormatInt(m.ID, 10) + "." + map[bool]string{true: "png", false: "jpg"}[m.ImageType == "image/png"]
}

// Portal is GET /{lang}/press: the galleries.
func (h *Handlers) Portal(w http.ResponseWriter, r *http.Request) {
	owners, err := h.Store.Galleries(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	photos, err := h.Store.Gallery(r.Context(), 0, 0)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if len(photos) > 24 {
		photos = photos[:24]
	}
	lang := web.Lang(r)
	// The summits come newest first; the cities in the reader's alphabet.
	first := slices.IndexFunc(owners, func(g GalleryOwner) bool { return g.Kind == "city" })
	if first >= 0 {
		i18n.SortByName(lang, owners[first:], func(g GalleryOwner) string { return g.In(lang) })
	}
	p := h.Render.NewPage(r, "", galleryData{Owners: owners, Photos: photos, PageLang: lang})
	p.Title = p.T("news.press.title")
	p.Description = p.T("news.press.lead")
	h.Render.HTML(w, r, http.StatusOK, "news/portal", p)
}

// GallerySummit and GalleryCity are GET /{lang}/press/summits/{id} and /press/cities/{id}.
func (h *Handlers) GallerySummit(w http.ResponseWriter, r *http.Request) { h.gallery(w, r, "summit") }
func (h *Handlers) GalleryCity(w http.ResponseWriter, r *http.Request)   { h.gallery(w, r, "city") }

func (h *Handlers) gallery(w http.ResponseWriter, r *http.Request, kind string) {
	lang := web.Lang(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return
	}
	owners, err := h.Store.Galleries(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	var owner *GalleryOwner
	for i := range owners {
		if owners[i].Kind == kind && owners[i].ID == id {
			owner = &owners[i]
		}
	}
	if owner == nil {
		h.Render.NotFound(w, r)
		return
	}
	var photos []Media
	if kind == "summit" {
		photos, err = h.Store.Gallery(r.Context(), id, 0)
	} else {
		photos, err = h.Store.Gallery(r.Context(), 0, id)
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := galleryData{Photos: photos, PageLang: lang, Heading: owner.In(lang)}
	if owner.Year != "" {
		d.Heading += " " + owner.Year
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.gallery.title", "Name", d.Heading)
	if len(photos) > 0 {
		p.Image = photos[0].URL()
	}
	h.Render.HTML(w, r, http.StatusOK, "news/gallery", p)
}

type pressData struct {
	S        *SummitFacts
	Title    string
	Theme    string
	Host     string
	Start    time.Time
	End      time.Time
	Items    []card
	Contacts []*Item
	Photos   []Media
	PageLang string
	Gallery  string
}

// Caption is a photo's caption in the page's language.
func (d pressData) Caption(m Media) string { return m.Caption.Get(d.PageLang, m.ItemLang) }

// Press is GET /{lang}/summits/{ref}/press: the summit's press page.
func (h *Handlers) Press(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	id, ok := ParseRef(r.PathValue("ref"))
	if !ok {
		h.Render.NotFound(w, r)
		return
	}
	s, err := h.Store.Summit(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := pressData{S: s, Title: s.Title.Get(lang, s.SourceLang), Theme: s.Theme.Get(lang, s.SourceLang), Host: s.Host.In(lang),
		PageLang: lang, Gallery: "/" + lang + "/press/summits/" + strconv.FormatInt(id, 10)}
	d.Start, _ = time.Parse("2006-01-02", s.StartsOn)
	d.End, _ = time.Parse("2006-01-02", s.EndsOn)
	items, err := h.Store.About(r.Context(), id, 10)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	seen := map[string]bool{}
	for _, it := range items {
		d.Items = append(d.Items, cardOf(it, lang))
		if it.PressName != "" && !seen[it.PressName+it.PressEmail] {
			seen[it.PressName+it.PressEmail] = true
			d.Contacts = append(d.Contacts, it)
		}
	}
	if d.Photos, err = h.Store.Gallery(r.Context(), id, 0); err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if len(d.Photos) > 8 {
		d.Photos = d.Photos[:8]
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.press.summit_title", "Name", d.Title)
	p.Description = d.Theme
	h.Render.HTML(w, r, http.StatusOK, "news/press", p)
}

// section renders one of the package's partial templates into HTML for a
// shared page (home, city).
func (h *Handlers) section(r *http.Request, name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	p := h.Render.NewPage(r, "", data)
	if err := h.Render.Partial(&buf, "news/sections", name, p); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
