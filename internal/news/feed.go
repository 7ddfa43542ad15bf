package news

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/i18n"
	"observatory/internal/richtext"
	"observatory/internal/web"
)

// Feeds of the published items in the page's language: /{lang}/news/feed.atom,
// .rss and .json, for the network or (?city=) one city. They read the
// public list, so a feed shows nothing a visitor could not find.

const feedSize = 30

var feedTypes = map[string]string{
	"atom": "application/atom+xml; charset=utf-8",
	"rss":  "application/rss+xml; charset=utf-8",
	"json": "application/feed+json; charset=utf-8",
}

// FeedAtom, FeedRSS and FeedJSON are the three formats of one feed.
func (h *Handlers) FeedAtom(w http.ResponseWriter, r *http.Request) { h.feed(w, r, "atom") }
func (h *Handlers) FeedRSS(w http.ResponseWriter, r *http.Request)  { h.feed(w, r, "rss") }
func (h *Handlers) FeedJSON(w http.ResponseWriter, r *http.Request) { h.feed(w, r, "json") }

func (h *Handlers) feed(w http.ResponseWriter, r *http.Request, format string) {
	lang := web.Lang(r)
	site := web.SiteURL(r, h.BaseURL)
	f := Filter{Limit: feedSize}
	if v := r.URL.Query().Get("city"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			h.Render.Error(w, r, http.StatusBadRequest, nil)
			return
		}
		f.CityID = id
	}
	items, _, err := h.Store.List(r.Context(), f)
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	title := h.Render.Catalog.T(lang, "news.list.title")
	link := site + "/" + lang + "/news"
	if f.CityID != 0 {
		link += "?city=" + strconv.FormatInt(f.CityID, 10)
		if len(items) > 0 {
			title += " · " + items[0].CityIn(lang)
		}
	}
	fd := &feeds.Feed{Title: title, Link: &feeds.Link{Href: link}, Id: link,
		Description: h.Render.Catalog.T(lang, "news.list.lead"), Created: time.Date(2015, 6, 10, 0, 0, 0, 0, time.UTC)}
	for _, it := range items {
		c := cardOf(it, lang)
		pub := it.Date()
		if it.PublishedAt != nil {
			pub = *it.PublishedAt
		}
		if pub.After(fd.Updated) {
			fd.Updated = pub
		}
		if it.UpdatedAt.After(fd.Updated) {
			fd.Updated = it.UpdatedAt
		}
		e := &feeds.Item{Title: c.Title.Text, Link: &feeds.Link{Href: site + c.URL}, Id: site + "/news/" + strconv.FormatInt(it.ID, 10),
			Description: c.Lead.Text, Created: pub, Updated: it.UpdatedAt,
			Content: string(richtext.Markdown(it.Body.Get(lang, it.SourceLang)))}
		if img := it.Image(); img != nil {
			e.Enclosure = &feeds.Enclosure{Url: site + img.URL(), Type: img.ImageType, Length: "0"}
		}
		fd.Items = append(fd.Items, e)
	}
	var out string
	switch format {
	case "atom":
		out, err = fd.ToAtom()
	case "rss":
		out, err = fd.ToRss()
	default:
		out, err = fd.ToJSON()
	}
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", feedTypes[format])
	w.Write([]byte(out))
}

// apiItem is one item in the JSON API.
type apiItem struct {
	ID          int64             `json:"id"`
	URL         string            `json:"url"`
	SourceLang  string            `json:"source_lang"`
	Title       map[string]string `json:"title"`
	Lead        map[string]string `json:"lead"`
	Place       map[string]string `json:"place"`
	Date        string            `json:"date"`
	EndsOn      string            `json:"ends_on,omitempty"`
	CityID      int64             `json:"city_id,omitempty"`
	Tags        []string          `json:"tags"`
	PublishedAt *time.Time        `json:"published_at"`
	Photos      []apiPhoto        `json:"photos"`
}

