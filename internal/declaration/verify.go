package declaration

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"
)

// Bundle is everything needed to check a declaration's signatures without
// the platform: the text of every published version with its hash, the
// whole log, and the platform's public keys.
type Bundle struct {
	Format      string            `json:"format"`
	About       string            `json:"about"`
	Declaration BundleDeclaration `json:"declaration"`
	Versions    []BundleVersion   `json:"versions"`
	Entries     []Entry           `json:"entries"`
	Keys        []PublicKey       `json:"keys"`
	Checkpoint  *Checkpoint       `json:"checkpoint"`
	KeysURL     string            `json:"keys_url"`
	GeneratedAt string            `json:"generated_at"`
}

// BundleDeclaration says which declaration a bundle is about. These fields
// are for people; what is verified is in the versions and entries.
type BundleDeclaration struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	URL          string `json:"url"`
	Status       string `json:"status"`
	AdoptedOn    string `json:"adopted_on"`
	AdoptedPlace string `json:"adopted_place"`
}

// BundleVersion is one published version's text and hash.
type BundleVersion struct {
	Number        int    `json:"number"`
	Authoritative string `json:"authoritative_lang"`
	Texts         Texts  `json:"texts"`
	Hash          string `json:"hash"`
}

// bundleAbout tells a reader of the file how to check it.
const bundleAbout = "Signed bundle of a declaration. Check it with `observatory verify FILE` or on the declaration's verify page. " +
	"Each version's hash is the SHA-256 of its canonical JSON form; each log entry is signed with Ed25519 by the platform's key " +
	"over its canonical JSON payload and holds the hash of the entry before it. Compare the keys with those published at keys_url."

// maxBundleBytes bounds a bundle read from a visitor or a file.
const maxBundleBytes = 32 << 20

