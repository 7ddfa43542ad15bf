package opendata

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/jobs"
	"observatory/internal/web"
)

// Store builds the portal's files and keeps the newest build.
type Store struct {
	DB       *db.DB
	License  License
	Datasets func() []web.Dataset
	Catalog  *i18n.Catalog
	Log      *slog.Logger

	// Go starts a build in the background; nil: a new goroutine.
	Go func(build func())
	// Holder names this server in the job leases: a build a visitor
	// starts takes the lease of the build job, so that one server builds
	// a version while the others serve the latest complete build.
	Holder string
	// FirstWait bounds how long a request waits for the very first build
	// another server is making; zero: firstWait.
	FirstWait time.Duration

	mu       sync.Mutex // guards cache and building
	cache    *Build     // the newest build this server has read or made
	building bool       // a background build is under way in this server
	wait     time.Time  // another server held the lease: no new try before
	bmu      sync.Mutex // one build at a time in this server
}

// Build is one version of every dataset's files.
type Build struct {
	Manifest
	// Archive is the ZIP while a build is saved; the copy a server keeps
	// leaves it in the database (45 MB at 100,000 practices), and
	// downloads read it from there (Store.Archive).
	Archive []byte
}

// Manifest describes a build: its version, when it was made and each
// dataset's row count and last change.
type Manifest struct {
	Version  string         `json:"version"`
	BuiltAt  time.Time      `json:"built_at"`
	Datasets []DatasetState `json:"datasets"`
}

// DatasetState is one dataset in a build.
type DatasetState struct {
	Name     string    `json:"name"`
	Rows     int64     `json:"rows"`
	Modified time.Time `json:"modified"`
}

// State finds a dataset in the manifest.
func (m Manifest) State(name string) (DatasetState, bool) {
	for _, d := range m.Datasets {
		if d.Name == name {
			return d, true
		}
	}
	return DatasetState{}, false
}

// Modified is the newest change of any dataset.
func (m Manifest) Modified() time.Time {
	var t time.Time
	for _, d := range m.Datasets {
		if d.Modified.After(t) {
			t = d.Modified
		}
	}
	return t
}

// datasets are the capabilities' datasets, checked.
func (s *Store) datasets() ([]web.Dataset, error) {
	var out []web.Dataset
	seen := map[string]bool{}
	if s.Datasets == nil {
		return nil, nil
	}
	for _, d := range s.Datasets() {
		if !nameRe.MatchString(d.Name) || seen[d.Name] || d.Rows == nil || d.State == nil || len(d.Columns) == 0 {
			return nil, fmt.Errorf("open data: dataset %q is misnamed, named twice or incomplete", d.Name)
		}
		seen[d.Name] = true
		out = append(out, d)
	}
	return out, nil
}

// fileFormat changes with the files' layout, so that a new release
// rebuilds what an older one stored.
const fileFormat = 2