// apiWorkItem is one item of the news workspace (GET /{lang}/news/work),
// in any state, for a read:private token of someone who writes news.
type apiWorkItem struct {
	ID         int64             `json:"id"`
	State      string            `json:"state"`
	SourceLang string            `json:"source_lang"`
	Title      map[string]string `json:"title"`
	CityID     int64             `json:"city_id,omitempty"`
	PublishAt  *time.Time        `json:"publish_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	URL        string            `json:"url"` // the edit page
}

// apiList is a page of GET /api/v1/news, with the workspace's items on
// the first page of an answer to a read:private token.
type apiList struct {
	apiv1.Page[apiItem]
	Work *[]apiWorkItem `json:"work,omitempty"`
}

type apiPhoto struct {
	URL     string            `json:"url"`
	Caption map[string]string `json:"caption"`
	Credit  string            `json:"credit"`
	Licence string            `json:"licence"`
}

// APIList is GET /api/v1/news: the published items (?city=, ?year=, ?tag=), newest first.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render, "city", "year", "tag", "q")
	if !ok {
		return
	}
	f := Filter{Tag: q.Get("tag"), Limit: apiv1.Limit(q, apiv1.DefaultLimit)}
	var err error
	if s := q.Get("city"); s != "" {
		if f.CityID, err = strconv.ParseInt(s, 10, 64); err != nil || f.CityID <= 0 {
			apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "city"})
			return
		}
	}
	if s := q.Get("year"); s != "" {
		if f.Year, err = strconv.Atoi(s); err != nil || f.Year < 1900 || f.Year > 2200 {
			apiv1.Fail(w, r, h.Render, apiv1.Problem{Status: http.StatusBadRequest, Code: "bad-parameter", Parameter: "year"})
			return
		}
	}
	if f.Offset, ok = apiv1.Offset(w, r, h.Render, q); !ok {
		return
	}
	var items []*Item
	var total int
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		// The same search as /{lang}/news?q=, newest first among equals.
		var res *SearchResult
		p := SearchParams{Q: clip(text, maxQuery), Lang: i18n.Default, Page: f.Offset/f.Limit + 1, Size: f.Limit}
		for k, dst := range map[string]*[]string{"city": &p.Cities, "year": &p.Years, "tag": &p.Tags} {
			if v := q.Get(k); v != "" && v != "0" {
				*dst = []string{v}
			}
		}
		if res, err = h.Store.Search(r.Context(), p); err == nil {
			items, total = res.Items, res.Total
		}
	} else {
		items, total, err = h.Store.List(r.Context(), f)
	}
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	site := apiv1.Base(r, h.Render)
	out := apiv1.Page[apiItem]{Total: &total, Items: []apiItem{}}
	for _, it := range items {
		a := apiItem{ID: it.ID, URL: site + "/" + it.SourceLang + it.Path(it.SourceLang), SourceLang: it.SourceLang,
			Title: it.Title, Lead: it.Lead, Place: it.Place, Date: it.DatedOn, EndsOn: it.EndsOn, CityID: it.CityID,
			Tags: it.Tags, PublishedAt: it.PublishedAt, Photos: []apiPhoto{}}
		if a.Tags == nil {
			a.Tags = []string{}
		}
		for _, m := range it.Photos() {
			a.Photos = append(a.Photos, apiPhoto{URL: site + m.URL(), Caption: m.Caption, Credit: m.Credit, Licence: m.Licence})
		}
		out.Items = append(out.Items, a)
	}
	if len(items) > 0 {
		out.Next = apiv1.NextOffset(w, r, h.Render, q, f.Offset+len(items), total)
	}
	list := apiList{Page: out}
	// A read:private token sees what its owner sees signed in: the items
	// of the news workspace, as the page lists them.
	if v := auth.PrivateReader(r); v != nil && mayWrite(v) && f.Offset == 0 {
		mine, err := h.Store.Work(r.Context(), v.CityID, auth.Can(v, auth.NewsPublish))
		if err != nil {
			apiv1.Internal(w, r, h.Render, err)
			return
		}
		work := []apiWorkItem{}
		for _, it := range mine {
			var pa *time.Time
			if it.PublishAt != nil {
				t := it.PublishAt.UTC()
				pa = &t
			}
			work = append(work, apiWorkItem{ID: it.ID, State: it.State, SourceLang: it.SourceLang, Title: it.Title, CityID: it.CityID,
				PublishAt: pa, UpdatedAt: it.UpdatedAt.UTC(), URL: site + "/" + apiv1.Lang(r) + "/news/" + strconv.FormatInt(it.ID, 10) + "/edit"})
		}
		list.Work = &work
	}
	apiv1.JSON(w, http.StatusOK, list)
}

// articleLD is the schema.org NewsArticle of an item.
func (h *Handlers) articleLD(r *http.Request, it *Item, lang string) map[string]any {
	site := web.SiteURL(r, h.BaseURL)
	c := cardOf(it, lang)
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         c.Title.Text,
		"inLanguage":       c.Title.Lang,
		"mainEntityOfPage": site + c.URL,
		"dateCreated":      it.DatedOn,
		"dateModified":     it.UpdatedAt.Format(time.RFC3339),
		"publisher":        map[string]any{"@type": "Organization", "name": h.Render.SiteName, "url": site + "/"},
	}
	if it.PublishedAt != nil {
		ld["datePublished"] = it.PublishedAt.Format(time.RFC3339)
	}
	if c.Lead.Text != "" {
		ld["description"] = c.Lead.Text
	}
	if c.Place.Text != "" {
		ld["contentLocation"] = map[string]any{"@type": "Place", "name": c.Place.Text}
	}
	var imgs []string
	for _, m := range it.Photos() {
		imgs = append(imgs, site+m.URL())
	}
	if len(imgs) > 0 {
		ld["image"] = imgs
	}
	return ld
}
