package ocr

/*
#cgo LDFLAGS: -llept
#include <stdlib.h>
#include <leptonica/allheaders.h>

// prepPage reads page n (0-based; only TIFF has more than one) of an image
// held in memory, turns it into 8-bit grey, scales it by factor (1 keeps
// it) and writes it as PGM. It returns 0 on success, 1 when the image
// cannot be decoded and 2 when it cannot be converted or written.
static int prepPage(const unsigned char *data, size_t size, int tiff, int n,
		float factor, unsigned char **out, size_t *outSize, int *xres) {
	PIX *pix = tiff ? pixReadMemTiff(data, size, n) : pixReadMem(data, size);
	if (pix == NULL) return 1;
	*xres = pixGetXRes(pix);
	PIX *grey = pixConvertTo8(pix, 0);
	pixDestroy(&pix);
	if (grey == NULL) return 2;
	if (factor != 1.0f) {
		PIX *scaled = pixScale(grey, factor, factor);
		pixDestroy(&grey);
		if (scaled == NULL) return 2;
		grey = scaled;
	}
	int rc = pixWriteMemPnm(out, outSize, grey);
	pixDestroy(&grey);
	return rc == 0 ? 0 : 2;
}

static void freeMem(unsigned char *p) { lept_free(p); }
*/
import "C"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig for JPEG headers
	_ "image/png"  // DecodeConfig for PNG headers
	"math"
	"unsafe"
)

// Limits on page images, checked from the header before anything is
// decoded: a file claiming 50,000 × 50,000 pixels would need gigabytes.
// An A0 sheet at 600 dpi, about 19,900 × 28,100 (560 million pixels), is
// the largest page an archive scans, and passes.
const (
	MaxSide   = 30000
	MaxPixels = 600_000_000
)

// TargetDPI is the resolution Tesseract reads best; lower-resolution images
// are upsampled to it.
const TargetDPI = 300

// minDPI is the resolution below which an image is upsampled.
const minDPI = 250

// ImageFormat names a page-image format emend reads.
type ImageFormat string

const (
	FormatPNG  ImageFormat = "PNG"
	FormatJPEG ImageFormat = "JPEG"
	FormatTIFF ImageFormat = "TIFF"
	FormatPNM  ImageFormat = "PNM"
)

// SniffImage returns the image format of data from its magic bytes, or "".
func SniffImage(data []byte) ImageFormat {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return FormatTIFF
	case len(data) > 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6' || data[1] == '4') && (data[2] == '\n' || data[2] == ' '):
		return FormatPNM
	}
	return ""
}

// PageSize is one page's pixel size as its header declares it.
type PageSize struct{ Width, Height int }

// ImagePages reads the header(s) of an image and returns each page's size,
// refusing images too large to decode safely. Only TIFF has more than one
// page.
func ImagePages(data []byte) ([]PageSize, error) {
	var sizes []PageSize
	switch SniffImage(data) {
	case FormatTIFF:
		var err error
		if sizes, err = tiffPageSizes(data); err != nil {
			return nil, err
		}
	case FormatPNG, FormatJPEG:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("broken image header: %w", err)
		}
		sizes = []PageSize{{cfg.Width, cfg.Height}}
	case FormatPNM:
		w, h, _, _, ok := pnmHeader(data)
		if !ok {
			return nil, errors.New("broken PNM header")
		}
		sizes = []PageSize{{w, h}}
	default:
		return nil, errors.New("not a PNG, JPEG, TIFF or PNM image")
	}
	for i, s := range sizes {
		if s.Width <= 0 || s.Height <= 0 {
			return nil, fmt.Errorf("page %d: image header gives no size", i+1)
		}
		if s.Width > MaxSide || s.Height > MaxSide || s.Width*s.Height > MaxPixels {
			return nil, fmt.Errorf("page %d: image header claims %d × %d pixels; over %d per side or %d million in all is refused: %w",
				i+1, s.Width, s.Height, MaxSide, MaxPixels/1_000_000, ErrTooLarge)
		}
	}
	return sizes, nil
}

// ErrTooLarge marks an image whose header claims more pixels than any page
// could have: a decompression bomb, refused before decoding.
var ErrTooLarge = errors.New("image too large")

