package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"observatory/internal/declaration"
)

// verify checks a declaration's signed bundle offline: no database, no
// network. Exit 0 with a summary when it is valid; exit 1 naming the
// first bad entry otherwise.
func verify(ctx context.Context, args []string) error {
	fs := flags("verify")
	against := fs.String("against", "", "the bundle's address on the platform (…/bundle.json): compare with the platform's current signed checkpoint and name what is missing")
	keysFile := fs.String("keys", "", "the platform's published keys (a saved /.well-known/observatory-keys.json) to check the bundle's keys against")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory verify [--keys KEYS.json] [--against URL] BUNDLE.json   (- reads the bundle from standard input)")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"name one bundle file: observatory verify BUNDLE.json"}
	}
	b, err := readBundle(fs.Arg(0))
	if err != nil {
		return err
	}
	opt := declaration.VerifyOptions{}
	if *keysFile != "" {
		data, err := os.ReadFile(*keysFile)
		if err != nil {
			return fmt.Errorf("reading the keys: %v", err)
		}
		var pub struct{ Keys []declaration.PublicKey }
		if err := json.Unmarshal(data, &pub); err != nil || len(pub.Keys) == 0 {
			return fmt.Errorf("%s holds no published keys", *keysFile)
		}
		opt.Trusted = declaration.TrustedKeys(pub.Keys)
	}
	r := declaration.Verify(b, opt)
	if !r.OK() {
		for _, p := range r.Problems[1:min(len(r.Problems), 10)] {
			fmt.Fprintln(os.Stdout, "  also: "+p.Message())
		}
		return errors.New("NOT VALID: " + r.First().Message())
	}
	if *against != "" {
		if err := compareAgainst(ctx, *against, b, r, opt); err != nil {
			return err
		}
	}
	fmt.Printf("VALID: declaration %d %q, complete as of entry %d, signed at %s\n", b.Declaration.ID, b.Declaration.Title,
		r.Checkpoint.Entries, r.Checkpoint.At)
	fmt.Printf("  %d version(s), %d log entries; head %s\n", len(r.Versions), len(r.Entries), r.Head)
	fmt.Printf("  %d active signature(s) from %d country(ies), %d withdrawal(s)\n", r.Active, r.Countries, r.Withdrawals)
	for _, v := range r.Versions {
		fmt.Printf("  version %d (%s): sha256 %s\n", v.Number, strings.Join(v.Langs, ", "), v.Hash)
	}
	if opt.Trusted == nil {
		fmt.Printf("  signed with key(s) %s — compare them with %s (or pass --keys)\n", strings.Join(r.KeysUsed, ", "), orDash(b.KeysURL))
	} else {
		fmt.Printf("  signed with key(s) %s, all among the given published keys\n", strings.Join(r.KeysUsed, ", "))
	}
	return nil
}

// compareAgainst fetches the platform's current bundle and checks that the
// local one is what the platform's latest signed checkpoint says, naming
// the entries it lacks.
func compareAgainst(ctx context.Context, url string, b *declaration.Bundle, r *declaration.Report, opt declaration.VerifyOptions) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return fmt.Errorf("--against %s: %v", url, err)
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("--against %s: %v", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("--against %s: the platform answered %s", url, res.Status)
	}
	cur, err := declaration.ReadBundle(res.Body)
	if err != nil {
		return fmt.Errorf("--against %s: %v", url, err)
	}
	if opt.Trusted == nil {
		opt.Trusted = declaration.TrustedKeys(b.Keys)
	}
	opt.Declaration = b.Declaration.ID
	cr := declaration.Verify(cur, opt)
	if !cr.OK() {
		return fmt.Errorf("NOT VALID: the platform's current bundle does not verify with this bundle's keys: %s", cr.First().Message())
	}
	have, now := r.Checkpoint, cr.Checkpoint
	if now.Entries < have.Entries || cur.Entries[have.Entries-1].Hash != have.Head {
		return fmt.Errorf("NOT VALID: the platform's current record (%d entries, signed at %s) does not continue this bundle's (%d entries, head %s)",
			now.Entries, now.At, have.Entries, have.Head)
	}
	if now.Entries > have.Entries {
		fmt.Printf("INCOMPLETE: the platform's current record, signed at %s, has %d entries; this bundle ends at entry %d.\n", now.At, now.Entries, have.Entries)
		for _, e := range cur.Entries[have.Entries:] {
			fmt.Printf("  missing entry %d: %s\n", e.Seq, describe(e))
		}
		return errors.New("NOT COMPLETE: the bundle lacks the entries named above")
	}
	fmt.Printf("  the same as the platform's current record (signed at %s)\n", now.At)
	return nil
}

func describe(e declaration.Entry) string {
	switch e.Kind {
	case declaration.KindSignature:
		return fmt.Sprintf("the platform's record that %s (%s) signed, as %s's account, at %s", e.City.Name, e.City.Country, e.Signer, e.At)
	case declaration.KindWithdrawal:
		return fmt.Sprintf("the withdrawal of %s's signature at %s", e.City.Name, e.At)
	}
	return fmt.Sprintf("version %d published at %s", e.Version, e.At)
}

func readBundle(name string) (*declaration.Bundle, error) {
	var in io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	b, err := declaration.ReadBundle(in)
	if err != nil {
		return nil, fmt.Errorf("NOT VALID: %v", err)
	}
	return b, nil
}

func orDash(s string) string {
	if s == "" {
		return "the platform's published keys"
	}
	return s
}
