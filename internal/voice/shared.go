package voice

import (
	"context"
	"sync"
	"time"
)

// sharedReads lets requests that ask the same question while a read of it
// is under way share the next read, which starts after they came (as
// db.DataVersion does for the data version): every answer is as fresh as
// a read of its own, and under load one statement answers many requests.
type sharedReads[T any] struct {
	mu   sync.Mutex
	now  map[string]*sharedRead[T] // the read under way, per key
	next map[string]*sharedRead[T] // the read that starts when it is done
}

type sharedRead[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// Do answers read(key)'s result, shared with the callers of the same read.
func (s *sharedReads[T]) Do(ctx context.Context, key string, read func(context.Context) (T, error)) (T, error) {
	s.mu.Lock()
	if s.now == nil {
		s.now, s.next = map[string]*sharedRead[T]{}, map[string]*sharedRead[T]{}
	}
	r := s.now[key]
	if r == nil {
		r = &sharedRead[T]{done: make(chan struct{})}
		s.now[key] = r
		s.mu.Unlock()
		s.run(key, r, read)
	} else {
		// The read under way may have started before this call: wait
		// for the one after it.
		if r = s.next[key]; r == nil {
			r = &sharedRead[T]{done: make(chan struct{})}
			s.next[key] = r
		}
		s.mu.Unlock()
	}
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (s *sharedReads[T]) run(key string, r *sharedRead[T], read func(context.Context) (T, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	r.v, r.err = read(ctx)
	cancel()
	s.mu.Lock()
	close(r.done)
	next := s.next[key]
	delete(s.next, key)
	if next != nil {
		s.now[key] = next
	} else {
		delete(s.now, key)
	}
	s.mu.Unlock()
	if next != nil {
		go s.run(key, next, read)
	}
}
