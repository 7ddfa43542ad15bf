package exchange_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// addCity inserts a city the way the cities capability stores one.
func addCity(t testing.TB, d *db.DB, slug, name string, names i18n.Text, country, continent string, pop int64) int64 {
	t.Helper()
	var id int64
	now := db.Now()
	err := d.W.QueryRowContext(context.Background(), `INSERT INTO cities (slug, name, names, country, continent, population, lat, lon, membership, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 'member', $7, $7) RETURNING id`, slug, name, names, country, continent, pop, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// world is a small network: Düsseldorf asks Montréal; Palermo is a third
// city that must see nothing of it.
type world struct {
	srv                          *testutil.Server
	d                            *db.DB
	dus, montreal, palermo       int64
	original, adapted            int64 // Montréal's practice; Düsseldorf's adaptation
	dusEd, mtlEd, palEd, admin   *auth.User
	dusPw, mtlPw, palPw, adminPw string
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	srv := testutil.NewServer(t, d)
	w := &world{srv: srv, d: d,
		dus:      addCity(t, d, "dusseldorf", "Düsseldorf", i18n.Text{"de": "Düsseldorf"}, "DE", "europe", 620000),
		montreal: addCity(t, d, "montreal", "Montréal", i18n.Text{"en": "Montreal", "fr": "Montréal"}, "CA", "north-america", 1760000),
		palermo:  addCity(t, d, "palermo", "Palermo", nil, "IT", "europe", 650000),
	}
	s := srv.App.Practices.Store
	a := practice.Actor{Email: "secretariat@example.org"}
	orig := practice.Record{Lang: "fr", CityID: w.montreal, Title: i18n.Text{"fr": "Ruelles vertes et conviviales", "en": "Green and friendly lanes"},
		Summary: i18n.Text{"fr": "Les riverains transforment leur ruelle en lieu de rencontre."},
		Body:    i18n.Text{"fr": "Les voisins plantent, entretiennent et animent la ruelle."}, Themes: []string{"public-space", "participation"},
		Status: "running", Start: "2016-05", Contact: practice.Contact{Name: "Claire Roy", Email: "claire.roy@montreal.example"}}
	w.original = publish(t, s, a, orig)
	own := practice.Record{Lang: "de", CityID: w.dus, Title: i18n.Text{"de": "Grüne Hinterhöfe für alle"},
		Summary: i18n.Text{"de": "Nachbarn machen aus Hinterhöfen Treffpunkte."},
		Body:    i18n.Text{"de": "Nach dem Vorbild aus Montréal öffnen Nachbarschaften ihre Höfe."}, Themes: []string{"public-space"},
		Status: "running", Start: "2021-04"}
	w.adapted = publish(t, s, a, own)
	w.dusEd, w.dusPw = srv.User(auth.RoleEditor, w.dus)
	w.mtlEd, w.mtlPw = srv.User(auth.RoleEditor, w.montreal)
	w.palEd, w.palPw = srv.User(auth.RoleEditor, w.palermo)
	w.admin, w.adminPw = srv.User(auth.RoleAdmin, 0)
	// Each reads their mail in their own language.
	for id, lang := range map[int64]string{w.dusEd.ID: "de", w.mtlEd.ID: "fr", w.palEd.ID: "en"} {
		if _, err := d.W.Exec(`UPDATE users SET lang = $1 WHERE id = $2`, lang, id); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func publish(t testing.TB, s *practice.Store, a practice.Actor, rec practice.Record) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := s.Create(ctx, a, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, a, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// serverURL remembers each client's server, for requests testutil does not build.
var serverURL = map[*testutil.Client]string{}

func (w *world) client(t *testing.T, email, pw string) *testutil.Client {
	c := w.srv.Client()
	c.Login(email, pw)
	serverURL[c] = w.srv.URL
	return c
}

var exchangeAt = regexp.MustCompile(`/exchanges/(\d+)$`)

// ask sends Düsseldorf's request through the form and returns its id.
func (w *world) ask(t *testing.T, c *testutil.Client, message string) int64 {
	t.Helper()
	res := c.Post("/en/exchanges/new?practice="+strconv.FormatInt(w.original, 10), url.Values{
		"kind": {"visit"}, "message": {message}, "dates": {"a week in May"}, "languages": {"de", "fr"},
		"contact_name": {"Jana Becker"}, "contact_email": {"jana.becker@duesseldorf.example"}}).Expect(t, 303)
	m := exchangeAt.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("after asking: %s", res.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// mails are the outbox's messages to an address.
func mails(t *testing.T, d *db.DB, to string) []string {
	t.Helper()
	rows, err := d.R.Query(`SELECT subject || ' ' || body FROM mail_outbox WHERE recipient = $1 ORDER BY id`, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}
