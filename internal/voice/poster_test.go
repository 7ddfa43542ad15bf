package voice_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"observatory/internal/audit"
	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/testutil"
	"observatory/internal/voice"
)

// pdfText is the text of a PDF's content streams, inflated, and its
// uncompressed objects.
func pdfText(t *testing.T, raw string) string {
	t.Helper()
	var out strings.Builder
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range re.FindAllStringSubmatch(raw, -1) {
		zr, err := zlib.NewReader(strings.NewReader(m[1]))
		if err != nil {
			continue // not compressed
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
	out.WriteString(raw)
	return out.String()
}

// pdfString is s as a PDF text string for a Unicode font: UTF-16BE, escaped.
func pdfString(s string) string {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			switch c {
			case '\\', '(', ')':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\r':
				b.WriteString(`\r`)
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// The posters of an exhibition and of a station, A4 and A3, print the
// question in each of its languages, Arabic shaped right to left, with
// the fonts embedded.
func TestPosterInManyScripts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		q := i18n.Text{"de": "Was wünschen Sie sich?", "en": "What do you wish for?", "fr": "Que souhaitez-vous ?",
			"ar": "ماذا تتمنى لمدينتك", "el": "Τι εύχεστε για την πόλη", "ru": "Чего вы желаете городу", "uk": "Чого ви бажаєте місту",
			"zh": "您对城市有什么愿望", "ja": "街に何を望みますか", "tr": "Şehir için ne diliyorsunuz"}
		c := f.c
		if _, err := f.s.App.Voice.Store.SaveConsultation(ctx, audit.System("test"), c.ID, voice.ConsultationInput{CityID: c.CityID, Slug: c.Slug,
			Question: q, SourceLang: "de", Themes: c.Themes, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, RetentionDays: c.RetentionDays,
			Moderation: c.Moderation}); err != nil {
			t.Fatal(err)
		}
		var station int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM voice_stations WHERE exhibition_id = $1`, f.ex).Scan(&station); err != nil {
			t.Fatal(err)
		}
		admin, pw := f.s.User(auth.RoleAdmin, 0)
		ac := f.s.Client()
		ac.Login(admin.Email, pw)
		// The form offers the question in the kiosks' languages and keeps them.
		ac.Get("/en/admin/ideas/consultations/morgen").Expect(t, http.StatusOK, `name="question_ar"`, "ماذا تتمنى لمدينتك", "?station="+strconv.FormatInt(station, 10))
		for _, p := range []struct{ query, box string }{
			{"?exhibition=" + strconv.FormatInt(f.ex, 10), "595.28 841.89"},
			{"?exhibition=" + strconv.FormatInt(f.ex, 10) + "&size=A3", "841.89 1190.55"},
			{"?station=" + strconv.FormatInt(station, 10), "595.28 841.89"},
			{"?station=" + strconv.FormatInt(station, 10) + "&size=A3", "841.89 1190.55"},
		} {
			res := ac.Get("/en/admin/ideas/consultations/morgen/poster.pdf"+p.query).Expect(t, http.StatusOK, "%PDF")
			text := pdfText(t, res.Body)
			if !strings.Contains(text, "/MediaBox [0 0 "+p.box+"]") {
				t.Errorf("%s: page is not %s", p.query, p.box)
			}
			// DejaVu Sans, its bold, and the CJK font, each embedded (with the glyphs used).
			for _, font := range []string{"sans", "sansB", "cjk"} {
				if !regexp.MustCompile(`/FontName /utf8` + font + `\b`).MatchString(text) {
					t.Errorf("%s: font %s is not embedded", p.query, font)
				}
			}
			if n := strings.Count(text, "/FontFile2"); n < 3 {
				t.Errorf("%s: %d embedded font files, want 3", p.query, n)
			}
			for _, w := range []string{"wünschen", "Τι εύχεστε", "Чего вы желаете", "Чого ви бажаєте", "Şehir için", "您对城市有什么愿望", "街に何を望みますか",
				"NRW-Forum", "?venue=" + strconv.FormatInt(f.ex, 10)} {
				if !strings.Contains(text, pdfString(w)) {
					t.Errorf("%s: the poster lacks %q", p.query, w)
				}
			}
			// Arabic: joined forms, laid out right to left (the line reversed).
			for _, w := range []string{"ماذا", "لمدينتك"} {
				shaped := voice.ShapeArabic(w)
				if shaped == w || !strings.Contains(text, pdfString(reverse(shaped))) {
					t.Errorf("%s: the poster lacks the Arabic %q shaped right to left", p.query, w)
				}
			}
			if strings.Contains(p.query, "station") && !strings.Contains(text, pdfString("Eingang")) {
				t.Errorf("%s: the station's poster does not name it", p.query)
			}
		}
		ac.Get("/en/admin/ideas/consultations/morgen/poster.pdf?station=999999").Expect(t, http.StatusNotFound)
	})
}
