package voice_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// BenchmarkWriter measures durable ideas per second through the group
// commit writer (SQLite with synchronous=FULL; PostgreSQL when
// OBSERVATORY_TEST_POSTGRES is set), with many submitters at once as
// under load: each idea spends a proof-of-work mark, counts its network
// prefix, is stored and acknowledged only after its commit.
func BenchmarkWriter(b *testing.B) {
	run := func(b *testing.B, d *db.DB) {
		ctx := context.Background()
		var city int64
		now := db.Now()
		if err := d.W.QueryRowContext(ctx, `INSERT INTO cities (slug, name, country, continent, lat, lon, membership, created_at, updated_at)
			VALUES ('bench', 'Bench', 'DE', 'europe', 51, 6, 'member', $1, $1) RETURNING id`, now).Scan(&city); err != nil {
			b.Fatal(err)
		}
		s := &voice.Store{DB: d}
		id, err := s.SaveConsultation(ctx, audit.System("bench"), 0, voice.ConsultationInput{CityID: city, Slug: "bench", Question: i18n.Text{"en": "Bench?"},
			SourceLang: "en", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour), RetentionDays: 1, Moderation: "after"})
		if err != nil {
			b.Fatal(err)
		}
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		w := voice.NewWriter(wctx, s)
		var n atomic.Int64
		b.SetParallelism(64) // 64 × GOMAXPROCS submitters in flight
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				k := n.Add(1)
				_, err := w.Submit(ctx, voice.Submission{ConsultationID: id, Body: fmt.Sprintf("Idea number %d for the bench, with some words about parks and housing.", k),
					Lang: "en", Channel: voice.ChannelAPI, State: voice.StatePublished, PrefixHash: fmt.Sprintf("p%d", k%500),
					PowSignature: fmt.Sprintf("sig-%d-%d", now.UnixNano(), k), PowExpires: now.Add(time.Hour), Simhash: uint64(k)})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "ideas/s")
	}
	b.Run("sqlite", func(b *testing.B) { run(b, testutil.NewSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, testutil.NewPostgres(b)) })
}
