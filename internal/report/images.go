package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/pdf"
)

// Image is one page rendered for the report: a JPEG small enough to embed
// (a few tens of kilobytes a page), which boxes are drawn over.
type Image struct {
	Page          int // 1-based
	Width, Height int // pixels of the JPEG
	JPEG          []byte
	Err           string // why the page could not be rendered; no JPEG then
}

// ImageWidth is the width pages are rendered at: enough to read 10-point
// type on screen, small enough that a 20-page report stays a few MB.
const ImageWidth = 900

// imageDPI renders a PDF page about ImageWidth pixels wide (A4 and letter
// are about 8.3 inches).
const imageDPI = 110

// MaxImagePages bounds the pages rendered: past it the report shows text
// only, and says so.
const MaxImagePages = 200

// Images renders the pages of a PDF or a page image (PNG, JPEG, TIFF,
// PNM) for the report; text inputs have none. Errors name source and page.
func Images(ctx context.Context, source string, data []byte) ([]Image, error) {
	switch {
	case clean.IsPDF(data):
		return pdfImages(ctx, source, data)
	case ocr.SniffImage(data) != "":
		return pictureImages(ctx, source, data)
	}
	return nil, nil
}

func pdfImages(ctx context.Context, source string, data []byte) ([]Image, error) {
	if err := pdf.Check(); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "emend-report-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	tools := pdf.Tools{}
	info, err := tools.Stat(ctx, f.Name())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return renderPages(ctx, min(info.Pages, MaxImagePages), func(p int) ([]byte, error) {
		return tools.Rasterize(ctx, f.Name(), p, imageDPI, time.Minute)
	})
}

// renderPages renders pages 1..n, a few at once, each through page (which
// returns a grey PGM). A page that cannot be rendered gets an Image with
// Err set, and the others are still shown; only cancellation fails all.
func renderPages(ctx context.Context, n int, page func(p int) ([]byte, error)) ([]Image, error) {
	out := make([]Image, n)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	for i := range out {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			pgm, err := page(i + 1)
			if err == nil {
				out[i], err = encodePage(i+1, pgm)
			}
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				out[i] = Image{Page: i + 1, Err: err.Error()}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func pictureImages(ctx context.Context, source string, data []byte) ([]Image, error) {
	format := ocr.SniffImage(data)
	sizes, err := ocr.ImagePages(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return renderPages(ctx, min(len(sizes), MaxImagePages), func(p int) ([]byte, error) {
		// dpi 300 asks for the page at its own size: no upsampling.
		prep, err := ocr.PreparePage(data, format, p-1, sizes[p-1], 300)
		return prep.PGM, err
	})
}

// encodePage shrinks a grey page to ImageWidth and encodes it as JPEG.
func encodePage(page int, pgm []byte) (Image, error) {
	g, err := ocr.DecodePGM(pgm)
	if err != nil {
		return Image{}, err
	}
	small := shrink(g, ImageWidth)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, small, &jpeg.Options{Quality: 70}); err != nil {
		return Image{}, err
	}
	r := small.Bounds()
	return Image{Page: page, Width: r.Dx(), Height: r.Dy(), JPEG: b.Bytes()}, nil
}

// shrink scales a grey image down to width w by averaging the source
// pixels each target pixel covers (a box filter: text stays legible where
// nearest-neighbour sampling would drop thin strokes).
func shrink(src *image.Gray, w int) *image.Gray {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if sw <= w {
		return src
	}
	h := max(1, sh*w/sw)
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		y0, y1 := y*sh/h, max((y+1)*sh/h, y*sh/h+1)
		for x := range w {
			x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
			sum := 0
			for yy := y0; yy < y1; yy++ {
				row := src.Pix[(yy-src.Rect.Min.Y)*src.Stride:]
				for xx := x0; xx < x1; xx++ {
					sum += int(row[xx-src.Rect.Min.X])
				}
			}
			dst.Pix[y*dst.Stride+x] = uint8(sum / ((y1 - y0) * (x1 - x0)))
		}
	}
	return dst
}
