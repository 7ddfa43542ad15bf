package search

// Groups returns the query's positive items, each as its alternative
// spellings (a sequence of terms each, adjacent in a match). An
// application that gets its hits from the database can use them to rank
// the hits by where the words occur.
func (q Query) Groups() [][][]string {
	out := make([][][]string, len(q.must))
	for i, g := range q.must {
		out[i] = [][]string(g)
	}
	return out
}

// Excluded returns the query's negative items, like Groups.
func (q Query) Excluded() [][][]string {
	out := make([][][]string, len(q.not))
	for i, g := range q.not {
		out[i] = [][]string(g)
	}
	return out
}

// Item is the query that matches what one item of another query matches
// (one of Groups or Excluded): rows with any of its spellings. Fetching
// the rows item by item lets an application cache each word's rows and
// combine them — AND across items, NOT for exclusions — as the whole
// query would.
func Item(alts [][]string) Query {
	return Query{must: []group{group(alts)}}
}
