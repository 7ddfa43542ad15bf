package practice_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
)

// upload posts a multipart form with one file, as a browser on this site does.
func upload(t *testing.T, s *testutil.Server, c *testutil.Client, path string, fields url.Values, name string, file []byte) *testutil.Response {
	t.Helper()
	return c.Upload(path, fields, testutil.File{Field: "photo", Name: name, Data: file})
}

func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// Photos go through the media pipeline, become part of a revision, and are
// shown with their caption as text for those who cannot see them.
func TestPracticeImages(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		w := newWorld(t, d)
		editor, pw := srv.User(auth.RoleEditor, w.dus)
		c := srv.Client()
		c.Login(editor.Email, pw)
		id := createByForm(t, c, url.Values{"language": {"en"}, "title": {"Gardens on the roofs"}, "summary": {"Roofs become gardens."},
			"body": {"Neighbours plant on flat roofs."}, "theme": {"public-space"}, "status": {"running"}, "start": {"2020"}})
		path := fmt.Sprintf("/en/practices/%d/images", id)
		// A file that is not an image is refused, and nothing changes.
		upload(t, srv, c, path, url.Values{"base": {"1"}, "caption": {"A roof"}}, "roof.jpg", []byte("%PDF-1.4")).
			Expect(t, 422, "only JPEG, PNG, GIF and WebP")
		// A caption is required.
		upload(t, srv, c, path, url.Values{"base": {"1"}, "caption": {" "}}, "roof.png", pngBytes(40, 30)).
			Expect(t, 422, "Describe the image in a few words")
		upload(t, srv, c, path, url.Values{"base": {"1"}, "caption": {"Tomatoes on the roof of a school"}, "credit": {"City of Düsseldorf"}},
			"roof.png", pngBytes(40, 30)).Expect(t, 303)
		edit := c.Get(fmt.Sprintf("/en/practices/%d/edit", id)).Expect(t, 200, "Tomatoes on the roof of a school", "/media/")
		if !strings.Contains(edit.Body, `name="base" value="2"`) {
			t.Error("the edit page does not know the new revision")
		}
		c.Post(fmt.Sprintf("/en/practices/%d/submit", id), nil).Expect(t, 303)
		admin, apw := srv.User(auth.RoleAdmin, 0)
		a := srv.Client()
		a.Login(admin.Email, apw)
		a.Post(fmt.Sprintf("/en/practices/%d/publish", id), nil).Expect(t, 303)
		pub := srv.Client()
		res := pub.Get(pub.Get(fmt.Sprintf("/en/practices/%d", id)).Expect(t, 301).Header.Get("Location")).
			Expect(t, 200, `alt="Tomatoes on the roof of a school"`, "City of Düsseldorf", `width="40" height="30"`)
		src := res.Body[strings.Index(res.Body, `src="/media/`)+5:]
		src = src[:strings.IndexByte(src, '"')]
		img := pub.Get(src).Expect(t, 200)
		if img.Header.Get("Content-Type") != "image/jpeg" { // an opaque image is kept as JPEG
			t.Errorf("image served as %q", img.Header.Get("Content-Type"))
		}
		// Removing it is a revision too.
		c.Post(fmt.Sprintf("/en/practices/%d/images/0/remove", id), url.Values{"base": {"2"}}).Expect(t, 303)
		c.Get(fmt.Sprintf("/en/practices/%d/work", id)).Expect(t, 200, "changes in progress").Lacks(t, "Tomatoes on the roof")
		// Other cities' editors cannot add images.
		other, opw := srv.User(auth.RoleEditor, w.ouaga)
		oc := srv.Client()
		oc.Login(other.Email, opw)
		upload(t, srv, oc, path, url.Values{"base": {"3"}, "caption": {"x"}}, "x.png", pngBytes(10, 10)).Expect(t, 403)
	})
}
