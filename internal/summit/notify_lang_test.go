package summit_test

import (
	"context"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A delegation's mail goes to each address in its own account's language;
// addresses without an account get the registrant's.
func TestDelegationMailSpeaksEachRecipientsLanguage(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		users := &auth.Store{DB: d, Hasher: auth.NewHasher(1)}
		if _, err := users.Create(context.Background(), auth.NewUser{Email: "mayor.toulouse@example.org", Name: "Maire de Toulouse",
			Role: auth.RoleDelegate, CityID: f.cities["toulouse"], Lang: "fr"}); err != nil {
			t.Fatal(err)
		}
		f.register(f.summit(5, 0), "toulouse")
		subject := func(to string) string {
			var s string
			if err := d.R.QueryRow(`SELECT subject FROM mail_outbox WHERE recipient = $1`, to).Scan(&s); err != nil {
				t.Fatalf("mail to %s: %v", to, err)
			}
			return s
		}
		if s := subject("mayor.toulouse@example.org"); !strings.Contains(s, "délégation de Toulouse") {
			t.Errorf("to the French-speaking delegate: %q", s)
		}
		if s := subject("toulouse@example.org"); !strings.Contains(s, "delegation of Toulouse") {
			t.Errorf("to the contact without an account: %q", s)
		}
	})
}
