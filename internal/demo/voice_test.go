package demo

import (
	"context"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// The demo consultations: the 2019 exhibition at its two venues with about
// 150 ideas in several languages, some hidden, some answered by practices,
// and an open consultation with one kiosk station.
func TestDemoVoice(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := Load(ctx, d, &auth.Store{DB: d, Hasher: auth.NewHasher(1)}); err != nil {
			t.Fatal(err)
		}
		s := &voice.Store{DB: d}
		c, err := s.Consultation(ctx, "heute-stadt-von-morgen-denken")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Exhibitions) != 2 || c.Exhibitions[0].Venue != "NRW-Forum" || c.Exhibitions[0].StartsOn != "2019-09-01" ||
			c.Exhibitions[1].Venue != "Café Europa" || c.Exhibitions[1].EndsOn != "2019-09-15" {
			t.Errorf("exhibitions %+v", c.Exhibitions)
		}
		count := func(q string) int {
			var n int
			if err := d.R.QueryRowContext(ctx, q, c.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		all := count(`SELECT COUNT(*) FROM voice_ideas WHERE consultation_id = $1`)
		hidden := count(`SELECT COUNT(*) FROM voice_ideas WHERE consultation_id = $1 AND state = 'hidden'`)
		linked := count(`SELECT COUNT(DISTINCT l.idea_id) FROM voice_idea_practices l JOIN voice_ideas i ON i.id = l.idea_id WHERE i.consultation_id = $1`)
		langs := count(`SELECT COUNT(DISTINCT lang) FROM voice_ideas WHERE consultation_id = $1`)
		if all < 140 || hidden == 0 || linked == 0 || langs < 6 {
			t.Errorf("%d ideas, %d hidden, %d linked to practices, %d languages", all, hidden, linked, langs)
		}
		open, err := s.Consultation(ctx, "vivre-ensemble-2027")
		if err != nil {
			t.Fatal(err)
		}
		if len(open.Exhibitions) != 1 || len(open.Exhibitions[0].Stations) != 1 {
			t.Errorf("the open consultation's exhibitions: %+v", open.Exhibitions)
		}
	})
}
