package exchange

import (
	"net/http"
	"time"

	"observatory/internal/apiv1"
	"observatory/internal/auth"
	"observatory/internal/i18n"
)

type apiCity struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiPractice struct {
	ID    int64     `json:"id"`
	Title i18n.Text `json:"title"`
	URL   string    `json:"url"`
}

type apiExchange struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"`
	State     string       `json:"state"`
	From      apiCity      `json:"from"`
	To        apiCity      `json:"to"`
	Practice  apiPractice  `json:"practice"`
	Adapted   *apiPractice `json:"adapted,omitempty"`
	Themes    []string     `json:"themes"`
	CreatedAt time.Time    `json:"created_at"`
}

type apiTally struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

type apiAnswer struct {
	apiv1.Page[apiExchange]
	// Own is, on the first page of an answer to a read:private token of a
	// city's editor or delegate (or the secretariat), the exchanges their
	// inbox lists: their city's, in every state, shown or not.
	Own *[]apiExchange `json:"own,omitempty"`
	// Figures count every public exchange, not only this page's.
	Figures struct {
		Exchanges int        `json:"exchanges"`
		Adopted   int        `json:"adopted"`
		Cities    int        `json:"cities"`
		ByTheme   []apiTally `json:"by_theme"`
		ByRegion  []apiTally `json:"by_region"`
		ByKind    []apiTally `json:"by_kind"`
	} `json:"figures"`
}

// API answers GET /api/v1/exchanges: the exchanges both cities agreed to
// show, and their figures. Nothing of a thread is in it.
func (h *Handlers) API(w http.ResponseWriter, r *http.Request) {
	q, ok := apiv1.Query(w, r, h.Render)
	if !ok {
		return
	}
	list, err := h.Store.Public(r.Context())
	if err != nil {
		apiv1.Internal(w, r, h.Render, err)
		return
	}
	base, lang := apiv1.Base(r, h.Render), apiv1.Lang(r)
	ref := func(p PracticeRef) apiPractice {
		return apiPractice{ID: p.ID, Title: p.Title, URL: base + "/" + lang + p.Path()}
	}
	var out apiAnswer
	toAPI := func(e *Exchange) apiExchange {
		x := apiExchange{ID: e.ID, Kind: e.Kind, State: e.State, CreatedAt: e.CreatedAt, Themes: e.Themes,
			From: apiCity{e.From.ID, e.From.Slug, e.From.Name}, To: apiCity{e.To.ID, e.To.Slug, e.To.Name}, Practice: ref(e.Practice)}
		if x.Themes == nil {
			x.Themes = []string{}
		}
		if e.Adapted != nil && e.Adapted.Published {
			a := ref(*e.Adapted)
			x.Adapted = &a
		}
		return x
	}
	all := []apiExchange{}
	for _, e := range list {
		all = append(all, toAPI(e))
	}
	if out.Page, ok = apiv1.Slice(w, r, h.Render, q, all); !ok {
		return
	}
	// A read:private token sees what its owner's inbox shows them signed
	// in, through the same rule (who) as the page.
	if wh := who(auth.PrivateReader(r)); (wh.CityID != 0 || wh.Secretariat) && q.Get("cursor") == "" {
		mine, err := h.Store.Inbox(r.Context(), wh)
		if err != nil {
			apiv1.Internal(w, r, h.Render, err)
			return
		}
		own := []apiExchange{}
		for _, e := range mine {
			own = append(own, toAPI(e))
		}
		out.Own = &own
	}
	f := figuresOf(list, func(kind, key string) string { return key })
	out.Figures.Exchanges, out.Figures.Adopted, out.Figures.Cities = f.Exchanges, f.Adopted, f.Cities
	conv := func(ts []Tally) []apiTally {
		o := []apiTally{}
		for _, t := range ts {
			o = append(o, apiTally{t.Key, t.Count})
		}
		return o
	}
	out.Figures.ByTheme, out.Figures.ByRegion, out.Figures.ByKind = conv(f.ByTheme), conv(f.ByRegion), conv(f.ByKind)
	apiv1.JSON(w, http.StatusOK, out)
}
