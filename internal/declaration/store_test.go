package declaration_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// addCity inserts a member city directly: the cities capability is not
// under test here.
func addCity(t testing.TB, d *db.DB, slug, name, country, continent string, lat, lon float64) int64 {
	return testutil.AddCity(t, d, testutil.City{Slug: slug, Name: name, Country: country, Continent: continent, Lat: lat, Lon: lon, MemberSince: "2015-06-10"})
}

func tx(t testing.TB, d *db.DB, fn func(tx *sql.Tx) error) error {
	t.Helper()
	return d.Tx(context.Background(), fn)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var sampleTexts = declaration.Texts{
	"en": {Title: "Test Declaration on Living Together", Body: "We, the mayors,\r\ncommit to   \n\nliving together.  \n"},
	"de": {Title: "Testerklärung zum Zusammenleben", Body: "Wir, die Bürgermeisterinnen und Bürgermeister,\nverpflichten uns."},
	"fr": {Title: "Déclaration d’essai sur le vivre-ensemble", Body: "Nous, les maires, nous engageons."},
}

// openDeclaration creates, publishes and opens a declaration.
func openDeclaration(t testing.TB, d *db.DB, st *declaration.Store) int64 {
	t.Helper()
	var id int64
	must(t, tx(t, d, func(tx *sql.Tx) error {
		var err error
		id, err = st.Create(context.Background(), tx, declaration.Input{Texts: sampleTexts, Authoritative: "en",
			AdoptedOn: "2019-08-31", AdoptedPlace: "Tonhalle Düsseldorf"})
		if err != nil {
			return err
		}
		if _, err := st.Publish(context.Background(), tx, id, time.Time{}); err != nil {
			return err
		}
		return st.SetStatus(context.Background(), tx, id, declaration.StatusOpen)
	}))
	return id
}

func sign(t testing.TB, d *db.DB, st *declaration.Store, id, city int64, signer string) error {
	t.Helper()
	decl, err := st.Get(context.Background(), id, false)
	if err != nil {
		return err
	}
	v := decl.Current()
	return tx(t, d, func(tx *sql.Tx) error {
		_, err := st.Sign(context.Background(), tx, declaration.SignInput{Declaration: id, Version: v.Number, VersionHash: v.Hash,
			Lang: "de", CityID: city, Signer: signer, Role: declaration.RoleMayor, Mode: declaration.ModeRemote, Place: "Online"})
		return err
	})
}

func TestOneActiveSignaturePerCityWithdrawAndSignAgain(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := &declaration.Store{DB: d}
		must(t, st.EnsureKey(ctx))
		city := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "EU", 51.22, 6.78)
		id := openDeclaration(t, d, st)
		must(t, sign(t, d, st, id, city, "Thomas Geisel"))
		if err := sign(t, d, st, id, city, "Someone Else"); !errors.Is(err, declaration.ErrAlreadySigned) {
			t.Fatalf("second signature: %v, want ErrAlreadySigned", err)
		}
		// The database itself refuses a second active signature, whatever the code checks.
		_, err := d.W.ExecContext(ctx, `INSERT INTO declaration_signatures (declaration_id, version_number, city_id, signer_name,
			signer_role, read_lang, mode, signed_at, log_seq) VALUES ($1, 1, $2, 'X', 'mayor', 'en', 'remote', $3, 99)`, id, city, db.Now())
		if !db.IsUniqueViolation(err) {
			t.Fatalf("a second active signature row: %v, want a unique violation", err)
		}
		must(t, tx(t, d, func(tx *sql.Tx) error {
			_, err := st.Withdraw(ctx, tx, declaration.WithdrawInput{Declaration: id, CityID: city, Signer: "Thomas Geisel",
				Role: declaration.RoleMayor, Reason: "Council decision"})
			return err
		}))
		if err := tx(t, d, func(tx *sql.Tx) error {
			_, err := st.Withdraw(ctx, tx, declaration.WithdrawInput{Declaration: id, CityID: city, Signer: "Thomas Geisel", Role: declaration.RoleMayor})
			return err
		}); !errors.Is(err, declaration.ErrNotSigned) {
			t.Fatalf("withdrawing twice: %v", err)
		}
		must(t, sign(t, d, st, id, city, "Stephan Keller"))
		sigs, err := st.Signatures(ctx, id)
		must(t, err)
		if len(sigs) != 2 || sigs[0].Active() || !sigs[1].Active() || sigs[0].Reason != "Council decision" {
			t.Fatalf("signatures after withdraw and sign again: %+v", sigs)
		}
		r, _, err := st.VerifyStored(ctx, id, false)
		must(t, err)
		if !r.OK() || len(r.Entries) != 4 || r.Active != 1 || r.Withdrawals != 1 {
			t.Fatalf("report: ok=%v entries=%d active=%d first=%v", r.OK(), len(r.Entries), r.Active, r.First())
		}
		signed, err := st.SignedBy(ctx, city)
		must(t, err)
		if len(signed) != 1 || signed[0].Signer != "Stephan Keller" || signed[0].Title("de") != "Testerklärung zum Zusammenleben" {
			t.Fatalf("SignedBy: %+v", signed)
		}
	})
}

