package city

import (
	"html/template"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// The directory's rows and anniversaries written in Go are the bytes its
// template wrote for them, in every language and for tricky values.
func TestWrittenListsMatchTheTemplate(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := web.NewRenderer(cat, assets, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	dict := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	// The list's loops as list.html had them, with the real badge partial.
	ref := template.Must(template.New("ref").Funcs(template.FuncMap{"dict": dict}).ParseFS(Templates, "templates/city.part.html"))
	template.Must(ref.New("rows").Parse(`{{range .Data}}
  <tr>
    <th scope="row"><a href="{{$.L .Path}}">{{.DisplayName $.Lang}}</a></th>
    <td>{{$.Country .Country}}</td>
    <td>{{$.T (printf "city.continent.%s" .Continent)}}</td>
    <td class="num">{{if .Population}}{{$.Num .Population}}{{else}}—{{end}}</td>
    <td>{{with .JoinedYear}}{{.}}{{else}}—{{end}}</td>
    <td>{{template "city-status" (dict "p" $ "s" .Membership)}}</td>
  </tr>
  {{end}}`))
	template.Must(ref.New("jubilees").Parse(`{{range .Data}}
    <li><span class="badge ok">{{$.T "city.jubilee.years" "Count" .Years}}</span>
      {{if .A.Path}}<a href="{{$.L .A.Path}}">{{.A.DisplayName $.Lang}}</a>{{else}}{{.A.DisplayName $.Lang}}{{end}}
      – {{if .B.Path}}<a href="{{$.L .B.Path}}">{{.B.DisplayName $.Lang}}</a>{{else}}{{.B.DisplayName $.Lang}} ({{$.Country .B.Country}}){{end}}
      <span class="muted">· {{$.T (printf "city.kind.%s" .Kind)}} {{$.T "city.since_year" "Year" .Since}}</span></li>
  {{end}}`))

	tricky := []string{"Plain", `Saint-Étienne & "Co" <b>'x'</b> a+b`, "nul\x00byte", "Чернівці", ""}
	slugs := []string{"plain", "a b", `q"uote<x>`, "düsseldorf", "100%-sure", "x%zz"}
	var cities []*City
	var jubilees []Jubilee
	for i, s := range tricky {
		c := &City{ID: int64(i + 1), Slug: slugs[i%len(slugs)], Name: s, Names: i18n.Text{"fr": tricky[(i+1)%len(tricky)]},
			Country: []string{"DE", "FR", "ZZ", "", "UA"}[i], Continent: []string{"europe", "asia", "x<y", "", "africa"}[i],
			Population: []int64{0, 1234567, 12, 0, 987654321}[i], MemberSince: []string{"", "2016", "2016-05-12", "19", "1999"}[i],
			Membership: []string{Member, Candidate, Former, `x"y`, ""}[i]}
		cities = append(cities, c)
		a := Ref{ID: c.ID, Slug: c.Slug, Name: c.Name, Names: c.Names, Country: c.Country}
		b := Ref{Name: tricky[(i+2)%len(tricky)], Country: c.Country} // outside the directory
		if i%2 == 1 {
			b.ID, b.Slug = int64(40+i), slugs[(i+3)%len(slugs)]
		}
		jubilees = append(jubilees, Jubilee{Years: RoundYears[i], Since: 2026 - RoundYears[i], A: a, B: b,
			Kind: []string{"twin", "partner", "friendship", "twin", "odd&kind"}[i]})
	}
	for _, lang := range i18n.Langs {
		p := rd.NewPage(httptest.NewRequest("GET", "/"+lang+"/cities", nil), "", nil)
		p.Lang = lang
		for _, c := range []struct {
			name string
			data any
			got  template.HTML
		}{
			{"rows", cities, cityRows(p, cities)},
			{"jubilees", jubilees, jubileeItems(p, jubilees)},
		} {
			p.Data = c.data
			var want strings.Builder
			if err := ref.ExecuteTemplate(&want, c.name, p); err != nil {
				t.Fatal(err)
			}
			if string(c.got) != want.String() {
				t.Errorf("%s %s differ:\n got %s\nwant %s", lang, c.name, c.got, want.String())
			}
		}
	}
}
