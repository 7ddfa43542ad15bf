package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/web"
)

// ObservanceForm is an observed day as the secretariat edits it: its
// texts in every language at once.
type ObservanceForm struct {
	Key                  string // set once, on creation: the page's address and the calendar's UID
	Title, About, Source i18n.Text
	Month, Day, Since    int
	CityID               int64
}

var observanceKey = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate names each bad field with its message key.
func (in *ObservanceForm) Validate(creating bool) Invalid {
	bad := Invalid{}
	if creating && (len(in.Key) > 60 || !observanceKey.MatchString(in.Key)) {
		bad["key"] = "news.observances.err.key"
	}
	in.Title, in.About, in.Source = in.Title.Clean(), in.About.Clean(), in.Source.Clean()
	if in.Title.Empty() {
		bad["title_en"] = "news.observances.err.title"
	}
	for field, t := range map[string]i18n.Text{"title": in.Title, "about": in.About, "source": in.Source} {
		limit := map[string]int{"title": 200, "about": 2000, "source": 300}[field]
		for l, v := range t {
			if utf8.RuneCountInString(v) > limit {
				bad[field+"_"+l] = "news.observances.err.too_long"
			}
		}
	}
	if in.Month < 1 || in.Month > 12 || in.Day < 1 ||
		time.Date(2000, time.Month(in.Month), in.Day, 0, 0, 0, 0, time.UTC).Month() != time.Month(in.Month) {
		bad["day"] = "news.observances.err.day"
	}
	if in.Since != 0 && (in.Since < 1900 || in.Since > 2200) {
		bad["since"] = "news.observances.err.since"
	}
	return bad
}

// Observance returns one observed day by id.
func (s *Store) Observance(ctx context.Context, id int64) (*Observance, error) {
	os, err := s.observances(ctx, ` WHERE o.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, ErrNotFound
	}
	return os[0], nil
}

// SaveObservanceForm creates (id 0) or changes an observed day, with the
// audit entry in the same transaction. A change raises its sequence, so
// calendars that subscribed take the new version.
func (s *Store) SaveObservanceForm(ctx context.Context, by audit.Actor, id int64, in ObservanceForm) (int64, error) {
	if bad := in.Validate(id == 0); len(bad) > 0 {
		return 0, bad
	}
	var since any
	if in.Since > 0 {
		since = in.Since
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if in.CityID != 0 {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM cities WHERE id = $1`, in.CityID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return Invalid{"city": "news.observances.err.city"}
			} else if err != nil {
				return err
			}
		}
		action := "news.observance.update"
		if id == 0 {
			action = "news.observance.create"
			err := tx.QueryRowContext(ctx, `INSERT INTO news_observances (key, title, about, source, month, day, since, city_id, sequence, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id`,
				in.Key, in.Title, in.About, in.Source, in.Month, in.Day, since, nullID(in.CityID), now).Scan(&id)
			if db.IsUniqueViolation(err) {
				return Invalid{"key": "news.observances.err.key_taken"}
			}
			if err != nil {
				return err
			}
		} else {
			err := tx.QueryRowContext(ctx, `UPDATE news_observances SET title = $1, about = $2, source = $3, month = $4, day = $5,
				since = $6, city_id = $7, sequence = sequence + 1, updated_at = $8 WHERE id = $9 RETURNING key`,
				in.Title, in.About, in.Source, in.Month, in.Day, since, nullID(in.CityID), now, id).Scan(&in.Key)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
		}
		return by.Record(ctx, tx, action, audit.Subject{Kind: "observance", ID: id, Title: in.Title.Get("en", ""),
			Path: "/calendar/observances/" + in.Key}, fmt.Sprintf("%02d-%02d", in.Month, in.Day))
	})
	if err != nil {
		return 0, fmt.Errorf("saving observance: %w", err)
	}
	return id, nil
}

