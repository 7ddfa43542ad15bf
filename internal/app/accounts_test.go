package app_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
)

var invitationLink = regexp.MustCompile(`https?://\S+/(?:de|en|fr)/invitation/[A-Za-z0-9_-]+`)

// lastMail is the newest message queued for to.
func lastMail(t *testing.T, d *db.DB, to string) (subject, body string) {
	t.Helper()
	if err := d.R.QueryRow(`SELECT subject, body FROM mail_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`, to).Scan(&subject, &body); err != nil {
		t.Fatalf("no mail to %s: %v", to, err)
	}
	return subject, body
}

func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// Invitations start from the least-privileged role, speak the invitee's
// language, name the city, can be sent again and revoked, and accepting
// one signs the person in; every later mail speaks the person's language.
func TestInvitationsSpeakTheInviteesLanguage(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		lyon := testutil.AddCity(t, d, testutil.City{Slug: "lyon", Name: "Lyon", Country: "FR", Continent: "europe",
			Names: i18n.Text{"fr": "Lyon", "de": "Lyon"}})
		dus := testutil.AddCity(t, d, testutil.City{Slug: "dusseldorf", Name: "Düsseldorf", Country: "DE", Continent: "europe",
			Names: i18n.Text{"de": "Düsseldorf", "fr": "Düsseldorf"}})
		s := testutil.NewServer(t, d)
		admin, apw := s.User(auth.RoleAdmin, 0)
		ad := s.Client()
		ad.Login(admin.Email, apw)

		// The form starts from the least-privileged role and the page's language.
		ad.Get("/en/admin/users").Expect(t, 200, `<option value="delegate" selected>`, `<option value="en" selected>English</option>`)
		ad.Post("/en/admin/users", url.Values{"name": {"Aline Roux"}, "email": {"aline@lyon.example"}, "role": {"editor"},
			"city": {itoa(lyon)}, "lang": {"xx"}}).Expect(t, 422, "Choose one of the languages offered")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM mail_outbox`); n != 0 {
			t.Fatalf("a refused invitation queued %d mails", n)
		}

		// A French-speaking editor, invited from the English page, gets a French invitation naming her city.
		ad.Post("/en/admin/users", url.Values{"name": {"Aline Roux"}, "email": {"aline@lyon.example"}, "role": {"editor"},
			"city": {itoa(lyon)}, "lang": {"fr"}}).Expect(t, 200, "/fr/invitation/")
		subject, body := lastMail(t, d, "aline@lyon.example")
		if subject != "Votre invitation à Observatory" || !strings.Contains(body, "Bonjour Aline Roux") ||
			!strings.Contains(body, "(rôle : Rédaction d’une ville pour Lyon)") {
			t.Errorf("invitation of a French editor:\n%s\n%s", subject, body)
		}
		first := invitationLink.FindString(body)
		if !strings.HasPrefix(first, s.URL+"/fr/invitation/") {
			t.Fatalf("invitation link %q", first)
		}
		// The list names the city and the language, with ways to send again and revoke.
		ad.Get("/en/admin/users").Expect(t, 200, "Aline Roux &lt;aline@lyon.example&gt; — City editor, Lyon", "French", "Send again", "Revoke")

		// Sent again: a new link; the old one stops working.
		ad.Post("/en/admin/users/invitations/resend", url.Values{"email": {"aline@lyon.example"}}).Expect(t, 200)
		_, body = lastMail(t, d, "aline@lyon.example")
		second := invitationLink.FindString(body)
		if second == "" || second == first || !strings.Contains(body, "Bonjour") {
			t.Fatalf("invitation sent again:\n%s", body)
		}
		pub := s.Client()
		pub.Get(path(t, first)).Expect(t, 404)
		pub.Get(path(t, second)).Expect(t, 200, "Accepter votre invitation")
		// Revoked: no link works, and it leaves the list.
		ad.Post("/en/admin/users/invitations/revoke", url.Values{"email": {"aline@lyon.example"}}).Expect(t, 303)
		pub.Get(path(t, second)).Expect(t, 404)
		ad.Get("/en/admin/users").Expect(t, 200, "The invitation to aline@lyon.example is revoked")
		ad.Get("/en/admin/users").Expect(t, 200).Lacks(t, "aline@lyon.example")
		ad.Post("/en/admin/users/invitations/revoke", url.Values{"email": {"aline@lyon.example"}}).Expect(t, 404)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('user.invite', 'user.invite.resend', 'user.invite.revoke')`); n != 3 {
			t.Errorf("invitation entries in the audit log: %d, want 3", n)
		}

		// Invited once more and accepted: she is signed in, in French, and her account speaks French.
		ad.Post("/en/admin/users", url.Values{"name": {"Aline Roux"}, "email": {"aline@lyon.example"}, "role": {"editor"},
			"city": {itoa(lyon)}, "lang": {"fr"}}).Expect(t, 200)
		_, body = lastMail(t, d, "aline@lyon.example")
		aline := s.Client()
		res := aline.Post(path(t, invitationLink.FindString(body)), url.Values{"name": {"Aline Roux"},
			"password": {"a long new password"}, "password2": {"a long new password"}}).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/fr/account" {
			t.Errorf("after accepting: %s", loc)
		}
		aline.Get("/fr/account").Expect(t, 200, "Bienvenue, Aline Roux", "Lyon", `<option value="fr" selected>Français</option>`)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'auth.invite.redeem' AND actor_email = 'aline@lyon.example'`); n != 1 {
			t.Errorf("accepting is not in the audit log as hers")
		}
		// Her password-reset mail is French too, whatever page asked.
		s.Client().Post("/de/password/forgot", url.Values{"email": {"aline@lyon.example"}}).Expect(t, 303)
		if subject, _ := lastMail(t, d, "aline@lyon.example"); strings.Contains(subject, "Passwort") || strings.Contains(subject, "password") {
			t.Errorf("reset mail to a French editor: %q", subject)
		}

		// A German editor is told "Veröffentlicht" when the secretariat publishes her practice.
		ad.Post("/en/admin/users", url.Values{"name": {"Dora Weber"}, "email": {"dora@dus.example"}, "role": {"editor"},
			"city": {itoa(dus)}, "lang": {"de"}}).Expect(t, 200)
		subject, body = lastMail(t, d, "dora@dus.example")
		if subject != "Ihre Einladung zu Observatory" || !strings.Contains(body, "(Rolle: Städteredaktion für Düsseldorf)") {
			t.Errorf("invitation of a German editor:\n%s\n%s", subject, body)
		}
		dora := s.Client()
		dora.Post(path(t, invitationLink.FindString(body)), url.Values{"password": {"a long new password"}, "password2": {"a long new password"}}).Expect(t, 303)
		res = dora.Post("/en/practices/new", url.Values{"language": {"de"}, "title": {"Gesunde Schule im Quartier"},
			"summary": {"Kinder lernen gesund."}, "theme": {"education", "health"}}).Expect(t, 303)
		id := regexp.MustCompile(`/practices/(\d+)`).FindStringSubmatch(res.Header.Get("Location"))
		if id == nil {
			t.Fatalf("after creating: %s", res.Header.Get("Location"))
		}
		dora.Post("/en/practices/"+id[1]+"/edit", url.Values{"lang": {"de"}, "base": {"1"},
			"title": {"Gesunde Schule im Quartier"}, "summary": {"Kinder lernen gesund."}, "body": {"Die Schule kocht frisch."},
			"results": {"Weniger Krankheitstage."}, "evidence": {"monitored"},
			"theme": {"education", "health"}, "status": {"running"}, "start": {"2017-09"}, "ongoing": {"1"}}).Expect(t, 303)
		dora.Post("/en/practices/"+id[1]+"/submit", nil).Expect(t, 303)
		ad.Post("/en/practices/"+id[1]+"/publish", nil).Expect(t, 303)
		subject, body = lastMail(t, d, "dora@dus.example")
		if subject != "Veröffentlicht: Gesunde Schule im Quartier" || !strings.Contains(body, "Guten Tag Dora Weber") || !strings.Contains(body, "/de/practices/") {
			t.Errorf("published notice to a German editor:\n%s\n%s", subject, body)
		}

		// The language is chosen on the account page.
		dora.Get("/de/account").Expect(t, 200, "Anmeldung und Sprache", `<option value="de" selected>Deutsch</option>`)
		dora.Post("/de/account/language", url.Values{"lang": {"xx"}}).Expect(t, 400)
		res = dora.Post("/de/account/language", url.Values{"lang": {"fr"}}).Expect(t, 303)
		if loc := res.Header.Get("Location"); loc != "/fr/account" {
			t.Errorf("after choosing French: %s", loc)
		}
		dora.Get("/fr/account").Expect(t, 200, "Votre langue est enregistrée", `<option value="fr" selected>Français</option>`)
	})
}
