package geo

import "math"

// boxGrid finds the boxes that overlap a box without looking at all of
// them: each box is listed in the square cells it covers.
type boxGrid struct {
	cell  float64
	cells map[[2]int32][]int32
	boxes []box
}

func newBoxGrid(cell float64) *boxGrid {
	return &boxGrid{cell: math.Max(cell, 1e-9), cells: map[[2]int32][]int32{}}
}

func (g *boxGrid) span(b box) (x0, y0, x1, y1 int32) {
	return int32(math.Floor(b.x0 / g.cell)), int32(math.Floor(b.y0 / g.cell)),
		int32(math.Floor(b.x1 / g.cell)), int32(math.Floor(b.y1 / g.cell))
}

// add lists b under the next index (0, 1, …).
func (g *boxGrid) add(b box) {
	i := int32(len(g.boxes))
	g.boxes = append(g.boxes, b)
	x0, y0, x1, y1 := g.span(b)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			g.cells[[2]int32{x, y}] = append(g.cells[[2]int32{x, y}], i)
		}
	}
}

// overlaps reports whether b overlaps any box listed but the one at skip.
func (g *boxGrid) overlaps(b box, skip int) bool {
	x0, y0, x1, y1 := g.span(b)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			for _, i := range g.cells[[2]int32{x, y}] {
				if int(i) != skip && b.overlaps(g.boxes[i]) {
					return true
				}
			}
		}
	}
	return false
}

// near calls f with the index of every box listed in the cells that a
// circle of radius r around (x, y) touches, at least once each, in no
// particular order; f returns false to stop.
func (g *boxGrid) near(x, y, r float64, f func(i int) bool) {
	x0, y0, x1, y1 := g.span(box{x - r, y - r, x + r, y + r})
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			for _, i := range g.cells[[2]int32{cx, cy}] {
				if !f(int(i)) {
					return
				}
			}
		}
	}
}