// Version is the data version now: it changes when a dataset's row count,
// newest change or counters move, when anything is written with an audit entry,
// and with the licence.
func (s *Store) Version(ctx context.Context) (string, []DatasetState, error) {
	sets, err := s.datasets()
	if err != nil {
		return "", nil, err
	}
	var last sql.NullInt64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT MAX(id) FROM audit_log`).Scan(&last); err != nil {
		return "", nil, fmt.Errorf("open data: the audit log's last entry: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "format %d|%s|%d", fileFormat, s.License.ID, last.Int64)
	states := make([]DatasetState, 0, len(sets))
	for _, d := range sets {
		st, err := d.State(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("open data: the state of %s: %w", d.Name, err)
		}
		fmt.Fprintf(h, "|%s %d %d %d", d.Name, st.Rows, st.Modified.Unix(), st.Extra)
		states = append(states, DatasetState{Name: d.Name, Rows: st.Rows, Modified: st.Modified.UTC()})
	}
	return hex.EncodeToString(h.Sum(nil))[:20], states, nil
}

// Current is the build to serve: the current data version's if it is
// built (this server's copy or the one in the database), else the latest
// complete build while a new one is made in the background (one at a time
// per server). Only when no build exists at all is one made now, by the
// server that takes the build job's lease (see first).
func (s *Store) Current(ctx context.Context) (*Build, error) {
	v, _, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	prev := s.cache
	s.mu.Unlock()
	if prev != nil && prev.Version == v {
		return prev, nil
	}
	b, err := s.load(ctx, v) // another server may have built it
	if err == nil {
		return s.keep(b), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if prev == nil {
		if prev, err = s.latest(ctx); err != nil {
			return nil, err
		}
	}
	if prev == nil {
		return s.first(ctx)
	}
	s.start(ctx)
	return s.keep(prev), nil
}

// keep makes b this server's copy unless it has a newer one, and returns
// the copy.
func (s *Store) keep(b *Build) *Build {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil || !s.cache.BuiltAt.After(b.BuiltAt) || s.cache.Version == b.Version {
		s.cache = b
	}
	return s.cache
}

// Job is the build job: every few minutes on one server at a time.
func (s *Store) Job() web.Job {
	return web.Job{Name: "opendata.build", Every: 5 * time.Minute, Once: true, Run: s.Refresh}
}

// retryLease is how long a server that found the build job's lease taken
// waits before it tries again (it serves the latest build meanwhile).
const retryLease = 10 * time.Second

// start begins a background build unless one is under way in this server
// or another server holds the build job's lease.
func (s *Store) start(ctx context.Context) {
	s.mu.Lock()
	if s.building || time.Now().Before(s.wait) {
		s.mu.Unlock()
		return
	}
	s.building = true
	s.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	run := func() {
		defer func() {
			s.mu.Lock()
			s.building = false
			s.mu.Unlock()
		}()
		if err := s.leasedRefresh(ctx); err != nil && s.Log != nil {
			s.Log.Warn("open data: background build", "err", err)
		}
	}
	if s.Go != nil {
		s.Go(run)
		return
	}
	go run()
}

// leasedRefresh is a build a visitor started: under the build job's lease,
// which it gives back when done (the next version may be any server's to
// build); when another server holds it, that server builds and this one
// serves the latest complete build meanwhile.
func (s *Store) leasedRefresh(ctx context.Context) error {
	j := s.Job()
	ok, err := jobs.Lease(ctx, s.DB, s.Holder, j)
	if err != nil {
		return err
	}
	if !ok {
		s.mu.Lock()
		s.wait = time.Now().Add(retryLease)
		s.mu.Unlock()
		return nil
	}
	return errors.Join(s.Refresh(ctx), jobs.Release(ctx, s.DB, s.Holder, j.Name))
}

// ErrNotReady: no build exists yet and another server is still making
// the first one.
var ErrNotReady = errors.New("open data: the first build is not ready yet")

// firstWait is how long a request waits for the first build another
// server makes, and firstPoll how often it looks for it meanwhile.
const (
	firstWait = 20 * time.Second
	firstPoll = 250 * time.Millisecond
)

// first is the very first build: made now under the build job's lease,
// as every build, so that one server makes it; a request on another
// server waits for it (at most FirstWait) and serves it, or gets
// ErrNotReady.
func (s *Store) first(ctx context.Context) (*Build, error) {
	j := s.Job()
	wait := s.FirstWait
	if wait <= 0 {
		wait = firstWait
	}
	deadline := time.Now().Add(wait)
	for {
		ok, err := jobs.Lease(ctx, s.DB, s.Holder, j)
		if err != nil {
			return nil, err
		}
		if ok {
			b, err := s.refresh(ctx)
			if err := errors.Join(err, jobs.Release(ctx, s.DB, s.Holder, j.Name)); err != nil {
				return nil, err
			}
			return b, nil
		}
		b, err := s.latest(ctx)
		if err != nil {
			return nil, err
		}
		if b != nil {
			return s.keep(b), nil
		}
		if !time.Now().Before(deadline) {
			return nil, ErrNotReady
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(firstPoll, time.Until(deadline))):
		}
	}
}

// Refresh builds the files if the data changed (the background job, and
// the build a request starts).
func (s *Store) Refresh(ctx context.Context) error {
	_, err := s.refresh(ctx)
	return err
}

// refresh is the build of the current data version, made now if neither
// this server nor the database has it.
func (s *Store) refresh(ctx context.Context) (*Build, error) {
	s.bmu.Lock()
	defer s.bmu.Unlock()
	v, states, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	b := s.cache
	s.mu.Unlock()
	if b != nil && b.Version == v {
		return b, nil
	}
	b, err = s.load(ctx, v)
	if errors.Is(err, sql.ErrNoRows) {
		b, err = s.build(ctx, v, states)
		if err == nil {
			err = s.save(ctx, b)
			b.Archive = nil // saved: downloads read it from the database
		}
	}
	if err != nil {
		return nil, err
	}
	return s.keep(b), nil
}

// latest is the newest complete build in the database, nil if none.
func (s *Store) latest(ctx context.Context) (*Build, error) {
	var version string
	err := s.DB.R.QueryRowContext(ctx, `SELECT version FROM opendata_builds ORDER BY built_at DESC LIMIT 1`).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open data: the latest build: %w", err)
	}
	b, err := s.load(ctx, version)
	if errors.Is(err, sql.ErrNoRows) { // removed meanwhile by a newer build
		return s.latest(ctx)
	}
	return b, err
}

func (s *Store) load(ctx context.Context, version string) (*Build, error) {
	var manifest string
	b := &Build{}
	err := s.DB.R.QueryRowContext(ctx, `SELECT manifest FROM opendata_builds WHERE version = $1`, version).Scan(&manifest)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("open data: reading build %s: %w", version, err)
	}
	if err := json.Unmarshal([]byte(manifest), &b.Manifest); err != nil {
		return nil, fmt.Errorf("open data: build %s: %w", version, err)
	}
	return b, nil
}

// save keeps b as the one build and removes the others (another server
// may have saved the same version meanwhile: then its bytes stay).
func (s *Store) save(ctx context.Context, b *Build) error {
	manifest, err := json.Marshal(b.Manifest)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO opendata_builds (version, built_at, manifest, archive) VALUES ($1, $2, $3, $4)
			ON CONFLICT (version) DO NOTHING`, b.Version, b.BuiltAt, string(manifest), b.Archive); err != nil {
			return fmt.Errorf("open data: saving build %s: %w", b.Version, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM opendata_builds WHERE version <> $1`, b.Version); err != nil {
			return fmt.Errorf("open data: removing older builds: %w", err)
		}
		return nil
	})
}

// Archive returns the build to serve (see Current) with its ZIP, read
// from the database for this request only.
func (s *Store) Archive(ctx context.Context) (*Build, []byte, error) {
	for try := 0; ; try++ {
		b, err := s.Current(ctx)
		if err != nil {
			return nil, nil, err
		}
		var zip []byte
		err = s.DB.R.QueryRowContext(ctx, `SELECT archive FROM opendata_builds WHERE version = $1`, b.Version).Scan(&zip)
		if errors.Is(err, sql.ErrNoRows) && try == 0 {
			continue // replaced by a newer build meanwhile
		}
		if err != nil {
			return nil, nil, fmt.Errorf("open data: reading the archive of build %s: %w", b.Version, err)
		}
		return b, zip, nil
	}
}

// readFile reads one file of a build's ZIP.
func readFile(archive []byte, name string) ([]byte, bool, error) {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, false, fmt.Errorf("open data: the archive: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, false, err
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		return data, true, err
	}
	return nil, false, nil
}

// Sitemap lists the portal's page.
func (s *Store) Sitemap(ctx context.Context) ([]web.SitemapEntry, error) {
	return []web.SitemapEntry{{Path: "/data"}}, nil
}
