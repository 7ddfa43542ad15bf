// Package feed writes Atom, RSS 2.0 and JSON Feed 1.1 documents of a
// capability's newest items: gorilla/feeds writes the standard parts,
// and each format gets the language, its own address, an author with a
// link and categories.
package feed

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
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

// Entry is what the formats add to feeds.Item, one per item in the same
// order.
type Entry struct {
	Published  time.Time
	Author     string // a name (a city), linked to AuthorURL
	AuthorURL  string
	Categories []Category
	Summary    string // plain text
}

// Category is one of an entry's categories: Term is its key, Label its name.
type Category struct{ Term, Label string }

// Write sends f with its entries in format: lang is the feed's language,
// list the page it follows, self its own address and scheme the address
// that categories' terms complete (Atom).
func Write(w http.ResponseWriter, format string, f *feeds.Feed, entries []Entry, lang, list, self, scheme string) error {
	w.Header().Set("Content-Type", Types[format]+"; charset=utf-8")
	switch format {
	case Atom:
		return writeAtom(w, f, entries, lang, list, self, scheme)
	case RSS:
		return writeRSS(w, f, entries, lang, self)
	}
	return writeJSON(w, f, entries, lang, self)
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

func writeAtom(w http.ResponseWriter, f *feeds.Feed, entries []Entry, lang, list, self, scheme string) error {
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

func writeRSS(w http.ResponseWriter, f *feeds.Feed, entries []Entry, lang, self string) error {
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
func writeJSON(w http.ResponseWriter, f *feeds.Feed, entries []Entry, lang, self string) error {
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
