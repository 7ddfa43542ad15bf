package search

import (
	"fmt"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		query     string
		fts5, tsq string // for the positive part
		excluded  string // ExcludedFTS5
	}{
		{query: "Schulen", fts5: `("schul" OR "schulen")`, tsq: `( 'schul' | 'schulen' )`},
		{query: "écoles", fts5: `("ecol" OR "ecoles")`, tsq: `( 'ecol' | 'ecoles' )`},
		{query: "ECOLES", fts5: `("ecol" OR "ecoles")`, tsq: `( 'ecol' | 'ecoles' )`},
		{query: "Städte", fts5: `("stadt" OR "stadte")`, tsq: `( 'stadt' | 'stadte' )`},
		{query: "housing", fts5: `("housing" OR "hous")`, tsq: `( 'housing' | 'hous' )`},
		{query: "Stadt Schulen", fts5: `"stadt" AND ("schul" OR "schulen")`, tsq: `'stadt' & ( 'schul' | 'schulen' )`},
		// "die" is a German stop word, "the" an English one: ignored next to other words ...
		{query: "die Schule", fts5: `("schul" OR "schule")`, tsq: `( 'schul' | 'schule' )`},
		// ... but kept when nothing else is left.
		{query: "the", fts5: `"the"`, tsq: `'the'`},
		{query: "Schule Schulen schulen", fts5: `("schul" OR "schule") AND ("schul" OR "schulen")`,
			tsq: `( 'schul' | 'schule' ) & ( 'schul' | 'schulen' )`},
		{query: `"city of light"`, fts5: `("city of light" OR "citi light")`, tsq: `( 'city' <-> 'of' <-> 'light' | 'citi' <-> 'light' )`},
		// An unclosed quote runs to the end; German, English and French stem "lumiere" differently.
		{query: `"ville lumière`, fts5: `("vill lumi" OR "vill lumier" OR "ville lumiere")`,
			tsq: `( 'vill' <-> 'lumi' | 'vill' <-> 'lumier' | 'ville' <-> 'lumiere' )`},
		{query: "l'école", fts5: `("l ecol" OR "ecol" OR "l ecole")`, tsq: `( 'l' <-> 'ecol' | 'ecol' | 'l' <-> 'ecole' )`},
		{query: "ville -parking", fts5: `(("vill" OR "ville")) NOT ("parking" OR "park")`,
			tsq: `( 'vill' | 'ville' ) & !( 'parking' | 'park' )`, excluded: `"parking" OR "park"`},
		{query: "-parking", excluded: `"parking" OR "park"`},
		{query: `-"ville lumière" -the`, excluded: `"vill lumi" OR "vill lumier" OR "ville lumiere"`},
		{query: "a - b", fts5: `"b"`, tsq: `'b'`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q := Parse(tt.query)
			if got := q.FTS5(); got != tt.fts5 {
				t.Errorf("FTS5() = %s, want %s", got, tt.fts5)
			}
			if got := q.TSQuery(); got != tt.tsq {
				t.Errorf("TSQuery() = %s, want %s", got, tt.tsq)
			}
			if got := q.ExcludedFTS5(); got != tt.excluded {
				t.Errorf("ExcludedFTS5() = %s, want %s", got, tt.excluded)
			}
			if q.HasPositive() != (tt.fts5 != "") || q.Empty() != (tt.fts5 == "" && tt.excluded == "") {
				t.Errorf("HasPositive() = %v, Empty() = %v", q.HasPositive(), q.Empty())
			}
		})
	}
}

// hostile are inputs that must neither break nor steer the database syntax.
var hostile = []string{
	`foo" OR bar`, `NEAR(a b)`, `NEAR(`, `*`, `foo*`, `body:foo`, `:`, `'`, `''`, `\`, `\'`, `&|!`, `a & b | !c`,
	`'a':* & b`, `"`, `""`, `"""`, `-`, `--`, `-"`, `(`, `)`, `^foo`, `{a b}`, `a <-> b`, `a <2> b`,
	`AND OR NOT`, `"NOT" NOT`, `-"-"`, "tab\tnew\nline", "nul\x00byte", "bad \xff utf8", `'; DROP TABLE docs; --`,
	strings.Repeat(`"a" `, 500), strings.Repeat("x", 5000),
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "\t\n", "*", ":", "'", `\`, `&|!`, `""`, `-`, "-the", "…!?", strings.Repeat("x", 5000)} {
		if q := Parse(in); !q.Empty() || q.FTS5() != "" || q.TSQuery() != "" || q.ExcludedTSQuery() != "" {
			t.Errorf("Parse(%q) = %+v, want empty", in, q)
		}
	}
}

func TestParseLongInput(t *testing.T) {
	var words []string
	for i := range 2000 {
		words = append(words, fmt.Sprintf("wort%d", i))
	}
	q := Parse(strings.Join(words, " ") + " -" + strings.Join(words, " -"))
	if n := strings.Count(q.FTS5(), " AND ") + 1; n != maxGroups {
		t.Errorf("long query kept %d words, want %d", n, maxGroups)
	}
	if q.ExcludedFTS5() != "" {
		t.Errorf("exclusions past the input limit were kept: %s", q.ExcludedFTS5())
	}
}

func BenchmarkParse(b *testing.B) {
	for _, in := range []string{"Schulen", `Radwege Schulen "city of light" -parking l'école`} {
		b.Run(fmt.Sprintf("%d_bytes", len(in)), func(b *testing.B) {
			for b.Loop() {
				Parse(in)
			}
		})
	}
}