// ReadBundle decodes a bundle strictly: unknown fields are refused, since
// they would be neither verified nor shown.
func ReadBundle(r io.Reader) (*Bundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBundleBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBundleBytes {
		return nil, fmt.Errorf("the bundle is larger than %d MB", maxBundleBytes>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Bundle
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("the bundle is not valid JSON of the expected form: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("the bundle has data after its end")
	}
	return &b, nil
}

// Problem is one thing wrong with a bundle or a stored log.
type Problem struct {
	Seq     int64  // the entry it is about (0: none)
	Version int    // the version it is about (0: none)
	Code    string // see problemText
	Detail  string
}

// problemText explains each problem code in English (the command line);
// the pages use the catalog keys declaration.problem.<code>.
var problemText = map[string]string{
	"format":              "the file is not a declaration bundle (%s)",
	"declaration":         "the bundle is about declaration %s, not this one",
	"key_invalid":         "key %s is not a valid Ed25519 public key with that id",
	"key_untrusted":       "key %s is not one of the platform's published keys",
	"version_order":       "the versions are not numbered 1, 2, 3 … (%s)",
	"version_hash":        "the text of version %s does not match its hash: the text was changed",
	"version_unpublished": "version %s was never published in the log",
	"seq":                 "it is numbered %s where the log has this position: an entry is missing, added or out of order",
	"prev":                "it does not follow the entry before it (the previous-entry hash differs): entries were removed or reordered",
	"hash":                "its hash does not match its contents",
	"unknown_key":         "it is signed with key %s, which is not among the bundle's valid, trusted keys",
	"signature":           "the signature does not match the entry: a field was changed after signing",
	"key_period":          "it is signed with key %s outside that key's validity",
	"entry_declaration":   "it belongs to declaration %s",
	"version_unknown":     "it names version %s, which the bundle does not contain",
	"version_mismatch":    "the text of version %s is not the text whose hash was signed here: the text was changed",
	"time":                "its time is not valid or earlier than the entry before (%s)",
	"fields":              "a field is missing or not allowed (%s)",
	"duplicate":           "the city already had an active signature (entry %s)",
	"withdraws":           "it withdraws entry %s, which is not an active signature of this city",
	"version_twice":       "version %s is published twice or out of order",
	"version_before":      "it signs version %s before that version was published",
	"row_missing":         "the signature recorded here is missing from the list of signatories",
	"row_differs":         "the list of signatories differs from this entry (%s)",
	"row_extra":           "the list of signatories shows a signature with no entry in the log (%s)",
	"row_withdrawal":      "the list of signatories does not show this withdrawal",
	"head":                "the log ends at entry %s, but its head says more: entries were deleted",
	"checkpoint_missing":  "the bundle carries no signed checkpoint, so it cannot show that no entry is missing",
	"checkpoint_invalid":  "the checkpoint is not signed by a valid key of the bundle (%s)",
	"checkpoint_short":    "entries are missing: the platform's signed record of this log has %s entries, the bundle holds another number",
}

// Message is the problem in English.
func (p Problem) Message() string {
	f, ok := problemText[p.Code]
	if !ok {
		f = p.Code + " %s"
	}
	msg := f
	if bytes.Contains([]byte(f), []byte("%s")) {
		msg = fmt.Sprintf(f, p.Detail)
	}
	switch {
	case p.Seq > 0:
		return fmt.Sprintf("entry %d: %s", p.Seq, msg)
	case p.Version > 0 && p.Code != "version_hash" && p.Code != "version_unpublished":
		return fmt.Sprintf("version %d: %s", p.Version, msg)
	}
	return msg
}

func (p Problem) Error() string { return p.Message() }

// EntryStatus is one entry and what is wrong with it.
type EntryStatus struct {
	Entry    Entry
	Problems []Problem
}

// OK reports whether nothing is wrong with the entry.
func (s EntryStatus) OK() bool { return len(s.Problems) == 0 }

// VersionStatus is one version and what is wrong with it.
type VersionStatus struct {
	Number   int
	Hash     string
	Langs    []string
	Problems []Problem
}

// OK reports whether nothing is wrong with the version.
func (s VersionStatus) OK() bool { return len(s.Problems) == 0 }

// Report is the result of verifying a bundle.
type Report struct {
	Declaration int64
	Title       string
	Entries     []EntryStatus
	Versions    []VersionStatus
	Problems    []Problem // every problem: the bundle's, the versions', the entries'
	Unplaced    []Problem // problems not shown on an entry's row
	Active      int       // signatures not withdrawn
	Cities      int
	Countries   int
	Withdrawals int
	KeysUsed    []string
	Head        string // hash of the last entry
	// Checkpoint is the bundle's signed checkpoint, when it verified and
	// the entries reach it: the bundle is complete as of its entry count.
	Checkpoint *Checkpoint
}

// OK reports whether the bundle is valid.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// First is the problem to name: the first bad entry's, or else the first.
func (r *Report) First() *Problem {
	for _, e := range r.Entries {
		if len(e.Problems) > 0 {
			return &e.Problems[0]
		}
	}
	if len(r.Problems) > 0 {
		return &r.Problems[0]
	}
	return nil
}

func (r *Report) add(p Problem) {
	r.Problems = append(r.Problems, p)
	r.Unplaced = append(r.Unplaced, p)
	if p.Version > 0 {
		for i := range r.Versions {
			if r.Versions[i].Number == p.Version {
				r.Versions[i].Problems = append(r.Versions[i].Problems, p)
			}
		}
	}
}

// addAt records a problem of the entry at index i.
func (r *Report) addAt(i int, p Problem) {
	r.Problems = append(r.Problems, p)
	r.Entries[i].Problems = append(r.Entries[i].Problems, p)
}

// VerifyOptions say what to compare a bundle with.
type VerifyOptions struct {
	// Declaration, when not 0, is the declaration the bundle must be about.
	Declaration int64
	// Trusted, when not nil, are the platform's published keys by id: every
	// key in the bundle must be one of them, with the same validity.
	Trusted map[string]PublicKey
}

var validLangCode = func(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

// trustedAs reports whether a bundle's key k is the published key t. A
// bundle saved while its key was in use says the key is open-ended; once
// the key was retired the published one has an end, which then applies.
func trustedAs(t, k PublicKey) bool {
	if t.ID != k.ID || t.PublicKey != k.PublicKey || t.ValidFrom != k.ValidFrom {
		return false
	}
	return k.ValidUntil == nil || (t.ValidUntil != nil && *k.ValidUntil == *t.ValidUntil)
}

// TrustedKeys indexes published keys by id.
func TrustedKeys(ks []PublicKey) map[string]PublicKey {
	m := make(map[string]PublicKey, len(ks))
	for _, k := range ks {
		m[k.ID] = k
	}
	return m
}

// Verify checks a bundle: every version's text against its hash, every
// entry's hash, signature, key validity and link to the entry before, and
// that signatures and withdrawals follow each other sensibly. It checks
// every entry, so a page can show each one's status.
func Verify(b *Bundle, opt VerifyOptions) *Report {
	r := &Report{Declaration: b.Declaration.ID, Title: b.Declaration.Title}
	if b.Format != BundleFormat {
		r.add(Problem{Code: "format", Detail: b.Format})
		return r
	}
	if opt.Declaration != 0 && b.Declaration.ID != opt.Declaration {
		r.add(Problem{Code: "declaration", Detail: fmt.Sprint(b.Declaration.ID)})
	}

	// Keys.
	type keyInfo struct {
		pub         ed25519.PublicKey
		from, until time.Time
		open        bool
	}
	keys := map[string]keyInfo{}
	for _, k := range b.Keys {
		raw, err := base64.StdEncoding.DecodeString(k.PublicKey)
		from, ferr := ParseTime(k.ValidFrom)
		var until time.Time
		var uerr error
		if k.ValidUntil != nil {
			until, uerr = ParseTime(*k.ValidUntil)
		}
		if err != nil || len(raw) != ed25519.PublicKeySize || KeyID(raw) != k.ID || k.Algorithm != "Ed25519" || ferr != nil || uerr != nil {
			r.add(Problem{Code: "key_invalid", Detail: k.ID})
			continue
		}
		if t, ok := opt.Trusted[k.ID]; opt.Trusted != nil {
			if !ok || !trustedAs(t, k) {
				r.add(Problem{Code: "key_untrusted", Detail: k.ID})
				continue
			}
			if k.ValidUntil == nil && t.ValidUntil != nil {
				if until, uerr = ParseTime(*t.ValidUntil); uerr != nil {
					r.add(Problem{Code: "key_invalid", Detail: k.ID})
					continue
				}
				k.ValidUntil = t.ValidUntil
			}
		}
		keys[k.ID] = keyInfo{pub: raw, from: from, until: until, open: k.ValidUntil == nil}
	}

	// Versions: the hash each text really has.
	versions := map[int]*BundleVersion{}
	actual := map[int]string{}
	for i := range b.Versions {
		v := &b.Versions[i]
		r.Versions = append(r.Versions, VersionStatus{Number: v.Number, Hash: v.Hash, Langs: v.Texts.Langs()})
	}
	for i := range b.Versions {
		v := &b.Versions[i]
		if v.Number != i+1 {
			r.add(Problem{Version: v.Number, Code: "version_order", Detail: fmt.Sprint(v.Number)})
			continue
		}
		versions[v.Number] = v
		actual[v.Number] = VersionHash(b.Declaration.ID, v.Number, v.Authoritative, v.Texts)
		if actual[v.Number] != v.Hash {
			r.add(Problem{Version: v.Number, Code: "version_hash", Detail: fmt.Sprint(v.Number)})
		}
	}

	for _, e := range b.Entries {
		r.Entries = append(r.Entries, EntryStatus{Entry: e})
	}
	prev := ZeroHash
	var lastRecorded time.Time
	published := 0
	active := map[int64]int64{} // city → seq of its active signature
	activeCountry := map[int64]string{}
	used := map[string]bool{}
	for i := range b.Entries {
		e := &b.Entries[i]
		// Problems name the entry by its number, or its position when
		// the number itself is wrong.
		name := e.Seq
		if e.Seq != int64(i+1) {
			name = int64(i + 1)
		}
		bad := func(code, detail string) { r.addAt(i, Problem{Seq: name, Code: code, Detail: detail}) }
		if e.Seq != int64(i+1) {
			bad("seq", fmt.Sprint(e.Seq))
		}
		if e.Prev != prev {
			bad("prev", "")
		}
		// The chain follows the hashes the entries claim: a changed entry
		// fails on its own signature, and the next one only if the
		// changed entry's hash was rewritten too.
		prev = e.Hash
		k, ok := keys[e.Key]
		recorded, terr := ParseTime(e.Recorded)
		_, aerr := ParseTime(e.At)
		sig, serr := base64.StdEncoding.DecodeString(e.Signature)
		payload := e.Payload()
		switch {
		case !ok:
			bad("unknown_key", e.Key)
		case serr != nil || !ed25519.Verify(k.pub, payload, sig):
			bad("signature", "")
		case sha256Hex(payload) != e.Hash:
			bad("hash", "")
		case terr == nil && (recorded.Before(k.from) || !k.open && recorded.After(k.until)):
			bad("key_period", e.Key)
		}
		used[e.Key] = true
		if terr != nil || aerr != nil || recorded.Before(lastRecorded) {
			bad("time", e.Recorded)
		} else {
			lastRecorded = recorded
		}
		if e.Declaration != b.Declaration.ID {
			bad("entry_declaration", fmt.Sprint(e.Declaration))
		}
		v := versions[e.Version]
		if v == nil {
			bad("version_unknown", fmt.Sprint(e.Version))
		} else if e.VersionHash != actual[e.Version] {
			bad("version_mismatch", fmt.Sprint(e.Version))
		}
		switch e.Kind {
		case KindVersion:
			if e.Version != published+1 {
				bad("version_twice", fmt.Sprint(e.Version))
			} else {
				published = e.Version
			}
			if e.City.ID != 0 || e.Signer != "" || e.Withdraws != 0 {
				bad("fields", "a publication names no city or signer")
			}
		case KindSignature, KindWithdrawal:
			if e.City.ID <= 0 || e.City.Name == "" || e.Signer == "" || (e.Role != RoleMayor && e.Role != RoleDeputyMayor) {
				bad("fields", "city, signer and role")
			}
			if e.Kind == KindSignature {
				if e.Mode != ModeInPerson && e.Mode != ModeRemote {
					bad("fields", "mode")
				}
				if v != nil {
					if _, ok := v.Texts[e.Lang]; !ok {
						bad("fields", "lang")
					}
				}
				if e.Version > published {
					bad("version_before", fmt.Sprint(e.Version))
				}
				if s, ok := active[e.City.ID]; ok {
					bad("duplicate", fmt.Sprint(s))
				}
				if e.Withdraws != 0 {
					bad("fields", "withdraws")
				}
				active[e.City.ID] = e.Seq
				activeCountry[e.City.ID] = e.City.Country
			} else {
				if s, ok := active[e.City.ID]; !ok || s != e.Withdraws {
					bad("withdraws", fmt.Sprint(e.Withdraws))
				}
				delete(active, e.City.ID)
				r.Withdrawals++
			}
		default:
			bad("fields", "kind")
		}
	}
	for n := range versions {
		if n > published {
			r.add(Problem{Version: n, Code: "version_unpublished", Detail: fmt.Sprint(n)})
		}
	}
	r.Head = prev
	switch c := b.Checkpoint; {
	case c == nil:
		r.add(Problem{Code: "checkpoint_missing"})
	case keys[c.Key].pub == nil || c.Declaration != b.Declaration.ID || !c.verify(keys[c.Key].pub):
		r.add(Problem{Code: "checkpoint_invalid", Detail: c.Key})
	case c.Entries != int64(len(b.Entries)) || c.Head != prev:
		r.add(Problem{Code: "checkpoint_short", Detail: fmt.Sprint(c.Entries)})
	default:
		r.Checkpoint = c
	}
	r.Active = len(active)
	r.Cities = len(active)
	countries := map[string]bool{}
	for city := range active {
		countries[activeCountry[city]] = true
	}
	r.Countries = len(countries)
	for k := range used {
		r.KeysUsed = append(r.KeysUsed, k)
	}
	sort.Strings(r.KeysUsed)
	sortProblems(r.Problems)
	return r
}

// sortProblems puts the problems of entries in log order first; the
// bundle's and versions' problems keep their order after them.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Seq, ps[j].Seq
		if (a > 0) != (b > 0) {
			return a > 0
		}
		return a < b
	})
}
