package summit

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/audit"
)

// What the registration collects for organising a summit (e-mail
// addresses, travel times, dietary and accessibility needs, interpretation,
// the delegation's contact and notes) is kept until the retention period
// after the summit's last day has passed, then erased by the job below.
// Names, roles, the city and the state of each delegation stay: they are
// the record of who took part (listed publicly only with consent).

// KeepUntil is when the personal details of s's delegations are erased:
// the end of its last day in its zone plus days.
func (s *Summit) KeepUntil(days int) time.Time {
	return s.End().AddDate(0, 0, days+1)
}

// ErasePersonalData erases the delegations' personal details of every
// summit whose retention of days has ended at now, each summit in one
// transaction with its audit entry, and returns how many summits it erased.
// It runs again harmlessly: a summit erased once is marked and skipped.
func (st *Store) ErasePersonalData(ctx context.Context, now time.Time, days int) (int, error) {
	rows, err := st.DB.R.QueryContext(ctx, `SELECT `+summitColumns+` FROM summits s JOIN cities c ON c.id = s.host_city_id
		WHERE s.personal_data_erased_at IS NULL ORDER BY s.id`)
	if err != nil {
		return 0, fmt.Errorf("summit: retention: %w", err)
	}
	var due []*Summit
	for rows.Next() {
		s, err := scanSummit(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("summit: retention: %w", err)
		}
		if !now.Before(s.KeepUntil(days)) {
			due = append(due, s)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("summit: retention: %w", err)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("summit: retention: %w", err)
	}
	stamp := now.UTC().Truncate(time.Second)
	for _, s := range due {
		err := st.DB.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE summits SET personal_data_erased_at = $1 WHERE id = $2 AND personal_data_erased_at IS NULL`, stamp, s.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err // another server did it meanwhile
			}
			res, err = tx.ExecContext(ctx, `UPDATE summit_delegates SET email = '', arrival = '', departure = '', dietary = '',
				accessibility = '', interpretation = '', updated_at = $1 WHERE summit_id = $2`, stamp, s.ID)
			if err != nil {
				return err
			}
			people, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE summit_delegations SET contact_email = '', notes = '', updated_at = $1
				WHERE summit_id = $2`, stamp, s.ID); err != nil {
				return err
			}
			return record(ctx, tx, audit.System("retention"), "summit.personal_data_erase", kindSummit, s.ID,
				fmt.Sprintf("the personal details of %d people erased %d days after the summit", people, days))
		})
		if err != nil {
			return 0, fmt.Errorf("summit: retention of summit %d: %w", s.ID, err)
		}
	}
	return len(due), nil
}
