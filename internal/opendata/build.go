package opendata

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"observatory/internal/db"
	"observatory/internal/web"
)

// The files describe themselves in English; the portal's page says the
// same in the reader's language.
const fileLang = "en"

type field struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Format      string `json:"format,omitempty"`
}

type license struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type resource struct {
	Name        string         `json:"name"`
	Path        string         `json:"path"`
	Profile     string         `json:"profile"`
	Format      string         `json:"format"`
	MediaType   string         `json:"mediatype"`
	Encoding    string         `json:"encoding"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Licenses    []license      `json:"licenses"`
	Schema      map[string]any `json:"schema"`
}

type datasetJSON struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	License     license    `json:"license"`
	Modified    *time.Time `json:"modified"`
	Version     string     `json:"version"`
	Fields      []field    `json:"fields"`
}

func (s *Store) t(key string) string { return s.Catalog.T(fileLang, key) }

func (s *Store) fields(d web.Dataset) []field {
	out := make([]field, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = field{Name: c.Name, Type: c.Type, Description: s.t(ColumnKey(d, c))}
		if c.Type == "datetime" {
			out[i].Format = "default" // RFC 3339 in UTC
		}
	}
	return out
}

// ColumnKey is the catalog key of a column's meaning: its own, or the
// shared one for its name ("data.col.id").
func ColumnKey(d web.Dataset, c web.DataColumn) string {
	if c.Description != "" {
		return c.Description
	}
	return "data.col." + c.Name
}

func (s *Store) lic() license {
	return license{Name: s.License.ID, Path: s.License.URL, Title: s.License.Title}
}

// build writes every dataset as CSV and JSON, and datapackage.json, into
// one ZIP.
func (s *Store) build(ctx context.Context, version string, states []DatasetState) (*Build, error) {
	sets, err := s.datasets()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	b := &Build{Manifest: Manifest{Version: version, BuiltAt: db.Now()}}
	// The ZIP is written to a temporary file and read back at its size:
	// a buffer grown while writing would hold up to twice as much.
	tmp, err := os.CreateTemp("", "opendata-*.zip")
	if err != nil {
		return nil, fmt.Errorf("open data: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	zw := zip.NewWriter(tmp)
	var resources []resource
	for i, d := range sets {
		st := states[i]
		n, err := s.writeDataset(ctx, zw, d, version, st)
		if err != nil {
			return nil, err
		}
		st.Rows = n
		b.Datasets = append(b.Datasets, st)
		resources = append(resources, resource{Name: d.Name, Path: d.Name + ".csv", Profile: "tabular-data-resource", Format: "csv",
			MediaType: "text/csv", Encoding: "utf-8", Title: s.t(d.Title), Description: s.t(d.Description),
			Licenses: []license{s.lic()}, Schema: map[string]any{"fields": s.fields(d), "missingValues": []string{""}}})
	}
	pkg := map[string]any{
		"profile":     "tabular-data-package",
		"name":        "observatory",
		"id":          version,
		"title":       s.t("data.package.title"),
		"description": s.t("data.package.description"),
		"version":     version,
		"created":     b.BuiltAt.Format(time.RFC3339),
		"licenses":    []license{s.lic()},
		"resources":   resources,
	}
	if err := writeJSON(zw, "datapackage.json", pkg); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("open data: closing the archive: %w", err)
	}
	if b.Archive, err = os.ReadFile(tmp.Name()); err != nil {
		return nil, fmt.Errorf("open data: reading the archive back: %w", err)
	}
	if s.Log != nil {
		s.Log.Info("open data built", "version", version, "bytes", len(b.Archive), "took", time.Since(start).Round(time.Millisecond))
	}
	return b, nil
}

func writeJSON(zw *zip.Writer, name string, v any) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return err
	}
	if err := writeJSONTo(w, v); err != nil {
		return fmt.Errorf("open data: writing %s: %w", name, err)
	}
	return nil
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeDataset writes d's rows to NAME.csv and NAME.json and counts them,
// reading them once: the JSON items wait in a temporary file while the CSV
// is written, so a large dataset is never held in memory.
func (s *Store) writeDataset(ctx context.Context, zw *zip.Writer, d web.Dataset, version string, st DatasetState) (int64, error) {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: d.Name + ".csv", Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp("", "opendata-*.json")
	if err != nil {
		return 0, fmt.Errorf("open data: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	items := bufio.NewWriter(tmp)
	cw := csv.NewWriter(w)
	head := make([]string, len(d.Columns))
	keys := make([][]byte, len(d.Columns))
	for i, c := range d.Columns {
		head[i] = c.Name
		keys[i], _ = json.Marshal(c.Name)
	}
	cw.Write(head)
	var n int64
	err = d.Rows(ctx, func(values ...any) error {
		if len(values) != len(d.Columns) {
			return fmt.Errorf("%d values for %d columns", len(values), len(d.Columns))
		}
		rec := make([]string, len(values))
		if n > 0 {
			items.WriteByte(',')
		}
		items.WriteString("\n    {")
		for i, v := range values {
			cell, val, err := format(d.Columns[i].Type, v)
			if err != nil {
				return fmt.Errorf("column %s: %w", d.Columns[i].Name, err)
			}
			rec[i] = cell
			js, err := json.Marshal(val)
			if err != nil {
				return fmt.Errorf("column %s: %w", d.Columns[i].Name, err)
			}
			if i > 0 {
				items.WriteString(", ")
			}
			items.Write(keys[i])
			items.WriteString(": ")
			items.Write(js)
		}
		items.WriteByte('}')
		n++
		return cw.Write(rec)
	})
	if err != nil {
		return 0, fmt.Errorf("open data: the rows of %s: %w", d.Name, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("open data: writing %s.csv: %w", d.Name, err)
	}
	if err := items.Flush(); err != nil {
		return 0, fmt.Errorf("open data: %w", err)
	}
	// The JSON file: the dataset's description, then its items.
	out := datasetJSON{Name: d.Name, Title: s.t(d.Title), Description: s.t(d.Description), License: s.lic(),
		Version: version, Fields: s.fields(d)}
	if !st.Modified.IsZero() {
		out.Modified = &st.Modified
	}
	meta, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return 0, err
	}
	jw, err := zw.CreateHeader(&zip.FileHeader{Name: d.Name + ".json", Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return 0, err
	}
	jw.Write(meta[:len(meta)-1]) // without its closing brace
	io.WriteString(jw, `  ,"items": [`)
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if _, err := io.Copy(jw, tmp); err != nil {
		return 0, fmt.Errorf("open data: writing %s.json: %w", d.Name, err)
	}
	if n > 0 {
		io.WriteString(jw, "\n  ")
	}
	_, err = io.WriteString(jw, "]\n}\n")
	return n, err
}

// format gives a value's CSV cell and JSON value by its column's type.
func format(typ string, v any) (string, any, error) {
	switch x := v.(type) {
	case nil:
		return "", nil, nil
	case string:
		if typ == "datetime" || typ == "date" {
			if t := web.ParseDBTime(x); !t.IsZero() {
				return format(typ, t)
			}
		}
		if typ == "string" {
			return web.CSVCell(x), x, nil
		}
		return x, x, nil
	case bool:
		return strconv.FormatBool(x), x, nil
	case int:
		return format(typ, int64(x))
	case int64:
		if typ == "boolean" { // SQLite keeps booleans as 0 and 1
			return format(typ, x != 0)
		}
		return strconv.FormatInt(x, 10), x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), x, nil
	case time.Time:
		if x.IsZero() {
			return "", nil, nil
		}
		s := x.UTC().Format(time.RFC3339)
		if typ == "date" {
			s = x.Format(time.DateOnly)
		}
		return s, s, nil
	case *time.Time:
		if x == nil {
			return "", nil, nil
		}
		return format(typ, *x)
	}
	return "", nil, fmt.Errorf("a value of type %T", v)
}
