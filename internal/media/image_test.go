package media

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"strings"
	"testing"
)

func encoded(t *testing.T, img image.Image, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngOf(t *testing.T, w, h int, alpha uint8) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = alpha
	}
	return encoded(t, img, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
}

func TestRefusedByContent(t *testing.T) {
	for name, data := range map[string][]byte{
		"pdf":        []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"),
		"text":       []byte("hello, this is not a photo\n"),
		"html":       []byte("<html><script>alert(1)</script></html>"),
		"svg":        []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"zip":        []byte("PK\x03\x04\x14\x00\x00\x00"),
		"exe":        []byte("MZ\x90\x00\x03\x00\x00\x00"),
		"png header": []byte("\x89PNG\r\n\x1a\n"), // a signature and nothing more
	} {
		_, err := Process(bytes.NewReader(data))
		if err != ErrType && err != ErrCorrupt {
			t.Errorf("%s: %v, want refusal", name, err)
		}
	}
	if _, err := Process(bytes.NewReader(nil)); err != ErrNoFile {
		t.Errorf("empty: %v", err)
	}
	if _, err := Process(bytes.NewReader(make([]byte, MaxBytes+1))); err != ErrTooLarge {
		t.Errorf("too large: %v", err)
	}
}

func TestPixelBombIsRefusedBeforeDecoding(t *testing.T) {
	// A PNG header claiming 20000×20000 pixels, without the pixels.
	hdr := pngOf(t, 1, 1, 255)
	// IHDR's width and height are at bytes 16–23; the CRC no longer
	// matches, but DecodeConfig reads the size before checking it.
	big := append([]byte{}, hdr...)
	copy(big[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	if _, err := Process(bytes.NewReader(big)); err != ErrTooManyPix && err != ErrCorrupt {
		t.Errorf("pixel bomb: %v", err)
	}
}

func TestReencodes(t *testing.T) {
	// Opaque images become JPEG; transparency stays, as PNG.
	img, err := Process(bytes.NewReader(pngOf(t, 3000, 1500, 255)))
	if err != nil {
		t.Fatal(err)
	}
	if img.ContentType != "image/jpeg" || img.Width != MaxSide || img.Height != 800 || len(img.SHA256) != 64 {
		t.Errorf("opaque: %s %dx%d", img.ContentType, img.Width, img.Height)
	}
	img, err = Process(bytes.NewReader(pngOf(t, 40, 30, 100)))
	if err != nil {
		t.Fatal(err)
	}
	if img.ContentType != "image/png" || img.Width != 40 || img.Height != 30 {
		t.Errorf("transparent: %s %dx%d", img.ContentType, img.Width, img.Height)
	}
	// A GIF with a comment: accepted, and the comment is gone.
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.Black, color.White})
	g := encoded(t, pal, func(b *bytes.Buffer, i image.Image) error { return gif.Encode(b, i, nil) })
	g = append(g[:len(g)-1], append([]byte("\x21\xfe\x0bHIDDENTEXT!\x00"), g[len(g)-1])...)
	img, err = Process(bytes.NewReader(g))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(img.Data), "HIDDENTEXT") || img.ContentType != "image/jpeg" {
		t.Errorf("gif: %s, comment kept: %v", img.ContentType, strings.Contains(string(img.Data), "HIDDENTEXT"))
	}
	// Bytes appended after the image (a polyglot file) do not survive.
	poly := append(pngOf(t, 10, 10, 255), []byte("<script>alert(1)</script>")...)
	img, err = Process(bytes.NewReader(poly))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(img.Data), "script") {
		t.Error("trailing bytes survived")
	}
}

func TestOrientation(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	src.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255}) // top-left marked
	for o, want := range map[int][2]int{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}} {
		out := upright(src, o)
		if o >= 5 && (out.Bounds().Dx() != 2 || out.Bounds().Dy() != 3) {
			t.Errorf("orientation %d: size %v", o, out.Bounds())
		}
		if out.NRGBAAt(want[0], want[1]).R != 255 {
			t.Errorf("orientation %d: the top-left pixel is not at %v", o, want)
		}
	}
}

func TestShrinkBoxKeepsColourAndAlpha(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 6400, 400))
	for i := 0; i < len(src.Pix); i += 4 {
		src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = 10, 200, 30, 128
	}
	out := scaleDown(src)
	if b := out.Bounds(); b.Dx() != MaxSide || b.Dy() != 100 {
		t.Fatalf("scaled to %v", b)
	}
	if c := out.NRGBAAt(800, 50); c.R < 9 || c.R > 11 || c.G < 198 || c.G > 202 || c.A < 126 || c.A > 130 {
		t.Errorf("colour after shrinking: %v, want about {10 200 30 128}", c)
	}
}
