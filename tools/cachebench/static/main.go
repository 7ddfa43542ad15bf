// Command static serves the pre-compressed answers of a folder (each
// NAME.gz at /NAME) with a plain net/http handler: the ceiling a Go
// server reaches when it sends kept bytes, for tools/cachebench/run.sh to
// compare the server with.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "address to listen on")
	dir := flag.String("dir", ".", "folder of NAME.gz files")
	flag.Parse()
	files, err := filepath.Glob(filepath.Join(*dir, "*.gz"))
	if err != nil {
		log.Fatal(err)
	}
	type answer struct {
		body   []byte
		header http.Header
	}
	answers := map[string]answer{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		answers["/"+strings.TrimSuffix(filepath.Base(f), ".gz")] = answer{b, http.Header{
			"Content-Type":     {"text/html; charset=utf-8"},
			"Content-Encoding": {"gzip"},
			"Content-Length":   {strconv.Itoa(len(b))},
			"Vary":             {"Accept-Encoding"},
		}}
	}
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range a.header {
			h[k] = v
		}
		w.Write(a.body)
	})))
}
