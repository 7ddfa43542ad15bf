package declaration_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

var hashRe = regexp.MustCompile(`name="hash" value="([0-9a-f]{64})"`)

// createThroughForms makes, publishes and opens a declaration as the
// secretariat does, and returns its id.
func createThroughForms(t *testing.T, c *testutil.Client, d *db.DB) int64 {
	t.Helper()
	// Bad input: kept and marked, nothing stored.
	c.Post("/en/admin/declarations", url.Values{"authoritative": {"fr"}, "title_en": {"Only a title"}}).
		Expect(t, 422, "Enter the text for this language", `value="Only a title"`)
	if n := testutil.Count(t, d, `SELECT COUNT(*) FROM declarations`); n != 0 {
		t.Fatalf("a refused declaration was stored: %d", n)
	}
	res := c.Post("/en/admin/declarations", url.Values{
		"authoritative": {"en"},
		"title_en":      {"Declaration on Living Together"}, "body_en": {"We, the mayors, **commit** to living together.\n\n<script>alert(1)</script>"},
		"title_de": {"Erklärung zum Zusammenleben"}, "body_de": {"Wir, die Bürgermeister, verpflichten uns zum Zusammenleben."},
		"adopted_on": {"2019-08-31"}, "adopted_place": {"Tonhalle Düsseldorf"}, "demo": {"1"},
	}).Expect(t, 303)
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/en/admin/declarations/"), 10, 64)
	if err != nil {
		t.Fatalf("after creating: %s", res.Header.Get("Location"))
	}
	path := "/en/admin/declarations/" + strconv.FormatInt(id, 10)
	c.Post(path+"/status", url.Values{"status": {"open"}}).Expect(t, 409, "Publish a version before opening")
	c.Post(path+"/publish", nil).Expect(t, 303)
	c.Post(path+"/publish", nil).Expect(t, 409, "There is no new version to publish")
	c.Post(path+"/status", url.Values{"status": {"open"}}).Expect(t, 303)
	return id
}

