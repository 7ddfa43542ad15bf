package web

import (
	"net/http"
	"strconv"
)

// Pager is one page of a numbered list, with links that keep the query.
type Pager struct {
	Page, Pages, Size, Total int
	Prev, Next               string
}

// Offset is the number of items before this page.
func (p Pager) Offset() int { return (p.Page - 1) * p.Size }

// PageNumber reads ?page=N (1 when absent or bad).
func PageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// NewPager makes the pager for total items, size per page, on r's page.
func NewPager(r *http.Request, size, total int) Pager {
	return PagerAt(r, PageNumber(r), size, total)
}

// PagerAt makes the pager for page (clamped to the last one), with links
// that keep r's query.
func PagerAt(r *http.Request, page, size, total int) Pager {
	p := Pager{Page: max(1, page), Size: size, Total: total}
	p.Pages = max(1, (total+size-1)/size)
	if p.Page > p.Pages {
		p.Page = p.Pages
	}
	link := func(n int) string {
		q := r.URL.Query()
		if n == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		if s := q.Encode(); s != "" {
			return r.URL.Path + "?" + s
		}
		return r.URL.Path
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	return p
}
