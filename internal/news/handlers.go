package news

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/richtext"
	"observatory/internal/search/results"
	"observatory/internal/web"
)

//go:embed templates
var templates embed.FS

// Handlers serves the news, the calendar and the press pages.
type Handlers struct {
	Store   *Store
	Render  *web.Renderer
	Auth    *auth.Handlers
	Log     *slog.Logger
	BaseURL string
	// Dates are every capability's dated things (the app collects them).
	Dates func() []web.DateSource
}

const pageSize = 12

// canWrite: the secretariat writes any item; a city's editors their city's.
func canWrite(v *web.Viewer, cityID int64) bool {
	return auth.Can(v, auth.NewsPublish) || auth.CanForCity(v, auth.NewsWriteOwn, "", cityID)
}

func mayWrite(v *web.Viewer) bool {
	return auth.Can(v, auth.NewsPublish) || auth.Can(v, auth.NewsWriteOwn)
}

// shown is a translatable field as a page shows it.
type shown struct {
	Text     string
	HTML     template.HTML
	Lang     string
	FellBack bool
}

func show(t i18n.Text, lang, source string) shown {
	r := t.In(lang, source)
	return shown{Text: r.Value, Lang: r.Lang, FellBack: r.FellBack}
}

// card is an item in a list.
type card struct {
	It    *Item
	Title shown
	Lead  shown
	Place shown
	URL   string
	Date  time.Time
	Image *Media
}

func cardOf(it *Item, lang string) card {
	return card{It: it, Title: show(it.Title, lang, it.SourceLang), Lead: show(it.Lead, lang, it.SourceLang),
		Place: show(it.Place, lang, it.SourceLang), URL: "/" + lang + it.Path(lang), Date: it.Date(), Image: it.Image()}
}

type listData struct {
	Items   []card
	Facets  Facets
	City    int64
	Year    int
	Tag     string
	Pager   web.Pager
	FeedQ   string
	CanEdit bool
	// A search (Q set): its facets with their counts, and the selected
	// values as chips.
	Q          string
	FacetsHTML template.HTML
	Chips      []results.Chip
}

// FeedPath is a feed's address after the language, following the city filter.
func (d listData) FeedPath(format string) string {
	if d.City != 0 {
		return "/news/feed." + format + "?city=" + strconv.FormatInt(d.City, 10)
	}
	return "/news/feed." + format
}

// List is GET /{lang}/news: the public items, newest first, with filters.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	q := r.URL.Query()
	if strings.TrimSpace(q.Get("q")) != "" {
		h.searchList(w, r)
		return
	}
	f := Filter{Tag: strings.TrimSpace(q.Get("tag"))}
	if v := q.Get("city"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
		f.CityID = id
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 3000 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
		f.Year = y
	}
	page := web.PageNumber(r)
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	items, total, err := h.Store.List(r.Context(), f)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	facets, err := h.Store.Facets(r.Context(), web.Lang(r))
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := listData{Facets: facets, City: f.CityID, Year: f.Year, Tag: f.Tag, Pager: web.PagerAt(r, page, pageSize, total),
		CanEdit: mayWrite(web.ViewerFrom(r.Context()))}
	for _, it := range items {
		d.Items = append(d.Items, cardOf(it, lang))
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.list.title")
	p.Description = p.T("news.list.lead")
	h.Render.HTML(w, r, http.StatusOK, "news/list", p)
}

// searchList is /{lang}/news?q=…: the published items matching the words,
// with facets by city, year and tag (each value with its count) laid out
// as on the practices' search.
func (h *Handlers) searchList(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	q := r.URL.Query()
	text := clip(strings.TrimSpace(q.Get("q")), maxQuery)
	for _, y := range q["year"] {
		if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 3000 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
	}
	for _, c := range q["city"] {
		if n, err := strconv.ParseInt(c, 10, 64); err != nil || n <= 0 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
	}
	page := web.PageNumber(r)
	res, err := h.Store.Search(r.Context(), SearchParams{Q: text, Cities: q["city"], Years: q["year"], Tags: q["tag"],
		Lang: lang, Page: page, Size: pageSize})
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	results.Label(res.Facets, h.Render.Catalog.T, lang)
	values := func() url.Values {
		v := url.Values{"q": {text}}
		for _, k := range []string{"city", "year", "tag"} {
			if len(q[k]) > 0 {
				v[k] = slices.Clone(q[k])
			}
		}
		return v
	}
	link := func(v url.Values) string { return "/" + lang + "/news?" + v.Encode() }
	d := listData{Q: text, Pager: web.PagerAt(r, page, pageSize, res.Total), CanEdit: mayWrite(web.ViewerFrom(r.Context()))}
	views, chips := results.Views(res.Facets, "news.facet.", values, link)
	d.Chips = chips
	d.FacetsHTML = results.HTML(views, "news.facets.more", func(key string, args ...any) string { return h.Render.Catalog.T(lang, key, args...) })
	for _, it := range res.Items {
		d.Items = append(d.Items, cardOf(it, lang))
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.search.title", "Query", text)
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "news/list", p)
}

