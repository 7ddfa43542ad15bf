package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/auth"
	"observatory/internal/demo"
)

// A city's editor clicks Delete next to a representative: the browser
// shows the question first (accessible, in the editor's language); Cancel
// leads back with nothing deleted, and only the Delete on the question
// page deletes.
func TestDeleteAsksFirst(t *testing.T) {
	b := Start(t)
	if _, err := demo.Load(context.Background(), b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	var dus, pid int64
	var name string
	b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&dus)
	if err := b.DB.R.QueryRow(`SELECT id, name FROM city_people WHERE city_id = $1 ORDER BY id LIMIT 1`, dus).Scan(&pid, &name); err != nil {
		t.Fatal(err)
	}
	editor, pw := b.Server.User(auth.RoleEditor, dus)
	b.Login("de", editor.Email, pw)
	people := fmt.Sprintf("/de/cities/%d/people", dus)
	button := fmt.Sprintf(`form[action$="/people/%d/delete"] button[type=submit]`, pid)

	b.Do(chromedp.Navigate(b.URL(people)), chromedp.WaitVisible(chromedp.CSS(button)), chromedp.Click(chromedp.CSS(button)))
	b.WaitLocation(fmt.Sprintf("/people/%d/delete", pid))
	b.Do(chromedp.WaitVisible(chromedp.CSS("#confirm-h")))
	if q := b.Text("#confirm-h"); !strings.Contains(q, name) || !strings.HasSuffix(q, "löschen?") {
		t.Errorf("the question: %q", q)
	}
	b.CheckA11y()
	b.Do(chromedp.Click(chromedp.CSS(`.confirm a`)))
	b.WaitLocation(people)
	if n := personRows(b, pid); n != 1 {
		t.Fatal("Cancel deleted the representative")
	}

	b.Do(chromedp.WaitVisible(chromedp.CSS(button)), chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS("#confirm-h")), chromedp.Click(chromedp.CSS(`.confirm button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if f := b.Text(".flash"); !strings.Contains(f, "gelöscht") {
		t.Errorf("after deleting: %q", f)
	}
	if n := personRows(b, pid); n != 0 {
		t.Error("the confirmed deletion left the representative")
	}
}

func personRows(b *Browser, pid int64) int {
	var n int
	if err := b.DB.R.QueryRow(`SELECT COUNT(*) FROM city_people WHERE id = $1`, pid).Scan(&n); err != nil {
		b.T.Fatal(err)
	}
	return n
}
