package exchange

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"observatory/internal/web"
)

type adminData struct {
	O *Overview
}

// Hours formats a wait in hours and days for the page's reader.
func (d *adminData) Days(t time.Duration) string {
	return strconv.FormatFloat(t.Hours()/24, 'f', 1, 64)
}

// Admin is the secretariat's overview: exchanges by state, the time to a
// first answer, and the requests nobody answered yet.
func (h *Handlers) Admin(w http.ResponseWriter, r *http.Request) {
	o, err := h.Store.Overview(r.Context(), h.now())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	p := h.Render.NewPage(r, "", &adminData{O: o})
	p.Title = p.T("exchange.admin.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "exchange/admin", p)
}

// CSV exports every exchange's facts for the secretariat: no message and
// no thread, which stay on the exchange's page.
func (h *Handlers) CSV(w http.ResponseWriter, r *http.Request) {
	list, err := h.Store.All(r.Context())
	if err != nil {
		h.Render.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="exchanges.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "created_at", "state", "kind", "from_city", "to_city", "practice_id", "practice",
		"answered_at", "hours_to_answer", "scheduled_on", "done_at", "adapted_practice_id", "public"})
	tm := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	for _, e := range list {
		wait, adapted := "", ""
		if e.AnsweredAt != nil {
			wait = strconv.FormatFloat(e.AnsweredAt.Sub(e.CreatedAt).Hours(), 'f', 1, 64)
		}
		if e.Adapted != nil {
			adapted = strconv.FormatInt(e.Adapted.ID, 10)
		}
		cw.Write([]string{strconv.FormatInt(e.ID, 10), e.CreatedAt.Format(time.RFC3339), e.State, e.Kind, e.From.Name, e.To.Name,
			strconv.FormatInt(e.Practice.ID, 10), e.Practice.In(web.Lang(r)), tm(e.AnsweredAt), wait, e.ScheduledOn, tm(e.DoneAt),
			adapted, strconv.FormatBool(e.Public())})
	}
	cw.Flush()
}