// DeleteObservance removes an observed day; the news items that pointed
// to it keep their text and lose only the link.
func (s *Store) DeleteObservance(ctx context.Context, by audit.Actor, id int64) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var key string
		var title i18n.Text
		err := tx.QueryRowContext(ctx, `SELECT key, title FROM news_observances WHERE id = $1`, id).Scan(&key, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE news_items SET observance_id = NULL WHERE observance_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM news_observances WHERE id = $1`, id); err != nil {
			return err
		}
		return by.Record(ctx, tx, "news.observance.delete", audit.Subject{Kind: "observance", ID: id, Title: title.Get("en", "")}, key)
	})
	if err != nil {
		return fmt.Errorf("deleting observance %d: %w", id, err)
	}
	return nil
}

type observancesData struct {
	Rows []observanceRow
}

type observanceRow struct {
	O          *Observance
	Name, Rule string
}

// ObservancesAdmin is GET /{lang}/admin/observances: the secretariat's
// list of the observed days.
func (h *Handlers) ObservancesAdmin(w http.ResponseWriter, r *http.Request) {
	list, err := h.Store.Observances(r.Context())
	if err != nil {
		h.Render.Fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	var d observancesData
	for _, o := range list {
		d.Rows = append(d.Rows, observanceRow{O: o, Name: o.Title.Get(lang, "en"), Rule: RuleText(h.Render.Catalog, lang, o.Month, o.Day)})
	}
	p := h.Render.NewPage(r, "", d)
	p.Title = p.T("news.observances.title")
	p.NoIndex = true
	h.Render.HTML(w, r, http.StatusOK, "news/observances", p)
}

type observanceEditData struct {
	O      *Observance // nil for a new one
	Cities []Option
	Langs  []string
	Months []month
}

type month struct {
	N    int
	Name string
}

func (h *Handlers) observanceEdit(w http.ResponseWriter, r *http.Request, status int, o *Observance, f *web.Form) {
	cities, err := h.Store.CityOptions(r.Context(), web.Lang(r))
	if err != nil {
		h.Render.Fail(w, r, err)
		return
	}
	d := observanceEditData{O: o, Cities: cities, Langs: i18n.Langs}
	for m := 1; m <= 12; m++ {
		name := i18n.MonthYear(web.Lang(r), time.Date(2001, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
		d.Months = append(d.Months, month{N: m, Name: strings.TrimSuffix(name, " 2001")})
	}
	p := h.Render.NewPage(r, "", d)
	p.Form = f
	p.NoIndex = true
	if o == nil {
		p.Title = p.T("news.observances.new")
	} else {
		p.Title = p.T("news.observances.edit", "Title", o.Title.Get(web.Lang(r), "en"))
	}
	h.Render.HTML(w, r, status, "news/observance_edit", p)
}

func (h *Handlers) observanceOf(w http.ResponseWriter, r *http.Request) (*Observance, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Render.NotFound(w, r)
		return nil, false
	}
	o, err := h.Store.Observance(r.Context(), id)
	if err != nil {
		h.Render.Fail(w, r, err, ErrNotFound)
		return nil, false
	}
	return o, true
}

// ObservanceNew is GET /{lang}/admin/observances/new.
func (h *Handlers) ObservanceNew(w http.ResponseWriter, r *http.Request) {
	h.observanceEdit(w, r, http.StatusOK, nil, web.NewForm(nil))
}

// ObservanceEdit is GET /{lang}/admin/observances/{id}.
func (h *Handlers) ObservanceEdit(w http.ResponseWriter, r *http.Request) {
	o, ok := h.observanceOf(w, r)
	if !ok {
		return
	}
	f := web.NewForm(nil)
	for _, l := range i18n.Langs {
		f.Values.Set("title_"+l, o.Title[l])
		f.Values.Set("about_"+l, o.About[l])
		f.Values.Set("source_"+l, o.Source[l])
	}
	f.Values.Set("month", strconv.Itoa(o.Month))
	f.Values.Set("day", strconv.Itoa(o.Day))
	if o.Since > 0 {
		f.Values.Set("since", strconv.Itoa(o.Since))
	}
	f.Values.Set("city", strconv.FormatInt(o.CityID, 10))
	h.observanceEdit(w, r, http.StatusOK, o, f)
}

// ObservanceSave is POST /{lang}/admin/observances/new and
// POST /{lang}/admin/observances/{id}.
func (h *Handlers) ObservanceSave(w http.ResponseWriter, r *http.Request) {
	var o *Observance
	if r.PathValue("id") != "" {
		var ok bool
		if o, ok = h.observanceOf(w, r); !ok {
			return
		}
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		h.Render.Error(w, r, http.StatusBadRequest, err)
		return
	}
	num := func(name string) int {
		n, err := strconv.Atoi(f.Get(name))
		if err != nil && f.Get(name) != "" {
			return -1
		}
		return n
	}
	in := ObservanceForm{Key: strings.ToLower(f.Get("key")), Title: i18n.Text{}, About: i18n.Text{}, Source: i18n.Text{},
		Month: num("month"), Day: num("day"), Since: num("since")}
	in.CityID, _ = strconv.ParseInt(f.Get("city"), 10, 64)
	for _, l := range i18n.Langs {
		in.Title[l], in.About[l], in.Source[l] = f.Get("title_"+l), f.Get("about_"+l), f.Get("source_"+l)
	}
	var id int64
	if o != nil {
		id = o.ID
	}
	id, err = h.Store.SaveObservanceForm(r.Context(), audit.ActorFrom(r), id, in)
	var bad Invalid
	if errors.As(err, &bad) {
		for k, v := range bad {
			f.Fail(k, v)
		}
		h.observanceEdit(w, r, http.StatusUnprocessableEntity, o, f)
		return
	}
	if err != nil {
		h.Render.Fail(w, r, err, ErrNotFound)
		return
	}
	web.Redirect(w, r, "/"+web.Lang(r)+"/admin/observances#observance-"+strconv.FormatInt(id, 10))
}

// ObservanceDelete is POST /{lang}/admin/observances/{id}/delete, after
// the secretariat's yes.
func (h *Handlers) ObservanceDelete(w http.ResponseWriter, r *http.Request) {
	o, ok := h.observanceOf(w, r)
	if !ok {
		return
	}
	lang := web.Lang(r)
	cat := h.Render.Catalog
	if !h.Render.Confirmed(w, r, web.Confirm{Question: cat.T(lang, "news.observances.delete_q", "Title", o.Title.Get(lang, "en")),
		Notes: []string{cat.T(lang, "news.observances.delete_note")}, Back: "/" + lang + "/admin/observances"}) {
		return
	}
	if err := h.Store.DeleteObservance(r.Context(), audit.ActorFrom(r), o.ID); err != nil {
		h.Render.Fail(w, r, err, ErrNotFound)
		return
	}
	web.Redirect(w, r, "/"+lang+"/admin/observances")
}
