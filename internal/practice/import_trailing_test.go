package practice

import "testing"

// A file is one JSON array or one practice per line: anything after the
// array's closing bracket is refused, not silently dropped.
func TestImportRefusesContentAfterTheArray(t *testing.T) {
	for _, data := range []string{
		`[{"title":"a"}] [{"title":"b"}]`,
		"[{\"title\":\"a\"}]\n{\"title\":\"b\"}\n",
		`[{"title":"a"}] trailing`,
		`[{"title":"a"}`,
	} {
		if _, err := arrayLines([]byte(data)); err == nil {
			t.Errorf("%q was accepted", data)
		}
	}
	if ls, err := arrayLines([]byte("[{\"title\":\"a\"},\n {\"title\":\"b\"}]\n")); err != nil || len(ls) != 2 {
		t.Errorf("a plain array: %v %v", ls, err)
	}
}
