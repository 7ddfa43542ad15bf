package news

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The items a person wrote are theirs in their download; they stay with
// the network after an erasure, since they are the cities' news and their
// author's account keeps only a pseudonym. An item that names the person
// as its press contact loses that contact in an erasure.

type writtenExport struct {
	ID        int64     `json:"id"`
	Title     i18n.Text `json:"title"`
	Lead      i18n.Text `json:"lead"`
	Body      i18n.Text `json:"body"`
	State     string    `json:"state"`
	DatedOn   string    `json:"dated_on"`
	UpdatedAt time.Time `json:"updated_at"`
}

type pressContactExport struct {
	ID    int64     `json:"id"`
	Title i18n.Text `json:"title"`
	Name  string    `json:"press_name"`
	Email string    `json:"press_email"`
	Phone string    `json:"press_phone"`
}

type personalExport struct {
	Written []writtenExport      `json:"items_written"`
	Press   []pressContactExport `json:"named_as_press_contact"`
}

// PersonalData is the news items' part of a person's download and erasure.
func (s *Store) PersonalData() web.PersonalData {
	return web.PersonalData{Name: "news",
		Export: func(ctx context.Context, p web.Person) (any, error) {
			out := personalExport{Written: []writtenExport{}, Press: []pressContactExport{}}
			rows, err := s.DB.R.QueryContext(ctx, `SELECT id, title, lead, body, state, dated_on, updated_at FROM news_items
				WHERE created_by = $1 ORDER BY id`, p.ID)
			if err != nil {
				return nil, fmt.Errorf("news items of account %d: %w", p.ID, err)
			}
			for rows.Next() {
				var e writtenExport
				if err := rows.Scan(&e.ID, &e.Title, &e.Lead, &e.Body, &e.State, &e.DatedOn, &e.UpdatedAt); err != nil {
					rows.Close()
					return nil, fmt.Errorf("news items of account %d: %w", p.ID, err)
				}
				out.Written = append(out.Written, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("news items of account %d: %w", p.ID, err)
			}
			rows, err = s.DB.R.QueryContext(ctx, `SELECT id, title, press_name, press_email, press_phone FROM news_items
				WHERE press_email <> '' AND LOWER(press_email) = $1 ORDER BY id`, p.Email)
			if err != nil {
				return nil, fmt.Errorf("news items naming account %d as press contact: %w", p.ID, err)
			}
			defer rows.Close()
			for rows.Next() {
				var e pressContactExport
				if err := rows.Scan(&e.ID, &e.Title, &e.Name, &e.Email, &e.Phone); err != nil {
					return nil, fmt.Errorf("news items naming account %d as press contact: %w", p.ID, err)
				}
				out.Press = append(out.Press, e)
			}
			return out, rows.Err()
		},
		Erase: func(ctx context.Context, tx *sql.Tx, p web.Person, _ string) error {
			if _, err := tx.ExecContext(ctx, `UPDATE news_items SET press_name = '', press_email = '', press_phone = ''
				WHERE press_email <> '' AND LOWER(press_email) = $1`, p.Email); err != nil {
				return fmt.Errorf("removing account %d as press contact of news items: %w", p.ID, err)
			}
			return nil
		},
	}
}
