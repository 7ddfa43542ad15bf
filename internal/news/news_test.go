package news_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/jobs"
	"observatory/internal/media"
	"observatory/internal/news"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

func addCity(t testing.TB, d *db.DB, slug, name, zone string) int64 {
	t.Helper()
	var id int64
	now := db.Now()
	err := d.W.QueryRowContext(context.Background(), `INSERT INTO cities (slug, name, names, country, continent, lat, lon, timezone, membership, created_at, updated_at)
		VALUES ($1, $2, '{}', 'DE', 'europe', 51, 6, $3, 'member', $4, $4) RETURNING id`, slug, name, zone, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var admin = audit.Actor{Email: "secretariat@example.org"}

func item(lang, title string, city int64, date string) news.Input {
	return news.Input{Lang: lang, Title: title, Lead: "Lead of " + title, Body: "Body of **" + title + "**", Place: "Düsseldorf",
		DatedOn: date, CityID: city, Tags: []string{"summit"}}
}

func create(t testing.TB, s *news.Store, in news.Input, state string, at time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := s.Create(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if state != news.StateDraft {
		if err := s.SetState(ctx, admin, id, state, at); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// Drafts, scheduled (not yet due) and archived items reach no page, feed,
// API answer, sitemap or calendar; the published one does.
func TestUnpublishedNewsIsInvisibleEverywhere(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.News.Store
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		now := db.Now()
		pub := item("de", "Sichtbarwort", dus, "2019-09-02")
		pub.IsEvent = true
		visible := create(t, s, pub, news.StatePublished, time.Time{})
		photo := testImage(t)
		if err := s.AddMedia(context.Background(), admin, visible, news.MediaInput{Kind: "photo", Lang: "de", Caption: "Ein Foto", Credit: "Stadt", Licence: "CC BY 4.0", TakenOn: "2019-09-01"}, photo); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMedia(context.Background(), admin, visible, news.MediaInput{Kind: "video", Lang: "de", Caption: "Videobotschaft", VideoURL: "https://video.example.org/v/1"}, testImage(t)); err != nil {
			t.Fatal(err)
		}
		hidden := map[string]int64{}
		for _, c := range []struct{ word, state string }{{"Draftwort", news.StateDraft}, {"Scheduledwort", news.StateScheduled}, {"Archivwort", news.StateArchived}} {
			in := item("de", c.word, dus, "2019-09-03")
			in.IsEvent = true
			if c.state == news.StateArchived {
				hidden[c.word] = create(t, s, in, news.StatePublished, time.Time{})
				if err := s.SetState(context.Background(), admin, hidden[c.word], news.StateArchived, time.Time{}); err != nil {
					t.Fatal(err)
				}
				continue
			}
			hidden[c.word] = create(t, s, in, c.state, now.Add(48*time.Hour))
		}
		editor, pw := srv.User(auth.RoleEditor, addCity(t, d, "chemnitz", "Chemnitz", "Europe/Berlin"))
		other := srv.Client()
		other.Login(editor.Email, pw)
		for _, c := range []*testutil.Client{srv.Client(), other} {
			var bodies []string
			get := func(path string) {
				bodies = append(bodies, c.Get(path).Expect(t, 200).Body)
			}
			for _, lang := range i18n.Langs {
				get("/" + lang + "/news")
				get("/" + lang + "/news?city=" + strconv.FormatInt(dus, 10))
				get("/" + lang + "/news?year=2019&tag=summit")
				get("/" + lang + "/news?q=Sichtbarwort")
				for word := range hidden { // the page repeats the words searched for, so no item may show
					c.Get("/"+lang+"/news?q="+word).Expect(t, 200).Lacks(t, `class="news-card"`)
				}
				get("/" + lang + "/news/feed.atom")
				get("/" + lang + "/news/feed.rss")
				get("/" + lang + "/news/feed.json?city=" + strconv.FormatInt(dus, 10))
				get("/" + lang + "/calendar?view=list&month=2019-09")
				get("/" + lang + "/calendar?month=2019-09")
				get("/" + lang + "/calendar.ics")
				get("/" + lang + "/press")
				get("/" + lang + "/")
				get("/" + lang + "/cities/" + strconv.FormatInt(dus, 10) + "-dusseldorf")
				get("/" + lang + "/news/" + strconv.FormatInt(visible, 10) + "-sichtbarwort")
			}
			get("/api/v1/news")
			get("/sitemap.xml")
			all := strings.Join(bodies, "\n")
			if !strings.Contains(all, "Sichtbarwort") {
				t.Fatal("the published item is missing: the check proves nothing")
			}
			for word, id := range hidden {
				if strings.Contains(all, word) {
					t.Errorf("%s (item %d) is visible to the public", word, id)
				}
				for _, lang := range i18n.Langs {
					c.Get("/"+lang+"/news/"+strconv.FormatInt(id, 10)).Expect(t, 404)
				}
				c.Get("/en/calendar/event.ics?uid=news-"+strconv.FormatInt(id, 10)+"@observatory").Expect(t, 404)
			}
		}
		srv.Client().Get("/en/news/"+strconv.FormatInt(visible, 10)).Expect(t, 301)

		// Tokens: another city's editor sees nothing with read:private, nor
		// Düsseldorf's editor without it; with it, Düsseldorf's editor sees
		// the workspace's items, and the public never gets that answer.
		token := func(u *auth.User, scope string) string {
			secret, _, err := srv.App.Users.CreateToken(context.Background(), admin, u, "test", []string{scope}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}
		own, ownPW := srv.User(auth.RoleEditor, dus)
		for _, tok := range []string{token(editor, auth.ScopeReadPrivate), token(own, auth.ScopePracticesWrite)} {
			res := srv.Client().Get("/api/v1/news", "Authorization", "Bearer "+tok).Expect(t, 200, "Sichtbarwort")
			for word := range hidden {
				if strings.Contains(res.Body, word) {
					t.Errorf("%s shows to a token without the right to see it", word)
				}
			}
		}
		reader := token(own, auth.ScopeReadPrivate)
		for range 2 {
			res := srv.Client().Get("/api/v1/news?lang=de", "Authorization", "Bearer "+reader).Expect(t, 200, `"work"`, "Draftwort", "Scheduledwort", "Archivwort")
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Errorf("a read:private answer is %q", cc)
			}
		}
		// The same items as the workspace page shows the editor signed in.
		oc := srv.Client()
		oc.Login(own.Email, ownPW)
		oc.Get("/de/news/work").Expect(t, 200, "Draftwort", "Scheduledwort", "Archivwort")
		for range 2 {
			srv.Client().Get("/api/v1/news?lang=de").Expect(t, 200, "Sichtbarwort").Lacks(t, "Draftwort", "Scheduledwort", "Archivwort", `"work"`)
		}
	})
}

// A scheduled item appears when the publishing job runs at or after its
// time, and not before; it counts as published at its scheduled time. The
// job runs on one server at a time (its lease), and what it did shows on
// every server, since it is in the database.
func TestScheduledNewsAppearsAtItsTime(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		second := testutil.NewServer(t, d) // another app server on the same database
		s := srv.App.News.Store
		ctx := context.Background()
		at := db.Now().Add(3 * time.Hour)
		id := create(t, s, item("de", "Zeitwort", 0, "2026-12-24"), news.StateScheduled, at)
		for _, before := range []time.Time{db.Now(), at.Add(-time.Second)} {
			if n, err := s.PublishDue(ctx, before); err != nil || n != 0 {
				t.Fatalf("published %d items at %v before their time (%v)", n, before, err)
			}
		}
		srv.Client().Get("/de/news").Lacks(t, "Zeitwort")
		srv.Client().Get("/de/").Lacks(t, "Zeitwort")
		if n, err := s.PublishDue(ctx, at); err != nil || n != 1 {
			t.Fatalf("published %d items at their time (%v)", n, err)
		}
		for _, server := range []*testutil.Server{srv, second} {
			server.Client().Get("/de/news").Expect(t, 200, "Zeitwort")
			server.Client().Get("/de/").Expect(t, 200, "Zeitwort")
		}
		it, err := s.Get(ctx, id)
		if err != nil || it.State != news.StatePublished || it.PublishedAt == nil || !it.PublishedAt.Equal(at) {
			t.Fatalf("after the job: %+v, %v; want published at %v", it, err, at)
		}
		if n, _ := s.PublishDue(ctx, at.Add(time.Hour)); n != 0 {
			t.Errorf("published again: %d", n)
		}
		// The job of the capability, through the runner's lease: two
		// servers, one run.
		id2 := create(t, s, item("de", "Laufwort", 0, "2026-12-24"), news.StateScheduled, db.Now().Add(2*time.Second))
		d.W.ExecContext(ctx, `UPDATE news_items SET publish_at = $1 WHERE id = $2`, db.Now().Add(-time.Minute), id2)
		var job web.Job
		for _, j := range capabilityJobs(srv) {
			job = j
		}
		if !job.Once {
			t.Fatal("the publishing job must run on one server at a time")
		}
		a, b := &jobs.Runner{DB: d, Holder: "a"}, &jobs.Runner{DB: d, Holder: "b"}
		if err := a.RunOnce(ctx, job); err != nil {
			t.Fatal(err)
		}
		if err := b.RunOnce(ctx, job); err != nil {
			t.Fatal(err)
		}
		second.Client().Get("/de/news").Expect(t, 200, "Laufwort")
	})
}

func capabilityJobs(srv *testutil.Server) []web.Job {
	return news.New(news.Deps{DB: srv.App.DB, Render: srv.App.Render, Auth: srv.App.Auth, Log: srv.App.Log}).Capability().Jobs
}

// Translations keep their state: a changed original makes them outdated,
// a language with only some fields is partial; a reader of a language
// without text is told which one is shown.
func TestTranslationStates(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.News.Store
		ctx := context.Background()
		id := create(t, s, item("de", "Gipfelergebnisse", 0, "2019-09-02"), news.StatePublished, time.Time{})
		en := item("en", "Summit results", 0, "2019-09-02")
		en.Body = ""
		if err := s.Update(ctx, admin, id, en); err != nil {
			t.Fatal(err)
		}
		it, _ := s.Get(ctx, id)
		if st := it.LangState("en"); st != news.Partial {
			t.Errorf("en is %q, want partial (no body)", st)
		}
		if st := it.LangState("fr"); st != "" {
			t.Errorf("fr is %q, want nothing", st)
		}
		srv.Client().Get("/en/"+it.Path("en")[1:]).Expect(t, 200, "Summit results", "Partly translated", `lang="de"`)
		srv.Client().Get("/fr/"+it.Path("fr")[1:]).Expect(t, 200, "Gipfelergebnisse", "pas encore dans votre langue")
		de := item("de", "Gipfelergebnisse", 0, "2019-09-02")
		de.Lead = "Neuer Vorspann"
		if err := s.Update(ctx, admin, id, de); err != nil {
			t.Fatal(err)
		}
		it, _ = s.Get(ctx, id)
		if st := it.FieldState("lead", "en"); st != news.Outdated {
			t.Errorf("en lead is %q after the original changed, want outdated", st)
		}
		if st := it.LangState("en"); st != news.Outdated {
			t.Errorf("en is %q, want outdated", st)
		}
		// Slugs follow the page's language; another slug redirects.
		res := srv.Client().Get("/en/news/" + strconv.FormatInt(id, 10) + "-gipfelergebnisse")
		if res.StatusCode != 301 || res.Header.Get("Location") != "/en/news/"+strconv.FormatInt(id, 10)+"-summit-results" {
			t.Errorf("old slug: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// The secretariat writes any item; a city's editor only their city's.
func TestEditorsWriteTheirCitysNews(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "Europe/Berlin")
		chem := addCity(t, d, "chemnitz", "Chemnitz", "Europe/Berlin")
		u, pw := srv.User(auth.RoleEditor, dus)
		c := srv.Client()
		c.Login(u.Email, pw)
		form := url.Values{"lang": {"de"}, "title": {"Sommerfest"}, "dated_on": {"2027-07-01"}, "city": {strconv.FormatInt(chem, 10)}}
		res := c.Post("/de/news/new", form).Expect(t, 303)
		id, _ := strconv.ParseInt(strings.Split(res.Header.Get("Location"), "/")[3], 10, 64)
		it, err := srv.App.News.Store.Get(context.Background(), id)
		if err != nil || it.CityID != dus {
			t.Fatalf("the editor's item: %+v %v, want city %d", it, err, dus)
		}
		// Bad input: 422, the form keeps what was typed, nothing stored.
		c.Post("/de/news/new", url.Values{"lang": {"de"}, "title": {"Ohne Datum"}, "dated_on": {"bald"}}).Expect(t, 422, "Ohne Datum", "Bitte ein Datum angeben")
		theirs := create(t, srv.App.News.Store, item("de", "Chemnitzer Nachricht", chem, "2027-01-01"), news.StateDraft, time.Time{})
		c.Get("/de/news/"+strconv.FormatInt(theirs, 10)+"/edit").Expect(t, 403)
		c.Post("/de/news/"+strconv.FormatInt(theirs, 10)+"/state", url.Values{"state": {"published"}}).Expect(t, 403)
		srv.Client().Get("/de/news/new").Expect(t, 303)
		del, dpw := srv.User(auth.RoleDelegate, dus)
		dc := srv.Client()
		dc.Login(del.Email, dpw)
		dc.Get("/de/news/new").Expect(t, 403)
		// Scheduling in the past is refused; in the future it is kept.
		c.Post("/de/news/"+strconv.FormatInt(id, 10)+"/state", url.Values{"state": {"scheduled"}, "publish_at": {"2001-01-01T10:00"}}).Expect(t, 422)
		c.Post("/de/news/"+strconv.FormatInt(id, 10)+"/state", url.Values{"state": {"scheduled"}, "publish_at": {"2099-01-01T10:00"}}).Expect(t, 303)
		it, _ = srv.App.News.Store.Get(context.Background(), id)
		if it.State != news.StateScheduled || it.PublishAt == nil || !it.PublishAt.Equal(time.Date(2099, 1, 1, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("scheduled: %s at %v, want 09:00 UTC (10:00 in Düsseldorf)", it.State, it.PublishAt)
		}
	})
}

func testImage(t testing.TB) *media.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	m, err := media.Process(&b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var ldRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