func TestVersionsAreFrozenAndTextIsNormalized(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := &declaration.Store{DB: d}
		id := openDeclaration(t, d, st)
		decl, err := st.Get(ctx, id, true)
		must(t, err)
		v1 := decl.Current()
		if got := v1.Texts["en"].Body; got != "We, the mayors,\ncommit to\n\nliving together." {
			t.Fatalf("normalized body %q", got)
		}
		// Editing the text of a published version makes a new version.
		texts := declaration.Texts{"en": {Title: "Test Declaration on Living Together", Body: "A second wording."}}
		var fresh bool
		must(t, tx(t, d, func(tx *sql.Tx) error {
			fresh, err = st.Update(ctx, tx, id, declaration.Input{Texts: texts, Authoritative: "en"})
			return err
		}))
		decl, err = st.Get(ctx, id, true)
		must(t, err)
		if !fresh || len(decl.Versions) != 2 || decl.Latest().Published() || decl.CurrentVersion != 1 {
			t.Fatalf("after edit: new=%v versions=%d", fresh, len(decl.Versions))
		}
		if public, _ := st.Get(ctx, id, false); len(public.Versions) != 1 {
			t.Fatalf("the public sees %d versions, want only the published one", len(public.Versions))
		}
		// The database refuses to change a published version.
		_, err = d.W.ExecContext(ctx, `UPDATE declaration_versions SET texts = '{}' WHERE declaration_id = $1 AND number = 1`, id)
		if err == nil || !strings.Contains(err.Error(), "cannot be changed") {
			t.Fatalf("changing a published version: %v", err)
		}
		_, err = d.W.ExecContext(ctx, `DELETE FROM declaration_versions WHERE declaration_id = $1`, id)
		if err == nil {
			t.Fatal("deleting versions worked")
		}
	})
}

func TestLogRefusesUpdateAndDelete(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := &declaration.Store{DB: d}
		city := addCity(t, d, "warsaw", "Warsaw", "PL", "EU", 52.23, 21.01)
		id := openDeclaration(t, d, st)
		must(t, sign(t, d, st, id, city, "Michał Olszewski"))
		for _, q := range []string{
			`UPDATE declaration_log SET signer_name = 'Mallory' WHERE declaration_id = $1`,
			`DELETE FROM declaration_log WHERE declaration_id = $1`,
			`DELETE FROM declaration_signatures WHERE declaration_id = $1`,
			`UPDATE declaration_signatures SET signer_name = 'Mallory' WHERE declaration_id = $1`,
		} {
			if _, err := d.W.ExecContext(ctx, q, id); err == nil {
				t.Errorf("%s: the database allowed it", q)
			}
		}
		if d.Engine() == db.Postgres {
			if _, err := d.W.ExecContext(ctx, `TRUNCATE declaration_log CASCADE`); err == nil {
				t.Error("TRUNCATE of the log worked")
			}
		}
	})
}

// Two signatures at the same moment must not fork the chain.
func TestConcurrentSignaturesKeepOneChain(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := &declaration.Store{DB: d}
		id := openDeclaration(t, d, st)
		const n = 12
		cities := make([]int64, n)
		for i := range cities {
			cities[i] = addCity(t, d, "city-"+string(rune('a'+i)), "City "+string(rune('A'+i)), "FR", "EU", 45, 2)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, c := range cities {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- sign(t, d, st, id, c, "Mayor")
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		r, _, err := st.VerifyStored(ctx, id, false)
		must(t, err)
		if !r.OK() || len(r.Entries) != n+1 || r.Active != n {
			t.Fatalf("after %d simultaneous signatures: ok=%v entries=%d first=%v", n, r.OK(), len(r.Entries), r.First())
		}
	})
}