type itemData struct {
	It        *Item
	Card      card
	Body      shown
	LangState string
	Versions  []version
	Photos    []Media
	Videos    []Media
	PageLang  string
	CanEdit   bool
	Preview   bool
}

type version struct {
	Lang, Name, URL, State string
	Current                bool
}

// Caption is a photo's caption in the page's language.
func (d itemData) Caption(m Media) string { return m.Caption.Get(d.PageLang, d.It.SourceLang) }

// Show is GET /{lang}/news/{ref}: a published item, at its address in the
// page's language (any other slug redirects there).
func (h *Handlers) Show(w http.ResponseWriter, r *http.Request) {
	lang := web.Lang(r)
	id, ok := ParseRef(r.PathValue("ref"))
	if !ok {
		h.Render.NotFound(w, r)
		return
	}
	it, err := h.Store.Public(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if want := it.Path(lang); r.URL.Path != "/"+lang+want {
		http.Redirect(w, r, "/"+lang+want, http.StatusMovedPermanently)
		return
	}
	h.renderItem(w, r, it, false)
}

func (h *Handlers) renderItem(w http.ResponseWriter, r *http.Request, it *Item, preview bool) {
	lang := web.Lang(r)
	d := itemData{It: it, Card: cardOf(it, lang), Body: show(it.Body, lang, it.SourceLang), LangState: it.LangState(lang),
		Photos: it.Photos(), Videos: it.Videos(), PageLang: lang, Preview: preview,
		CanEdit: canWrite(web.ViewerFrom(r.Context()), it.CityID)}
	d.Body.HTML = richtext.Markdown(d.Body.Text)
	alts := map[string]string{}
	for _, l := range i18n.Langs {
		alts[l] = it.Path(l)
		st := it.LangState(l)
		d.Versions = append(d.Versions, version{Lang: l, Name: i18n.Name(l), URL: "/" + l + it.Path(l), State: st, Current: l == lang})
	}
	p := h.Render.NewPage(r, d.Card.Title.Text, d)
	p.Description = plain(d.Card.Lead.Text)
	if p.Description == "" {
		p.Description = plain(richtext.PlainText(d.Body.Text))
	}
	if img := it.Image(); img != nil {
		p.Image = img.URL()
	}
	if preview {
		p.NoIndex = true
	} else {
		p.LangPaths = alts
		p.OGType = "article"
		p.JSONLD = append(p.JSONLD, h.articleLD(r, it, lang))
	}
	h.Render.HTML(w, r, http.StatusOK, "news/item", p)
}

// plain shortens a text for a meta description.
func plain(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:197]) + "…"
	}
	return s
}

// Preview is GET /{lang}/news/{id}/preview: an item in any state, for its editors.
func (h *Handlers) Preview(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	h.renderItem(w, r, it, true)
}

// editable loads the item named in the path if the viewer may write it.
func (h *Handlers) editable(w http.ResponseWriter, r *http.Request) (*Item, bool) {
	v := web.ViewerFrom(r.Context())
	if v == nil {
		http.Redirect(w, r, "/"+web.Lang(r)+"/login?next="+r.URL.Path, http.StatusSeeOther)
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return nil, false
	}
	it, err := h.Store.Get(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return nil, false
	}
	if !canWrite(v, it.CityID) {
		h.Render.Error(w, r, http.StatusForbidden, nil)
		return nil, false
	}
	return it, true
}

type workData struct {
	Items       []workRow
	Secretariat bool // may edit the observed days
}

type workRow struct {
	Card      card
	State     string
	PublishAt *time.Time
}

// Work is GET /{lang}/news/work: the items the viewer may write, in every state.
func (h *Handlers) Work(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	lang := web.Lang(r)
	items, err := h.Store.Work(r.Context(), v.CityID, auth.Can(v, auth.NewsPublish))
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	d := workData{Secretariat: auth.Can(v, auth.NewsPublish)}
	for _, it := range items {
		d.Items = append(d.Items, workRow{Card: cardOf(it, lang), State: it.State, PublishAt: it.PublishAt})
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.work.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "news/work", p)
}

