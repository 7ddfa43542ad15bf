package demo_test

import (
	"context"
	"testing"
	"time"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/demo"
	"observatory/internal/testutil"
)

func TestDemoDeclarations(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(0)}); err != nil {
			t.Fatal(err)
		}
		st := &declaration.Store{DB: d}
		ds, err := st.List(ctx, false)
		if err != nil || len(ds) != 2 {
			t.Fatalf("%d public declarations, %v", len(ds), err)
		}
		// The newest adopted first: Düsseldorf 2019, then Montréal 2015.
		dus, mtl := ds[0], ds[1]
		if dus.Title("de").Value != "Düsseldorfer Erklärung zum Zusammenleben" || mtl.Title("fr").Value != "Déclaration de Montréal sur le vivre-ensemble" ||
			!dus.Demo || dus.AdoptedPlace != "Tonhalle Düsseldorf" || mtl.AdoptedOn != "2015-06-10" {
			t.Fatalf("declarations: %+v / %+v", dus, mtl)
		}
		// Every one of the 35 signatory cities that is a demo member city signed:
		// in person those whose delegation came, the others from home afterwards.
		var members int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM cities WHERE membership = 'member' AND slug IN ('abidjan', 'algiers', 'arnhem',
			'bamako', 'bijeljina', 'carthage', 'chemnitz', 'chernivtsi', 'dhaka-north', 'drummondville', 'dusseldorf', 'gatineau', 'glasgow',
			'haifa', 'izmir', 'kolkata', 'libreville', 'malaga', 'marrakesh', 'montreal', 'moscow', 'mostar', 'new-york', 'ouagadougou', 'palermo',
			'porto-novo', 'rabat', 'reading', 'sceaux', 'strasbourg', 'toulouse', 'tunis', 'warsaw', 'venlo', 'vienna')`).Scan(&members); err != nil {
			t.Fatal(err)
		}
		sigs, err := st.Signatures(ctx, dus.ID)
		if err != nil || len(sigs) != members || members < 30 {
			t.Fatalf("Düsseldorf Declaration: %d signatures for %d member cities, %v", len(sigs), members, err)
		}
		signers := map[string]string{}
		for _, g := range sigs {
			absent := g.City.Slug == "reading" || g.City.Slug == "carthage" || g.City.Slug == "libreville"
			inPerson := g.Mode == declaration.ModeInPerson && g.Place == "Tonhalle Düsseldorf" && g.SignedAt.Format("2006-01-02") == "2019-08-31"
			remote := g.Mode == declaration.ModeRemote && g.Place == g.City.Name && g.SignedAt.After(time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC))
			if absent && !remote || !absent && !inPerson {
				t.Errorf("%s signed %s at %s on %s", g.City.Name, g.Mode, g.Place, g.SignedAt)
			}
			signers[g.City.Slug] = g.Signer
		}
		if signers["dusseldorf"] != "Tobias Gerlach" || signers["warsaw"] != "Krzysztof Lewandowicz" || signers["ouagadougou"] != "Issa Kaboré" {
			t.Errorf("signers: %v", signers)
		}
		msigs, err := st.Signatures(ctx, mtl.ID)
		if err != nil || len(msigs) < 5 || msigs[0].City.Slug != "montreal" || msigs[len(msigs)-1].City.Slug != "dusseldorf" ||
			msigs[len(msigs)-1].Mode != declaration.ModeRemote {
			t.Fatalf("Montréal Declaration: %d signatures, %v", len(msigs), err)
		}
		for _, x := range ds {
			r, _, err := st.VerifyStored(ctx, x.ID, false)
			if err != nil || !r.OK() {
				t.Fatalf("%s: %v %v", x.Slug, err, r.First())
			}
		}
	})
}
