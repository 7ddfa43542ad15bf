package city_test

import (
	"fmt"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// The accounts a representative can be linked to are offered in the
// reader's alphabetical order: "Ángela" before "Anton" (byte order puts
// it after).
func TestPeopleAccountsInAlphabeticalOrder(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		dus := cityID(t, d, "dusseldorf")
		editor, pw := s.User(auth.RoleEditor, dus)
		for _, name := range []string{"Anton Weber", "Ángela Ruiz"} {
			u, _ := s.User(auth.RoleDelegate, dus)
			if _, err := d.W.Exec(`UPDATE users SET name = $1 WHERE id = $2`, name, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		c := s.Client()
		c.Login(editor.Email, pw)
		for _, lang := range []string{"de", "en", "fr"} {
			body := c.Get(fmt.Sprintf("/%s/cities/%d/people", lang, dus)).Expect(t, 200, "Ángela Ruiz &lt;", "Anton Weber &lt;").Body
			if strings.Index(body, "Ángela Ruiz") > strings.Index(body, "Anton Weber") {
				t.Errorf("%s: accounts not in alphabetical order", lang)
			}
		}
	})
}
