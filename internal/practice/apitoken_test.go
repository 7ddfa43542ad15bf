package practice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// apiCall sends a JSON request with a bearer token and headers (name, value pairs).
func apiCall(t *testing.T, s *testutil.Server, method, path, token, body string, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
	}
	return res.StatusCode, out, res.Header
}

func newToken(t *testing.T, s *testutil.Server, u *auth.User, name string, expires *time.Time, scopes ...string) string {
	t.Helper()
	secret, _, err := s.App.Users.CreateToken(context.Background(), audit.System("test"), u, name, scopes, expires)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// A city's editor writes practices through the API with a personal token,
// through the same checks, workflow and audit as the forms, and only for
// their own city.
func TestTokensWritePractices(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		w := newWorld(t, d)
		edA, _ := s.User(auth.RoleEditor, w.dus)
		edB, _ := s.User(auth.RoleEditor, w.ouaga)
		tokA := newToken(t, s, edA, "website import", nil, auth.ScopePracticesWrite)
		readA := newToken(t, s, edA, "reader", nil, auth.ScopeReadPrivate)
		tokB := newToken(t, s, edB, "other city", nil, auth.ScopePracticesWrite)
		count := func() int64 { return testutil.Count(t, d, `SELECT COUNT(*) FROM practices`) }

		draft := `{"language":"de","title":"Nachbarschaftsgarten","summary":"Nachbarn pflanzen gemeinsam.","themes":["public-space"],"start":"2024"}`
		// No token, a token without the scope, a token that is not one.
		if st, p, h := apiCall(t, s, "POST", "/api/v1/practices", "", draft); st != 401 || p["code"] != "unauthorized" || h.Get("WWW-Authenticate") == "" {
			t.Fatalf("without a token: %d %v", st, p)
		}
		if st, p, _ := apiCall(t, s, "POST", "/api/v1/practices", readA, draft); st != 403 || p["code"] != "forbidden" {
			t.Fatalf("read-only token: %d %v", st, p)
		}
		if st, _, _ := apiCall(t, s, "POST", "/api/v1/practices", "obs_nothing", draft); st != 401 {
			t.Fatalf("unknown token: %d", st)
		}
		// The form's checks: a bad date and an unknown theme are refused, in words.
		st, p, _ := apiCall(t, s, "POST", "/api/v1/practices", tokA, `{"language":"de","title":"X","start":"soon","themes":["nope"]}`, "Accept-Language", "de")
		if st != 422 || p["code"] != "validation" || !strings.Contains(fmt.Sprint(p["errors"]), "start") || !strings.Contains(fmt.Sprint(p["errors"]), "2019-05") {
			t.Fatalf("invalid draft: %d %v", st, p)
		}
		if st, p, _ := apiCall(t, s, "POST", "/api/v1/practices", tokA, `{"title": 3}`); st != 400 || p["code"] != "invalid-body" {
			t.Fatalf("not the expected JSON: %d %v", st, p)
		}
		if n := count(); n != 0 {
			t.Fatalf("%d practices after refused writes", n)
		}

		// A draft for the token owner's city, once per Idempotency-Key.
		st, p, _ = apiCall(t, s, "POST", "/api/v1/practices", tokA, draft, "Idempotency-Key", "k1")
		if st != 201 || p["state"] != "draft" || p["review"] != "editing" || p["public_url"] != nil {
			t.Fatalf("create: %d %v", st, p)
		}
		id := int64(p["id"].(float64))
		if city := p["city"].(map[string]any); int64(city["id"].(float64)) != w.dus {
			t.Fatalf("the draft is of city %v, want %d", city["id"], w.dus)
		}
		st2, p2, h2 := apiCall(t, s, "POST", "/api/v1/practices", tokA, draft, "Idempotency-Key", "k1")
		if st2 != 201 || p2["id"] != p["id"] || h2.Get("Idempotent-Replayed") != "true" || count() != 1 {
			t.Fatalf("repeat: %d %v (%d practices)", st2, p2, count())
		}
		if st, p, _ := apiCall(t, s, "POST", "/api/v1/practices", tokA, `{"language":"en","title":"Other"}`, "Idempotency-Key", "k1"); st != 422 || p["code"] != "idempotency-conflict" {
			t.Fatalf("key reused for another body: %d %v", st, p)
		}
		// Drafts stay private: the public API does not know it; the owner's reader does.
		if st, _, _ := apiCall(t, s, "GET", fmt.Sprintf("/api/v1/practices/%d", id), "", ""); st != 404 {
			t.Fatalf("public read of a draft: %d", st)
		}
		if st, p, _ := apiCall(t, s, "GET", fmt.Sprintf("/api/v1/practices/%d/work", id), readA, ""); st != 200 || p["id"] != float64(id) {
			t.Fatalf("the owner's working copy: %d %v", st, p)
		}

		// Another city's token cannot touch it.
		path := fmt.Sprintf("/api/v1/practices/%d", id)
		for _, c := range []struct{ method, path, body string }{{"PATCH", path, `{"title":"Gekapert"}`}, {"POST", path + "/submit", ""}, {"GET", path + "/work", ""}} {
			if st, p, _ := apiCall(t, s, c.method, c.path, tokB, c.body); st != 403 {
				t.Fatalf("%s %s with another city's token: %d %v", c.method, c.path, st, p)
			}
		}
		// Submitting an incomplete copy is refused with what is missing.
		if st, p, _ := apiCall(t, s, "POST", path+"/submit", tokA, ""); st != 422 || !strings.Contains(fmt.Sprint(p["errors"]), "body") {
			t.Fatalf("incomplete submit: %d %v", st, p)
		}
		// An edit from an old revision is a conflict; from the current one it saves.
		if st, p, _ := apiCall(t, s, "PATCH", path, tokA, `{"base":0,"body":"Text"}`); st != 409 || p["code"] != "conflict" {
			t.Fatalf("stale edit: %d %v", st, p)
		}
		st, p, _ = apiCall(t, s, "PATCH", path, tokA, `{"base":1,"body":"Auf einer Brache wachsen Beete.","status":"running"}`)
		if st != 200 || p["revision"] != float64(2) {
			t.Fatalf("edit: %d %v", st, p)
		}
		// A translation goes in with language.
		st, p, _ = apiCall(t, s, "PATCH", path, tokA, `{"language":"en","title":"Neighbourhood garden"}`)
		if rec := p["record"].(map[string]any); st != 200 || rec["title"].(map[string]any)["en"] != "Neighbourhood garden" || rec["language"] != "de" {
			t.Fatalf("translation: %d %v", st, p)
		}
		st, p, _ = apiCall(t, s, "POST", path+"/submit", tokA, "", "Idempotency-Key", "submit-1")
		if st != 200 || p["review"] != "submitted" {
			t.Fatalf("submit: %d %v", st, p)
		}
		if st, _, h := apiCall(t, s, "POST", path+"/submit", tokA, "", "Idempotency-Key", "submit-1"); st != 200 || h.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("submit again with the key: %d", st)
		}
		if st, p, _ := apiCall(t, s, "POST", path+"/submit", tokA, ""); st != 409 || p["code"] != "state" {
			t.Fatalf("submit twice: %d %v", st, p)
		}
		// The audit log names the token.
		var who string
		if err := d.R.QueryRow(`SELECT actor_email FROM audit_log WHERE action = 'practice.submit' AND target = $1`, fmt.Sprintf("practice:%d", id)).Scan(&who); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(who, edA.Email) || !strings.Contains(who, `"website import"`) || !strings.Contains(who, "token:") {
			t.Errorf("audit actor %q does not name the token", who)
		}

		// A revoked token and an expired one get 401.
		list, err := s.App.Users.Tokens(context.Background(), edA.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			if tk.Name == "website import" {
				if tk.LastUsedAt == nil || tk.LastUsedIP == "" {
					t.Errorf("last use not noted: %+v", tk)
				}
				if err := s.App.Users.RevokeToken(context.Background(), audit.System("test"), edA.ID, tk.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if st, _, _ := apiCall(t, s, "PATCH", path, tokA, `{"title":"Nach dem Widerruf"}`); st != 401 {
			t.Fatalf("revoked token: %d", st)
		}
		soon := time.Now().Add(2 * time.Second)
		short := newToken(t, s, edA, "short", &soon, auth.ScopePracticesWrite)
		if _, err := d.W.Exec(`UPDATE api_tokens SET expires_at = $1 WHERE name = 'short'`, time.Now().Add(-time.Minute).UTC()); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := apiCall(t, s, "PATCH", path, short, `{"title":"Abgelaufen"}`); st != 401 {
			t.Fatalf("expired token: %d", st)
		}
		// Nothing of the refused writes arrived.
		wk, err := s.App.Practices.Store.Work(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if wk.Head.Title["de"] != "Nachbarschaftsgarten" || wk.HeadNumber != 3 {
			t.Errorf("after refused writes: %v, revision %d", wk.Head.Title, wk.HeadNumber)
		}
		// A token that writes practices is only for a city's editors.
		mod, _ := s.User(auth.RoleModerator, 0)
		if _, _, err := s.App.Users.CreateToken(context.Background(), audit.System("test"), mod, "x", []string{auth.ScopePracticesWrite}, nil); err == nil {
			t.Error("a moderator got a token that writes practices")
		}
	})
}
