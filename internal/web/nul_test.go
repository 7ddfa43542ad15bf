package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

func TestJSONNULNamesTheField(t *testing.T) {
	for doc, want := range map[string]string{
		`{"title": "a\u0000b"}`:                     "title",
		`{"contact": {"name": "\u0000"}}`:           "contact.name",
		`{"themes": ["x", "y\u0000"]}`:              "themes[1]",
		`{"a\u0000": 1}`:                            "a\x00",
		`["ok", {"k": ["\u0000"]}]`:                 "[1].k[0]",
		"{\"raw\": \"a\x00b\"}":                     "",
		`{"title": "a\\u0000b", "n": 0, "b": true}`: "-",
		`{"not json`:                                "-",
	} {
		found, where := web.JSONNUL([]byte(doc))
		if want == "-" {
			if found {
				t.Errorf("%s: found one at %q", doc, where)
			}
			continue
		}
		if !found || where != want {
			t.Errorf("%s: %v %q, want %q", doc, found, where, want)
		}
	}
}

// A NUL that reaches PostgreSQL (which refuses it) is answered as bad
// input, not as a failure of the server.
func TestNULRefusedByPostgresIsBadInput(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		if d.Dialect.Engine != db.Postgres {
			t.Skip("SQLite stores a NUL")
		}
		s := testutil.NewServer(t, d)
		_, err := d.W.ExecContext(context.Background(), `UPDATE cities SET name = $1 WHERE id = 0`, "Düssel\x00dorf")
		if err == nil || !web.BadText(err) {
			t.Fatalf("PostgreSQL's answer: %v", err)
		}
		w := httptest.NewRecorder()
		s.App.Render.Fail(w, httptest.NewRequest("POST", "/en/cities/1/edit", nil), err)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("status %d", w.Code)
		}
	})
}
