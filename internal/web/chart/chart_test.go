package chart_test

import (
	"strings"
	"testing"

	"observatory/internal/web/chart"
)

func TestChartIsAccessibleSVG(t *testing.T) {
	html := string(chart.Chart{Title: "New <members>", Desc: "per year", Bars: []chart.Bar{{Label: "2015", Value: 12, Text: "12"}, {Label: "2016", Value: 0, Text: "0"}}}.HTML())
	for _, want := range []string{`role="img"`, `aria-labelledby="chart-`, `<title id="chart-`, "New &lt;members&gt;", `<desc id="chart-`, ">2015</text>"} {
		if !strings.Contains(html, want) {
			t.Errorf("chart lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "style") || strings.Contains(html, "<script") {
		t.Error("the chart needs inline styles or scripts, which the CSP forbids")
	}
}
