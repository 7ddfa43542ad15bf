package practice_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"observatory/internal/db"
	"observatory/internal/practice"
	"observatory/internal/testutil"
)

// Searches running while practices are published all get the right
// answer for the data they saw: lists being read are shared by the
// requests that wait for them, and a new snapshot's copies of the
// previous lists are not disturbed by requests still on the old one.
func TestConcurrentSearchesAndPublishing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := practice.NewStore(d)
		w, ids := library(t, d, s)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					for q, want := range map[string]int64{"Schulen": ids["school"], "parking": ids["parking"], "logement": ids["housing"]} {
						found, err := s.Find(ctx, practice.ParseParams(map[string][]string{"q": {q}}, "en"))
						if err != nil {
							errs <- err.Error()
							return
						}
						if !slices.Contains(found, want) {
							errs <- fmt.Sprintf("%s misses its practice %d: %v", q, want, found)
						}
					}
				}
			}()
		}
		var added []int64
		for range 5 {
			added = append(added, publish(t, s, rec(w.dus, "de", "Neue Schulen im Quartier", "Schulen öffnen am Abend.", "Schulhöfe werden Treffpunkte.", "education")))
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		found, err := s.Find(ctx, practice.ParseParams(map[string][]string{"q": {"Schulen"}}, "en"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range append(added, ids["school"]) {
			if !slices.Contains(found, id) {
				t.Errorf("after publishing, Schulen misses practice %d (found %v)", id, found)
			}
		}
	})
}
