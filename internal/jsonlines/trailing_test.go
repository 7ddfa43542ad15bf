package jsonlines

import (
	"strings"
	"testing"
)

// A file is one JSON array or one item per line: anything after the
// array's closing bracket is refused, not silently dropped.
func TestRefusesContentAfterTheArray(t *testing.T) {
	for _, data := range []string{
		`[{"title":"a"}] [{"title":"b"}]`,
		"[{\"title\":\"a\"}]\n{\"title\":\"b\"}\n",
		`[{"title":"a"}] trailing`,
		`[{"title":"a"}`,
	} {
		if _, err := Read(strings.NewReader(data)); err == nil {
			t.Errorf("%q was accepted", data)
		}
	}
	if ls, err := Read(strings.NewReader("[{\"title\":\"a\"},\n {\"title\":\"b\"}]\n")); err != nil || len(ls) != 2 {
		t.Errorf("a plain array: %v %v", ls, err)
	}
}
