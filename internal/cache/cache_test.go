package cache

import (
	"strconv"
	"testing"
)

func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	c := New(10 * (1000 + entryOverhead + 10))
	for i := range 10 {
		c.Put("k"+strconv.Itoa(i), "v1", i, 1000)
	}
	if _, ok := c.Get("k0", "v1"); !ok { // k0 is now the most recent
		t.Fatal("k0 missing before the cache is full")
	}
	c.Put("k10", "v1", 10, 1000)
	if _, ok := c.Get("k1", "v1"); ok {
		t.Error("k1, the least recently used, is still there")
	}
	if _, ok := c.Get("k0", "v1"); !ok {
		t.Error("k0, used recently, was dropped")
	}
	if st := c.Stats(); st.Bytes > st.Budget || st.Entries != 10 {
		t.Errorf("stats %+v: want 10 entries within the budget", st)
	}
}

func TestOtherVersionMisses(t *testing.T) {
	c := New(1 << 20)
	c.Put("k", "3", "old", 10)
	if _, ok := c.Get("k", "4"); ok {
		t.Error("an answer of version 3 served at version 4")
	}
	c.Put("k", "4", "new", 10)
	if v, ok := c.Get("k", "4"); !ok || v != "new" {
		t.Errorf("got %v %v", v, ok)
	}
	if st := c.Stats(); st.Entries != 1 {
		t.Errorf("%d entries, want 1", st.Entries)
	}
}

func TestSpacesAreApart(t *testing.T) {
	c := New(1 << 20)
	a, b := c.Space("x"), c.Space("x")
	a.Put("k", "1", "a", 10)
	if _, ok := b.Get("k", "1"); ok {
		t.Error("one space sees another's entry")
	}
	b.Put("k", "1", "b", 10)
	a.Clear()
	if _, ok := a.Get("k", "1"); ok {
		t.Error("cleared entry still there")
	}
	if v, _ := b.Get("k", "1"); v != "b" {
		t.Error("clearing one space emptied another")
	}
}

func TestTooLargeIsNotKept(t *testing.T) {
	c := New(4000)
	c.Put("big", "1", "x", 2000)
	if _, ok := c.Get("big", "1"); ok {
		t.Error("a value over a quarter of the budget was kept")
	}
}

func TestResizeDropsTheOldestBeyondTheBudget(t *testing.T) {
	c := New(10 * (1000 + entryOverhead + 10))
	for i := range 10 {
		c.Put("k"+strconv.Itoa(i), "v1", i, 1000)
	}
	c.Resize(4 * (1000 + entryOverhead + 10))
	if st := c.Stats(); st.Entries != 4 || st.Bytes > st.Budget {
		t.Errorf("stats %+v: want the 4 newest entries within the new budget", st)
	}
	if _, ok := c.Get("k9", "v1"); !ok {
		t.Error("k9, the newest, was dropped")
	}
	if _, ok := c.Get("k5", "v1"); ok {
		t.Error("k5 is still there beyond the budget")
	}
}

func TestBudgetFollowsTheData(t *testing.T) {
	if b := BudgetFor(1 << 20); b != MinBudget {
		t.Errorf("budget for 1 MB of data: %d, want %d", b, MinBudget)
	}
	if b := BudgetFor(370 << 20); b <= MinBudget || b > DefaultBudget {
		t.Errorf("budget for 370 MB of data: %d, want between %d and %d", b, MinBudget, DefaultBudget)
	}
	if b := BudgetFor(10 << 30); b != DefaultBudget {
		t.Errorf("budget for 10 GB of data: %d, want %d", b, DefaultBudget)
	}
}
