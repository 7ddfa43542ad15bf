package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"observatory/internal/demo"
)

// overlapJS lists the pairs of visible map labels (and numbered marks)
// whose boxes on screen overlap, as "a / b".
const overlapJS = `(() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg.worldmap")) {
    const els = [...svg.querySelectorAll(".worldmap-labels text, .worldmap-marks text")];
    const boxes = els.map(e => e.getBoundingClientRect());
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        out.push(els[i].textContent + " / " + els[j].textContent);
    }
  }
  return out;
})()`

// smallestLabelJS is the smallest font size, in CSS pixels on screen, of a
// label on a zoomed map.
const smallestLabelJS = `(() => {
  let min = 1e9;
  for (const t of document.querySelectorAll("svg.worldmap.zoom .worldmap-labels text")) {
    min = Math.min(min, t.getBoundingClientRect().height);
  }
  return min === 1e9 ? 0 : min;
})()`

// labelsOutsideJS lists zoomed-map labels that reach beyond their map.
const labelsOutsideJS = `(() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg.worldmap.zoom, svg.venue-map")) {
    const f = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBoundingClientRect();
      if (b.left < f.left - 0.5 || b.right > f.right + 0.5 || b.top < f.top - 0.5 || b.bottom > f.bottom + 0.5) out.push(t.textContent);
    }
  }
  return out;
})()`

// On a phone 375 pixels wide, the directory, a city page and the figures
// page fit the screen, and the maps' labels can be read and do not overlap.
func TestPhoneWidthPages(t *testing.T) {
	b := Start(t)
	if _, err := demo.Load(context.Background(), b.DB, b.Server.App.Users); err != nil {
		t.Fatal(err)
	}
	var dus int64
	if err := b.DB.R.QueryRow(`SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&dus); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.EmulateViewport(375, 812))
	pages := []struct{ path, wait string }{
		{"/en/cities", "#map-europe svg.worldmap.zoom"},
		{"/fr/cities", "#map-europe svg.worldmap.zoom"},
		{fmt.Sprintf("/en/cities/%d-dusseldorf", dus), "svg.worldmap.zoom"},
		{fmt.Sprintf("/de/cities/%d-dusseldorf", dus), "svg.worldmap.zoom"},
		{"/en/figures", "svg.chart"},
		{"/de/figures", "svg.chart"},
	}
	for _, pg := range pages {
		b.Do(chromedp.Navigate(b.URL(pg.path)), chromedp.WaitVisible(chromedp.CSS(pg.wait)))
		if w := Value(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
			wide := Value(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 375.5 && e.parentElement.getBoundingClientRect().right <= 375.5).slice(0, 8).map(e => e.tagName + "." + e.getAttribute("class") + " in #" + (e.closest("section[id], section[aria-labelledby]") || {id: ""}).id + (e.closest("section[aria-labelledby]")||{getAttribute: () => ""}).getAttribute("aria-labelledby"))`))
			t.Errorf("%s is %d px wide on a 375 px screen; too wide: %v", pg.path, w, wide)
		}
		if o := Value(b, chromedp.Evaluate[[]string](overlapJS)); len(o) > 0 {
			t.Errorf("%s: map labels overlap: %v", pg.path, o)
		}
		if o := Value(b, chromedp.Evaluate[[]string](labelsOutsideJS)); len(o) > 0 {
			t.Errorf("%s: labels cut at the map's frame: %v", pg.path, o)
		}
		if pg.wait != "svg.chart" {
			if px := Value(b, chromedp.Evaluate[float64](smallestLabelJS)); px < 11 {
				t.Errorf("%s: map labels %.1f px high, want at least 11", pg.path, px)
			}
		}
	}
	// Every European member is named on the Europe map: by a label or, where
	// they crowd, by a number and the list under the map.
	b.Do(chromedp.Navigate(b.URL("/en/cities")), chromedp.WaitVisible(chromedp.CSS("#map-europe svg")))
	text := Value(b, chromedp.Evaluate[string](`[...document.querySelectorAll("#map-europe .worldmap-labels text, #map-europe .map-legend li")].map(e => e.textContent).join(", ")`))
	for _, c := range []string{"Düsseldorf", "Glasgow", "Málaga", "Moscow", "Warsaw", "Chemnitz", "Reading"} {
		if !strings.Contains(text, c) {
			t.Errorf("Europe map does not name %s: %s", c, text)
		}
	}
}
