// Package media takes in uploaded images and serves them. An upload is
// judged by its content, never by its name or declared type: it must
// decode as JPEG, PNG, GIF or WebP within the byte and pixel limits. It is
// then redrawn (turned upright, scaled down) and encoded anew as JPEG or
// PNG, which drops every byte of metadata (camera, location, comments) and
// anything hidden after the image. Images are stored once per content
// (sha256) and served under a stable, immutable URL.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	_ "image/gif" // decoders, registered by their magic bytes
	_ "image/jpeg"
	_ "image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// Limits of what is accepted and what is kept.
const (
	MaxBytes    = 8 << 20    // an upload larger than this is refused
	MaxPixels   = 40_000_000 // width × height; refused before decoding, so a small file cannot expand into gigabytes
	MaxDecoded  = 128 << 20  // bytes of decoded pixels: 32 MP in colour at 8 bits per channel, 16 MP at 16
	MaxSide     = 1600       // longer side of the stored image; larger ones are scaled down
	jpegQuality = 85
)

// Error is a refused upload; Key is the catalog key that tells the user why.
type Error struct{ Key string }

func (e *Error) Error() string { return "image refused: " + e.Key }

var (
	ErrNoFile     = &Error{"media.err.empty"}
	ErrType       = &Error{"media.err.type"}
	ErrTooLarge   = &Error{"media.err.too_large"}
	ErrTooManyPix = &Error{"media.err.too_many_pixels"}
	ErrCorrupt    = &Error{"media.err.corrupt"}
	// ErrTooMuchMemory: within the pixel limit but too large once decoded
	// (16 bits per channel).
	ErrTooMuchMemory = &Error{"media.err.too_much_memory"}
)

// Image is an upload after processing: the bytes to store and serve.
type Image struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Width, Height int
	SHA256        string // hex of Data
}

// Process reads at most MaxBytes from r and returns the image re-encoded,
// or an *Error saying why it was refused. The header is read first: an
// image whose decoded pixels would take more than MaxDecoded is refused
// before any of it is decoded, and decoding waits its turn for memory.
func Process(r io.Reader) (*Image, error) {
	size := int64(MaxBytes)
	if rs, ok := r.(io.ReadSeeker); ok {
		var err error
		if size, err = rs.Seek(0, io.SeekEnd); err != nil {
			return nil, err
		}
		switch {
		case size == 0:
			return nil, ErrNoFile
		case size > MaxBytes:
			return nil, ErrTooLarge
		}
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		cfg, _, err := image.DecodeConfig(io.LimitReader(rs, MaxBytes))
		if err := checkConfig(cfg, err); err != nil {
			return nil, err
		}
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		release, err := reserve(size + decodedBytes(cfg))
		if err != nil {
			return nil, err
		}
		defer release()
	}
	raw, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	switch {
	case len(raw) == 0:
		return nil, ErrNoFile
	case len(raw) > MaxBytes:
		return nil, ErrTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err := checkConfig(cfg, err); err != nil {
		return nil, err
	}
	if _, ok := r.(io.ReadSeeker); !ok {
		release, err := reserve(int64(len(raw)) + decodedBytes(cfg))
		if err != nil {
			return nil, err
		}
		defer release()
	}
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, ErrCorrupt
	}
	orient := 1
	if format == "jpeg" {
		orient = exifOrientation(raw)
	}
	return encode(upright(scaleDown(src), orient))
}

// checkConfig refuses what the header alone shows cannot be taken.
func checkConfig(cfg image.Config, err error) error {
	if errors.Is(err, image.ErrFormat) {
		return ErrType
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return ErrCorrupt
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return ErrTooManyPix
	}
	if decodedBytes(cfg) > MaxDecoded {
		return ErrTooMuchMemory
	}
	return nil
}

