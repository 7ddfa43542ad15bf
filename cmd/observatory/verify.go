package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"observatory/internal/declaration"
)

// verify checks a declaration's signed bundle offline: no database, no
// network. Exit 0 with a summary when it is valid; exit 1 naming the
// first bad entry otherwise.
func verify(ctx context.Context, args []string) error {
	fs := flags("verify")
	keysFile := fs.String("keys", "", "the platform's published keys (a saved /.well-known/observatory-keys.json) to check the bundle's keys against")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: observatory verify [--keys KEYS.json] BUNDLE.json   (- reads the bundle from standard input)")
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
	fmt.Printf("VALID: declaration %d %q\n", b.Declaration.ID, b.Declaration.Title)
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
