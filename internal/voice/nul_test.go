package voice_test

import (
	"net/http"
	"strings"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

// A NUL character in a JSON body (written "\u0000", which JSON allows) is
// bad input: 400 with a sentence in the caller's language, nothing
// stored — on PostgreSQL, which cannot store it, as on SQLite.
func TestAPIRefusesNUL(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, body := range []map[string]any{
			{"consultation": f.c.ID, "text": "Mehr Bänke\x00 am Rhein", "language": "de", "altcha": f.solved(t).Encode()},
			{"consultation": f.c.ID, "text": "Mehr Bänke am Rhein", "language": "de", "neighbourhood": "Altstadt\x00", "altcha": f.solved(t).Encode()},
		} {
			a := f.postJSON(t, "/api/v1/ideas", body, "Accept-Language", "de")
			if a.Status != http.StatusBadRequest || a.Body["code"] != "invalid-body" || !strings.Contains(a.Body["detail"].(string), "NUL") {
				t.Errorf("%v: %d %v", body, a.Status, a.Body)
			}
		}
		a := f.postJSON(t, "/api/v1/ideas/station", map[string]any{"station": "x\x00y"})
		if a.Status != http.StatusBadRequest {
			t.Errorf("station ping: %d %v", a.Status, a.Body)
		}
		if n := f.count(t, "1 = 1"); n != 0 {
			t.Fatalf("%d ideas stored", n)
		}
	})
}
