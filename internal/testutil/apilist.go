package testutil

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// APIItems follows an /api/v1 list from path to its end and returns every
// item: the contract {"items": […], "next": URL|null}, and the shapes
// older lists had — {"data", "next"}, {"summits"}, {"declarations"},
// {"consultations"}, {"ideas", "total", "offset"}, {"items", "page",
// "pages"} and {"items", "total"} paged with ?page=.
func (c *Client) APIItems(path string) []map[string]any {
	c.t.Helper()
	var all []map[string]any
	next := path
	for pages := 0; next != ""; pages++ {
		if pages == 1000 {
			c.t.Fatalf("%s: more than 1000 pages", path)
		}
		res := c.Get(next)
		if res.StatusCode != http.StatusOK {
			c.t.Fatalf("GET %s: %d\n%s", next, res.StatusCode, excerpt(res.Body))
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
			c.t.Fatalf("GET %s: %v", next, err)
		}
		var items []map[string]any
		found := false
		for _, k := range []string{"items", "data", "summits", "declarations", "consultations", "ideas"} {
			if raw, ok := body[k]; ok && json.Unmarshal(raw, &items) == nil {
				found = true
				break
			}
		}
		if !found {
			c.t.Fatalf("GET %s: no list in %s", next, excerpt(res.Body))
		}
		all = append(all, items...)
		next = c.nextPage(next, body, len(items), len(all))
	}
	return all
}

// nextPage is the address of the page after u: its "next" when the answer
// has one, else the next ?page= or ?offset= while the total is not reached.
func (c *Client) nextPage(u string, body map[string]json.RawMessage, got, sofar int) string {
	if raw, ok := body["next"]; ok {
		var n *string
		json.Unmarshal(raw, &n)
		if n == nil || *n == "" {
			return ""
		}
		p, err := url.Parse(*n)
		if err != nil {
			c.t.Fatalf("next %q: %v", *n, err)
		}
		return p.RequestURI()
	}
	num := func(k string) (int, bool) {
		var n int
		raw, ok := body[k]
		return n, ok && json.Unmarshal(raw, &n) == nil
	}
	p, _ := url.Parse(u)
	q := p.Query()
	if pages, ok := num("pages"); ok {
		page, _ := num("page")
		if page >= pages || got == 0 {
			return ""
		}
		q.Set("page", strconv.Itoa(page+1))
	} else if total, ok := num("total"); ok && sofar < total && got > 0 {
		if _, ok := body["offset"]; ok {
			q.Set("offset", strconv.Itoa(sofar))
		} else {
			page, _ := strconv.Atoi(q.Get("page"))
			q.Set("page", strconv.Itoa(max(page, 1)+1))
		}
	} else {
		return ""
	}
	p.RawQuery = q.Encode()
	return p.RequestURI()
}
