package declaration_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/testutil"
)

// A bundle with its last entries cut off does not pass: the platform's
// signed checkpoint (entry count and head hash) travels with every bundle,
// and a checkpoint changed to match the cut no longer verifies.
func TestBundleCutShortIsRefused(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		st := &declaration.Store{DB: d}
		must(t, st.EnsureKey(context.Background()))
		id := signedDeclaration(t, d, st)
		b, err := st.Bundle(context.Background(), id, "https://observatory.example.org")
		must(t, err)
		r := declaration.Verify(b, declaration.VerifyOptions{})
		if !r.OK() || b.Checkpoint == nil || b.Checkpoint.Entries != 5 || b.Checkpoint.Head != r.Head {
			t.Fatalf("the whole bundle: ok=%v problems=%v checkpoint=%+v", r.OK(), r.Problems, b.Checkpoint)
		}
		full := b.Entries
		b.Entries = full[:3]
		r = declaration.Verify(b, declaration.VerifyOptions{})
		if r.OK() || r.First().Code != "checkpoint_short" {
			t.Fatalf("a bundle cut to 3 of 5 entries: ok=%v %v", r.OK(), r.Problems)
		}
		cp := *b.Checkpoint
		cp.Entries, cp.Head = 3, full[2].Hash
		b.Checkpoint = &cp
		if r = declaration.Verify(b, declaration.VerifyOptions{}); r.OK() {
			t.Fatal("a checkpoint rewritten to match the cut passed")
		}
		b.Checkpoint = nil
		if r = declaration.Verify(b, declaration.VerifyOptions{}); r.OK() {
			t.Fatal("a bundle without its checkpoint passed")
		}
	})
}

// The verify page always compares an uploaded bundle with the platform's
// current checkpoint and names the entries the bundle lacks.
func TestVerifyPageNamesEntriesMissingSinceTheBundle(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		st := s.App.Declarations.Store
		id := openDeclaration(t, d, st)
		a := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "EU", 51.22, 6.78)
		b := addCity(t, d, "warsaw", "Warsaw", "PL", "EU", 52.23, 21.01)
		must(t, sign(t, d, st, id, a, "Thomas Geisel"))
		old, err := st.Bundle(context.Background(), id, s.URL)
		must(t, err)
		must(t, sign(t, d, st, id, b, "Michał Olszewski"))
		raw, _ := json.Marshal(old)
		path := "/en/declarations/" + strconv.FormatInt(id, 10) + "/verify"
		upload(t, s, path, string(raw)).Expect(t, 200, "complete as of entry 2", "Missing from this bundle, recorded since (1)", "Warsaw", "platform’s signed record")
	})
}

// The declaration page and the API show the platform's latest signed
// checkpoint, and the page says what a signature here is.
func TestCheckpointOnPageAndAPI(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d)
		st := s.App.Declarations.Store
		id := openDeclaration(t, d, st)
		a := addCity(t, d, "dusseldorf", "Düsseldorf", "DE", "EU", 51.22, 6.78)
		must(t, sign(t, d, st, id, a, "Thomas Geisel"))
		cp, err := st.Checkpoint(context.Background(), id)
		must(t, err)
		if cp == nil || cp.Entries != 2 {
			t.Fatalf("checkpoint: %+v", cp)
		}
		get := func(lang string, texts ...string) {
			res := s.Client().Get("/"+lang+"/declarations/"+strconv.FormatInt(id, 10)).Expect(t, 301)
			s.Client().Get(res.Header.Get("Location")).Expect(t, 200, texts...)
		}
		get("en", "complete as of entry 2, signed at", "not the mayor’s own electronic signature")
		get("fr", "complet jusqu’à l’entrée 2")
		var out struct {
			Checkpoint *declaration.Checkpoint `json:"checkpoint"`
		}
		res := s.Client().Get("/api/v1/declarations/"+strconv.FormatInt(id, 10)).Expect(t, 200)
		must(t, json.Unmarshal([]byte(res.Body), &out))
		if out.Checkpoint == nil || *out.Checkpoint != *cp {
			t.Fatalf("API checkpoint %+v, want %+v", out.Checkpoint, cp)
		}
	})
}
