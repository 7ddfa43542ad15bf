package index_test

import (
	"context"
	"slices"
	"testing"

	"observatory/internal/cache"
	"observatory/internal/i18n"
	"observatory/internal/search/index"
)

// ideas is a capability's store as the index reads it, in memory.
type ideas struct {
	version string
	docs    []index.Doc
}

func (s *ideas) Version(context.Context) (string, error) { return s.version, nil }

func (s *ideas) Schema(context.Context) (index.Schema, error) {
	return index.Schema{Meta: "meta", Facets: []index.Facet{
		{Name: "topic", Multi: true, Values: []string{"parks", "schools", "transport"}},
		{Name: "district"},
		{Name: "side", Parent: "district", Of: map[string]string{"north": "n", "harbour": "n", "south": "s"}},
	}}, nil
}

func (s *ideas) Changes(_ context.Context, since int64, fn func(index.Doc) error) (int64, error) {
	for i, d := range s.docs {
		if int64(i+1) > since {
			if err := fn(d); err != nil {
				return 0, err
			}
		}
	}
	return int64(len(s.docs)), nil
}

func doc(id, time int64, title string, topics []string, district string) index.Doc {
	return index.Doc{ID: id, Time: time, Lang: "en", Titles: i18n.Text{"en": title}, TitleTerms: title,
		Values: [][]string{topics, {district}, nil}}
}

func TestFacetsOrderAndChanges(t *testing.T) {
	ctx := context.Background()
	src := &ideas{version: "1", docs: []index.Doc{
		doc(1, 100, "benches", []string{"parks"}, "north"),
		doc(2, 300, "bike lanes", []string{"transport", "schools"}, "south"),
		doc(3, 200, "apple trees", []string{"parks", "schools"}, "harbour"),
	}}
	ix := index.New(src, index.Config{Cache: cache.New(1 << 20), Related: index.Related{Strong: "topic", Apart: "district"}})
	n, err := ix.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := n.Match(ctx, index.Query{Select: [][]string{{"parks"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := n.IDs(m, 0, 10); !slices.Equal(got, []int64{3, 1}) {
		t.Errorf("parks, newest first: %v", got)
	}
	// The selected facet counts what the others let pass: all three.
	if got := []int{m.Count(n, 0, 0), m.Count(n, 0, 1), m.Count(n, 0, 2)}; !slices.Equal(got, []int{2, 2, 1}) {
		t.Errorf("topic counts %v", got)
	}
	side := map[string]int{}
	for i, v := range n.Values(2) {
		side[v] = m.Count(n, 2, i)
	}
	if side["n"] != 2 || side["s"] != 0 {
		t.Errorf("side counts %v", side)
	}
	m, _ = n.Match(ctx, index.Query{Sort: index.Title, Lang: "en"})
	if got := n.IDs(m, 0, 10); !slices.Equal(got, []int64{3, 1, 2}) {
		t.Errorf("by title: %v", got)
	}
	if sim := n.Similar(index.Probe{ID: 9, Values: [][]string{{"parks", "schools"}, {"south"}}}, 2, nil); len(sim) != 2 || sim[0].ID != 3 {
		t.Errorf("similar to parks and schools: %+v", sim)
	}

	// A document hidden and one added: the next version sees both changes.
	src.docs = append(src.docs, index.Doc{ID: 1, Gone: true}, doc(4, 400, "tram", []string{"transport"}, "north"))
	src.version = "2"
	n, _ = ix.Current(ctx)
	m, _ = n.Match(ctx, index.Query{})
	if got := n.IDs(m, 0, 10); !slices.Equal(got, []int64{4, 2, 3}) || n.Meta() != "meta" {
		t.Errorf("after the change: %v", got)
	}
}