type editData struct {
	It          *Item // nil for a new item
	TextLang    string
	Cities      []Option
	Summits     []Option
	Observances []*Observance
	OwnCity     bool // the viewer writes for their own city only
	States      []string
	Langs       []version
	PageLang    string
}

// ObsName is an observance's title in the page's language.
func (d editData) ObsName(o *Observance) string { return o.Title.Get(d.PageLang, "en") }

func (h *Handlers) editPage(w http.ResponseWriter, r *http.Request, status int, it *Item, textLang string, f *web.Form) {
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	d := editData{It: it, TextLang: textLang, OwnCity: !auth.Can(v, auth.NewsPublish), PageLang: web.Lang(r)}
	var err error
	if d.Cities, err = h.Store.CityOptions(ctx, web.Lang(r)); err == nil {
		if d.Summits, err = h.Store.SummitOptions(ctx); err == nil {
			d.Observances, err = h.Store.Observances(ctx)
		}
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	if it != nil {
		for _, l := range i18n.Langs {
			d.Langs = append(d.Langs, version{Lang: l, Name: i18n.Name(l), State: it.LangState(l), Current: l == textLang,
				URL: "/" + d.PageLang + "/news/" + strconv.FormatInt(it.ID, 10) + "/edit?lang=" + l})
		}
	}
	p := h.Render.NewPage(r, "", d)
	p.Form = f
	p.NoIndex = true
	if it == nil {
		p.Title = p.T("news.new.title")
	} else {
		p.Title = p.T("news.edit.title")
	}
	h.Render.HTML(w, r, status, "news/edit", p)
}

// formOf fills a form with the item's values in lang.
func formOf(it *Item, lang string) *web.Form {
	f := web.NewForm(nil)
	set := f.Values.Set
	set("lang", lang)
	set("title", it.Title[lang])
	set("lead", it.Lead[lang])
	set("body", it.Body[lang])
	set("place", it.Place[lang])
	set("dated_on", it.DatedOn)
	set("ends_on", it.EndsOn)
	if it.IsEvent {
		set("is_event", "1")
	}
	set("city", strconv.FormatInt(it.CityID, 10))
	set("summit", strconv.FormatInt(it.SummitID, 10))
	set("observance", strconv.FormatInt(it.Observance, 10))
	set("tags", strings.Join(it.Tags, ", "))
	var links []string
	for _, l := range it.Links {
		links = append(links, strings.TrimSpace(l.Path+" "+l.Label))
	}
	set("links", strings.Join(links, "\n"))
	set("press_name", it.PressName)
	set("press_email", it.PressEmail)
	set("press_phone", it.PressPhone)
	return f
}

func inputOf(f *web.Form) Input {
	id := func(name string) int64 {
		n, _ := strconv.ParseInt(f.Get(name), 10, 64)
		return n
	}
	return Input{Lang: f.Get("lang"), Title: f.Get("title"), Lead: f.Get("lead"), Body: f.Get("body"), Place: f.Get("place"),
		DatedOn: f.Get("dated_on"), EndsOn: f.Get("ends_on"), IsEvent: f.Has("is_event"), CityID: id("city"),
		SummitID: id("summit"), Observance: id("observance"), Tags: ParseTags(f.Get("tags")), Links: ParseLinks(f.Get("links")),
		PressName: f.Get("press_name"), PressEmail: f.Get("press_email"), PressPhone: f.Get("press_phone")}
}

// NewPage is GET /{lang}/news/new.
func (h *Handlers) NewPage(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	lang := web.Lang(r)
	f := web.NewForm(nil)
	f.Values.Set("lang", lang)
	f.Values.Set("dated_on", time.Now().Format("2006-01-02"))
	if !auth.Can(v, auth.NewsPublish) {
		f.Values.Set("city", strconv.FormatInt(v.CityID, 10))
	}
	h.editPage(w, r, http.StatusOK, nil, lang, f)
}

// Create is POST /{lang}/news/new.
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	in := inputOf(f)
	if !auth.Can(v, auth.NewsPublish) {
		in.CityID = v.CityID // a city's editor writes for their city
	}
	id, err := h.Store.Create(r.Context(), audit.ActorFrom(r), in)
	if h.refused(w, r, err, f, nil, in.Lang) {
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/news/"+strconv.FormatInt(id, 10)+"/edit?lang="+in.Lang)
}

// refused shows the form again for bad input and reports whether it did
// (or answered an error).
func (h *Handlers) refused(w http.ResponseWriter, r *http.Request, err error, f *web.Form, it *Item, lang string) bool {
	if err == nil {
		return false
	}
	var bad Invalid
	if errors.As(err, &bad) {
		for k, v := range bad {
			f.Fail(k, v)
		}
		h.editPage(w, r, http.StatusUnprocessableEntity, it, lang, f)
		return true
	}
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return true
	}
	h.Render.Error(w, r, http.StatusInternalServerError, err)
	return true
}

