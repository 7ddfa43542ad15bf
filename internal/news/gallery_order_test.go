package news_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/news"
	"observatory/internal/testutil"
)

// The press portal lists the cities' galleries in the alphabetical order
// of the reader's language: Málaga before Mostar, not after it as a byte
// order would put it.
func TestGalleryCitiesCollated(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testutil.NewServer(t, d)
		s := srv.App.News.Store
		for _, c := range []struct{ slug, name string }{{"mostar", "Mostar"}, {"malaga", "Málaga"}} {
			id := addCity(t, d, c.slug, c.name, "Europe/Madrid")
			it := create(t, s, item("en", "Photos from "+c.name, id, "2024-05-02"), news.StatePublished, time.Time{})
			if err := s.AddMedia(context.Background(), admin, it, news.MediaInput{Kind: "photo", Lang: "en", Caption: "A photo", Credit: "City", Licence: "CC BY 4.0", TakenOn: "2024-05-01"}, testImage(t)); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range i18n.Langs {
			body := srv.Client().Get("/"+lang+"/press").Expect(t, 200, "Málaga", "Mostar").Body
			if m, o := strings.Index(body, "<strong>Málaga"), strings.Index(body, "<strong>Mostar"); m < 0 || o < 0 || m > o {
				t.Errorf("/%s/press: Málaga at %d, Mostar at %d; want Málaga first", lang, m, o)
			}
		}
	})
}
