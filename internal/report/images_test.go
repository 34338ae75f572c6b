package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/emend/emend/pipeline"
)

// pgm makes a grey PGM page w pixels wide and h high.
func pgm(w, h int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "P5\n%d %d\n255\n", w, h)
	b.Write(bytes.Repeat([]byte{200}, w*h))
	return b.Bytes()
}

// A page that cannot be rendered is reported on its own figure; the
// others are still shown, shrunk to ImageWidth.
func TestRenderPagesKeepsTheOthers(t *testing.T) {
	imgs, err := renderPages(context.Background(), 3, func(p int) ([]byte, error) {
		if p == 2 {
			return nil, errors.New("pdftoppm: broken page")
		}
		return pgm(2480, 3508), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 3 {
		t.Fatalf("%d images, want 3", len(imgs))
	}
	for i, img := range imgs {
		if img.Page != i+1 {
			t.Errorf("image %d is page %d", i, img.Page)
		}
		if i == 1 {
			if img.Err == "" || img.JPEG != nil {
				t.Errorf("page 2: Err %q, %d JPEG bytes; want the error and no image", img.Err, len(img.JPEG))
			}
			continue
		}
		decoded, err := jpeg.Decode(bytes.NewReader(img.JPEG))
		if err != nil {
			t.Fatalf("page %d: %v", img.Page, err)
		}
		if got := decoded.Bounds(); got != image.Rect(0, 0, ImageWidth, 3508*ImageWidth/2480) || img.Width != ImageWidth {
			t.Errorf("page %d is %v (%d wide), want %d wide at the page's proportions", img.Page, got, img.Width, ImageWidth)
		}
	}

	doc := &pipeline.Document{Source: "x.pdf", Pages: []pipeline.Page{{Number: 1}, {Number: 2}, {Number: 3}}}
	doc.Original = doc.Pages
	var out bytes.Buffer
	if err := Write(&out, doc, Options{Images: imgs}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	if n := strings.Count(page, `<img src="data:image/jpeg;base64,`); n != 2 {
		t.Errorf("%d page images in the report, want 2", n)
	}
	if !strings.Contains(page, "could not be rendered: pdftoppm: broken page") {
		t.Error("the report does not say why page 2 has no image")
	}
}

// Cancelling stops the rendering and fails it.
func TestRenderPagesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, err := renderPages(ctx, 50, func(p int) ([]byte, error) {
		cancel()
		return nil, ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestShrinkAverages(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 4, 2))
	copy(src.Pix, []byte{0, 100, 200, 200, 0, 100, 200, 200})
	got := shrink(src, 2)
	if got.Bounds().Dx() != 2 || got.Bounds().Dy() != 1 {
		t.Fatalf("shrunk to %v, want 2×1", got.Bounds())
	}
	if got.Pix[0] != 50 || got.Pix[1] != 200 {
		t.Errorf("pixels %v, want the averages [50 200]", got.Pix)
	}
	if small := image.NewGray(image.Rect(0, 0, 10, 10)); shrink(small, 900) != small {
		t.Error("an image narrower than the width is not left alone")
	}
}
