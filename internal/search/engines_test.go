package search

import (
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

var corpus = []struct {
	lang, text string
}{
	1:  {"de", "Die Schule im Stadtteil bekommt einen Garten."},
	2:  {"de", "Neue Radwege verbinden die Städte der Region."},
	3:  {"de", "Bürgerbeteiligung: Die Stadt fragt ihre Einwohner."},
	4:  {"de", "Mehr Wohnungen für Familien mit Kindern."},
	5:  {"de", "Das Parkhaus wird zum Fahrradparkhaus umgebaut."},
	6:  {"en", "Affordable housing for families in the city centre."},
	7:  {"en", "The city builds new houses near the river."},
	8:  {"en", "Children design the playground of their school."},
	9:  {"en", "A child-friendly city of light and culture."},
	10: {"en", "Parking spaces become bike lanes."},
	11: {"fr", "Les écoles de la ville plantent des arbres."},
	12: {"fr", "Une école ouvre ses portes le samedi."},
	13: {"fr", "Lyon, ville lumière : la culture pour tous."},
	14: {"fr", "Les cyclistes partagent les pistes cyclables avec les piétons."},
	15: {"fr", "Le parking devient un jardin partagé."},
	16: {"it", "Le scuole della città di Roma."},
}

func all(except ...int) []int {
	var ids []int
	for id := 1; id < len(corpus); id++ {
		if !slices.Contains(except, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// searches are what a reader types and the documents they should get.
var searches = []struct {
	query string
	want  []int
}{
	{"Schulen", []int{1}},
	{"Schule", []int{1}},
	{"Städte", []int{2, 3}},
	{"stadt", []int{2, 3}},
	{"KINDERN", []int{4}},
	{"écoles", []int{11, 12}},
	{"ecole", []int{11, 12}},
	{"École", []int{11, 12}},
	{"l'école", []int{11, 12}},
	{"housing", []int{6, 7}},
	{"houses", []int{6, 7}},
	{"children", []int{8}}, // Snowball keeps irregular plurals apart
	{"child", []int{9}},
	{"city", []int{6, 7, 9}},
	{"culture", []int{9, 13}},
	{"Stadt Radwege", []int{2}},
	{"city houses", []int{6, 7}},
	{"die Schule", []int{1}},
	{"partagées", []int{15}},
	{"partagent", []int{14, 15}}, // the English stemmer cuts "-ent"
	{`"city of light"`, []int{9}},
	{`"City Light"`, []int{9}},
	{`"light city"`, nil},
	{`"ville lumière"`, []int{13}},
	{`"pistes cyclables"`, []int{14}},
	{"ville", []int{11, 13}},
	{"ville -lumière", []int{11}},
	{`ville -"ville lumière"`, []int{11}},
	{`ville -"lumière ville"`, []int{11, 13}},
	{"parking", []int{10, 15}},
	{"-parking", all(10, 15)},
	{"-parking -culture", all(9, 10, 13, 15)},
	{"Roma scuole", []int{16}},
	{"Città", []int{16}},
	{"the", nil},
	{"", all()},
	{"*", all()},
}

// engine runs a parsed query the way an application would.
type engine struct {
	name string
	// match returns the ids matching expr; negate inverts the condition.
	match func(expr string, negate bool) ([]int, error)
}

func (e engine) search(q Query) ([]int, error) {
	switch {
	case q.Empty():
		return all(), nil
	case !q.HasPositive():
		return e.match(q.ExcludedFTS5(), true)
	default:
		return e.match(q.FTS5(), false)
	}
}

// indexed is the corpus as stored: IndexText by row id (index 0 unused).
func indexed() []string {
	texts := make([]string, len(corpus))
	for id, doc := range corpus {
		texts[id] = IndexText(doc.text, doc.lang)
	}
	return texts
}

func openSQLite(t testing.TB, texts []string) engine {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // every connection to :memory: is a new database
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61 remove_diacritics 2')`); err != nil {
		t.Fatal(err)
	}
	for id := 1; id < len(texts); id++ {
		if _, err := db.Exec(`INSERT INTO docs(rowid, body) VALUES ($1, $2)`, id, texts[id]); err != nil {
			t.Fatal(err)
		}
	}
	return engine{"sqlite", func(expr string, negate bool) ([]int, error) {
		query := `SELECT rowid FROM docs WHERE docs MATCH $1 ORDER BY rowid`
		if negate {
			query = `SELECT rowid FROM docs WHERE rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH $1) ORDER BY rowid`
		}
		return ids(db, query, expr)
	}}
}

func openPostgres(t testing.TB, texts []string) (engine, bool) {
	dsn := os.Getenv("OBSERVATORY_TEST_POSTGRES")
	if dsn == "" {
		return engine{}, false
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	schema := fmt.Sprintf("search_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	table := schema + ".docs"
	if _, err := db.Exec(`CREATE TABLE ` + table + ` (id int PRIMARY KEY, vec tsvector NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE INDEX ON ` + table + ` USING gin (vec)`); err != nil {
		t.Fatal(err)
	}
	for id := 1; id < len(texts); id++ {
		if _, err := db.Exec(`INSERT INTO `+table+` (id, vec) VALUES ($1, to_tsvector('simple', $2))`, id, texts[id]); err != nil {
			t.Fatal(err)
		}
	}
	return engine{"postgres", func(expr string, negate bool) ([]int, error) {
		cond := `vec @@ to_tsquery('simple', $1)`
		if negate {
			cond = `NOT (` + cond + `)`
		}
		return ids(db, `SELECT id FROM `+table+` WHERE `+cond+` ORDER BY id`, expr)
	}}, true
}

// The PostgreSQL engine takes the TSQuery forms of the same query.
func (e engine) searchTS(q Query) ([]int, error) {
	switch {
	case q.Empty():
		return all(), nil
	case !q.HasPositive():
		return e.match(q.ExcludedTSQuery(), true)
	default:
		return e.match(q.TSQuery(), false)
	}
}

func ids(db *sql.DB, query, arg string) ([]int, error) {
	rows, err := db.Query(query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func TestEnginesFindTheSame(t *testing.T) {
	lite := openSQLite(t, indexed())
	pg, withPG := openPostgres(t, indexed())
	if !withPG {
		t.Log("OBSERVATORY_TEST_POSTGRES not set: SQLite only")
	}
	for _, s := range searches {
		q := Parse(s.query)
		got, err := lite.search(q)
		if err != nil {
			t.Fatalf("sqlite: %q (MATCH %s): %v", s.query, q.FTS5(), err)
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("sqlite: %q (MATCH %s) found %v, want %v", s.query, q.FTS5(), got, s.want)
		}
		if !withPG {
			continue
		}
		got, err = pg.searchTS(q)
		if err != nil {
			t.Fatalf("postgres: %q (%s): %v", s.query, q.TSQuery(), err)
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("postgres: %q (%s) found %v, want %v", s.query, q.TSQuery(), got, s.want)
		}
	}
}

// TestHostileQueries runs inputs full of query syntax through both engines:
// every expression must be valid, and both engines must agree.
func TestHostileQueries(t *testing.T) {
	lite := openSQLite(t, indexed())
	pg, withPG := openPostgres(t, indexed())
	inputs := append(slices.Clone(hostile), "Schule\" OR city", `ville NEAR(lumière)`, `-"city" OR "ville"`, `école:*`, `Stadt & !Schule`)
	for _, in := range inputs {
		q := Parse(in)
		got, err := lite.search(q)
		if err != nil {
			t.Errorf("sqlite: %q (MATCH %s): %v", in, q.FTS5(), err)
			continue
		}
		if !withPG {
			continue
		}
		pgGot, err := pg.searchTS(q)
		if err != nil {
			t.Errorf("postgres: %q (%s): %v", in, q.TSQuery(), err)
		} else if !slices.Equal(got, pgGot) {
			t.Errorf("%q: sqlite found %v, postgres %v", in, got, pgGot)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range searches {
		f.Add(s.query)
	}
	for _, in := range hostile {
		f.Add(in)
	}
	lite := openSQLite(f, indexed())
	pg, withPG := openPostgres(f, indexed())
	f.Fuzz(func(t *testing.T, in string) {
		q := Parse(in)
		got, err := lite.search(q)
		if err != nil {
			t.Fatalf("%q (MATCH %s / %s): %v", in, q.FTS5(), q.ExcludedFTS5(), err)
		}
		if withPG {
			pgGot, err := pg.searchTS(q)
			if err != nil {
				t.Fatalf("%q (%s / %s): %v", in, q.TSQuery(), q.ExcludedTSQuery(), err)
			}
			if !slices.Equal(got, pgGot) {
				t.Fatalf("%q: sqlite found %v, postgres %v", in, got, pgGot)
			}
		}
		if q.HasPositive() && (q.FTS5() == "" || q.TSQuery() == "") {
			t.Fatalf("%q: positive query without expression", in)
		}
		if strings.Contains(in, "<") || strings.Contains(in, "&") {
			if h := Highlight(in, "en", q, 50); !safeHTML(h) {
				t.Fatalf("Highlight(%q) = %q: unsafe", in, h)
			}
		}
	})
}

// TestEnginesTokenizeAlike stores text outside the happy path and checks
// that each of its terms finds the same rows in both engines: a term that
// one engine split or dropped would show up here.
func TestEnginesTokenizeAlike(t *testing.T) {
	texts := []string{0: "",
		IndexText("Σίσυφος und die Школа: 学校 und 학교", "de"),
		IndexText("COVID-19 in 2024 (٢٠٢٤), 1e5 Fälle, x² und 3,5 %", "de"),
		IndexText("Ærøskøbing, Łódź, Þingvellir, ﬁnance, İstanbul", "en"),
		IndexText("e\u0301cole, œuvre, Noël, naïve, l’été", "fr"),
		IndexText("abc123 123abc a1b2 0x1f v2 ǅ ŉ ᵃ ᏣᎳᎩ ꮳꮃꭹ", ""),
		IndexText(strings.Repeat("Wort ", 200)+"Ende", "de"),
	}
	lite := openSQLite(t, texts)
	pg, withPG := openPostgres(t, texts)
	if !withPG {
		t.Skip("OBSERVATORY_TEST_POSTGRES not set")
	}
	for id, text := range texts {
		for _, term := range strings.Fields(text) {
			q := Query{must: []group{{{term}}}}
			a, errA := lite.search(q)
			b, errB := pg.searchTS(q)
			if errA != nil || errB != nil {
				t.Fatalf("term %q: sqlite %v, postgres %v", term, errA, errB)
			}
			if !slices.Contains(a, id) || !slices.Equal(a, b) {
				t.Errorf("term %q of row %d: sqlite found %v, postgres %v", term, id, a, b)
			}
		}
	}
}
