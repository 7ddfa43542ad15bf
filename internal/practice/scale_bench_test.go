package practice_test

import (
	"context"
	"testing"

	"observatory/internal/demo"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// BenchmarkGenerate measures seed --scale's storing (b.N practices).
func BenchmarkGenerate(b *testing.B) {
	d := testutil.NewSQLite(b)
	newWorld(b, d)
	b.ResetTimer()
	if err := demo.Scale(context.Background(), d, b.N, 1, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRebuildRelated measures the related practices of 20,000
// generated practices (b.N rebuilds).
func BenchmarkRebuildRelated(b *testing.B) {
	d := testutil.NewSQLite(b)
	newWorld(b, d)
	s := practice.NewStore(d)
	ctx := context.Background()
	if err := demo.Scale(ctx, d, 20000, 1, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if err := s.RebuildRelated(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
}
