package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/demo"
	"observatory/internal/practice"
)

// seedScale generates n published practices with a progress bar and its
// rate, then computes their related practices and similar cities.
func seedScale(ctx context.Context, d *db.DB, n int) error {
	s := practice.NewStore(d)
	start := time.Now()
	bar := func(done int) {
		el := time.Since(start).Seconds()
		rate := float64(done) / max(el, 0.001)
		width := 30
		full := width * done / n
		eta := time.Duration(float64(n-done)/max(rate, 1)) * time.Second
		fmt.Fprintf(os.Stderr, "\r[%s%s] %d/%d %3d%%  %.0f practices/s  ETA %s   ",
			strings.Repeat("#", full), strings.Repeat("-", width-full), done, n, 100*done/n, rate, eta.Round(time.Second))
	}
	bar(0)
	if err := demo.Scale(ctx, d, n, uint64(time.Now().UnixNano()), bar); err != nil {
		fmt.Fprintln(os.Stderr)
		return err
	}
	stored := time.Since(start)
	fmt.Fprintf(os.Stderr, "\nStored %d practices in %s (%.0f/s). Computing related practices and similar cities…\n",
		n, stored.Round(time.Millisecond), float64(n)/stored.Seconds())
	t := time.Now()
	if err := s.RebuildRelated(ctx, nil); err != nil {
		return err
	}
	fmt.Printf("Generated %d practices in %s (related practices: %s).\n", n, time.Since(start).Round(time.Millisecond), time.Since(t).Round(time.Millisecond))
	return nil
}
