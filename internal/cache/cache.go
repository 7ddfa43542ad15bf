// Package cache keeps computed answers — rendered pages, search results,
// hit lists — in one store per process, bounded by a byte budget. Every
// entry is keyed by a name and the data version it was computed at: a
// lookup at another version misses, so an answer is never stale, and the
// least recently used entries make room for new ones.
package cache

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Cache is a least-recently-used store bounded in bytes. The zero value
// is not usable: call New.
type Cache struct {
	mu   sync.Mutex
	max  int64
	size int64
	m    map[string]*entry
	root entry // sentinel of the recency list: root.next is the newest

	hits, misses, evicted atomic.Int64
}

type entry struct {
	key, version string
	v            any
	size         int64
	prev, next   *entry
}

// entryOverhead is what an entry costs beyond its value: the map slot,
// the entry itself and the key.
const entryOverhead = 112

// New returns a cache holding at most maxBytes of entries.
func New(maxBytes int64) *Cache {
	c := &Cache{max: maxBytes, m: map[string]*entry{}}
	c.root.prev, c.root.next = &c.root, &c.root
	return c
}

// Get returns the value stored under key at version.
func (c *Cache) Get(key, version string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return c.found(e, ok, version)
}

// getBytes is Get for a key in a byte slice, which the lookup does not copy.
func (c *Cache) getBytes(key []byte, version string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(key)]
	return c.found(e, ok, version)
}

// found counts a lookup and returns e's value when it is at version;
// c.mu is held.
func (c *Cache) found(e *entry, ok bool, version string) (any, bool) {
	if !ok || e.version != version {
		c.misses.Add(1)
		return nil, false
	}
	c.unlink(e)
	c.pushFront(e)
	c.hits.Add(1)
	return e.v, true
}

// Put stores v under key at version; size is v's size in bytes. A value
// larger than a quarter of the budget is not kept.
func (c *Cache) Put(key, version string, v any, size int) {
	sz := int64(size) + int64(len(key)+len(version)) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok {
		c.remove(old)
	}
	if sz > c.max/4 {
		return
	}
	e := &entry{key: key, version: version, v: v, size: sz}
	c.m[key] = e
	c.pushFront(e)
	c.size += sz
	for c.size > c.max && c.root.prev != &c.root {
		c.remove(c.root.prev)
		c.evicted.Add(1)
	}
}

// DeletePrefix removes every entry whose key starts with prefix.
func (c *Cache) DeletePrefix(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if strings.HasPrefix(k, prefix) {
			c.remove(e)
		}
	}
}

// Stats are the cache's figures, for the dashboard and measurements.
type Stats struct {
	Entries               int
	Bytes, Budget         int64
	Hits, Misses, Evicted int64
}

// Stats reports the cache's current figures.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.m), Bytes: c.size, Budget: c.max,
		Hits: c.hits.Load(), Misses: c.misses.Load(), Evicted: c.evicted.Load()}
}

func (c *Cache) remove(e *entry) {
	c.unlink(e)
	delete(c.m, e.key)
	c.size -= e.size
}

func (c *Cache) unlink(e *entry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (c *Cache) pushFront(e *entry) {
	e.prev, e.next = &c.root, c.root.next
	c.root.next.prev = e
	c.root.next = e
}

// Resize sets the budget to maxBytes, dropping the least recently used
// entries beyond it.
func (c *Cache) Resize(maxBytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = maxBytes
	for c.size > c.max && c.root.prev != &c.root {
		c.remove(c.root.prev)
		c.evicted.Add(1)
	}
}

// DefaultBudget is the shared cache's size in bytes: rendered pages are
// kept compressed, a few kilobytes each.
const DefaultBudget = 48 << 20

// MinBudget is the smallest budget BudgetFor gives.
const MinBudget = 6 << 20

// BudgetFor is the budget for a database of dataBytes: an eighth of its
// size, between MinBudget and DefaultBudget. A small site has few pages
// and searches worth keeping; the budget of 100,000 practices (a database
// of about 370 MB) would only let its answers pile up.
func BudgetFor(dataBytes int64) int64 {
	return min(max(dataBytes/8, MinBudget), DefaultBudget)
}

var (
	sharedOnce sync.Once
	shared     *Cache
	sharedEnv  bool // the budget was set by OBSERVATORY_CACHE_MB
	spaces     atomic.Int64
)

// Shared is the process's one cache, which every capability's answers
// share: DefaultBudget bytes (see FitShared), or OBSERVATORY_CACHE_MB
// megabytes when set.
func Shared() *Cache {
	sharedOnce.Do(func() {
		budget := int64(DefaultBudget)
		if mb, err := strconv.ParseInt(os.Getenv("OBSERVATORY_CACHE_MB"), 10, 64); err == nil && mb > 0 {
			budget, sharedEnv = mb<<20, true
		}
		shared = New(budget)
	})
	return shared
}

// FitShared sizes the shared cache for a database of dataBytes (see
// BudgetFor), unless OBSERVATORY_CACHE_MB set its budget.
func FitShared(dataBytes int64) {
	if c := Shared(); !sharedEnv {
		c.Resize(BudgetFor(dataBytes))
	}
}

// Space is a part of a cache with its own keys: two spaces never see
// each other's entries, even for the same key and version (two stores on
// two databases may be at the same version).
type Space struct {
	c      *Cache
	prefix string
}

// Space returns a new space in c; name only helps reading its keys.
func (c *Cache) Space(name string) *Space {
	return &Space{c: c, prefix: name + "#" + strconv.FormatInt(spaces.Add(1), 10) + "|"}
}

// Get returns the value stored under key at version in this space.
func (s *Space) Get(key, version string) (any, bool) { return s.c.Get(s.prefix+key, version) }

// Put stores v (of size bytes) under key at version in this space.
func (s *Space) Put(key, version string, v any, size int) { s.c.Put(s.prefix+key, version, v, size) }

// Clear removes every entry of this space.
func (s *Space) Clear() { s.c.DeletePrefix(s.prefix) }
