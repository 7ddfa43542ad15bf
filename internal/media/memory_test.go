package media_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/city"
	"observatory/internal/testutil"
)

// flatPNG writes a w×h PNG of one colour, row by row, so that even a
// 40-megapixel image costs the test no memory: bitDepth 8 or 16, RGBA.
func flatPNG(t testing.TB, w, h, bitDepth int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		io.WriteString(crc, kind)
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = byte(bitDepth), 6
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := make([]byte, 1+w*4*bitDepth/8)
	for i := 1; i < len(row); i++ {
		row[i] = 0xC8 // an opaque light grey, every channel the same
	}
	for range h {
		z.Write(row)
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// peakRSS is the process's resident high-water mark in bytes, or 0 where
// the system does not tell.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// Sixteen parallel uploads of the largest images accepted, and sixteen of
// a 40-megapixel 16-bit PNG (320 MB once decoded), through the real
// server, keep the whole process (server and test) under 400 MB.
func TestParallelLargeUploadsStayWithinMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 16 large images")
	}
	d := testutil.NewSQLite(t)
	s := testutil.NewServer(t, d)
	c := &city.City{Name: "Düsseldorf", Country: "DE", Continent: "europe", Lat: 51.2, Lon: 6.8, Timezone: "Europe/Berlin",
		DescriptionLang: "de", Membership: city.Member}
	if err := d.Tx(context.Background(), func(tx *sql.Tx) error { return city.Create(context.Background(), tx, c) }); err != nil {
		t.Fatal(err)
	}
	editor, pw := s.User(auth.RoleEditor, c.ID)
	cl := s.Client()
	cl.Login(editor.Email, pw)

	largest := flatPNG(t, 8000, 4000, 8) // 32 MP, 128 MB decoded: the most accepted
	attack := flatPNG(t, 8000, 5000, 16) // 40 MP, 320 MB decoded
	post := func(data []byte) int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		w, _ := mw.CreateFormFile("photo", "big.png")
		w.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/en/cities/%d/photo", s.URL, c.ID), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := cl.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}

	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the resident high-water mark: %v", err)
	}
	var mu sync.Mutex
	statuses := map[string]map[int]int{"largest": {}, "attack": {}}
	var wg sync.WaitGroup
	for i := range 32 {
		kind, data := "largest", largest
		if i%2 == 1 {
			kind, data = "attack", attack
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := post(data)
			mu.Lock()
			statuses[kind][st]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	peak := peakRSS()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("peak resident memory %d MB; heap obtained from the system %d MB; answers %v", peak>>20, ms.HeapSys>>20, statuses)
	if peak > 400<<20 {
		t.Errorf("16 parallel maximum-size uploads took the process to %d MB, want under 400 MB", peak>>20)
	}
	if statuses["largest"][http.StatusSeeOther] != 16 {
		t.Errorf("the largest accepted images: %v, want all 16 stored (303)", statuses["largest"])
	}
	if statuses["attack"][http.StatusUnprocessableEntity] != 16 {
		t.Errorf("the 16-bit 40-megapixel images: %v, want all 16 refused (422)", statuses["attack"])
	}
}
