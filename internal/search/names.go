package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Names finds a thing by its id or by any of its names, ignoring case and
// accents, for an import that names things as people write them. A name
// two things share is ambiguous.
type Names struct {
	// Thing and Things name what is looked up in the problems Find
	// reports ("city", "cities").
	Thing, Things string
	ids           map[int64]bool
	by            map[string][]int64
}

// Add gives the thing id its names (its slug, its name in each language …).
func (n *Names) Add(id int64, names ...string) {
	if n.ids == nil {
		n.ids, n.by = map[int64]bool{}, map[string][]int64{}
	}
	n.ids[id] = true
	for _, k := range names {
		if k = Fold(k); k != "" && !slices.Contains(n.by[k], id) {
			n.by[k] = append(n.by[k], id)
		}
	}
}

// Find returns the id s names, as digits or as a name, or a problem as a
// sentence when it names none or several.
func (n *Names) Find(s string) (int64, string) {
	if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		if n.ids[id] {
			return id, ""
		}
		return 0, fmt.Sprintf("%s: there is no %s with id %d", n.Thing, n.Thing, id)
	}
	switch m := n.by[Fold(s)]; len(m) {
	case 1:
		return m[0], ""
	case 0:
		return 0, fmt.Sprintf("%s: no %s is called %q", n.Thing, n.Thing, s)
	default:
		return 0, fmt.Sprintf("%s: %q names several %s; use the id", n.Thing, s, n.Things)
	}
}
