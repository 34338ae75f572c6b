package serve

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/pdf"
)

// gate bounds the work the server takes on: at most concurrent documents
// are cleaned at once, and at most concurrent+queue requests are admitted
// at all (uploading, being checked, or waiting for a slot). Admission is
// decided before the body is read, so a flood costs neither memory nor
// bandwidth: the memory held in bodies is at most (concurrent+queue) ×
// --max-body.
type gate struct {
	admitted chan struct{} // a token per admitted request
	slots    chan struct{} // a token per document being cleaned
	m        *metrics
}

func newGate(concurrent, queue int, m *metrics) *gate {
	return &gate{admitted: make(chan struct{}, concurrent+queue), slots: make(chan struct{}, concurrent), m: m}
}

// admit takes a place in the queue without waiting; false means the server
// is full and the request should be refused at once.
func (g *gate) admit() bool {
	select {
	case g.admitted <- struct{}{}:
		g.m.queued.Inc()
		return true
	default:
		return false
	}
}

// leave gives back an admitted request's place when it never got a slot.
func (g *gate) leave() {
	g.m.queued.Dec()
	<-g.admitted
}

// acquire waits for a cleaning slot for an admitted request, as long as
// ctx allows (the request's deadline, the client's connection).
func (g *gate) acquire(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		g.m.queued.Dec()
		g.m.inFlight.Inc()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives back a slot and the request's admission.
func (g *gate) release() {
	g.m.inFlight.Dec()
	<-g.slots
	<-g.admitted
}

// bombError refuses a document whose pages would be too large, or too
// many, to decode and OCR safely. It is found from headers alone, before
// anything is decoded or rasterized.
type bombError struct{ msg string }

func (e *bombError) Error() string { return e.msg }

// checkPages refuses images and PDFs whose declared page count or page size
// is beyond the server's limits. Text passes. Errors are *bombError, or
// *clean.InputError for a file that cannot be read at all.
func (s *Server) checkPages(ctx context.Context, source string, data []byte) error {
	switch {
	case clean.IsPDF(data):
		return s.checkPDF(ctx, source, data)
	case ocr.SniffImage(data) != "":
		return s.checkImage(source, data)
	}
	return nil
}

// checkImage reads every page's size from the image's header(s) with
// ocr.ImagePages, which already refuses sizes that no page could have
// (ocr.MaxSide a side, ocr.MaxPixels in all); the server's own limits are
// usually tighter.
func (s *Server) checkImage(source string, data []byte) error {
	sizes, err := ocr.ImagePages(data)
	if err != nil {
		// Other errors are broken headers, a matter of the input.
		if errors.Is(err, ocr.ErrTooLarge) {
			return &bombError{fmt.Sprintf("%s: %v", source, err)}
		}
		return &clean.InputError{Source: source, Err: err}
	}
	if len(sizes) > s.opts.MaxPages {
		return &bombError{fmt.Sprintf("%s: image has %d pages; over %d is refused (--max-pages)", source, len(sizes), s.opts.MaxPages)}
	}
	for i, sz := range sizes {
		if px := int64(sz.Width) * int64(sz.Height); px > int64(s.opts.MaxPixels) {
			return &bombError{fmt.Sprintf("%s: page %d: image header claims %d × %d pixels (%s); over %s a page is refused (--max-pixels)",
				source, i+1, sz.Width, sz.Height, megapixels(px), megapixels(int64(s.opts.MaxPixels)))}
		}
	}
	return nil
}

// checkPDF reads the page count with pdf.Tools.Stat (which also refuses
// encrypted and unreadable files) and each page's size with pdfinfo, and
// refuses a page that would rasterize, at the finest resolution OCR uses,
// to more than --max-pixels: a PDF page may declare 200 inches a side,
// which pdftoppm would render as gigabytes.
func (s *Server) checkPDF(ctx context.Context, source string, data []byte) error {
	if err := pdf.Check(); err != nil {
		return err
	}
	f, err := os.CreateTemp("", "emend-serve-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	info, err := pdf.Tools{}.Stat(ctx, f.Name())
	if err != nil {
		return &clean.InputError{Source: source, Err: err}
	}
	if info.Pages > s.opts.MaxPages {
		return &bombError{fmt.Sprintf("%s: PDF has %d pages; over %d is refused (--max-pages)", source, info.Pages, s.opts.MaxPages)}
	}
	sizes, err := pdf.Tools{}.PageSizes(ctx, f.Name(), info.Pages)
	if err != nil {
		return &clean.InputError{Source: source, Err: err}
	}
	for i, sz := range sizes {
		w, h := sz[0]/72*clean.MaxRenderDPI, sz[1]/72*clean.MaxRenderDPI
		if px := w * h; px > float64(s.opts.MaxPixels) {
			return &bombError{fmt.Sprintf("%s: page %d measures %.0f × %.0f pt, %.0f × %.0f pixels (%s) at %d dpi; over %s a page is refused (--max-pixels)",
				source, i+1, sz[0], sz[1], w, h, megapixels(int64(px)), clean.MaxRenderDPI, megapixels(int64(s.opts.MaxPixels)))}
		}
	}
	return nil
}

func megapixels(px int64) string {
	return fmt.Sprintf("%.1f megapixels", float64(px)/1e6)
}

// isBomb reports a refusal by checkPages.
func isBomb(err error) bool {
	var b *bombError
	return errors.As(err, &b)
}
