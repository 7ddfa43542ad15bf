package declaration

import (
	"io"
	"net/http"
	"strings"

	"observatory/internal/i18n"
)

type verifyData struct {
	names
	D      *Declaration
	Report *Report
	Stored bool   // the report is about the stored record
	Error  string // a catalog key: the upload could not be read
	// Current is the platform's latest checkpoint, and Missing the entries
	// it holds beyond an uploaded bundle's; Diverged: the platform's log
	// does not continue the bundle's.
	Current  *Checkpoint
	Missing  []Entry
	Diverged bool
	Detail   string
	Lang     string
}

// When is a log time (RFC 3339, UTC) as the reader reads it: in their
// language and the network's zone. A time that does not parse (in an
// uploaded bundle) is shown as it is written.
func (d *verifyData) When(at string) string {
	t, err := ParseTime(at)
	if err != nil {
		return at
	}
	return i18n.NetworkTime(d.Lang, t)
}

// maxUpload bounds a bundle sent to the verify page.
const maxUpload = maxBundleBytes + 1<<20

// VerifyPage explains how to verify, and with ?stored=1 verifies the
// record as the database holds it now.
func (h *Handlers) VerifyPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	data := &verifyData{D: d}
	if r.URL.Query().Get("stored") != "" {
		rep, _, err := h.Store.VerifyStored(r.Context(), d.ID, manager(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Report, data.Stored = rep, true
	}
	h.showVerify(w, r, http.StatusOK, data)
}

func (h *Handlers) showVerify(w http.ResponseWriter, r *http.Request, status int, data *verifyData) {
	p := h.Render.NewPage(r, "", data)
	data.Lang = p.Lang
	p.Title = p.T("declaration.verify.title", "Title", data.D.Title(p.Lang).Value)
	h.Render.HTML(w, r, status, "declaration/verify", p)
}

// VerifyUpload verifies a bundle that a visitor uploads or pastes, against
// this platform's published keys.
func (h *Handlers) VerifyUpload(w http.ResponseWriter, r *http.Request) {
	d, ok := h.declFor(w, r, false)
	if !ok {
		return
	}
	data := &verifyData{D: d}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	var src io.Reader
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			data.Error, data.Detail = "declaration.verify.err.read", err.Error()
			h.showVerify(w, r, http.StatusBadRequest, data)
			return
		}
		if file, _, err := r.FormFile("file"); err == nil {
			defer file.Close()
			src = file
		}
	} else if err := r.ParseForm(); err != nil {
		data.Error, data.Detail = "declaration.verify.err.read", err.Error()
		h.showVerify(w, r, http.StatusBadRequest, data)
		return
	}
	if src == nil {
		if text := strings.TrimSpace(r.FormValue("bundle")); text != "" {
			src = strings.NewReader(text)
		}
	}
	if src == nil {
		data.Error = "declaration.verify.err.empty"
		h.showVerify(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	b, err := ReadBundle(src)
	if err != nil {
		data.Error, data.Detail = "declaration.verify.err.format", err.Error()
		h.showVerify(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	keys, err := h.Store.PublicKeys(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Report = Verify(b, VerifyOptions{Declaration: d.ID, Trusted: TrustedKeys(keys)})
	status := http.StatusOK
	if !data.Report.OK() {
		status = http.StatusUnprocessableEntity
	} else if err := h.compareCurrent(r, data); err != nil {
		h.fail(w, r, err)
		return
	}
	h.showVerify(w, r, status, data)
}

// compareCurrent compares a valid uploaded bundle with the platform's
// current checkpoint, always: what was signed since is named.
func (h *Handlers) compareCurrent(r *http.Request, data *verifyData) error {
	cur, err := h.Store.Checkpoint(r.Context(), data.D.ID)
	if err != nil || cur == nil {
		return err
	}
	data.Current = cur
	have := data.Report.Checkpoint
	all, err := h.Store.entries(r.Context(), data.D.ID)
	if err != nil {
		return err
	}
	all = all[:min(int64(len(all)), cur.Entries)]
	if cur.Entries < have.Entries || all[have.Entries-1].Hash != have.Head {
		data.Diverged = true
		return nil
	}
	data.Missing = all[have.Entries:]
	return nil
}