func TestSignWithdrawAndVerifyThroughTheServer(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "europe", 51.22, 6.78)
		war := addCity(t, d, "warsaw", "Warsaw", "PL", "europe", 52.23, 21.01)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		id := createThroughForms(t, a, d)
		ref := "/declarations/" + strconv.FormatInt(id, 10)
		page := ref + "-declaration-on-living-together"

		pub := s.Client()
		pub.Get("/en"+ref).Expect(t, 301)
		pub.Get("/en/declarations").Expect(t, 200, "Declaration on Living Together", "Open for signature", "Demo text")
		pub.Get("/en"+page).Expect(t, 200, "<strong>commit</strong>", "This is the authoritative text.", "Demo content", "No city has signed yet.").
			Lacks(t, "<script>alert(1)</script>")
		pub.Get("/fr"+page).Expect(t, 200, "Cette déclaration n’existe pas en français ; elle est affichée en anglais.")
		// German addresses carry the German title's slug; the English one redirects there.
		dePage := ref + "-erklarung-zum-zusammenleben"
		if res := pub.Get("/de"+page).Expect(t, 301); res.Header.Get("Location") != "/de"+dePage {
			t.Errorf("English slug in German: → %s", res.Header.Get("Location"))
		}
		pub.Get("/de"+dePage).Expect(t, 200, "Wir, die Bürgermeister", "im Zweifel ist der Text auf Englisch maßgeblich",
			`hreflang="en" href="`+s.URL+`/en`+page+`"`)
		pub.Get("/en"+ref+"/sign").Expect(t, 303)

		// A delegate reads the German text and signs for their city.
		del, dpw := s.User(auth.RoleDelegate, dus)
		c := s.Client()
		c.Login(del.Email, dpw)
		form := c.Get("/en"+ref+"/sign?text=de").Expect(t, 200, "Wir, die Bürgermeister", "on behalf of Düsseldorf", `name="lang" value="de"`)
		hash := hashRe.FindStringSubmatch(form.Body)[1]
		sign := url.Values{"version": {"1"}, "hash": {hash}, "lang": {"de"}, "signer": {"Thomas Geisel"}, "role": {"mayor"}, "place": {"Düsseldorf"}}
		c.Post("/en"+ref+"/sign", sign).Expect(t, 422, "Confirm that the text was read and signed.", `value="Thomas Geisel"`)
		stale := url.Values{"version": {"1"}, "hash": {strings.Repeat("a", 64)}, "lang": {"de"}, "signer": {"Thomas Geisel"}, "role": {"mayor"}, "confirm": {"1"}}
		c.Post("/en"+ref+"/sign", stale).Expect(t, 409, "A new version of the text was published while you were reading")
		// A delegate cannot sign for another city.
		other := url.Values{"city": {strconv.FormatInt(war, 10)}}
		for k, v := range sign {
			other[k] = v
		}
		other.Set("confirm", "1")
		c.Post("/en"+ref+"/sign", other).Expect(t, 403)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM declaration_signatures`); n != 0 {
			t.Fatalf("refused signatures stored %d rows", n)
		}
		sign.Set("confirm", "1")
		c.Post("/en"+ref+"/sign", sign).Expect(t, 303)
		c.Get("/en"+page).Expect(t, 200, "The signature is recorded as entry 2 of the signed log", "Your city signed on")
		c.Post("/en"+ref+"/sign", sign).Expect(t, 409, "This city has already signed the declaration.")

		// The secretariat records Warsaw's signature made in person.
		a.Get("/en"+ref+"/sign?city="+strconv.FormatInt(war, 10)).Expect(t, 200, "on behalf of Warsaw", `value="Tonhalle Düsseldorf"`)
		a.Post("/en"+ref+"/sign", url.Values{"city": {strconv.FormatInt(war, 10)}, "version": {"1"}, "hash": {hash}, "lang": {"en"},
			"signer": {"Michał Olszewski"}, "role": {"deputy_mayor"}, "place": {"Tonhalle Düsseldorf"}, "signed_at": {"2099-08-31T19:30"}, "confirm": {"1"}}).
			Expect(t, 422, "cannot be in the future")
		a.Post("/en"+ref+"/sign", url.Values{"city": {strconv.FormatInt(war, 10)}, "version": {"1"}, "hash": {hash}, "lang": {"en"},
			"signer": {"Michał Olszewski"}, "role": {"deputy_mayor"}, "place": {"Tonhalle Düsseldorf"}, "confirm": {"1"}}).Expect(t, 303)

		pub.Get("/en"+page).Expect(t, 200, "Signatories (2)", "Thomas Geisel", "Michał Olszewski", "Deputy mayor", "In person", "Remotely",
			`href="/en/cities/`+strconv.FormatInt(dus, 10)+`-dusseldorf"`, "Germany", "Poland", "Europe", `class="worldmap"`)
		pub.Get("/en"+ref+"/verify?stored=1").Expect(t, 200, "The record is valid", "3 log entries")

		// Withdraw, then sign again.
		c.Get("/en"+ref+"/withdraw").Expect(t, 200, "Düsseldorf signed on")
		c.Post("/en"+ref+"/withdraw", url.Values{"signer": {"Thomas Geisel"}, "role": {"mayor"}, "reason": {"Council vote"}}).Expect(t, 422, "Confirm that")
		c.Post("/en"+ref+"/withdraw", url.Values{"signer": {"Thomas Geisel"}, "role": {"mayor"}, "reason": {"Council vote"}, "confirm": {"1"}}).Expect(t, 303)
		cityPage := "/en/cities/" + strconv.FormatInt(dus, 10) + "-dusseldorf"
		pub.Get(cityPage).Expect(t, 200).Lacks(t, "Declarations signed")
		pub.Get("/en"+page).Expect(t, 200, "Signatories (1)", "Withdrawn signatures", "Council vote")
		c.Post("/en"+ref+"/withdraw", url.Values{"signer": {"Thomas Geisel"}, "role": {"mayor"}, "confirm": {"1"}}).Expect(t, 409, "no signature to withdraw")
		c.Post("/en"+ref+"/sign", sign).Expect(t, 303)
		// The city's page lists what it signed.
		pub.Get(cityPage).Expect(t, 200, "Declarations signed", `href="/en`+page+`"`, "Declaration on Living Together", "by Thomas Geisel (Remotely)")
		pub.Get("/de/cities/"+strconv.FormatInt(war, 10)+"-warsaw").Expect(t, 200, "Unterzeichnete Erklärungen", "Erklärung zum Zusammenleben", "Michał Olszewski (Vor Ort)")

		// The API and the bundle.
		var list struct {
			Declarations []struct{ ID, Signatures int64 } `json:"items"`
		}
		getJSON(t, pub, "/api/v1/declarations", &list)
		if len(list.Declarations) != 1 || list.Declarations[0].Signatures != 2 {
			t.Fatalf("API list: %+v", list)
		}
		var one struct {
			Signatures []struct {
				Signer    string
				Withdrawn *string `json:"withdrawn_at"`
			}
			Counts struct{ Active int }
		}
		getJSON(t, pub, "/api/v1/declarations/"+strconv.FormatInt(id, 10), &one)
		if len(one.Signatures) != 3 || one.Counts.Active != 2 || one.Signatures[0].Withdrawn == nil {
			t.Fatalf("API declaration: %+v", one)
		}
		res := pub.Get("/api/v1/declarations/"+strconv.FormatInt(id, 10)+"/bundle").Expect(t, 200)
		if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("bundle headers: %v", res.Header)
		}
		b, err := declaration.ReadBundle(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		var keys struct{ Keys []declaration.PublicKey }
		getJSON(t, pub, "/.well-known/observatory-keys.json", &keys)
		r := declaration.Verify(b, declaration.VerifyOptions{Declaration: id, Trusted: declaration.TrustedKeys(keys.Keys)})
		if !r.OK() || len(b.Entries) != 5 || r.Active != 2 || r.Withdrawals != 1 {
			t.Fatalf("downloaded bundle: %v entries=%d", r.Problems, len(b.Entries))
		}
		if strings.Contains(res.Body, "private") {
			t.Error("the bundle mentions a private key")
		}
		getJSON(t, pub, "/api/v1/keys", &keys)

		// Upload the bundle to the verify page, as it is and changed.
		upload(t, s, "/en"+ref+"/verify", res.Body).Expect(t, 200, "The record is valid", "5 log entries")
		tampered := strings.Replace(res.Body, "Michał Olszewski", "Mallory", 1)
		upload(t, s, "/en"+ref+"/verify", tampered).Expect(t, 422, "The record is not valid", "First problem", "Entry 3",
			"The signature does not match: a field was changed after signing.")
		pub.Post("/en"+ref+"/verify", url.Values{"bundle": {"{not json"}}).Expect(t, 422, "not a declaration bundle")
		pub.Post("/en"+ref+"/verify", url.Values{}).Expect(t, 422, "Choose a bundle file or paste a bundle.")

		a.Get("/en/admin/audit").Expect(t, 200, "declaration.sign", "declaration.withdraw", "declaration.publish")
	})
}

func getJSON(t *testing.T, c *testutil.Client, path string, v any) {
	t.Helper()
	res := c.Get(path).Expect(t, 200)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: content type %s", path, res.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(res.Body), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// upload sends a bundle as a file, the way the verify page's form does.
func upload(t *testing.T, s *testutil.Server, path, body string) *testutil.Response {
	t.Helper()
	return s.Client().Upload(path, nil, testutil.File{Field: "file", Name: "bundle.json", Data: []byte(body)})
}

func TestDraftsStayWithTheSecretariat(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		a.Post("/en/admin/declarations", url.Values{"authoritative": {"en"}, "title_en": {"Secret draft"}, "body_en": {"Not yet."}}).Expect(t, 303)
		id := strconv.FormatInt(int64(testutil.Count(t, d, `SELECT MAX(id) FROM declarations`)), 10)
		pub := s.Client()
		pub.Get("/en/declarations").Expect(t, 200).Lacks(t, "Secret draft")
		pub.Get("/en/declarations/"+id).Expect(t, 404)
		pub.Get("/en/declarations/"+id+"/verify").Expect(t, 404)
		pub.Get("/api/v1/declarations/"+id).Expect(t, 404)
		pub.Get("/api/v1/declarations/"+id+"/bundle").Expect(t, 404)
		pub.Get("/api/v1/declarations").Lacks(t, "Secret draft")
		a.Get("/en/declarations/"+id+"-secret-draft").Expect(t, 200, "Secret draft", "only the secretariat sees it")
		a.Get("/en/admin/declarations").Expect(t, 200, "Secret draft", "Signing keys", "in use")
		// Editors and delegates may not manage declarations.
		ed, epw := s.User(auth.RoleEditor, addCity(t, d, "arnhem", "Arnhem", "NL", "europe", 51.98, 5.91))
		e := s.Client()
		e.Login(ed.Email, epw)
		e.Get("/en/admin/declarations").Expect(t, 403)
		e.Post("/en/admin/declarations/"+id+"/publish", nil).Expect(t, 403)
		// Refused before the declaration is looked up: the answer is the
		// same for a draft as for any other, so it tells nothing.
		e.Get("/en/declarations/"+id+"/sign").Expect(t, 403).Lacks(t, "Secret draft")

		// Tokens: only the secretariat's read:private token sees the draft,
		// as its pages show it signed in; its answers are private and never
		// reach the public, whatever the order of the requests.
		token := func(u *auth.User, scope string) string {
			secret, _, err := s.App.Users.CreateToken(context.Background(), audit.System("test"), u, "test", []string{scope}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return "Bearer " + secret
		}
		reader := token(admin, auth.ScopeReadPrivate)
		for _, tok := range []string{token(ed, auth.ScopeReadPrivate), token(ed, auth.ScopePracticesWrite)} {
			res := pub.Get("/api/v1/declarations", "Authorization", tok).Expect(t, 200).Lacks(t, "Secret draft")
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Errorf("an answer to a token is %q", cc)
			}
			pub.Get("/api/v1/declarations/"+id, "Authorization", tok).Expect(t, 404).Lacks(t, "Secret draft")
		}
		for range 2 {
			res := pub.Get("/api/v1/declarations", "Authorization", reader).Expect(t, 200, "Secret draft")
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Errorf("a read:private answer is %q", cc)
			}
			pub.Get("/api/v1/declarations").Expect(t, 200).Lacks(t, "Secret draft")
		}
		res := pub.Get("/api/v1/declarations/"+id, "Authorization", reader).Expect(t, 200, "Secret draft", "Not yet.")
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("a read:private answer is %q", cc)
		}
		var got struct {
			Versions []struct {
				Number      int
				PublishedAt *string `json:"published_at"`
			}
		}
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Versions) != 1 || got.Versions[0].PublishedAt != nil {
			t.Errorf("the draft's version: %+v", got.Versions)
		}
		pub.Get("/api/v1/declarations/"+id).Expect(t, 404).Lacks(t, "Secret draft")
		// Published, its version has its date for everyone.
		a.Post("/en/admin/declarations/"+id+"/publish", nil).Expect(t, 303)
		a.Post("/en/admin/declarations/"+id+"/status", url.Values{"status": {"open"}}).Expect(t, 303)
		pub.Get("/api/v1/declarations/"+id).Expect(t, 200, "Secret draft", `"published_at":"`)
	})
}

