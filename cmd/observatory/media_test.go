package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/media"
)

// An operator prunes the images nothing refers to: a dry run lists them,
// the real run deletes them, and a referenced image stays.
func TestMediaPrune(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var ids [2]int64
			err = d.Tx(ctx, func(tx *sql.Tx) error {
				for i := range ids {
					var b bytes.Buffer
					png.Encode(&b, image.NewGray(image.Rect(0, 0, 4+i, 4)))
					im, err := media.Process(&b)
					if err != nil {
						return err
					}
					if ids[i], err = media.Save(ctx, tx, im); err != nil {
						return err
					}
				}
				now := db.Now()
				_, err := tx.ExecContext(ctx, `INSERT INTO cities (slug, name, names, country, continent, lat, lon, membership, photo_id, created_at, updated_at)
					VALUES ('graz', 'Graz', '{}', 'AT', 'europe', 0, 0, 'member', $1, $2, $2)`, ids[0], now)
				if err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE images SET created_at = $1`, now.Add(-72*time.Hour))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			count := func() (n int) {
				d.R.QueryRow(`SELECT COUNT(*) FROM images`).Scan(&n)
				return n
			}

			out, stderr, code := run(t, "", "media", "prune", "--db", dsn, "--dry-run")
			if code != 0 || !strings.HasPrefix(out, "would delete 1 ") || !strings.Contains(out, fmt.Sprintf("ids: %d\n", ids[1])) || count() != 2 {
				t.Fatalf("dry run: exit %d, %q %q, %d images left", code, out, stderr, count())
			}
			if out, _, code = run(t, "", "media", "prune", "--db", dsn, "--older-than", "96h"); code != 0 || !strings.HasPrefix(out, "deleted 0 ") || count() != 2 {
				t.Errorf("younger than the limit: exit %d, %q, %d images left", code, out, count())
			}
			out, stderr, code = run(t, "", "media", "prune", "--db", dsn)
			var left int64
			d.R.QueryRow(`SELECT id FROM images`).Scan(&left)
			if code != 0 || !strings.HasPrefix(out, "deleted 1 ") || !strings.Contains(out, "1 kept") || count() != 1 || left != ids[0] {
				t.Errorf("prune: exit %d, %q %q, %d images left", code, out, stderr, count())
			}
			if _, stderr, code = run(t, "", "media", "sideways", "--db", dsn); code != 2 || !strings.Contains(stderr, "use prune") {
				t.Errorf("unknown action: exit %d, %q", code, stderr)
			}
		})
	}
}
