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