// scaleDown draws src into a fresh NRGBA image, smaller when its longer
// side exceeds MaxSide. Drawing anew also normalises every colour model.
func scaleDown(src image.Image) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > MaxSide || h > MaxSide {
		if w >= h {
			w, h = MaxSide, max(1, h*MaxSide/w)
		} else {
			w, h = max(1, w*MaxSide/h), MaxSide
		}
	}
	if w == b.Dx() && h == b.Dy() {
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		return dst
	}
	// BiLinear widens its kernel when shrinking, so fine detail does not
	// alias; CatmullRom would be sharper but several times slower. Scaling
	// into RGBA takes the scaler's fast paths (seconds faster on a
	// 40-megapixel image); the small result is then made NRGBA.
	if n, ok := src.(*image.NRGBA); ok && b.Dx() >= 4*w {
		// A box average to at most twice the size first: one pass over
		// the pixels, a fraction of the scaler's cost.
		n = shrinkBox(n, b.Dx()/(2*w))
		src, b = n, n.Bounds()
	}
	tmp := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(tmp, tmp.Bounds(), src, b, draw.Src, nil)
	dst := image.NewNRGBA(tmp.Bounds())
	draw.Draw(dst, dst.Bounds(), tmp, image.Point{}, draw.Src)
	return dst
}

// shrinkBox averages k×k blocks of src (alpha-weighted, as NRGBA must be).
func shrinkBox(src *image.NRGBA, k int) *image.NRGBA {
	if k < 2 {
		return src
	}
	sb := src.Bounds()
	w, h := sb.Dx()/k, sb.Dy()/k
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	sums := make([]uint64, 4*w)
	for y := 0; y < h; y++ {
		clear(sums)
		for yy := 0; yy < k; yy++ {
			row := src.Pix[(y*k+yy)*src.Stride:]
			for x := 0; x < w; x++ {
				s := sums[4*x : 4*x+4 : 4*x+4]
				p := row[4*x*k : 4*(x+1)*k : 4*(x+1)*k]
				for i := 0; i < len(p); i += 4 {
					a := uint64(p[i+3])
					s[0] += uint64(p[i]) * a
					s[1] += uint64(p[i+1]) * a
					s[2] += uint64(p[i+2]) * a
					s[3] += a
				}
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			s := sums[4*x : 4*x+4]
			if s[3] > 0 {
				out[4*x] = uint8(s[0] / s[3])
				out[4*x+1] = uint8(s[1] / s[3])
				out[4*x+2] = uint8(s[2] / s[3])
			}
			out[4*x+3] = uint8(s[3] / uint64(k*k))
		}
	}
	return dst
}

// encode writes JPEG for opaque images (photos) and PNG when there is
// transparency to keep.
func encode(img *image.NRGBA) (*Image, error) {
	var buf bytes.Buffer
	ctype := "image/png"
	if img.Opaque() {
		ctype = "image/jpeg"
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, err
		}
	} else {
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	b := img.Bounds()
	return &Image{Data: buf.Bytes(), ContentType: ctype, Width: b.Dx(), Height: b.Dy(), SHA256: hex.EncodeToString(sum[:])}, nil
}

// upright applies an EXIF orientation (1–8), which phones set instead of
// rotating the pixels; since the metadata is dropped, the pixels must turn.
func upright(src *image.NRGBA, orient int) *image.NRGBA {
	if orient < 2 || orient > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := w, h
	if orient >= 5 { // the four orientations that swap the sides
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch orient {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // mirrored, turned
				dx, dy = y, x
			case 6: // turned: rotate clockwise
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8: // rotate counter-clockwise
				dx, dy = y, w-1-x
			}
			dst.SetNRGBA(dx, dy, src.NRGBAAt(x, y))
		}
	}
	return dst
}

// exifOrientation finds the orientation tag in a JPEG's EXIF segment; 1
// (as stored) when there is none or it cannot be read.
func exifOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return 1
		}
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // image data starts: no EXIF before it
			return 1
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(p []byte) int { return int(p[0]) | int(p[1])<<8 }
		u32 = func(p []byte) int { return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 | int(p[3])<<24 }
	case "MM":
		u16 = func(p []byte) int { return int(p[1]) | int(p[0])<<8 }
		u32 = func(p []byte) int { return int(p[3]) | int(p[2])<<8 | int(p[1])<<16 | int(p[0])<<24 }
	default:
		return 1
	}
	off := u32(t[4:8])
	if off < 8 || off+2 > len(t) {
		return 1
	}
	count := u16(t[off:])
	for k := 0; k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if u16(t[e:]) == 0x0112 { // Orientation, a SHORT stored in the value field
			if v := u16(t[e+8:]); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
