package city_test

import (
	"fmt"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
)

// A city's names in languages the interface does not have are shown on
// its page, marked with their language, and kept by its editors.
func TestOtherNames(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		chern := cityID(t, d, "chernivtsi")
		c := s.Client()
		page := fmt.Sprintf("/%%s/cities/%d-chernivtsi", chern)
		c.Get(fmt.Sprintf(page, "de")).Expect(t, 200, "<h1>Czernowitz</h1>", "Auch bekannt als", "Chernivtsi",
			`<span lang="uk">Чернівці</span> <span class="muted">(Ukrainisch)</span>`)
		c.Get(fmt.Sprintf(page, "en")).Expect(t, 200, "<h1>Chernivtsi</h1>", `<span lang="uk">Чернівці</span> <span class="muted">(Ukrainian)</span>`)

		editor, pw := s.User(auth.RoleEditor, chern)
		c.Login(editor.Email, pw)
		edit := fmt.Sprintf("/en/cities/%d/edit", chern)
		c.Get(edit).Expect(t, 200, "uk: Чернівці")
		form := profile("Chernivtsi", "UA", "48.2921", "25.9358", "Europe/Kyiv", "266366")
		form.Set("name_de", "Czernowitz")
		form.Set("name_fr", "Tchernivtsi")

		// Bad lines: no colon, an unknown code, a language with its own field.
		for _, bad := range []string{"Чернівці", "xx-yy-zz-123: Name", "de: Czernowitz", "uk:"} {
			form.Set("names_other", "uk: Чернівці\n"+bad)
			c.Post(edit, form).Expect(t, 422, "Write each name on its own line")
		}
		var names i18n.Text
		if err := d.R.QueryRow(`SELECT names FROM cities WHERE id = $1`, chern).Scan(&names); err != nil {
			t.Fatal(err)
		}
		if names["uk"] != "Чернівці" || names["ro"] != "" {
			t.Fatalf("names after refused edits: %v", names)
		}

		form.Set("names_other", "uk: Чернівці\r\n\r\nro: Cernăuți\npl: Czerniowce")
		c.Post(edit, form).Expect(t, 303)
		if err := d.R.QueryRow(`SELECT names FROM cities WHERE id = $1`, chern).Scan(&names); err != nil {
			t.Fatal(err)
		}
		if names["uk"] != "Чернівці" || names["ro"] != "Cernăuți" || names["pl"] != "Czerniowce" || names["de"] != "Czernowitz" {
			t.Errorf("names: %v", names)
		}
		c.Get(fmt.Sprintf(page, "fr")).Expect(t, 200, "Aussi appelée", `<span lang="ro">Cernăuți</span> <span class="muted">(roumain)</span>`,
			`<span lang="pl">Czerniowce</span>`)

		// Emptying the field removes them.
		form.Set("names_other", "")
		c.Post(edit, form).Expect(t, 303)
		c.Get(fmt.Sprintf(page, "en")).Expect(t, 200).Lacks(t, "Чернівці", "Also known as")
	})
}