// EditPage is GET /{lang}/news/{id}/edit?lang=: the item's texts in one language.
func (h *Handlers) EditPage(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	lang := r.URL.Query().Get("lang")
	if !i18n.Supported(lang) {
		lang = it.SourceLang
	}
	h.editPage(w, r, http.StatusOK, it, lang, formOf(it, lang))
}

// Edit is POST /{lang}/news/{id}/edit.
func (h *Handlers) Edit(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	in := inputOf(f)
	v := web.ViewerFrom(r.Context())
	if !auth.Can(v, auth.NewsPublish) {
		in.CityID = v.CityID
	}
	err = h.Store.Update(r.Context(), audit.ActorFrom(r), it.ID, in)
	if h.refused(w, r, err, f, it, in.Lang) {
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/news/"+strconv.FormatInt(it.ID, 10)+"/edit?lang="+in.Lang)
}

// State is POST /{lang}/news/{id}/state: schedule, publish, archive or
// take back to draft. A scheduled time is read in the item's city's zone
// (UTC for the network's items).
func (h *Handlers) State(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	state := f.Get("state")
	var at time.Time
	if state == StateScheduled {
		var err error
		at, err = time.ParseInLocation("2006-01-02T15:04", f.Get("publish_at"), it.Location())
		if err != nil {
			f.Fail("publish_at", "news.error.publish_at")
			h.editPage(w, r, http.StatusUnprocessableEntity, it, it.SourceLang, mergeForm(formOf(it, it.SourceLang), f))
			return
		}
	}
	err = h.Store.SetState(r.Context(), audit.ActorFrom(r), it.ID, state, at)
	if h.refused(w, r, err, mergeForm(formOf(it, it.SourceLang), f), it, it.SourceLang) {
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/news/"+strconv.FormatInt(it.ID, 10)+"/edit")
}

func mergeForm(base, sent *web.Form) *web.Form {
	for k, v := range sent.Values {
		base.Values[k] = v
	}
	for k, v := range sent.Errors {
		base.Errors[k] = v
	}
	return base
}

// AddMedia is POST /{lang}/news/{id}/media: a photo with caption, credit,
// licence and date, or a video link with its still image.
func (h *Handlers) AddMedia(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	f, err := media.ParseForm(w, r)
	var img *media.Image
	if err == nil {
		img, err = media.FromForm(r, "image")
		if errors.Is(err, http.ErrMissingFile) {
			err = nil
		}
	}
	if f == nil {
		f = web.NewForm(nil)
	}
	var me *media.Error
	if errors.As(err, &me) {
		form := mergeForm(formOf(it, it.SourceLang), f)
		form.Fail("image", me.Key)
		h.editPage(w, r, http.StatusUnprocessableEntity, it, it.SourceLang, form)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	lang := f.Get("lang")
	if !i18n.Supported(lang) {
		lang = it.SourceLang
	}
	in := MediaInput{Kind: f.Get("kind"), Lang: lang, Caption: f.Get("caption"), Credit: f.Get("credit"), Licence: f.Get("licence"),
		TakenOn: f.Get("taken_on"), VideoURL: f.Get("video_url")}
	err = h.Store.AddMedia(r.Context(), audit.ActorFrom(r), it.ID, in, img)
	if h.refused(w, r, err, mergeForm(formOf(it, lang), f), it, lang) {
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/news/"+strconv.FormatInt(it.ID, 10)+"/edit?lang="+lang)
}

// RemoveMedia is POST /{lang}/news/{id}/media/{mid}/remove.
func (h *Handlers) RemoveMedia(w http.ResponseWriter, r *http.Request) {
	it, ok := h.editable(w, r)
	if !ok {
		return
	}
	mid, _ := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	err := h.Store.RemoveMedia(r.Context(), audit.ActorFrom(r), it.ID, mid)
	if errors.Is(err, ErrNotFound) {
		h.Render.NotFound(w, r)
		return
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/news/"+strconv.FormatInt(it.ID, 10)+"/edit")
}

// templatesFS is the package's pages at the root.
func templatesFS() fs.FS {
	sub, err := fs.Sub(templates, "templates")
	if err != nil {
		panic(err)
	}
	return sub
}