// tiffPageSizes walks a TIFF's chain of image file directories and reads
// each page's width and height, without decoding any pixels.
func tiffPageSizes(data []byte) ([]PageSize, error) {
	if len(data) < 8 {
		return nil, errors.New("broken TIFF: header truncated")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int64(bo.Uint32(data[4:8]))
	var sizes []PageSize
	seen := map[int64]bool{}
	for off != 0 {
		if seen[off] || len(sizes) > 10000 {
			return nil, errors.New("broken TIFF: its directories loop")
		}
		seen[off] = true
		if off+2 > int64(len(data)) {
			return nil, fmt.Errorf("broken TIFF: page %d directory past the end of the file", len(sizes)+1)
		}
		n := int64(bo.Uint16(data[off:]))
		end := off + 2 + n*12
		if end+4 > int64(len(data)) {
			return nil, fmt.Errorf("broken TIFF: page %d directory truncated", len(sizes)+1)
		}
		var s PageSize
		for e := off + 2; e < end; e += 12 {
			tag, typ := bo.Uint16(data[e:]), bo.Uint16(data[e+2:])
			var v int
			switch typ {
			case 3: // SHORT
				v = int(bo.Uint16(data[e+8:]))
			case 4: // LONG
				v = int(bo.Uint32(data[e+8:]))
			}
			switch tag {
			case 256:
				s.Width = v
			case 257:
				s.Height = v
			}
		}
		sizes = append(sizes, s)
		off = int64(bo.Uint32(data[end:]))
	}
	if len(sizes) == 0 {
		return nil, errors.New("broken TIFF: no pages")
	}
	return sizes, nil
}

// Prepared is one page ready for Tesseract: 8-bit grey PGM at a resolution
// it reads well.
type Prepared struct {
	PGM []byte
	DPI float64
	// Scale is how much the page was enlarged; boxes Tesseract returns are
	// in the enlarged pixels.
	Scale float64
}

// PreparePage decodes page n (0-based) of an image, converts it to grey
// and upsamples it to about 300 dpi when it is coarser than that. dpi is
// the resolution the caller knows (a PDF's image resolution); 0 means read
// it from the image, or, where the image does not say, guess it from the
// width of a full page.
func PreparePage(data []byte, format ImageFormat, n int, size PageSize, dpi float64) (Prepared, error) {
	if len(data) == 0 {
		return Prepared{}, errors.New("empty image")
	}
	factor := 1.0
	if dpi > 0 && dpi < minDPI {
		factor = TargetDPI / dpi
	}
	if dpi == 0 {
		// The header's resolution is only known after decoding; decode at
		// scale 1 first, and again scaled if the image turns out coarse.
		p, xres, err := prep(data, format, n, 1)
		if err != nil {
			return Prepared{}, err
		}
		dpi = float64(xres)
		switch {
		case dpi < 50 || dpi > 1200:
			dpi = guessDPI(size)
		case dpi < 150:
			// 72 and 96 dpi are what software writes when it does not
			// know; a page 2,480 pixels wide is a 300 dpi scan whatever its
			// header says, and enlarging it fourfold would cost 150 MB.
			dpi = max(dpi, guessDPI(size))
		}
		if dpi >= minDPI {
			return Prepared{PGM: p, DPI: dpi, Scale: 1}, nil
		}
		factor = TargetDPI / dpi
	}
	if float64(size.Width)*factor > MaxSide || float64(size.Height)*factor > MaxSide {
		factor = 1
	}
	p, _, err := prep(data, format, n, factor)
	if err != nil {
		return Prepared{}, err
	}
	return Prepared{PGM: p, DPI: dpi * factor, Scale: factor}, nil
}

// guessDPI assumes a page image shows a whole A4 or letter page, about 8.3
// inches across, which is what archives scan.
func guessDPI(s PageSize) float64 {
	w := float64(min(s.Width, s.Height))
	return math.Max(72, math.Round(w/8.3))
}

func prep(data []byte, format ImageFormat, n int, factor float64) ([]byte, int, error) {
	cdata := C.CBytes(data)
	defer C.free(cdata)
	var out *C.uchar
	var outSize C.size_t
	var xres C.int
	tiff := C.int(0)
	if format == FormatTIFF {
		tiff = 1
	}
	switch C.prepPage((*C.uchar)(cdata), C.size_t(len(data)), tiff, C.int(n), C.float(factor), &out, &outSize, &xres) {
	case 0:
	case 1:
		return nil, 0, fmt.Errorf("%s image cannot be decoded (corrupt or truncated)", format)
	default:
		return nil, 0, fmt.Errorf("%s image cannot be converted to grey", format)
	}
	defer C.freeMem(out)
	return C.GoBytes(unsafe.Pointer(out), C.int(outSize)), int(xres), nil
}
