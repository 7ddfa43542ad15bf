package declaration_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"observatory/internal/declaration"
)

// The canonical form is a published format: this vector pins it. Its
// hash was computed with sha256sum over the expected bytes.
func TestCanonicalVersionVector(t *testing.T) {
	texts := declaration.Texts{
		"fr": {Title: " Déclaration ", Body: "« Vivre ensemble » <b>&</b> \"cités\"\t\\  \r\n"},
		"de": {Title: "Erkla\u0308rung", Body: "\n\nZeile 1   \r\nZeile 2\n\n"}, // a + combining diaeresis → ä (NFC)
	}
	want := `{"authoritative":"fr","declaration":7,"format":"observatory-declaration-version/1",` +
		`"texts":{"de":{"body":"Zeile 1\nZeile 2","title":"Erklärung"},"fr":{"body":"« Vivre ensemble » <b>&</b> \"cités\"\t\\","title":"Déclaration"}},"version":2}`
	if got := string(declaration.CanonicalVersion(7, 2, "fr", texts)); got != want {
		t.Fatalf("canonical form\n got %s\nwant %s", got, want)
	}
	if h := declaration.VersionHash(7, 2, "fr", texts); h != "63ba296b7c6c2766bb577a1a3193bc97efc0213e7b3659717961a67b623d0c2a" {
		t.Fatalf("hash %s", h)
	}
}

func TestNormalization(t *testing.T) {
	for in, want := range map[string]string{
		"a  \r\nb\t\rc":          "a\nb\nc",
		"\n\n  x\n\n":            "  x",
		"Mu\u0308nchen":          "München",
		"bad \xff byte":          "bad \uFFFD byte",
		"control \x01 stays one": "control \x01 stays one",
	} {
		if got := declaration.NormalizeBody(in); got != want {
			t.Errorf("NormalizeBody(%q) = %q, want %q", in, got, want)
		}
	}
	if got := declaration.NormalizeTitle(" Two\nlines "); got != "Two lines" {
		t.Errorf("title %q", got)
	}
	// Control characters are escaped the JCS way.
	b := declaration.CanonicalVersion(1, 1, "en", declaration.Texts{"en": {Title: "t", Body: "a\x01b\u2028c"}})
	if !bytes.Contains(b, []byte(`"a\u0001b`+"\u2028"+`c"`)) {
		t.Errorf("escaping: %s", b)
	}
}

// testKey is a fixed key, so that bundles built in tests are stable.
func testKey(seed byte) *declaration.PrivateKey {
	k := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	return &declaration.PrivateKey{ID: declaration.KeyID(k.Public().(ed25519.PublicKey)), Key: k}
}

func publicOf(k *declaration.PrivateKey, from string, until *string) declaration.PublicKey {
	return declaration.PublicKey{ID: k.ID, Algorithm: "Ed25519", ValidFrom: from, ValidUntil: until,
		PublicKey: base64.StdEncoding.EncodeToString(k.Key.Public().(ed25519.PublicKey))}
}

// buildBundle makes a valid bundle by hand: one version, n signatures.
func buildBundle(n int, k *declaration.PrivateKey) *declaration.Bundle {
	texts := declaration.Texts{"en": {Title: "Declaration", Body: "We commit."}, "fr": {Title: "Déclaration", Body: "Nous nous engageons."}}
	v := declaration.BundleVersion{Number: 1, Authoritative: "en", Texts: texts, Hash: declaration.VersionHash(9, 1, "en", texts)}
	b := &declaration.Bundle{Format: declaration.BundleFormat, Declaration: declaration.BundleDeclaration{ID: 9, Title: "Declaration"},
		Versions: []declaration.BundleVersion{v}, Keys: []declaration.PublicKey{publicOf(k, "2019-01-01T00:00:00Z", nil)}}
	prev := declaration.ZeroHash
	add := func(e declaration.Entry) {
		e.Seq, e.Prev, e.Declaration, e.Version, e.VersionHash = int64(len(b.Entries)+1), prev, 9, 1, v.Hash
		e.Recorded = "2019-08-31T18:00:00Z"
		if e.At == "" {
			e.At = e.Recorded
		}
		e.SignWith(k)
		prev = e.Hash
		b.Entries = append(b.Entries, e)
	}
	add(declaration.Entry{Kind: declaration.KindVersion})
	for i := 0; i < n; i++ {
		add(declaration.Entry{Kind: declaration.KindSignature, City: declaration.EntryCity{ID: int64(i + 1), Name: "City", Country: "DE"},
			Signer: "Mayor", Role: declaration.RoleMayor, Lang: "fr", Mode: declaration.ModeInPerson, Place: "Tonhalle"})
	}
	b.Checkpoint = &declaration.Checkpoint{Declaration: 9, Entries: int64(len(b.Entries)), Head: prev, At: "2019-08-31T18:00:00Z"}
	b.Checkpoint.SignWith(k)
	return b
}

