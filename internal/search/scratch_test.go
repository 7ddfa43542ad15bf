package search
import ("testing";"unicode";"strings";"fmt")
func TestScratch(t *testing.T){
 // one doc per block of 64 letters: each term is "q" + letter + "q"
 var texts = []string{""}
 var letters []rune
 for r := rune(0x80); r <= 0x3FFFF; r++ { if unicode.IsLetter(r) { letters = append(letters, r) } }
 var a analyzer
 termOf := map[int][]string{}
 for i := 0; i < len(letters); i += 400 {
   var words []string
   for _, r := range letters[i:min(i+400, len(letters))] { words = append(words, "q"+string(r)+"q") }
   txt := IndexText(strings.Join(words, " "), "")
   texts = append(texts, txt)
   termOf[len(texts)-1] = strings.Fields(txt)
 }
 _ = a
 lite := openSQLite(t, texts)
 pg, ok := openPostgres(t, texts)
 bad := 0
 for id, terms := range termOf {
   for _, term := range terms {
     q := Query{must: []group{{{term}}}}
     x, e1 := lite.search(q)
     var y []int; var e2 error
     if ok { y, e2 = pg.searchTS(q) } else { y = x }
     if e1 != nil || e2 != nil || fmt.Sprint(x) != fmt.Sprint(y) || len(x) == 0 || x[0] != id {
       bad++
       if bad < 30 { t.Logf("%q %U: sqlite %v %v pg %v %v", term, []rune(term), x, e1, y, e2) }
     }
   }
 }
 t.Logf("letters %d docs %d bad %d", len(letters), len(texts), bad)
}
