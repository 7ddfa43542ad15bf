package main

import (
	"context"
	"testing"

	"observatory/internal/db"
	"observatory/internal/testutil"
)

func TestMemoryLimitFollowsTheData(t *testing.T) {
	if got := memoryLimitFor(1 << 20); got < smallMemoryLimit || got > smallMemoryLimit+1<<20 {
		t.Errorf("limit for 1 MB of data: %d MB", got>>20)
	}
	if got := memoryLimitFor(370 << 20); got != defaultMemoryLimit {
		t.Errorf("limit for 370 MB of data (100,000 practices): %d MB, want %d", got>>20, defaultMemoryLimit>>20)
	}
}

func TestDataSizeOnEachEngine(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		n, err := dataSize(context.Background(), d)
		if err != nil || n <= 0 {
			t.Fatalf("data size %d, %v: want the database's bytes", n, err)
		}
	})
}
