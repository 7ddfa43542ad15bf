package search_test

import (
	"fmt"

	"observatory/internal/search"
)

func ExampleParse() {
	q := search.Parse(`Schulen "city of light" -parking`)
	fmt.Println(q.FTS5())
	fmt.Println(q.TSQuery())
	// Output:
	// (("schul" OR "schulen") AND ("city of light" OR "citi light")) NOT ("parking" OR "park")
	// ( 'schul' | 'schulen' ) & ( 'city' <-> 'of' <-> 'light' | 'citi' <-> 'light' ) & !( 'parking' | 'park' )
}

func ExampleParse_exclusionOnly() {
	// The caller lists every row except those matching the exclusions:
	//   SELECT rowid FROM docs WHERE rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH $1)
	q := search.Parse("-parking")
	fmt.Println(q.Empty(), q.HasPositive(), q.ExcludedFTS5())
	// Output:
	// false false "parking" OR "park"
}

func ExampleIndexText() {
	fmt.Println(search.IndexText("Die Schulen der Städte", "de"))
	fmt.Println(search.IndexText("Les écoles de la ville", "fr"))
	// Output:
	// schul stadt
	// ecol vill
}
