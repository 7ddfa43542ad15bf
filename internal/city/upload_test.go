package city_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

func pngImage(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegWithExif is a photo carrying an EXIF segment (orientation 6, "turn
// clockwise") with a camera make that must not survive.
func jpegWithExif(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{200, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	// TIFF, little-endian: IFD0 with two entries, Orientation=6 and Make.
	tiff := []byte("II*\x00\x08\x00\x00\x00" + "\x02\x00" +
		"\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00" +
		"\x0f\x01\x02\x00\x0a\x00\x00\x00\x26\x00\x00\x00" +
		"\x00\x00\x00\x00" + "SECRETCAM\x00")
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), app1...), raw[2:]...)
}

func TestPhotoUpload(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		s := demoServer(t, d)
		dus := cityID(t, d, "dusseldorf")
		editor, pw := s.User(auth.RoleEditor, dus)
		c := s.Client()
		c.Login(editor.Email, pw)
		photo := fmt.Sprintf("/de/cities/%d/photo", dus)
		images := testutil.Count(t, d, `SELECT COUNT(*) FROM images`) // the demo's own

		// A PDF, and a text file named photo.jpg: refused in the reader's
		// language, nothing stored.
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		upload(t, s, c, photo, nil, "photo", "programme.pdf", pdf).Expect(t, 422, "Diese Datei ist kein verwendbares Foto", `aria-invalid="true"`)
		upload(t, s, c, "/fr"+strings.TrimPrefix(photo, "/de"), nil, "photo", "photo.jpg", []byte("just some text, not an image\n")).
			Expect(t, 422, "Ce fichier n&#39;est pas une photo utilisable")
		upload(t, s, c, "/en"+strings.TrimPrefix(photo, "/de"), nil, "photo", "photo.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0}).
			Expect(t, 422, "could not be read")
		upload(t, s, c, photo, nil, "photo", "", nil).Expect(t, 422, "Es wurde keine Datei ausgewählt")
		big := bytes.Repeat([]byte{0}, 9<<20)
		upload(t, s, c, photo, nil, "photo", "huge.png", big).Expect(t, 413, "größer als 8 MB")
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM images`) - images; n != 0 {
			t.Fatalf("refused uploads stored %d images", n)
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM cities WHERE photo_id IS NOT NULL`); n != 0 {
			t.Fatalf("a refused upload set a photo")
		}
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'city.photo'`); n != 0 {
			t.Fatalf("a refused upload was recorded")
		}

		// A phone photo: accepted, turned upright, metadata gone, served
		// with its type and long caching.
		upload(t, s, c, photo, nil, "photo", "IMG_0001.JPG", jpegWithExif(t, 40, 20)).Expect(t, 303)
		page := c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, `class="city-photo"`)
		url := regexp.MustCompile(`src="(/media/\d+-[0-9a-f]{20}\.jpg)"`).FindStringSubmatch(page.Body)
		if url == nil {
			t.Fatal("the photo is not on the page")
		}
		img := c.Get(url[1]).Expect(t, 200)
		h := img.Header
		if h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" {
			t.Errorf("image headers: %v", h)
		}
		if strings.Contains(img.Body, "SECRETCAM") || strings.Contains(img.Body, "Exif") {
			t.Error("the metadata survived")
		}
		cfg, format, err := image.DecodeConfig(strings.NewReader(img.Body))
		if err != nil || format != "jpeg" || cfg.Width != 20 || cfg.Height != 40 {
			t.Errorf("stored image %s %dx%d (%v), want an upright 20x40 jpeg", format, cfg.Width, cfg.Height, err)
		}
		if res := c.Get(url[1], "If-None-Match", h.Get("ETag")); res.StatusCode != 304 {
			t.Errorf("conditional request: %d", res.StatusCode)
		}
		c.Get(strings.Replace(url[1], ".jpg", ".png", 1)).Expect(t, 404)
		c.Get("/media/999999.jpg").Expect(t, 404)
		// The number alone does not find an image: its key is part of the address.
		id := url[1][len("/media/"):strings.Index(url[1], "-")]
		c.Get("/media/"+id+".jpg").Expect(t, 404)
		c.Get("/media/"+id+"-00000000000000000000.jpg").Expect(t, 404)

		// The same image again is stored once; a large PNG is scaled down and stays PNG only if it has transparency.
		upload(t, s, c, photo, nil, "photo", "again.jpg", jpegWithExif(t, 40, 20)).Expect(t, 303)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM images`) - images; n != 1 {
			t.Errorf("%d images stored, want 1 (deduplicated)", n)
		}
		upload(t, s, c, photo, nil, "photo", "wide.png", pngImage(t, 2400, 300)).Expect(t, 303)
		var w, hgt int64
		var ctype string
		d.R.QueryRow(`SELECT i.width, i.height, i.content_type FROM images i JOIN cities c ON c.photo_id = i.id WHERE c.id = $1`, dus).Scan(&w, &hgt, &ctype)
		if w != 1600 || hgt != 200 || ctype != "image/jpeg" {
			t.Errorf("scaled image %dx%d %s, want 1600x200 image/jpeg (opaque)", w, hgt, ctype)
		}
		c.Get(fmt.Sprintf("/en/cities/%d/history", dus)).Expect(t, 403) // admins only
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'city.photo'`); n != 2 {
			t.Errorf("%d photo changes recorded, want 2 (the repeat changed nothing)", n)
		}

		// A person's photo goes through the same checks.
		upload(t, s, c, fmt.Sprintf("/en/cities/%d/people", dus), map[string]string{"name": "Ada Example", "role": "staff"}, "photo", "cv.pdf", pdf).
			Expect(t, 422, "This file is not a photo we can use", `value="Ada Example"`)
		if n := testutil.Count(t, d, `SELECT COUNT(*) FROM city_people WHERE name = 'Ada Example'`); n != 0 {
			t.Error("a person was added with a refused photo")
		}
		upload(t, s, c, fmt.Sprintf("/en/cities/%d/people", dus), map[string]string{"name": "Ada Example", "role": "staff"}, "photo", "ada.png", pngImage(t, 64, 64)).Expect(t, 303)
		c.Get(fmt.Sprintf("/en/cities/%d-dusseldorf", dus)).Expect(t, 200, "Ada Example", `class="person-photo"`)
	})
}
