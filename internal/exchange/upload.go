package exchange

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"path"
	"strings"
	"unicode"

	"observatory/internal/media"
)

// Upload is a file for a thread after its content was checked.
type Upload struct {
	Name        string
	ContentType string // image/jpeg, image/png or application/pdf
	Data        []byte
	SHA256      string
}

// maxPDF bounds a PDF attachment; images have the media pipeline's limits.
const maxPDF = media.MaxBytes

// ReadUpload judges a file by its content, never by its name or declared
// type: a PDF must start with the PDF signature and end with its end
// marker; anything else must be an image the media pipeline accepts, and
// is stored as the pipeline redrew it (no metadata, nothing hidden). The
// error is a *media.Error whose key tells the user why.
func ReadUpload(fh *multipart.FileHeader) (*Upload, error) {
	if fh.Size > maxPDF {
		return nil, media.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxPDF+1))
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, media.ErrNoFile
	}
	if len(raw) > maxPDF {
		return nil, media.ErrTooLarge
	}
	name := cleanName(fh.Filename)
	if bytes.HasPrefix(raw, []byte("%PDF-")) {
		tail := raw[max(0, len(raw)-2048):]
		if !bytes.Contains(tail, []byte("%%EOF")) {
			return nil, ErrPDF
		}
		sum := sha256.Sum256(raw)
		if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
			name += ".pdf"
		}
		return &Upload{Name: name, ContentType: "application/pdf", Data: raw, SHA256: hex.EncodeToString(sum[:])}, nil
	}
	img, err := media.Process(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	ext := "." + media.Ext(img.ContentType)
	name = strings.TrimSuffix(name, path.Ext(name)) + ext
	return &Upload{Name: name, ContentType: img.ContentType, Data: img.Data, SHA256: img.SHA256}, nil
}

// ErrPDF: a file that starts like a PDF but is not a whole one.
var ErrPDF = &media.Error{Key: "exchange.err.pdf"}

// cleanName keeps a file name readable and harmless in a header and a page.
func cleanName(n string) string {
	n = path.Base(strings.ReplaceAll(n, "\\", "/"))
	n = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`"/\;:*?<>|`, r) {
			return '_'
		}
		return r
	}, n)
	if r := []rune(n); len(r) > 120 {
		n = string(r[len(r)-120:])
	}
	if n == "" || n == "." {
		n = "file"
	}
	return n
}
