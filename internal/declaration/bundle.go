package declaration

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Bundle builds the signed bundle of a public declaration. baseURL (no
// trailing slash) makes the links in it absolute.
func (s *Store) Bundle(ctx context.Context, id int64, baseURL string) (*Bundle, error) {
	d, err := s.Get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return s.bundleOf(ctx, d, baseURL)
}

func (s *Store) bundleOf(ctx context.Context, d *Declaration, baseURL string) (*Bundle, error) {
	b := &Bundle{Format: BundleFormat, About: bundleAbout, KeysURL: baseURL + "/.well-known/observatory-keys.json",
		GeneratedAt: FormatTime(db.Now())}
	lang := d.Authoritative
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	b.Declaration = BundleDeclaration{ID: d.ID, URL: baseURL + "/" + lang + d.Path(), Status: d.Status,
		AdoptedOn: d.AdoptedOn, AdoptedPlace: d.AdoptedPlace}
	b.Declaration.Title = d.Titles.Get(d.Authoritative, d.Authoritative)
	b.Versions = []BundleVersion{}
	for _, v := range d.Versions {
		if v.Published() {
			b.Versions = append(b.Versions, BundleVersion{Number: v.Number, Authoritative: v.Authoritative, Texts: v.Texts, Hash: v.Hash})
		}
	}
	// The checkpoint first: an entry appended meanwhile is left out, so
	// the bundle is exactly what the checkpoint vouches for.
	var err error
	if b.Checkpoint, err = s.Checkpoint(ctx, d.ID); err != nil {
		return nil, err
	}
	if b.Entries, err = s.entries(ctx, d.ID); err != nil {
		return nil, err
	}
	if b.Checkpoint != nil && int64(len(b.Entries)) > b.Checkpoint.Entries {
		b.Entries = b.Entries[:b.Checkpoint.Entries]
	}
	if b.Keys, err = s.PublicKeys(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// entries reads a declaration's log in order, as stored.
func (s *Store) entries(ctx context.Context, id int64) ([]Entry, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT seq, kind, prev_hash, declaration_id, version_number, version_hash,
		COALESCE(city_id, 0), city_name, city_country, signer_name, signer_role, read_lang, mode, place, at, recorded_at,
		withdraws, reason, key_id, entry_hash, signature
		FROM declaration_log WHERE declaration_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var at, rec time.Time
		if err := rows.Scan(&e.Seq, &e.Kind, &e.Prev, &e.Declaration, &e.Version, &e.VersionHash,
			&e.City.ID, &e.City.Name, &e.City.Country, &e.Signer, &e.Role, &e.Lang, &e.Mode, &e.Place, &at, &rec,
			&e.Withdraws, &e.Reason, &e.Key, &e.Hash, &e.Signature); err != nil {
			return nil, err
		}
		e.At, e.Recorded = FormatTime(at), FormatTime(rec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyStored verifies a declaration as the database holds it right now:
// the bundle built from its rows, and also that the list of signatories
// and the chain's head agree with the log. A row changed by hand — a text,
// a signer, a time, the order of the log — fails here, naming the entry.
func (s *Store) VerifyStored(ctx context.Context, id int64, all bool) (*Report, *Bundle, error) {
	d, err := s.Get(ctx, id, all)
	if err != nil {
		return nil, nil, err
	}
	b, err := s.bundleOf(ctx, d, "")
	if err != nil {
		return nil, nil, err
	}
	r := Verify(b, VerifyOptions{Declaration: id})
	sigs, err := s.Signatures(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var headSeq int64
	var headHash string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT seq, hash FROM declaration_log_heads WHERE declaration_id = $1`, id).
		Scan(&headSeq, &headHash); err != nil && err != sql.ErrNoRows {
		return nil, nil, err
	}
	crossCheck(r, b.Entries, sigs, headSeq, headHash)
	sortProblems(r.Problems)
	return r, b, nil
}

// crossCheck compares the list of signatories and the head with the log.
func crossCheck(r *Report, entries []Entry, sigs []*Signature, headSeq int64, headHash string) {
	index := map[int64]int{}
	for i, e := range entries {
		index[e.Seq] = i
	}
	bySeq := map[int64]*Signature{}
	for _, g := range sigs {
		bySeq[g.LogSeq] = g
		i, ok := index[g.LogSeq]
		if !ok || entries[i].Kind != KindSignature {
			r.add(Problem{Code: "row_extra", Detail: fmt.Sprintf("%s, %s", g.City.Name, FormatTime(g.SignedAt))})
			continue
		}
		e := entries[i]
		var differs []string
		check := func(field string, same bool) {
			if !same {
				differs = append(differs, field)
			}
		}
		check("city", g.City.ID == e.City.ID)
		check("signer", g.Signer == e.Signer)
		check("role", g.Role == e.Role)
		check("lang", g.Lang == e.Lang)
		check("mode", g.Mode == e.Mode)
		check("place", g.Place == e.Place)
		check("time", FormatTime(g.SignedAt) == e.At)
		check("version", g.Version == e.Version)
		for _, f := range differs {
			r.addAt(i, Problem{Seq: e.Seq, Code: "row_differs", Detail: f})
		}
		if g.WithdrawnAt != nil {
			w, ok := index[g.Withdrawal]
			if !ok || entries[w].Kind != KindWithdrawal || entries[w].Withdraws != g.LogSeq {
				r.addAt(i, Problem{Seq: e.Seq, Code: "row_differs", Detail: "withdrawn"})
			}
		}
	}
	for i, e := range entries {
		switch e.Kind {
		case KindSignature:
			if bySeq[e.Seq] == nil {
				r.addAt(i, Problem{Seq: e.Seq, Code: "row_missing"})
			}
		case KindWithdrawal:
			if g := bySeq[e.Withdraws]; g == nil || g.WithdrawnAt == nil || g.Withdrawal != e.Seq {
				r.addAt(i, Problem{Seq: e.Seq, Code: "row_withdrawal"})
			}
		}
	}
	var last int64
	if n := len(entries); n > 0 {
		last = entries[n-1].Seq
	}
	if headSeq > last {
		r.add(Problem{Seq: last + 1, Code: "head", Detail: fmt.Sprint(last)})
	} else if last > 0 && headHash != entries[len(entries)-1].Hash {
		r.addAt(len(entries)-1, Problem{Seq: last, Code: "hash"})
	}
}
