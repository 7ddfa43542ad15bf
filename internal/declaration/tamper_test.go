package declaration_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// dropGuards removes the triggers that refuse changes, as someone with
// full access to the database could: then only verification stands.
func dropGuards(t testing.TB, d *db.DB) {
	t.Helper()
	qs := []string{
		`DROP TRIGGER declaration_log_no_update`, `DROP TRIGGER declaration_log_no_delete`,
		`DROP TRIGGER declaration_versions_frozen`, `DROP TRIGGER declaration_versions_kept`,
		`DROP TRIGGER declaration_signatures_kept`, `DROP TRIGGER declaration_signatures_only_withdraw`,
	}
	if d.Engine() == db.Postgres {
		qs = []string{
			`DROP TRIGGER declaration_log_no_change ON declaration_log`,
			`DROP TRIGGER declaration_versions_frozen ON declaration_versions`,
			`DROP TRIGGER declaration_signatures_only_withdraw ON declaration_signatures`,
		}
	}
	for _, q := range qs {
		if _, err := d.W.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// signedDeclaration is an open declaration with entries 1 (version),
// 2–4 (signatures of three cities) and 5 (the third city's withdrawal).
func signedDeclaration(t testing.TB, d *db.DB, st *declaration.Store) int64 {
	t.Helper()
	ctx := context.Background()
	id := openDeclaration(t, d, st)
	a := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "EU", 51.22, 6.78)
	b := addCity(t, d, "warsaw", "Warsaw", "PL", "EU", 52.23, 21.01)
	c := addCity(t, d, "ouagadougou", "Ouagadougou", "BF", "AF", 12.37, -1.52)
	must(t, sign(t, d, st, id, a, "Thomas Geisel"))
	must(t, sign(t, d, st, id, b, "Michał Olszewski"))
	must(t, sign(t, d, st, id, c, "Armand Béouindé"))
	must(t, tx(t, d, func(tx *sql.Tx) error {
		_, err := st.Withdraw(ctx, tx, declaration.WithdrawInput{Declaration: id, CityID: c, Signer: "Armand Béouindé", Role: declaration.RoleMayor})
		return err
	}))
	return id
}

func TestHandEditedRowsFailVerificationAndNameTheEntry(t *testing.T) {
	later := time.Date(2019, 9, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		sql   []string
		args  []any
		entry int64  // the entry the first problem names
		code  string // its problem
	}{
		{"text of a version", []string{`UPDATE declaration_versions SET texts = REPLACE(texts, 'mayors', 'citizens') WHERE declaration_id = $1`},
			nil, 1, "version_mismatch"},
		{"text and its stored hash", []string{`UPDATE declaration_versions SET texts = REPLACE(texts, 'mayors', 'citizens'), hash = 'x' WHERE declaration_id = $1`},
			nil, 1, "version_mismatch"},
		{"signer in the log", []string{`UPDATE declaration_log SET signer_name = 'Mallory' WHERE declaration_id = $1 AND seq = 3`},
			nil, 3, "signature"},
		{"signer in the list of signatories", []string{`UPDATE declaration_signatures SET signer_name = 'Mallory' WHERE declaration_id = $1 AND log_seq = 2`},
			nil, 2, "row_differs"},
		{"time in the log", []string{`UPDATE declaration_log SET at = $2 WHERE declaration_id = $1 AND seq = 2`},
			[]any{later}, 2, "signature"},
		{"time in the list of signatories", []string{`UPDATE declaration_signatures SET signed_at = $2 WHERE declaration_id = $1 AND log_seq = 3`},
			[]any{later}, 3, "row_differs"},
		{"order of the log", []string{
			`UPDATE declaration_log SET seq = 100 WHERE declaration_id = $1 AND seq = 2`,
			`UPDATE declaration_log SET seq = 2 WHERE declaration_id = $1 AND seq = 3`,
			`UPDATE declaration_log SET seq = 3 WHERE declaration_id = $1 AND seq = 100`}, nil, 2, "prev"},
		{"an entry deleted", []string{`DELETE FROM declaration_log WHERE declaration_id = $1 AND seq = 3`}, nil, 3, "seq"},
		{"a stored entry hash", []string{`UPDATE declaration_log SET entry_hash = '" + declaration.ZeroHash + "' WHERE declaration_id = $1 AND seq = 4`},
			nil, 4, "hash"},
		{"a signatory deleted", []string{`DELETE FROM declaration_signatures WHERE declaration_id = $1 AND log_seq = 3`}, nil, 3, "row_missing"},
		{"a withdrawal undone in the list", []string{`UPDATE declaration_signatures SET withdrawn_at = NULL, withdrawal_seq = NULL WHERE declaration_id = $1 AND log_seq = 4`},
			nil, 5, "row_withdrawal"},
	}
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				var dd *db.DB
				if d.Engine() == db.Postgres {
					dd = testutil.NewPostgres(t)
				} else {
					dd = testutil.NewSQLite(t)
				}
				st := &declaration.Store{DB: dd}
				id := signedDeclaration(t, dd, st)
				if r, _, err := st.VerifyStored(ctx, id, false); err != nil || !r.OK() {
					t.Fatalf("before the change: %v %v", err, r.First())
				}
				dropGuards(t, dd)
				for _, q := range c.sql {
					if _, err := dd.W.ExecContext(ctx, q, append([]any{id}, c.args...)...); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				r, _, err := st.VerifyStored(ctx, id, false)
				must(t, err)
				p := r.First()
				if r.OK() || p == nil {
					t.Fatal("verification passed after the change")
				}
				if p.Seq != c.entry || p.Code != c.code {
					t.Fatalf("first problem: %s (%s), want entry %d %s; all: %v", p.Message(), p.Code, c.entry, c.code, r.Problems)
				}
			})
		}
		// Deleting the last entries is caught by the chain's head.
		t.Run("the last entry deleted", func(t *testing.T) {
			ctx := context.Background()
			st := &declaration.Store{DB: d}
			id := signedDeclaration(t, d, st)
			dropGuards(t, d)
			if _, err := d.W.ExecContext(ctx, `DELETE FROM declaration_log WHERE declaration_id = $1 AND seq = 5`, id); err != nil {
				t.Fatal(err)
			}
			if _, err := d.W.ExecContext(ctx, `UPDATE declaration_signatures SET withdrawn_at = NULL, withdrawal_seq = NULL WHERE declaration_id = $1`, id); err != nil {
				t.Fatal(err)
			}
			r, _, err := st.VerifyStored(ctx, id, false)
			must(t, err)
			if r.OK() || r.First().Code != "head" || r.First().Seq != 5 {
				t.Fatalf("first problem: %v", r.First())
			}
		})
	})
}
