package voice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

type fixture struct {
	s       *testutil.Server
	d       *db.DB
	city    int64
	other   int64
	c       *voice.Consultation // moderated before publication
	after   *voice.Consultation // moderated after publication
	station string              // a kiosk token of c
	ex      int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	s := testutil.NewServer(t, d)
	s.App.Voice.PowBase = 200 // quick to solve in tests
	f := &fixture{s: s, d: d}
	f.city = addCity(t, d, "dusseldorf", "Düsseldorf")
	f.other = addCity(t, d, "lyon", "Lyon")
	st := s.App.Voice.Store
	ctx := context.Background()
	a := audit.System("test")
	mk := func(slug, mode string, city int64) *voice.Consultation {
		id, err := st.SaveConsultation(ctx, a, 0, voice.ConsultationInput{CityID: city, Slug: slug,
			Question: i18n.Text{"de": "Was wünschen Sie sich für " + slug + "?", "en": "What do you wish for " + slug + "?"}, SourceLang: "de",
			Themes: []string{"housing", "culture"}, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(24 * time.Hour),
			RetentionDays: 30, Moderation: mode})
		if err != nil {
			t.Fatal(err)
		}
		c, err := st.Consultation(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	f.c = mk("morgen", "before", f.city)
	f.after = mk("lyon-demain", "after", f.other)
	var err error
	if f.ex, err = st.SaveExhibition(ctx, a, f.c, voice.Exhibition{Venue: "NRW-Forum", Lat: 51.23, Lon: 6.77, StartsOn: "2019-09-01", EndsOn: "2019-09-07"}); err != nil {
		t.Fatal(err)
	}
	if f.station, err = st.AddStation(ctx, a, f.c, f.ex, "Eingang"); err != nil {
		t.Fatal(err)
	}
	return f
}

func addCity(t *testing.T, d *db.DB, slug, name string) int64 {
	t.Helper()
	var id int64
	now := db.Now()
	if err := d.W.QueryRowContext(context.Background(), `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
		VALUES ($1, $2, 'DE', 'europe', 51.2, 6.8, 'member', $3, $3) RETURNING id`, slug, name, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) count(t *testing.T, where string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM voice_ideas WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// solved fetches a challenge through the API and solves it.
func (f *fixture) solved(t *testing.T) voice.Solution {
	t.Helper()
	res, err := http.Get(f.s.URL + "/api/v1/ideas/challenge")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var c voice.Challenge
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	sol, err := voice.Solve(c)
	if err != nil {
		t.Fatal(err)
	}
	return sol
}

type apiAnswer struct {
	Status int
	Body   map[string]any
}

func (f *fixture) postJSON(t *testing.T, path string, body any, header ...string) apiAnswer {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", f.s.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := apiAnswer{Status: res.StatusCode, Body: map[string]any{}}
	json.Unmarshal(raw, &out.Body)
	return out
}

func (f *fixture) getJSON(t *testing.T, path string, into any) int {
	t.Helper()
	res, err := http.Get(f.s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if into != nil {
		json.NewDecoder(res.Body).Decode(into)
	}
	return res.StatusCode
}

var receiptRe = regexp.MustCompile(`/ideas/receipt/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})`)

// give posts an idea through the API with a fresh proof of work and returns its receipt.
func (f *fixture) give(t *testing.T, c *voice.Consultation, text string) string {
	t.Helper()
	a := f.postJSON(t, "/api/v1/ideas", map[string]any{"consultation": c.ID, "text": text, "language": "de", "altcha": f.solved(t).Encode()})
	if a.Status != http.StatusAccepted {
		t.Fatalf("giving %q: %d %v", text, a.Status, a.Body)
	}
	return a.Body["receipt"].(string)
}

func (f *fixture) ideaID(t *testing.T, receipt string) int64 {
	t.Helper()
	var id int64
	if err := f.d.R.QueryRowContext(context.Background(), `SELECT id FROM voice_ideas WHERE receipt = $1`, receipt).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// moderate publishes (or otherwise decides) ideas as an administrator.
func (f *fixture) decide(t *testing.T, action string, ids ...int64) {
	t.Helper()
	if err := f.s.App.Voice.Store.Decide(context.Background(), audit.System("test"), 0, ids, voice.ModAction{Action: action, Reason: "offtopic"}); err != nil {
		t.Fatal(err)
	}
}
