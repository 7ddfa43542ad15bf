package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"observatory/internal/demo"
)

// zoomLabelsJS is what the world map names while zoomed, its smallest
// label's height on screen, and the labels that reach beyond the map.
const zoomLabelsJS = `(() => {
  const svg = document.querySelector("figure[data-zoom-world] svg.worldmap");
  const f = svg.getBoundingClientRect();
  let min = 1e9; const names = [], outside = [];
  for (const t of svg.querySelectorAll(".zoom-layer .worldmap-labels text, .zoom-layer .worldmap-marks text")) {
    const b = t.getBoundingClientRect();
    names.push(t.textContent);
    if (t.closest(".worldmap-labels")) min = Math.min(min, b.height);
    if (b.left < f.left - 0.5 || b.right > f.right + 0.5 || b.top < f.top - 0.5 || b.bottom > f.bottom + 0.5) outside.push(t.textContent);
  }
  return {names: names.join(", "), min: min === 1e9 ? 0 : min, outside: outside};
})()`

type zoomLabels struct {
	Names   string   `json:"names"`
	Min     float64  `json:"min"`
	Outside []string `json:"outside"`
}

// On a phone, the directory's world map zooms into Europe with the
// keyboard (its button) and with a tap on Europe's frame on the map: the
// map then shows Europe as its regional map does, every label readable and
// clear of the others; the whole-world button and Escape zoom out. The
// buttons speak the page's language.
func TestWorldMapZoom(t *testing.T) {
	b := Start(t)
	if _, err := demo.Load(context.Background(), b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.EmulateViewport(375, 812))
	europe := `.map-zoom button[data-region="europe"]`
	b.Do(chromedp.Navigate(b.URL("/en/cities")), chromedp.WaitVisible(chromedp.CSS(europe)))
	world := Value(b, chromedp.Evaluate[string](`document.querySelector("figure[data-zoom-world] svg.worldmap").getAttribute("viewBox")`))
	regional := Value(b, chromedp.Evaluate[string](`document.querySelector("#map-europe svg.worldmap").getAttribute("viewBox")`))
	viewBoxIs := func(vb string) string {
		return `document.querySelector("figure[data-zoom-world] svg.worldmap").getAttribute("viewBox") === "` + vb + `"`
	}

	// The keyboard: the Europe button, then Enter.
	b.Do(chromedp.Focus(chromedp.CSS(europe)), chromedp.KeyEvent("\r"))
	Value(b, chromedp.Poll[bool](viewBoxIs(regional)))
	if p := Value(b, chromedp.Evaluate[string](`document.querySelector(".map-zoom button[aria-pressed=true]").textContent`)); p != "Europe" {
		t.Errorf("pressed button: %q", p)
	}
	if s := b.Text("[data-zoom-status]"); s != "The map shows: Europe" {
		t.Errorf("status: %q", s)
	}
	got := Value(b, chromedp.Evaluate[zoomLabels](zoomLabelsJS))
	for _, c := range []string{"Düsseldorf", "Glasgow", "Málaga", "Warsaw"} {
		if !strings.Contains(got.Names, c) && !strings.Contains(b.Text("#map-europe .map-legend"), c) {
			t.Errorf("the zoomed world map does not name %s: %s", c, got.Names)
		}
	}
	if got.Min < 11 {
		t.Errorf("labels %.1f px high on the zoomed world map, want at least 11", got.Min)
	}
	if len(got.Outside) > 0 {
		t.Errorf("labels cut at the zoomed map's frame: %v", got.Outside)
	}
	if o := Value(b, chromedp.Evaluate[[]string](overlapJS)); len(o) > 0 {
		t.Errorf("labels overlap on the zoomed map: %v", o)
	}
	if w := Value(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
		t.Errorf("the page is %d px wide on a 375 px screen when zoomed", w)
	}
	b.CheckA11y()

	// Escape: the whole world again, its frames back.
	b.Do(chromedp.KeyEvent(kb.Escape))
	Value(b, chromedp.Poll[bool](viewBoxIs(world)))
	if n := Value(b, chromedp.Evaluate[int](`document.querySelectorAll("figure[data-zoom-world] .zoom-layer").length`)); n != 0 {
		t.Errorf("%d zoomed layers left after zooming out", n)
	}

	// A tap on Europe's frame zooms in place; the page does not jump to the map below.
	b.Do(chromedp.Click(chromedp.CSS(`figure[data-zoom-world] a.area[data-region="europe"]`)))
	Value(b, chromedp.Poll[bool](viewBoxIs(regional)))
	if loc := b.Location(); strings.Contains(loc, "#map-europe") {
		t.Errorf("the frame's link was followed: %s", loc)
	}
	b.Do(chromedp.Click(chromedp.CSS(`.map-zoom button[data-region=""]`)))
	Value(b, chromedp.Poll[bool](viewBoxIs(world)))

	// The buttons in German and French.
	for lang, want := range map[string]string{"de": "Ganze Welt", "fr": "Monde entier"} {
		b.Do(chromedp.Navigate(b.URL("/"+lang+"/cities")), chromedp.WaitVisible(chromedp.CSS(europe)))
		if s := b.Text(`.map-zoom button[data-region=""]`); s != want {
			t.Errorf("%s: whole-world button %q, want %q", lang, s, want)
		}
	}
}
