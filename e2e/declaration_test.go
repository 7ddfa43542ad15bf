package e2e

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/declaration"
)

// A delegate reads the declaration in German, signs it for their city, and
// the signature shows on the public page, on the map and in a valid record.
func TestDelegateSignsDeclaration(t *testing.T) {
	b := Start(t)
	ctx := context.Background()
	var city int64
	if err := b.DB.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
		VALUES ('ouagadougou', 'Ouagadougou', 'BF', 'africa', 12.37, -1.52, 'member', $1, $1) RETURNING id`, db.Now()).Scan(&city); err != nil {
		t.Fatal(err)
	}
	st := b.Server.App.Declarations.Store
	var id int64
	err := b.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = st.Create(ctx, tx, declaration.Input{Authoritative: "en", AdoptedOn: "2019-08-31", AdoptedPlace: "Tonhalle Düsseldorf",
			Texts: declaration.Texts{
				"en": {Title: "Düsseldorf Declaration", Body: "We commit to **concrete local action** for living together."},
				"de": {Title: "Düsseldorfer Erklärung", Body: "Wir verpflichten uns zu **konkretem Handeln vor Ort** für das Zusammenleben."},
			}}); err != nil {
			return err
		}
		if _, err := st.Publish(ctx, tx, id, time.Time{}); err != nil {
			return err
		}
		return st.SetStatus(ctx, tx, id, declaration.StatusOpen)
	})
	if err != nil {
		t.Fatal(err)
	}
	page := "/en/declarations/" + strconv.FormatInt(id, 10) + "-dusseldorf-declaration"

	// The public page before: nobody signed.
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS("#signatories")))
	if s := b.Text("#signatories"); !strings.Contains(s, "No city has signed yet.") {
		t.Fatalf("signatories before signing: %s", s)
	}
	b.CheckA11y()

	del, pw := b.Server.User(auth.RoleDelegate, city)
	b.Login("en", del.Email, pw)
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS(".actions a.button")),
		chromedp.Click(chromedp.CSS(".actions a.button")), chromedp.WaitVisible(chromedp.CSS("#f-signer")))
	// Read the German text, then sign.
	b.Do(chromedp.Click(chromedp.CSS(`.text-langs a[hreflang="de"]`)), chromedp.WaitReady(chromedp.CSS(`input[name="lang"][value="de"]`)))
	if txt := b.Text(".declaration-text"); !strings.Contains(txt, "konkretem Handeln vor Ort") {
		t.Fatalf("the German text is not shown: %s", txt)
	}
	b.CheckA11y()
	// Sending without the confirmation keeps the name and says what is missing.
	b.Do(chromedp.SendKeys(chromedp.CSS("#f-signer"), "Armand Béouindé"),
		chromedp.Click(chromedp.CSS(".sign-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#f-confirm-err")))
	if v := Value(b, chromedp.Value(chromedp.CSS("#f-signer"))); v != "Armand Béouindé" {
		t.Errorf("the typed name was not kept: %q", v)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS("#f-confirm")), chromedp.Click(chromedp.CSS(".sign-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if f := b.Text(".flash"); !strings.Contains(f, "entry 2 of the signed log") {
		t.Errorf("after signing: %s", f)
	}

	// Anyone sees the signature: in the list, on the map, in a valid record.
	b.Logout()
	b.Do(chromedp.Navigate(b.URL(page)), chromedp.WaitVisible(chromedp.CSS("table.signatories")))
	row := b.Text("table.signatories tbody tr")
	for _, want := range []string{"Ouagadougou", "Burkina Faso", "Armand Béouindé", "Remotely"} {
		if !strings.Contains(row, want) {
			t.Errorf("the signatories' row lacks %q: %s", want, row)
		}
	}
	if n := Value(b, chromedp.Evaluate[int](`document.querySelectorAll('.signatory-map a').length`)); n != 1 {
		t.Errorf("%d points on the map, want 1", n)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`a[href$="/verify"]`)), chromedp.WaitVisible(chromedp.CSS("#stored-h")),
		chromedp.Click(chromedp.CSS(`a[href*="stored=1"]`)), chromedp.WaitVisible(chromedp.CSS("#result")))
	if r := b.Text("#result-h"); !strings.Contains(r, "The record is valid") {
		t.Errorf("verification: %s", r)
	}
	b.CheckA11y()

	// The secretariat's pages.
	admin, apw := b.Server.User(auth.RoleAdmin, 0)
	b.Login("en", admin.Email, apw)
	for _, p := range []string{"/en/admin/declarations", "/en/admin/declarations/new", "/en/admin/declarations/" + strconv.FormatInt(id, 10),
		"/fr/declarations/" + strconv.FormatInt(id, 10) + "/withdraw?city=" + strconv.FormatInt(city, 10),
		"/de/declarations/" + strconv.FormatInt(id, 10) + "/sign?city=" + strconv.FormatInt(city, 10)} {
		b.Do(chromedp.Navigate(b.URL(p)), chromedp.WaitVisible(chromedp.CSS("h1")))
		b.CheckA11y()
	}
}
