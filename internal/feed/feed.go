// Package feed writes Atom, RSS 2.0 and JSON Feed 1.1 documents of a
// capability's newest items: gorilla/feeds writes the standard parts,
// and each format gets the language, its own address, an author with a
// link and categories.
package feed

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"
)

// Formats and the media types they are sent as.
const (
	Atom = "atom"
	RSS  = "rss"
	JSON = "json"
)

// Types are the formats' media types.
var Types = map[string]string{
	Atom: "application/atom+xml",
	RSS:  "application/rss+xml",
	JSON: "application/feed+json",
}

// Feed is one feed: its texts in one language and its items, newest
// first.
type Feed struct {
	Title, Description string
	Site               string // the site's name: the feed's author
	Lang               string
	List               string // the address of the page the feed follows
	Self               string // the feed's own address, also its id
	Scheme             string // the address that categories' terms complete (Atom)
	Items              []Item
}

// Item is one entry of a feed.
type Item struct {
	Title     string
	Link      string
	Summary   string // plain text
	ID        string // stays when the title or address changes (see TagID)
	Published time.Time
	Updated   time.Time // when its public version last changed
	Author    string    // a name (a city), linked to AuthorURL
	AuthorURL string
	// Categories are its themes or tags.
	Categories []Category
}

// Category is one of an entry's categories: Term is its key, Label its name.
type Category struct{ Term, Label string }

// TagID is a tag URI (RFC 4151) that names an entry for good: the site's
// host, the day it was first published and path, which must not change
// (a number, not a title).
func TagID(site string, published time.Time, path string) string {
	host := site
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return fmt.Sprintf("tag:%s,%s:%s", host, published.Format("2006-01-02"), path)
}

// Write sends f in format. The feed is as new as its newest item (now,
// when it has none).
func Write(w http.ResponseWriter, format string, f Feed) error {
	gf := &feeds.Feed{Title: f.Title, Link: &feeds.Link{Href: f.List}, Description: f.Description,
		Author: &feeds.Author{Name: f.Site}, Id: f.Self}
	entries := make([]entry, 0, len(f.Items))
	for _, it := range f.Items {
		published, updated := it.Published.UTC(), it.Updated.UTC()
		if gf.Updated.Before(updated) {
			gf.Updated = updated
		}
		gf.Add(&feeds.Item{Title: it.Title, Link: &feeds.Link{Href: it.Link}, Author: &feeds.Author{Name: it.Author},
			Description: it.Summary, Created: published, Updated: updated, Id: it.ID})
		entries = append(entries, entry{Published: published, Author: it.Author, AuthorURL: it.AuthorURL,
			Categories: it.Categories, Summary: it.Summary})
	}
	if gf.Updated.IsZero() {
		gf.Updated = time.Now().UTC().Truncate(time.Second)
	}
	w.Header().Set("Content-Type", Types[format]+"; charset=utf-8")
	switch format {
	case Atom:
		return writeAtom(w, gf, entries, f.Lang, f.List, f.Self, f.Scheme)
	case RSS:
		return writeRSS(w, gf, entries, f.Lang, f.Self)
	}
	return writeJSON(w, gf, entries, f.Lang, f.Self)
}

// entry is what the formats add to feeds.Item, one per item in the same
// order.
type entry struct {
	Published  time.Time
	Author     string // a name (a city), linked to AuthorURL
	AuthorURL  string
	Categories []Category
	Summary    string // plain text
}

// Revalidate gives an answer the ETag of key, everything the answer
// depends on (the data version, the site's address, the path and query),
// and answers 304 itself when the client has that version already; it
// reports whether it did.
func Revalidate(w http.ResponseWriter, r *http.Request, key string) bool {
	hash := fnv.New64a()
	hash.Write([]byte(key))
	etag := fmt.Sprintf(`W/"%x"`, hash.Sum64())
	w.Header().Set("ETag", etag)
	if ETagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// ETagMatches reads an If-None-Match header (a list of tags, or *).
func ETagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// Atom: gorilla/feeds writes the standard elements; the wrappers add the
// language, the self link and the categories.

type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

func writeAtom(w http.ResponseWriter, f *feeds.Feed, entries []entry, lang, list, self, scheme string) error {
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	generic := af.Entries
	af.Id, af.Link, af.Entries = self, nil, nil
	out := atomFeed{AtomFeed: af, Lang: lang, Links: []feeds.AtomLink{
		{Href: list, Rel: "alternate", Type: "text/html"},
		{Href: self, Rel: "self", Type: Types[Atom]},
	}}
	for i, e := range entries {
		ae := &atomEntry{AtomEntry: generic[i]}
		ae.Published = e.Published.Format(time.RFC3339)
		ae.Links[0].Type = "text/html"
		ae.Summary = nil
		if e.Summary != "" {
			ae.Summary = &feeds.AtomSummary{Content: e.Summary, Type: "text"}
		}
		if ae.Author != nil {
			ae.Author.Uri = e.AuthorURL
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c.Term, Label: c.Label, Scheme: scheme})
		}
		out.Entries = append(out.Entries, ae)
	}
	return writeXML(w, out)
}

// RSS 2.0: the author element takes an e-mail address, so the author is
// named with dc:creator and as the first category, the categories after it.

type rssRoot struct {
	XMLName xml.Name    `xml:"rss"`
	Version string      `xml:"version,attr"`
	Atom    string      `xml:"xmlns:atom,attr"`
	DC      string      `xml:"xmlns:dc,attr"`
	Channel *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	Self  rssSelf    `xml:"atom:link"`
	Items []*rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
}

func writeRSS(w http.ResponseWriter, f *feeds.Feed, entries []entry, lang, self string) error {
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	ch.Language, ch.ManagingEditor = lang, ""
	items := ch.Items
	ch.Items = nil
	out := rssRoot{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{RssFeed: ch, Self: rssSelf{Href: self, Rel: "self", Type: Types[RSS]}}}
	for i, it := range items {
		e := entries[i]
		// The summary is plain text: the XML encoder escapes it, once, as
		// it does the title; a reader decodes exactly the text.
		it.Author, it.Description = "", e.Summary
		it.Guid.IsPermaLink = "false"
		ri := &rssItem{RssItem: it, Creator: e.Author, Categories: []string{e.Author}}
		for _, c := range e.Categories {
			ri.Categories = append(ri.Categories, c.Label)
		}
		out.Channel.Items = append(out.Channel.Items, ri)
	}
	return writeXML(w, out)
}

func writeXML(w http.ResponseWriter, v any) error {
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write([]byte("\n"))
	return err
}

// JSON Feed 1.1: the generic feed plus the language, the feed's own
// address, the author and the categories as tags. An item needs a
// content field; an entry's is its summary.
func writeJSON(w http.ResponseWriter, f *feeds.Feed, entries []entry, lang, self string) error {
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.Language, jf.FeedUrl = lang, self
	for i, it := range jf.Items {
		e := entries[i]
		it.Summary, it.ContentText = e.Summary, e.Summary
		if it.ContentText == "" {
			it.ContentText = it.Title
		}
		author := &feeds.JSONAuthor{Name: e.Author, Url: e.AuthorURL}
		it.Author, it.Authors = author, []*feeds.JSONAuthor{author}
		for _, c := range e.Categories {
			it.Tags = append(it.Tags, c.Label)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jf)
}
