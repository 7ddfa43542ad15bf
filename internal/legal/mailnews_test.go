package legal_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/mail"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// The news items a person wrote, and those naming them as press contact,
// are in their download. An erasure leaves the items to the network but
// removes the press contact, and replaces the person's name and address by
// the pseudonym in mail to others that the outbox still keeps; the outbox
// keeps no message longer than mail.KeepDays. The privacy notice says so.
func TestNewsAndMailInDownloadAndErasure(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := testutil.NewServer(t, d)
		dus := testutil.AddCity(t, d, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe", Timezone: "Europe/Berlin"})
		ad, apw := s.User(auth.RoleAdmin, 0)
		admin := s.Client()
		admin.Login(ad.Email, apw)
		ed, epw := s.User(auth.RoleEditor, dus)
		c := s.Client()
		c.Login(ed.Email, epw)

		ns := s.App.News.Store
		written, err := ns.Create(ctx, audit.Actor{UserID: ed.ID, Email: ed.Email}, news.Input{Lang: "en", Title: "Tree planting on the Rhine",
			Lead: "Volunteers planted trees.", Body: "Many trees.", DatedOn: "2026-03-01", CityID: dus, PressName: ed.Name, PressEmail: ed.Email})
		if err != nil {
			t.Fatal(err)
		}
		other, err := ns.Create(ctx, audit.Actor{UserID: ad.ID, Email: ad.Email}, news.Input{Lang: "en", Title: "Summit opens",
			Lead: "The summit opened.", Body: "Opening.", DatedOn: "2026-03-02", CityID: dus})
		if err != nil {
			t.Fatal(err)
		}
		if err := mail.Enqueue(ctx, d.W, "colleague@example.org", "Exchange request from "+ed.Name,
			"Hello,\n\n"+ed.Name+" ("+ed.Email+") asks about your practice."); err != nil {
			t.Fatal(err)
		}

		var dl struct {
			Data struct {
				News struct {
					Written []struct {
						ID    int64
						Title map[string]string
					} `json:"items_written"`
					Press []struct {
						ID    int64
						Email string `json:"press_email"`
					} `json:"named_as_press_contact"`
				} `json:"news"`
			} `json:"data"`
		}
		res := c.Get("/en/account/data.json").Expect(t, 200, "Tree planting on the Rhine").Lacks(t, "Summit opens")
		if err := json.Unmarshal([]byte(res.Body), &dl); err != nil {
			t.Fatal(err)
		}
		if w := dl.Data.News.Written; len(w) != 1 || w[0].ID != written || w[0].Title["en"] != "Tree planting on the Rhine" {
			t.Errorf("items written in the download: %+v", w)
		}
		if p := dl.Data.News.Press; len(p) != 1 || p[0].ID != written || p[0].Email != ed.Email {
			t.Errorf("press contacts in the download: %+v", p)
		}
		admin.Get("/en/account/data.json").Expect(t, 200, "Summit opens").Lacks(t, "Tree planting on the Rhine")

		// Erasure, asked for and completed.
		c.Post("/en/account/erasure", url.Values{"confirm": {"yes"}}).Expect(t, 303)
		page := admin.Get("/en/admin/legal").Expect(t, 200, ed.Name)
		action := regexp.MustCompile(`action="(/en/admin/legal/requests/\d+/complete)"`).FindStringSubmatch(page.Body)[1]
		admin.Post(action, url.Values{"confirm": {"yes"}}).Expect(t, 303)
		var pseudonym string
		if err := d.R.QueryRow(`SELECT name FROM users WHERE id = $1`, ed.ID).Scan(&pseudonym); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM mail_outbox WHERE body LIKE '%' || $1 || '%' OR subject LIKE '%' || $1 || '%'`,
			`SELECT COUNT(*) FROM news_items WHERE press_name = $1`,
		} {
			if n := testutil.Count(t, d, q, ed.Name); n != 0 {
				t.Errorf("%s: %d rows still name the person", q, n)
			}
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'colleague@example.org' AND subject = $1`, "Exchange request from "+pseudonym); n != 1 {
			t.Errorf("the mail to the colleague: %d with the pseudonym, want 1", n)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM news_items WHERE id IN ($1, $2) AND press_email = ''`, written, other); n != 2 {
			t.Errorf("news items kept without the press contact: %d, want 2", n)
		}

		// Retention: mail older than KeepDays goes, sent or not; newer stays.
		old := db.Now().Add(-(mail.KeepDays + 1) * 24 * time.Hour)
		for _, to := range []string{"old-sent@example.org", "old-unsent@example.org", "new-sent@example.org"} {
			if err := mail.Enqueue(ctx, d.W, to, "Notice", "Text"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.W.Exec(`UPDATE mail_outbox SET created_at = $1, sent_at = $1 WHERE recipient = 'old-sent@example.org'`, old); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE mail_outbox SET created_at = $1 WHERE recipient = 'old-unsent@example.org'`, old); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE mail_outbox SET sent_at = $1 WHERE recipient = 'new-sent@example.org'`, db.Now()); err != nil {
			t.Fatal(err)
		}
		n, err := mail.Purge(ctx, d, db.Now())
		if err != nil || n != 2 {
			t.Fatalf("purged %d (%v), want 2", n, err)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox WHERE recipient IN ('new-sent@example.org', 'colleague@example.org')`); n != 2 {
			t.Errorf("recent mail kept: %d, want 2", n)
		}

		// The privacy notice states the purpose and the retention.
		for lang, want := range map[string][]string{
			"en": {"E-mail from the platform", "deleted 90 days after it was written", "News items"},
			"de": {"E-Mails der Plattform", "90 Tage nach dem Schreiben gelöscht", "Nachrichten"},
			"fr": {"Courriels de la plateforme", "supprimé 90 jours après sa rédaction", "Actualités"},
		} {
			s.Client().Get("/"+lang+"/privacy").Expect(t, 200, want...)
		}
	})
}
