package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"observatory/internal/web"
)

// A deleting POST without confirm=yes deletes nothing and asks, in the
// visitor's language, with the form kept for the second step; with
// confirm=yes the handler goes on.
func TestConfirmedAsksFirst(t *testing.T) {
	rd := renderer(t, io.Discard)
	rt := web.NewRouter(prometheus.NewRegistry())
	deleted := 0
	rt.Page("POST /things/{id}/delete", func(w http.ResponseWriter, r *http.Request) {
		if !rd.Confirmed(w, r, web.Confirm{Question: "Delete <Nantes>?", Notes: []string{"Both cities lose it."}, Back: "/fr/things"}) {
			return
		}
		deleted++
		w.Write([]byte("deleted"))
	})
	srv := httptest.NewServer(rt.Mux)
	defer srv.Close()
	post := func(form url.Values, referer string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/fr/things/7/delete?from=list", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	status, body := post(url.Values{"base": {"3"}, "tag": {"a", `b"c`}}, srv.URL+"/fr/things?page=2")
	if status != 200 || deleted != 0 {
		t.Fatalf("first step: status %d, %d deleted", status, deleted)
	}
	for _, want := range []string{
		`<html lang="fr">`, `<h1 id="confirm-h">Delete &lt;Nantes&gt;?</h1>`, "Cette action est irréversible.", "Both cities lose it.",
		`action="/fr/things/7/delete?from=list"`, `<input type="hidden" name="base" value="3">`,
		`<input type="hidden" name="tag" value="a">`, `<input type="hidden" name="tag" value="b&#34;c">`,
		`<input type="hidden" name="confirm" value="yes">`, `>Supprimer</button>`, `<a href="/fr/things?page=2">Annuler</a>`,
		`<meta name="robots" content="noindex">`,
		// The address asked is POST only: the other languages lead to the page it came from.
		`href="/de/things?page=2"`, `href="/en/things?page=2"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the question lacks %s\n%s", want, body)
		}
	}

	// Cancel leads back only within the site.
	for _, ref := range []string{"", "https://elsewhere.example/fr/things", srv.URL + "//elsewhere.example/x", "javascript:alert(1)", srv.URL + "/fr/things/7/delete"} {
		if _, body := post(nil, ref); !strings.Contains(body, `<a href="/fr/things">Annuler</a>`) {
			t.Errorf("with Referer %q, Cancel leads elsewhere:\n%s", ref, body)
		}
	}
	// Any other answer than yes still asks.
	if _, body := post(url.Values{"confirm": {"1"}}, ""); deleted != 0 || !strings.Contains(body, "confirm-h") {
		t.Errorf("confirm=1 deleted")
	}

	if status, body := post(url.Values{"confirm": {"yes"}, "base": {"3"}}, ""); status != 200 || body != "deleted" || deleted != 1 {
		t.Errorf("second step: status %d, %q", status, body)
	}
}
