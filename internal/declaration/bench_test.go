package declaration_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// Signing one log entry: canonical payload, SHA-256 and Ed25519.
func BenchmarkSignEntry(b *testing.B) {
	k := testKey(1)
	e := declaration.Entry{Seq: 17, Kind: declaration.KindSignature, Prev: declaration.ZeroHash, Declaration: 2, Version: 1,
		VersionHash: declaration.ZeroHash, City: declaration.EntryCity{ID: 9, Name: "Düsseldorf", Country: "DE"}, Signer: "Thomas Geisel",
		Role: declaration.RoleMayor, Lang: "de", Mode: declaration.ModeInPerson, Place: "Tonhalle Düsseldorf",
		At: "2019-08-31T17:30:00Z", Recorded: "2019-08-31T17:30:00Z"}
	for b.Loop() {
		e.SignWith(k)
	}
}

// Verifying whole chains: every entry's hash, link and Ed25519 signature.
func BenchmarkVerifyChain(b *testing.B) {
	for _, n := range []int{35, 1000} {
		bundle := buildBundle(n, testKey(1))
		b.Run(strconv.Itoa(n+1)+"entries", func(b *testing.B) {
			for b.Loop() {
				if r := declaration.Verify(bundle, declaration.VerifyOptions{}); !r.OK() {
					b.Fatal(r.First())
				}
			}
		})
	}
}

// Hashing a version: three languages of about 6 KB each.
func BenchmarkVersionHash(b *testing.B) {
	body := strings.Repeat("Wir, die Bürgermeisterinnen und Bürgermeister, verpflichten uns zum Zusammenleben.  \r\n", 70)
	texts := declaration.Texts{"de": {Title: "Erklärung", Body: body}, "en": {Title: "Declaration", Body: body}, "fr": {Title: "Déclaration", Body: body}}
	for b.Loop() {
		declaration.VersionHash(2, 1, "en", texts)
	}
}

// A whole signature through the store: one transaction with the chain's
// head locked, the key, the signed entry and the signatory row (SQLite,
// synchronous=FULL; PostgreSQL when OBSERVATORY_TEST_POSTGRES is set).
func BenchmarkStoreSign(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkStoreSign(b, testutil.NewSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchmarkStoreSign(b, testutil.NewPostgres(b)) })
}

func benchmarkStoreSign(b *testing.B, d *db.DB) {
	st := &declaration.Store{DB: d}
	id := openDeclaration(b, d, st)
	decl, err := st.Get(context.Background(), id, false)
	if err != nil {
		b.Fatal(err)
	}
	v := decl.Current()
	ids := make([]int64, 0, 4096)
	for i := range 4096 {
		ids = append(ids, addCity(b, d, "c"+strconv.Itoa(i), "City "+strconv.Itoa(i), "FR", "europe", 45, 2))
	}
	i := 0
	for b.Loop() {
		if i == len(ids) {
			b.Fatal("more iterations than cities")
		}
		city := ids[i]
		i++
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			_, err := st.Sign(context.Background(), tx, declaration.SignInput{Declaration: id, Version: v.Number, VersionHash: v.Hash,
				Lang: "en", CityID: city, Signer: "Mayor", Role: declaration.RoleMayor, Mode: declaration.ModeRemote})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
