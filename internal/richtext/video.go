package richtext

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Video is a link to a video: Embed is set for the sites a page may
// frame after the reader's click.
type Video struct {
	URL      string
	Title    string
	Provider string // YouTube, Vimeo, or "" for a plain link
	Embed    string
}

// Video sites that can be embedded after the reader's click. Nothing is
// requested from them before: the page shows a link and a button, and a
// small script of ours builds the frame only when the button is pressed.
var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]{4,12}$`)
)

const frameSources = "https://www.youtube-nocookie.com https://player.vimeo.com"

// VideoOf is the link to url (labelled label) as a video the page may
// embed, when it is one.
func VideoOf(link, label string) Video {
	v := Video{URL: link, Title: label}
	u, err := url.Parse(link)
	if err != nil {
		return v
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	var id string
	switch host {
	case "youtube.com", "m.youtube.com", "youtube-nocookie.com":
		id = u.Query().Get("v")
		if rest, ok := strings.CutPrefix(u.Path, "/embed/"); ok {
			id = rest
		} else if rest, ok := strings.CutPrefix(u.Path, "/shorts/"); ok {
			id = rest
		}
		if youtubeID.MatchString(id) {
			v.Provider, v.Embed = "YouTube", "https://www.youtube-nocookie.com/embed/"+id+"?autoplay=1"
		}
	case "youtu.be":
		if id = strings.Trim(u.Path, "/"); youtubeID.MatchString(id) {
			v.Provider, v.Embed = "YouTube", "https://www.youtube-nocookie.com/embed/"+id+"?autoplay=1"
		}
	case "vimeo.com", "player.vimeo.com":
		id = u.Path[strings.LastIndex(u.Path, "/")+1:]
		if vimeoID.MatchString(id) {
			v.Provider, v.Embed = "Vimeo", "https://player.vimeo.com/video/"+id+"?autoplay=1&dnt=1"
		}
	}
	if v.Title == "" {
		v.Title = link
	}
	return v
}

// AllowFrames lets a page with embeddable videos frame the video sites,
// and only such a page.
func AllowFrames(w http.ResponseWriter, videos []Video) {
	for _, v := range videos {
		if v.Embed != "" {
			if csp := w.Header().Get("Content-Security-Policy"); csp != "" && !strings.Contains(csp, "frame-src") {
				w.Header().Set("Content-Security-Policy", csp+"; frame-src "+frameSources)
			}
			return
		}
	}
}
