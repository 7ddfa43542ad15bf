package geo

import (
	"fmt"
	"math"
	"strconv"
	"testing"
)

// The generator writes a few points it projected itself; Go must agree to
// far below the data's 0.1 precision, or points drift off the outlines.
func TestProjectMatchesGenerator(t *testing.T) {
	d := loadWorld().data
	if len(d.Check) == 0 {
		t.Fatal("world_paths.json has no check points")
	}
	for _, c := range d.Check {
		x, y := Project(c[0], c[1])
		if math.Abs(x-c[2]) > 1e-6 || math.Abs(y-c[3]) > 1e-6 {
			t.Errorf("Project(%g, %g) = (%g, %g), generator says (%g, %g)", c[0], c[1], x, y, c[2], c[3])
		}
	}
}

func TestCitiesLandInTheirCountry(t *testing.T) {
	cities := []struct {
		name     string
		lat, lon float64
		country  string
	}{
		{"Düsseldorf", 51.2277, 6.7735, "DE"},
		{"Montréal", 45.5019, -73.5674, "CA"},
		{"Ouagadougou", 12.3714, -1.5197, "BF"},
		{"Dhaka", 23.8103, 90.4125, "BD"},
		{"Sydney", -33.8688, 151.2093, "AU"},
		{"Buenos Aires", -34.6037, -58.3816, "AR"},
		{"Nairobi", -1.2921, 36.8219, "KE"},
		{"Beirut", 33.8938, 35.5018, "LB"},
		{"Anchorage", 61.2181, -149.9003, "US"},
	}
	for _, c := range cities {
		x, y := Project(c.lat, c.lon)
		rings := countryRings(t, c.country)
		if !insideEvenOdd(rings, x, y) {
			t.Errorf("%s (%.1f, %.1f) is outside %s", c.name, x, y, c.country)
		}
		for _, o := range loadWorld().outlines {
			if o.alpha2 != c.country && insideEvenOdd(parsePath(t, o.d), x, y) {
				t.Errorf("%s lands in %s, want %s", c.name, o.alpha2, c.country)
			}
		}
	}
}

func TestMapFrame(t *testing.T) {
	w, h := loadWorld().data.Width, loadWorld().data.Height
	if w != 1000 || h < 400 || h > 520 {
		t.Fatalf("the frame is %g x %g", w, h)
	}
	// The whole inhabited world fits in the frame.
	for _, ll := range [][2]float64{{83.6, -30}, {-55.6, -68}, {71, 179.9}, {-16, -179.9}} {
		x, y := Project(ll[0], ll[1])
		if x < 0 || x > w || y < 0 || y > h {
			t.Errorf("Project(%g, %g) = (%g, %g) outside %gx%g", ll[0], ll[1], x, y, w, h)
		}
	}
	// Every vertex of every outline is inside the frame too.
	for _, o := range loadWorld().outlines {
		for _, r := range parsePath(t, o.d) {
			for _, p := range r {
				if p[0] < -0.05 || p[0] > w+0.05 || p[1] < -0.05 || p[1] > h+0.05 {
					t.Fatalf("%s has vertex %v outside the frame", o.alpha2, p)
				}
			}
		}
	}
}

func countryRings(t *testing.T, alpha2 string) [][][2]float64 {
	t.Helper()
	for _, o := range loadWorld().outlines {
		if o.alpha2 == alpha2 {
			return parsePath(t, o.d)
		}
	}
	t.Fatalf("no outline for %s", alpha2)
	return nil
}

// parsePath reads the generator's path dialect: "M x y" absolute, then "l"
// with relative pairs, then "z"; numbers may start with '-' or '.' and need
// no separator before a '-'.
func parsePath(t testing.TB, d string) [][][2]float64 {
	t.Helper()
	var rings [][][2]float64
	var ring [][2]float64
	var cmd byte
	var nums []float64
	var cx, cy float64
	flush := func() {
		switch cmd {
		case 'M':
			if len(nums) != 2 {
				t.Fatalf("M with %d numbers", len(nums))
			}
			cx, cy = nums[0], nums[1]
			ring = [][2]float64{{cx, cy}}
		case 'l':
			if len(nums)%2 != 0 {
				t.Fatalf("l with %d numbers", len(nums))
			}
			for i := 0; i < len(nums); i += 2 {
				cx += nums[i]
				cy += nums[i+1]
				ring = append(ring, [2]float64{cx, cy})
			}
		}
		nums = nums[:0]
	}
	for i := 0; i < len(d); {
		switch c := d[i]; {
		case c == 'M' || c == 'l':
			flush()
			cmd = c
			i++
		case c == 'z':
			flush()
			rings = append(rings, ring)
			ring = nil
			cmd = 0
			i++
		case c == ' ':
			i++
		default:
			j := i + 1
			for j < len(d) && (d[j] == '.' || d[j] >= '0' && d[j] <= '9') {
				j++
			}
			v, err := strconv.ParseFloat(d[i:j], 64)
			if err != nil {
				t.Fatalf("bad number %q in path: %v", d[i:j], err)
			}
			nums = append(nums, v)
			i = j
		}
	}
	if cmd != 0 || ring != nil {
		t.Fatalf("path does not end with z")
	}
	return rings
}

// insideEvenOdd matches the map's fill-rule="evenodd".
func insideEvenOdd(rings [][][2]float64, x, y float64) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			xi, yi, xj, yj := r[i][0], r[i][1], r[j][0], r[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
	}
	return in
}

func TestParseWorldRejectsUnknownCodes(t *testing.T) {
	for _, raw := range []string{
		`{"projection":"equal-earth","width":1,"height":1,"scale":1,"countries":[{"n":"999","d":"M0 0l1 0 0 1z"}]}`,
		`{"projection":"equal-earth","width":1,"height":1,"scale":1,"countries":[{"a":"ZZ","d":"M0 0l1 0 0 1z"}]}`,
		`{"projection":"mercator","width":1,"height":1,"scale":1,"countries":[]}`,
	} {
		if _, err := parseWorld([]byte(raw)); err == nil {
			t.Errorf("parseWorld(%s) succeeded", raw)
		}
	}
}

func ExampleProject() {
	x, y := Project(51.2277, 6.7735) // Düsseldorf
	fmt.Printf("%.1f %.1f\n", x, y)
	// Output: 515.4 63.9
}
