package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Confirm describes a deletion that waits for the visitor's yes. The
// texts are already in the visitor's language.
type Confirm struct {
	Question string   // names what would go: "Delete the partnership with Nantes?"
	Notes    []string // what follows besides that it cannot be undone
	Button   string   // the confirming button's label; "Delete" when empty
	Back     string   // where Cancel leads when the page the visitor came from is unknown
}

// confirmData is what the confirmation page shows.
type confirmData struct {
	Notes  []string
	Button string
	Action string
	Fields []hiddenField
	Back   string
}

type hiddenField struct{ Name, Value string }

// Confirmed reports whether a deleting POST carries confirm=yes. When it
// does not, nothing may be deleted: Confirmed has answered with a page that
// asks the question, in the normal layout, with a button that sends the
// same form again to the same address with confirm=yes, and a link back.
// Handlers call it after authorising and after finding what to delete, so
// a refusal or a missing item answers as it would without the question.
func (rd *Renderer) Confirmed(w http.ResponseWriter, r *http.Request, c Confirm) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		rd.Error(w, r, http.StatusBadRequest, err)
		return false
	}
	if r.PostForm.Get("confirm") == "yes" {
		return true
	}
	d := &confirmData{Notes: c.Notes, Button: c.Button, Action: r.URL.RequestURI(), Back: backTo(r, c.Back)}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		if name != "confirm" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range r.PostForm[name] {
			d.Fields = append(d.Fields, hiddenField{name, v})
		}
	}
	p := rd.NewPage(r, c.Question, d)
	// The address asked is POST only: the language switcher leads to the
	// page Cancel leads to, in the other language.
	if u, err := url.Parse(d.Back); err == nil && strings.HasPrefix(u.Path, "/"+p.Lang+"/") {
		p.Path, p.Query = strings.TrimPrefix(u.Path, "/"+p.Lang), u.RawQuery
	}
	if d.Button == "" {
		d.Button = p.T("confirm.delete")
	}
	p.NoIndex = true
	rd.HTML(w, r, http.StatusOK, "confirm", p)
	return false
}

// backTo is the page the visitor came from when the browser says so and
// it is on this site, else fallback. Only a path is kept, so the link
// cannot lead elsewhere.
func backTo(r *http.Request, fallback string) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.User != nil || (ref.Scheme != "http" && ref.Scheme != "https") {
		return fallback
	}
	if ref.Path == r.URL.Path {
		return fallback
	}
	back := ref.EscapedPath()
	if ref.RawQuery != "" {
		back += "?" + ref.RawQuery
	}
	if LocalPath(back) == "" {
		return fallback
	}
	return back
}
