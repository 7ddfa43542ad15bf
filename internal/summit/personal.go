package summit

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/web"
)

// What summits keep about a person with an account: the delegations they
// registered, and their own entries as a member of any delegation (found
// by their e-mail address).

type personalExport struct {
	Registered []registeredExport `json:"delegations_registered"`
	Member     []memberExport     `json:"delegation_member"`
}

type registeredExport struct {
	Summit       int       `json:"summit_number"`
	CityID       int64     `json:"city_id"`
	State        string    `json:"state"`
	ContactEmail string    `json:"contact_email"`
	Notes        string    `json:"notes"`
	CreatedAt    time.Time `json:"created_at"`
}

type memberExport struct {
	Summit         int        `json:"summit_number"`
	CityID         int64      `json:"city_id"`
	Name           string     `json:"name"`
	Title          string     `json:"title"`
	Role           string     `json:"role"`
	Email          string     `json:"email"`
	Arrival        string     `json:"arrival"`
	Departure      string     `json:"departure"`
	Dietary        string     `json:"dietary"`
	Accessibility  string     `json:"accessibility"`
	Interpretation string     `json:"interpretation"`
	ListedByName   bool       `json:"listed_by_name"`
	CheckedInAt    *time.Time `json:"checked_in_at"`
}

// PersonalData is the summits' part of a person's download and erasure.
func (st *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "summits", Export: st.exportPerson, Erase: st.erasePerson}
}

func (st *Store) exportPerson(ctx context.Context, p web.Person) (any, error) {
	out := personalExport{Registered: []registeredExport{}, Member: []memberExport{}}
	rows, err := st.DB.R.QueryContext(ctx, `SELECT s.number, d.city_id, d.state, d.contact_email, d.notes, d.created_at
		FROM summit_delegations d JOIN summits s ON s.id = d.summit_id WHERE d.created_by = $1 ORDER BY d.id`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("delegations registered by account %d: %w", p.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e registeredExport
		if err := rows.Scan(&e.Summit, &e.CityID, &e.State, &e.ContactEmail, &e.Notes, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("delegations registered by account %d: %w", p.ID, err)
		}
		out.Registered = append(out.Registered, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := st.DB.R.QueryContext(ctx, `SELECT s.number, d.city_id, p.name, p.title, p.role, p.email, p.arrival, p.departure,
		p.dietary, p.accessibility, p.interpretation, p.consent, p.checked_in_at
		FROM summit_delegates p JOIN summit_delegations d ON d.id = p.delegation_id JOIN summits s ON s.id = p.summit_id
		WHERE LOWER(p.email) = $1 ORDER BY p.id`, p.Email)
	if err != nil {
		return nil, fmt.Errorf("delegation entries of account %d: %w", p.ID, err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var e memberExport
		var in sql.NullTime
		if err := mrows.Scan(&e.Summit, &e.CityID, &e.Name, &e.Title, &e.Role, &e.Email, &e.Arrival, &e.Departure,
			&e.Dietary, &e.Accessibility, &e.Interpretation, &e.ListedByName, &in); err != nil {
			return nil, fmt.Errorf("delegation entries of account %d: %w", p.ID, err)
		}
		if in.Valid {
			e.CheckedInAt = &in.Time
		}
		out.Member = append(out.Member, e)
	}
	return out, mrows.Err()
}

// erasePerson clears the person's own entries as a delegation member (the
// name becomes the pseudonym, no longer listed) and the contact address of
// the delegations they registered when it is theirs.
func (st *Store) erasePerson(ctx context.Context, tx *sql.Tx, p web.Person, pseudonym string) error {
	now := st.now()
	if _, err := tx.ExecContext(ctx, `UPDATE summit_delegates SET name = $1, title = '', email = '', arrival = '', departure = '',
		dietary = '', accessibility = '', interpretation = '', consent = FALSE, updated_at = $2 WHERE LOWER(email) = $3`,
		pseudonym, now, p.Email); err != nil {
		return fmt.Errorf("erasing the delegation entries of account %d: %w", p.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE summit_delegations SET contact_email = '', updated_at = $1 WHERE LOWER(contact_email) = $2`,
		now, p.Email); err != nil {
		return fmt.Errorf("erasing the delegation contacts of account %d: %w", p.ID, err)
	}
	return nil
}