func TestVerifyBundleRoundTrip(t *testing.T) {
	k := testKey(1)
	b := buildBundle(3, k)
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(b); err != nil {
		t.Fatal(err)
	}
	back, err := declaration.ReadBundle(&buf)
	if err != nil {
		t.Fatal(err)
	}
	r := declaration.Verify(back, declaration.VerifyOptions{})
	if !r.OK() || r.Active != 3 || r.Countries != 1 || len(r.KeysUsed) != 1 {
		t.Fatalf("valid bundle: %v", r.Problems)
	}
	// Pinned keys: the platform's own pass, another key fails.
	trusted := declaration.TrustedKeys(b.Keys)
	if r := declaration.Verify(back, declaration.VerifyOptions{Trusted: trusted, Declaration: 9}); !r.OK() {
		t.Fatalf("trusted: %v", r.Problems)
	}
	if r := declaration.Verify(back, declaration.VerifyOptions{Trusted: map[string]declaration.PublicKey{}}); r.OK() || r.First().Code != "unknown_key" {
		t.Fatalf("untrusted key: %v", r.First())
	}
	if r := declaration.Verify(back, declaration.VerifyOptions{Declaration: 10}); r.OK() || r.First().Code != "declaration" {
		t.Fatalf("another declaration: %v", r.First())
	}
	if _, err := declaration.ReadBundle(strings.NewReader(`{"format": "x", "extra": 1}`)); err == nil {
		t.Error("unknown fields were accepted")
	}
}

// A bundle saved while its key was in use verifies against the keys
// published after that key was retired, within the published validity.
func TestVerifyBundleFromBeforeARotation(t *testing.T) {
	k, next := testKey(1), testKey(2)
	b := buildBundle(2, k) // the key open-ended, entries of 2019-08-31
	published := func(until string) map[string]declaration.PublicKey {
		return declaration.TrustedKeys([]declaration.PublicKey{publicOf(k, "2019-01-01T00:00:00Z", &until), publicOf(next, until, nil)})
	}
	if r := declaration.Verify(b, declaration.VerifyOptions{Trusted: published("2020-01-01T00:00:00Z")}); !r.OK() {
		t.Fatalf("after the key's retirement: %v", r.Problems)
	}
	if r := declaration.Verify(b, declaration.VerifyOptions{Trusted: published("2019-06-01T00:00:00Z")}); r.OK() || r.First().Code != "key_period" {
		t.Fatalf("entries after the published retirement: %v", r.Problems)
	}
	// A bundle cannot end a key the platform still uses, nor move its end.
	for _, claimed := range []string{"2019-12-31T00:00:00Z"} {
		c := *b
		c.Keys = []declaration.PublicKey{publicOf(k, "2019-01-01T00:00:00Z", &claimed)}
		if r := declaration.Verify(&c, declaration.VerifyOptions{Trusted: declaration.TrustedKeys([]declaration.PublicKey{publicOf(k, "2019-01-01T00:00:00Z", nil)})}); r.OK() {
			t.Error("a bundle ending a key still in use was trusted")
		}
		if r := declaration.Verify(&c, declaration.VerifyOptions{Trusted: published("2020-01-01T00:00:00Z")}); r.OK() {
			t.Error("a bundle with another end than the published one was trusted")
		}
	}
}

func TestVerifyFindsForgedEntries(t *testing.T) {
	k, other := testKey(1), testKey(2)
	for name, c := range map[string]struct {
		change func(b *declaration.Bundle)
		seq    int64
		code   string
	}{
		"signer changed": {func(b *declaration.Bundle) { b.Entries[2].Signer = "Mallory" }, 3, "signature"},
		"text changed": {func(b *declaration.Bundle) {
			b.Versions[0].Texts["fr"] = declaration.Text{Title: "Déclaration", Body: "Autre."}
		}, 1, "version_mismatch"},
		"entry dropped":         {func(b *declaration.Bundle) { b.Entries = append(b.Entries[:1], b.Entries[2:]...) }, 2, "seq"},
		"entries swapped":       {func(b *declaration.Bundle) { b.Entries[1], b.Entries[2] = b.Entries[2], b.Entries[1] }, 2, "seq"},
		"re-signed by a forger": {func(b *declaration.Bundle) { b.Entries[3].Signer = "Mallory"; b.Entries[3].SignWith(other) }, 4, "unknown_key"},
		"signed twice by a city": {func(b *declaration.Bundle) {
			e := b.Entries[3]
			e.City.ID = 1
			e.SignWith(k)
			b.Entries[3] = e
		}, 4, "duplicate"},
	} {
		t.Run(name, func(t *testing.T) {
			b := buildBundle(3, k)
			c.change(b)
			r := declaration.Verify(b, declaration.VerifyOptions{})
			p := r.First()
			if r.OK() || p.Seq != c.seq || p.Code != c.code {
				t.Fatalf("first problem %+v, want entry %d %s; all %v", p, c.seq, c.code, r.Problems)
			}
		})
	}
}

// After a rotation the old key stays published with its end, and entries
// it signed still verify; an entry it signed after its end does not.
func TestRetiredKeyValidity(t *testing.T) {
	k := testKey(1)
	b := buildBundle(2, k)
	until := "2019-08-31T18:00:00Z"
	b.Keys[0].ValidUntil = &until
	if r := declaration.Verify(b, declaration.VerifyOptions{}); !r.OK() {
		t.Fatalf("entries within the key's validity: %v", r.Problems)
	}
	early := "2019-08-31T17:59:59Z"
	b.Keys[0].ValidUntil = &early
	if r := declaration.Verify(b, declaration.VerifyOptions{}); r.OK() || r.First().Code != "key_period" {
		t.Fatalf("entries after the key's end: %v", r.First())
	}
}
