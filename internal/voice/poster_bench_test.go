package voice

import (
	"io"
	"testing"

	"github.com/go-pdf/fpdf"
)

// BenchmarkPosterCJK draws a poster's text in Chinese, Japanese, Arabic and
// Latin: the CJK font decoded and cut to the characters used, as for
// each poster that needs it (go test -bench PosterCJK -benchmem).
func BenchmarkPosterCJK(b *testing.B) {
	fonts, err := posterCoverage()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cjk, err := loadCJK()
		if err == nil {
			cjk, err = subsetFont(cjk, []rune("您对城市有什么愿望？龘丟髙島屋で会いましょう。街に何を望みますか"))
		}
		if err != nil {
			b.Fatal(err)
		}
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("sans", "", fontSans)
		pdf.AddUTF8FontFromBytes("sans", "B", fontSansBold)
		pdf.AddUTF8FontFromBytes("cjk", "", cjk)
		pdf.AddPage()
		pp := &posterPage{pdf: pdf, fonts: fonts}
		pp.text("您对城市有什么愿望？龘丟髙 NRW-Forum", true, 26, 18, 174, 11, dirAuto)
		pp.text("髙島屋で会いましょう。街に何を望みますか", false, 12, 18, 174, 6, dirAuto)
		pp.text("زوروا NRW-Forum في 2025 (مجانا)", false, 12, 18, 174, 6, dirRTL)
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
