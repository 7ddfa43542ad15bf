package media_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"observatory/internal/audit"
	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/media"
	"observatory/internal/practice"
	"observatory/internal/summit"
	"observatory/internal/testutil"
)

// photo is a small opaque image, different for each shade.
func photo(t *testing.T, shade uint8) *media.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for x := range 24 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{shade, uint8(x * 9), uint8(y * 13), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	im, err := media.Process(&b)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// stored is one image and the address it is served at.
type stored struct {
	id  int64
	url string
}

func save(t *testing.T, d *db.DB, im *media.Image) stored {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		id, err = media.Save(context.Background(), tx, im)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return stored{id, media.URL(id, im.ContentType, im.SHA256)}
}

func imageIDs(t *testing.T, d *db.DB) []int64 {
	t.Helper()
	rows, err := d.R.Query(`SELECT id FROM images ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

var mediaURL = regexp.MustCompile(`/media/[0-9]+-[0-9a-f]+\.(?:jpg|png)`)

// Images that a city, a city's person, a summit's speaker or partner, or any
// revision of a practice refers to stay; an unreferenced one goes once it
// is older than the limit, and the pages that show images still load them.
func TestPruneKeepsWhatIsReferenced(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := testutil.NewServer(t, d)
		by := audit.Actor{Email: "secretariat@example.org"}

		// A city with a photo, and its mayor with one, stored as the city
		// pages store them: the image and its reference in one transaction.
		cityPhoto, mayorPhoto := photo(t, 10), photo(t, 20)
		c := &city.City{Name: "Düsseldorf", Country: "DE", Continent: "europe", Lat: 51.23, Lon: 6.78, Timezone: "Europe/Berlin",
			Membership: "member", MemberSince: "2015"}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			if c.PhotoID, err = media.Save(ctx, tx, cityPhoto); err != nil {
				return err
			}
			if err := city.Create(ctx, tx, c); err != nil {
				return err
			}
			p := &city.Person{CityID: c.ID, Name: "Stephan Keller", Role: "mayor"}
			if p.PhotoID, err = media.Save(ctx, tx, mayorPhoto); err != nil {
				return err
			}
			return city.AddPerson(ctx, tx, p)
		})
		if err != nil {
			t.Fatal(err)
		}

		// A summit with a speaker's photo and a partner's logo.
		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		st := &summit.Store{DB: d, Catalog: cat, BaseURL: "https://observatory.example"}
		sid, err := st.Save(ctx, 0, summit.SummitInput{Number: 3, Title: i18n.Text{"en": "Third Summit"}, SourceLang: "en",
			HostCityID: c.ID, StartsOn: "2030-06-10", EndsOn: "2030-06-12", Status: summit.StatusAnnounced, OfferHours: 72}, by)
		if err != nil {
			t.Fatal(err)
		}
		speakerPhoto, partnerLogo := photo(t, 30), photo(t, 40)
		if _, err := st.SaveSpeaker(ctx, sid, 0, summit.SpeakerInput{Name: "Aminata Ouédraogo", Photo: speakerPhoto}, by); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SavePartner(ctx, sid, 0, summit.PartnerInput{Kind: "main_sponsor", Name: i18n.Text{"en": "Foundation"},
			Logo: partnerLogo}, by); err != nil {
			t.Fatal(err)
		}

		// A practice: revision 2 adds image A and is published; revision 3
		// adds B; revision 4 takes B out again. B is now only in a
		// superseded revision that was never published, and one that can
		// be restored.
		ps := &practice.Store{DB: d, SkipRelated: true}
		admin := practice.Actor{Email: "secretariat@example.org", Role: "admin"}
		pid, err := ps.Create(ctx, admin, practice.Record{Lang: "en", CityID: c.ID, Title: i18n.Text{"en": "Gardens on the roofs"},
			Summary: i18n.Text{"en": "Roofs become gardens."}, Body: i18n.Text{"en": "Neighbours plant on flat roofs."},
			Themes: []string{"public-space"}, Status: "running", Start: "2020"})
		if err != nil {
			t.Fatal(err)
		}
		practiceA, practiceB := photo(t, 50), photo(t, 60)
		if err := ps.AddImage(ctx, admin, pid, 1, practiceA, "Tomatoes on a school roof", ""); err != nil {
			t.Fatal(err)
		}
		if err := ps.Publish(ctx, admin, pid); err != nil {
			t.Fatal(err)
		}
		if err := ps.AddImage(ctx, admin, pid, 2, practiceB, "A roof in winter", ""); err != nil {
			t.Fatal(err)
		}
		if err := ps.RemoveImage(ctx, admin, pid, 3, 1); err != nil {
			t.Fatal(err)
		}

		orphanOld, orphanNew := save(t, d, photo(t, 70)), save(t, d, photo(t, 80))
		// Every image but the newest orphan was stored two days ago, so
		// only references can keep them.
		if _, err := d.W.ExecContext(ctx, `UPDATE images SET created_at = $1 WHERE id <> $2`,
			db.Now().Add(-48*time.Hour), orphanNew.id); err != nil {
			t.Fatal(err)
		}
		all := imageIDs(t, d)
		if len(all) != 8 {
			t.Fatalf("%d images stored, want 8", len(all))
		}
		url := map[int64]string{orphanOld.id: orphanOld.url, orphanNew.id: orphanNew.url}
		ids := map[*media.Image]int64{}
		for _, im := range []*media.Image{cityPhoto, mayorPhoto, speakerPhoto, partnerLogo, practiceA, practiceB} {
			ids[im] = idOf(t, d, im)
			url[ids[im]] = media.URL(ids[im], im.ContentType, im.SHA256)
		}

		cl := srv.Client()
		// page follows the redirects to a page's canonical address.
		page := func(path string) string {
			t.Helper()
			for range 4 {
				res := cl.Get(path)
				if res.StatusCode/100 == 3 {
					path = res.Header.Get("Location")
					continue
				}
				res.Expect(t, 200)
				return res.Body
			}
			t.Fatalf("%s: too many redirects", path)
			return ""
		}
		s, err := st.Get(ctx, sid, true)
		if err != nil {
			t.Fatal(err)
		}
		pages := map[string]string{
			"/en/cities/" + c.Slug:                  url[ids[cityPhoto]],
			"/en/summits/" + s.Ref() + "/programme": url[ids[speakerPhoto]],
			"/en/summits/" + s.Ref():                url[ids[partnerLogo]],
			fmt.Sprintf("/en/practices/%d", pid):    url[ids[practiceA]],
		}

		dry, err := media.Prune(ctx, d, 24*time.Hour, true, practice.ImagesInUse)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dry.IDs, []int64{orphanOld.id}) || dry.Bytes <= 0 || dry.Kept != 7 || !dry.DryRun {
			t.Errorf("dry run: %+v, want only image %d", dry, orphanOld.id)
		}
		if got := imageIDs(t, d); !slices.Equal(got, all) {
			t.Errorf("the dry run deleted images: %v, had %v", got, all)
		}

		// Without the practices' references, their images would go too:
		// the callback is what keeps them.
		probe, err := media.Prune(ctx, d, 24*time.Hour, true)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{ids[practiceA], ids[practiceB], orphanOld.id}; !slices.Equal(probe.IDs, want) {
			t.Errorf("foreign keys alone keep all but %v, want %v", probe.IDs, want)
		}

		res, err := media.Prune(ctx, d, 24*time.Hour, false, practice.ImagesInUse)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.IDs, dry.IDs) || res.Bytes != dry.Bytes || res.Kept != 7 || res.DryRun {
			t.Errorf("prune: %+v, the dry run said %+v", res, dry)
		}
		if got := imageIDs(t, d); !slices.Equal(got, slices.DeleteFunc(slices.Clone(all), func(id int64) bool { return id == orphanOld.id })) {
			t.Errorf("left %v", got)
		}
		for id, u := range url {
			want := 200
			if id == orphanOld.id {
				want = 404
			}
			cl.Get(u).Expect(t, want)
		}
		// The public pages still show their images, and each one loads.
		for path, want := range pages {
			body := page(path)
			found := mediaURL.FindAllString(body, -1)
			if !slices.Contains(found, want) {
				t.Errorf("%s does not show %s (shows %v)", path, want, found)
			}
			for _, u := range found {
				cl.Get(u).Expect(t, 200)
			}
		}
		// Restoring the revision that had the second image shows it again.
		if err := ps.Restore(ctx, admin, pid, 3); err != nil {
			t.Fatal(err)
		}
		if err := ps.Publish(ctx, admin, pid); err != nil {
			t.Fatal(err)
		}
		body := page(fmt.Sprintf("/en/practices/%d", pid))
		if !slices.Contains(mediaURL.FindAllString(body, -1), url[ids[practiceB]]) {
			t.Error("the restored revision's image is not shown")
		}
		cl.Get(url[ids[practiceB]]).Expect(t, 200)

		// A second prune finds nothing more; the young orphan is kept
		// until it is older than the limit asked for.
		again, err := media.Prune(ctx, d, 24*time.Hour, false, practice.ImagesInUse)
		if err != nil || len(again.IDs) != 0 {
			t.Errorf("second prune: %+v %v", again, err)
		}
		young, err := media.Prune(ctx, d, 0, false, practice.ImagesInUse)
		if err != nil || !slices.Equal(young.IDs, []int64{orphanNew.id}) {
			t.Errorf("prune with no age limit: %+v %v, want only %d", young, err, orphanNew.id)
		}
		cl.Get(orphanNew.url).Expect(t, 404)
	})
}

func idOf(t *testing.T, d *db.DB, im *media.Image) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM images WHERE sha256 = $1`, im.SHA256).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The columns that refer to images are read from the schema: a table added
// later with its own image column is covered without a change to media.
func TestPruneFindsReferencesInTheSchema(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cols, err := media.ReferringColumns(ctx, d.Engine(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		// Identifiers come quoted where needed; these need no quotes.
		got := strings.ReplaceAll(fmt.Sprint(cols), `"`, "")
		for _, want := range []string{"{cities photo_id}", "{city_people photo_id}", "{summit_speakers photo_id}", "{summit_partners logo_id}"} {
			if !strings.Contains(got, want) {
				t.Errorf("columns %s lack %s", got, want)
			}
		}
		if _, err := d.W.ExecContext(ctx, `CREATE TABLE "news items" (id INTEGER PRIMARY KEY, "Cover" INTEGER REFERENCES images (id))`); err != nil {
			t.Fatal(err)
		}
		cover, orphan := save(t, d, photo(t, 90)), save(t, d, photo(t, 100))
		if _, err := d.W.ExecContext(ctx, `INSERT INTO "news items" (id, "Cover") VALUES (1, $1)`, cover.id); err != nil {
			t.Fatal(err)
		}
		res, err := media.Prune(ctx, d, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.IDs, []int64{orphan.id}) || !slices.Equal(imageIDs(t, d), []int64{cover.id}) {
			t.Errorf("pruned %v, left %v; want only %d gone", res.IDs, imageIDs(t, d), orphan.id)
		}
	})
}
