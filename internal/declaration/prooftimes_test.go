package declaration_test

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

var (
	machineAttr = regexp.MustCompile(`datetime="[^"]*"`)
	// networkTimeIn is a network time inside a sentence.
	networkTimeIn = regexp.MustCompile(`\d{4}, \d{1,2}[:.h ]+\d\d( [ap]m| Uhr)? CES?T\b`)
)

// The public proof pages (the declaration's proof box and the verify page
// with its log) show times in the reader's language and the network's
// zone; the machine time stays only in <time datetime>.
func TestDeclarationProofTimesReadable(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		dus := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "europe", 51.22, 6.78)
		admin, apw := s.User(auth.RoleAdmin, 0)
		a := s.Client()
		a.Login(admin.Email, apw)
		id := createThroughForms(t, a, d)
		ref := "/declarations/" + strconv.FormatInt(id, 10)
		a.Post("/en"+ref+"/sign", url.Values{"city": {strconv.FormatInt(dus, 10)}, "version": {"1"}, "hash": {hashOf(t, a, ref+"/sign?city="+strconv.FormatInt(dus, 10))}, "lang": {"en"},
			"signer": {"Thomas Geisel"}, "role": {"mayor"}, "place": {"Tonhalle Düsseldorf"}, "confirm": {"1"}}).Expect(t, 303)
		pub := s.Client()
		for _, lang := range []string{"de", "en", "fr"} {
			for _, path := range []string{ref + "-declaration-on-living-together", ref + "/verify?stored=1"} {
				res := pub.Get("/" + lang + path)
				if res.StatusCode == 301 {
					res = pub.Get(res.Header.Get("Location"))
				}
				body := res.Expect(t, 200).Lacks(t, "UTC").Body
				if !networkTimeIn.MatchString(body) {
					t.Errorf("%s%s shows no time in the network's zone", lang, path)
				}
				if m := isoTime.FindString(machineAttr.ReplaceAllString(body, "")); m != "" {
					t.Errorf("%s%s shows a machine time: %s", lang, path, m)
				}
			}
			pub.Get("/"+lang+ref+"/verify?stored=1").Expect(t, 200, `<time datetime="`)
		}
	})
}

func hashOf(t *testing.T, c *testutil.Client, signPage string) string {
	t.Helper()
	m := hashRe.FindStringSubmatch(c.Get("/en"+signPage).Expect(t, 200).Body)
	if m == nil {
		t.Fatal("no text hash on the signing form")
	}
	return m[1]
}
