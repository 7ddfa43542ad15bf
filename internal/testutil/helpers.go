package testutil

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"testing"

	"observatory/internal/db"
	"observatory/internal/i18n"
)

// Count runs a query that returns one number (SELECT COUNT(*) …).
func Count(t testing.TB, d *db.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// City is a row for AddCity; what is left empty gets a plain default.
type City struct {
	Slug, Name, Country, Continent string
	Names                          i18n.Text
	Lat, Lon                       float64
	Population                     int64
	Timezone                       string // UTC when empty
	Membership                     string // member when empty
	MemberSince                    string // 2015 when empty
}

// AddCity inserts a city directly, for tests of capabilities that only
// need one to exist, and returns its id.
func AddCity(t testing.TB, d *db.DB, c City) int64 {
	t.Helper()
	if c.Names == nil {
		c.Names = i18n.Text{}
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.Membership == "" {
		c.Membership = "member"
	}
	if c.MemberSince == "" {
		c.MemberSince = "2015"
	}
	var id int64
	now := db.Now()
	err := d.W.QueryRowContext(context.Background(), `INSERT INTO cities (slug, name, names, country, continent, population, lat, lon,
		timezone, membership, member_since, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		c.Slug, c.Name, c.Names, c.Country, c.Continent, c.Population, c.Lat, c.Lon, c.Timezone, c.Membership, c.MemberSince, now).Scan(&id)
	if err != nil {
		t.Fatalf("city %s: %v", c.Slug, err)
	}
	if err := d.Bump(context.Background()); err != nil {
		t.Fatal(err)
	}
	return id
}

// File is one file in an Upload.
type File struct {
	Field, Name string
	ContentType string // what the browser claims (never trusted); application/octet-stream when empty
	Data        []byte
}

// Upload posts a multipart form with fields and files, the way a browser
// on this site does.
func (c *Client) Upload(path string, fields url.Values, files ...File) *Response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", multipart.FileContentDisposition(f.Field, f.Name))
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.Data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.s.URL+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}
