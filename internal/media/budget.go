package media

import (
	"context"
	"image"
	"image/color"
	"math"
	"runtime/debug"

	"golang.org/x/sync/semaphore"
)

// decodedBytes is what decoding an image of cfg allocates for its pixels
// (with room for a progressive JPEG's coefficients), known from the header.
func decodedBytes(cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	per := int64(8)
	switch cfg.ColorModel {
	case color.GrayModel, color.AlphaModel:
		per = 1
	case color.Gray16Model, color.Alpha16Model:
		per = 2
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		per = 4
	case color.YCbCrModel:
		per = 4 // 4:2:0 samples and the coefficients of a progressive JPEG
	case color.RGBA64Model, color.NRGBA64Model:
		per = 8
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			per = 1
		}
	}
	return px * per
}

// decoding bounds the bytes of pixels decoded at once across all uploads.
// Its size follows the memory the process may use: one maximum image when
// no limit is set (GOMEMLIMIT), else a quarter of the limit.
var decoding = semaphore.NewWeighted(decodeBudget())

func decodeBudget() int64 {
	budget := int64(MaxDecoded + MaxBytes)
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 && limit/4 > budget {
		budget = limit / 4
	}
	return budget
}

// reserve waits until n bytes may be decoded, and returns the release.
// A large image's memory is given back to the system when it is done, so
// that a burst of uploads does not leave the server at its peak.
func reserve(n int64) (func(), error) {
	n = min(n, decodeBudget())
	if err := decoding.Acquire(context.Background(), n); err != nil {
		return nil, err
	}
	return func() {
		if n >= 32<<20 {
			debug.FreeOSMemory()
		}
		decoding.Release(n)
	}, nil
}