func TestKeyRotationKeepsOldSignaturesValid(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		id := createThroughForms(t, a, d)
		a.Post("/en/admin/declarations/keys/rotate", nil).Expect(t, 303)
		city := addCity(t, d, "gatineau", "Gatineau", "CA", "north-america", 45.48, -75.7)
		st := s.App.Declarations.Store
		must(t, sign(t, d, st, id, city, "Maxime Pedneaud-Jobin"))
		var keys struct{ Keys []declaration.PublicKey }
		getJSON(t, s.Client(), "/api/v1/keys", &keys)
		if len(keys.Keys) != 2 || keys.Keys[0].ValidUntil == nil || keys.Keys[1].ValidUntil != nil {
			t.Fatalf("keys after rotation: %+v", keys.Keys)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM declaration_keys WHERE private_key <> ''`); n != 1 {
			t.Fatalf("%d private keys kept, want only the one in use", n)
		}
		r, _, err := st.VerifyStored(context.Background(), id, false)
		must(t, err)
		if !r.OK() || len(r.KeysUsed) != 2 {
			t.Fatalf("after rotation: %v keys %v", r.Problems, r.KeysUsed)
		}
	})
}

// A row changed by hand — a text, a signer, a time, the order of the log —
// fails verification on the declaration's verify page, which names the entry.
func TestHandEditedRowIsNamedOnTheVerifyPage(t *testing.T) {
	cases := []struct {
		name, lang string
		sql        []string
		want       []string
	}{
		{"text", "en", []string{`UPDATE declaration_versions SET texts = REPLACE(texts, 'mayors', 'citizens') WHERE declaration_id = $1`},
			[]string{"The record is not valid", "Entry 1", "The text of version 1 is not the text whose hash was signed here", `id="entry-1" class="bad"`}},
		{"signer", "de", []string{`UPDATE declaration_log SET signer_name = 'Someone Else' WHERE declaration_id = $1 AND seq = 3`},
			[]string{"Der Nachweis ist nicht gültig", "Eintrag 3", "Die Signatur passt nicht", `id="entry-3" class="bad"`, `id="entry-2" class="ok"`}},
		{"time", "fr", []string{`UPDATE declaration_signatures SET signed_at = signed_at - INTERVAL '1 day' WHERE declaration_id = $1 AND log_seq = 4`},
			[]string{"Le dossier n’est pas valide", "Entrée 4", "La liste des signataires diffère de cette entrée (time)"}},
		{"log order", "en", []string{
			`UPDATE declaration_log SET seq = 100 WHERE declaration_id = $1 AND seq = 2`,
			`UPDATE declaration_log SET seq = 2 WHERE declaration_id = $1 AND seq = 3`,
			`UPDATE declaration_log SET seq = 3 WHERE declaration_id = $1 AND seq = 100`},
			[]string{"The record is not valid", "Entry 2", "It does not follow the entry before it", `id="entry-2" class="bad"`}},
	}
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				dd := testutil.NewSQLite(t)
				if d.Engine() == db.Postgres {
					dd = testutil.NewPostgres(t)
				}
				s := testutil.NewServer(t, dd)
				id := signedDeclaration(t, dd, s.App.Declarations.Store)
				path := "/" + c.lang + "/declarations/" + strconv.FormatInt(id, 10) + "/verify?stored=1"
				s.Client().Get(path).Expect(t, 200, `id="entry-4" class="ok"`)
				dropGuards(t, dd)
				for _, q := range c.sql {
					if dd.Engine() == db.SQLite {
						q = strings.Replace(q, "signed_at - INTERVAL '1 day'", "datetime(signed_at, '-1 day')", 1)
					}
					if _, err := dd.W.Exec(q, id); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				s.Client().Get(path).Expect(t, 200, c.want...)
			})
		}
	})
}

// The list and the declaration page run a fixed number of statements,
// however many cities signed.
func TestPagesDoNotGrowWithSignatories(t *testing.T) {
	testutil.EachCountingDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServerWith(t, d, testutil.NoAPILimit)
		st := s.App.Declarations.Store
		id := openDeclaration(t, d, st)
		c := s.Client()
		measure := func() (int64, int64, int64) {
			before := testutil.Statements(d)
			c.Get("/en/declarations").Expect(t, 200)
			mid := testutil.Statements(d)
			c.Get("/en/declarations/"+strconv.FormatInt(id, 10)+"-test-declaration-on-living-together").Expect(t, 200)
			mid2 := testutil.Statements(d)
			c.Get("/api/v1/declarations/"+strconv.FormatInt(id, 10)+"/bundle").Expect(t, 200)
			return mid - before, mid2 - mid, testutil.Statements(d) - mid2
		}
		addSignatures := func(from, n int) {
			for i := from; i < from+n; i++ {
				city := addCity(t, d, "c"+strconv.Itoa(i), "City "+strconv.Itoa(i), "FR", "europe", 45, float64(i%180))
				must(t, sign(t, d, st, id, city, "Mayor "+strconv.Itoa(i)))
			}
		}
		addSignatures(0, 3)
		l1, p1, b1 := measure()
		addSignatures(3, 30)
		l2, p2, b2 := measure()
		if l1 != l2 || p1 != p2 || b1 != b2 {
			t.Fatalf("statements with 3 and 33 signatories: list %d/%d, page %d/%d, bundle %d/%d", l1, l2, p1, p2, b1, b2)
		}
	})
}
