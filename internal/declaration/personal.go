package declaration

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/web"
)

// What the declarations keep about a person with an account: the
// signatures they recorded for their city. These are signed records:
// neither the log nor the signatures change when the person's data is
// erased; they keep pointing to the account, whose name and address are
// then the pseudonym. The name in a signature is the office holder's who
// signed, part of the record, not the account's.

type signatureExport struct {
	Declaration int64      `json:"declaration_id"`
	Version     int        `json:"version"`
	CityID      int64      `json:"city_id"`
	Signer      string     `json:"signer"`
	Role        string     `json:"signer_role"`
	Mode        string     `json:"mode"`
	SignedAt    time.Time  `json:"signed_at"`
	LogEntry    int64      `json:"log_entry"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	Kept        string     `json:"kept"`
}

// PersonalData is the declarations' part of a person's download; an
// erasure leaves the signed records as they are.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "declarations", Export: s.exportPerson,
		Erase: func(context.Context, *sql.Tx, web.Person, string) error { return nil }}
}

func (s *Store) exportPerson(ctx context.Context, p web.Person) (any, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT declaration_id, version_number, city_id, signer_name, signer_role, mode, signed_at,
		log_seq, withdrawn_at FROM declaration_signatures WHERE recorded_by = $1 ORDER BY id`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("signatures recorded by account %d: %w", p.ID, err)
	}
	defer rows.Close()
	out := []signatureExport{}
	for rows.Next() {
		var e signatureExport
		var w sql.NullTime
		if err := rows.Scan(&e.Declaration, &e.Version, &e.CityID, &e.Signer, &e.Role, &e.Mode, &e.SignedAt, &e.LogEntry, &w); err != nil {
			return nil, fmt.Errorf("signatures recorded by account %d: %w", p.ID, err)
		}
		if w.Valid {
			e.WithdrawnAt = &w.Time
		}
		e.Kept = "a signed public record: kept unchanged after an erasure, linked to the pseudonym"
		out = append(out, e)
	}
	return out, rows.Err()
}
