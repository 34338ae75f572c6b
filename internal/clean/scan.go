package clean

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"

	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/pipeline"
)

// OCRMode says which PDF pages are OCR'd, as OCRmyPDF's --skip-text and
// --force-ocr do.
type OCRMode string

const (
	OCRAuto   OCRMode = "auto"   // pages with a usable text layer use it; the rest are OCR'd
	OCRAlways OCRMode = "always" // every page is rasterized and OCR'd, text layer or not
	OCRNever  OCRMode = "never"  // text layers only; a page without one fails
)

// ParseOCRMode reads a --ocr value.
func ParseOCRMode(s string) (OCRMode, bool) {
	switch m := OCRMode(s); m {
	case OCRAuto, OCRAlways, OCRNever:
		return m, true
	}
	return "", false
}

// PagesError reports the pages of a document that could not be read. The
// document itself was cleaned from the other pages and is returned too.
type PagesError struct {
	Source string
	Pages  []pipeline.PageError
	Total  int
}

func (e *PagesError) Error() string {
	var b strings.Builder
	for i, p := range e.Pages {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: page %d: %s", e.Source, p.Page, p.Err)
	}
	return b.String()
}

// IsPDF reports a PDF: the signature at the start, or anywhere in the
// first kilobyte (which readers allow, after a mail or print-spooler
// header) when the file also ends like a PDF. A text that mentions
// "%PDF-1.7" near its start stays text.
func IsPDF(data []byte) bool {
	return looksPDF(data[:min(len(data), 1024)], data[max(0, len(data)-2048):])
}

// looksPDF decides from a file's first kilobyte and last two.
func looksPDF(head, tail []byte) bool {
	if bytes.HasPrefix(bytes.TrimLeft(head[:min(len(head), 64)], "\xef\xbb\xbf \t\r\n"), []byte("%PDF-")) {
		return true
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return false
	}
	return bytes.Contains(tail, []byte("startxref")) || bytes.Contains(tail, []byte("%%EOF"))
}

// engine returns the shared OCR engine, starting it on first use.
func (c *Cleaner) engine() *ocr.Engine {
	c.engineOnce.Do(func() {
		c.ocr = ocr.NewEngine(ocr.Options{Workers: c.opts.Workers, PageTimeout: c.opts.PageTimeout})
	})
	return c.ocr
}

// Close frees the OCR engine's clients.
func (c *Cleaner) Close() {
	if c.ocr != nil {
		c.ocr.Close()
	}
}

// pageTimeout is the deadline for one page's OCR and rasterization.
func (c *Cleaner) pageTimeout() time.Duration {
	if c.opts.PageTimeout > 0 {
		return c.opts.PageTimeout
	}
	return ocr.DefaultPageTimeout
}

// readImage OCRs every page of a PNG, JPEG, TIFF or PNM image.
func (c *Cleaner) readImage(ctx context.Context, source string, data []byte) (*pipeline.Document, error) {
	format := ocr.SniffImage(data)
	sizes, err := ocr.ImagePages(data)
	if err != nil {
		return nil, &InputError{source, err}
	}
	doc := &pipeline.Document{Source: source, Kind: pipeline.KindOCR, Pages: make([]pipeline.Page, len(sizes))}
	errs := make([]error, len(sizes))
	pages := make([]int, len(sizes))
	for i := range pages {
		doc.Pages[i].Number, pages[i] = i+1, i
	}
	c.recognize(ctx, doc, errs, pages, func(_ context.Context, i int) (ocr.Prepared, error) {
		return ocr.PreparePage(data, format, i, sizes[i], 0)
	})
	return c.finishPages(ctx, doc, errs)
}

// recognize OCRs the listed pages (0-based) of doc in parallel, at most one
// per Tesseract client, each prepared by prepare; a page that fails keeps
// its error in errs.
func (c *Cleaner) recognize(ctx context.Context, doc *pipeline.Document, errs []error, pages []int,
	prepare func(ctx context.Context, i int) (ocr.Prepared, error)) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.engine().Workers())
	for _, i := range pages {
		g.Go(func() error {
			p, err := prepare(gctx, i)
			if err == nil {
				var page pipeline.Page
				if page, err = c.engine().Recognize(gctx, p, i+1); err == nil {
					doc.Pages[i] = page
				}
			}
			errs[i] = err
			return nil // one page's failure must not cancel the others
		})
	}
	_ = g.Wait()
}

// readPDF reads a PDF page by page: the text layer where it is usable, OCR
// where it is not (or as the OCR mode says).
func (c *Cleaner) readPDF(ctx context.Context, source, path string) (*pipeline.Document, error) {
	if err := pdf.Check(); err != nil {
		return nil, err
	}
	tools := pdf.Tools{}
	info, err := tools.Stat(ctx, path)
	if err != nil {
		return nil, &InputError{source, err}
	}
	var layer []pipeline.Page
	mode := c.opts.OCR
	if mode == "" {
		mode = OCRAuto
	}
	if mode != OCRAlways {
		if layer, err = tools.TextLayer(ctx, path, info.Pages); err != nil {
			if mode == OCRNever {
				return nil, &InputError{source, err}
			}
			layer = nil // damaged text layer: OCR every page
		}
	}
	doc := &pipeline.Document{Source: source, Pages: make([]pipeline.Page, info.Pages)}
	errs := make([]error, info.Pages)
	var ocrPages []int
	for i := range info.Pages {
		doc.Pages[i].Number = i + 1
		if i < len(layer) && mode != OCRAlways && usableText(layer[i]) {
			doc.Pages[i] = layer[i] // numbered from 1 in order by the parser
			continue
		}
		if mode == OCRNever {
			errs[i] = errors.New("no usable text layer, and OCR is off (--ocr never)")
			continue
		}
		ocrPages = append(ocrPages, i)
	}
	if len(ocrPages) > 0 {
		res, err := tools.ImageResolutions(ctx, path, info.Pages)
		if err != nil {
			res = nil // rasterize at the default resolution
		}
		c.recognize(ctx, doc, errs, ocrPages, func(ctx context.Context, i int) (ocr.Prepared, error) {
			dpi := renderDPI(res[i+1])
			img, err := tools.Rasterize(ctx, path, i+1, dpi, c.pageTimeout())
			return ocr.Prepared{PGM: img, DPI: dpi, Scale: 1}, err
		})
	}
	// The text core weighs evidence by kind: OCR rules where most pages
	// were OCR'd.
	doc.Kind = pipeline.KindPDFText
	if len(ocrPages)*2 > info.Pages {
		doc.Kind = pipeline.KindOCR
	}
	return c.finishPages(ctx, doc, errs)
}

// MaxRenderDPI is the finest resolution a PDF page is rasterized at for
// OCR, which bounds the pixels a page can cost.
const MaxRenderDPI = 400

// renderDPI is the resolution to rasterize a page at, given its scan's: the
// scan's own, raised to 300 for coarse scans (Tesseract reads 200 dpi text
// markedly worse) and capped at 400 (finer adds time, not accuracy). A page
// without images is rendered at 300.
func renderDPI(scan float64) float64 {
	switch {
	case scan < 250:
		return ocr.TargetDPI
	case scan > MaxRenderDPI:
		return MaxRenderDPI
	}
	return scan
}

// usableText reports a text layer worth using instead of OCR: enough text,
// and mostly letters. Fonts without a Unicode map give text of control
// characters and symbols that only OCR can read.
func usableText(p pipeline.Page) bool {
	letters, other := 0, 0
	for _, ln := range p.Lines {
		for _, r := range ln.Text {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsSpace(r) || unicode.IsDigit(r) || unicode.IsPunct(r):
			default:
				other++
			}
		}
	}
	return letters >= 40 && letters > 4*other
}

// finishPages records failed pages, fails the document when no page could
// be read, and runs the repair chain over the rest.
func (c *Cleaner) finishPages(ctx context.Context, doc *pipeline.Document, errs []error) (*pipeline.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var failed []pipeline.PageError
	for i, err := range errs {
		if err == nil {
			continue
		}
		pe := pipeline.PageError{Page: i + 1, Err: err.Error()}
		failed = append(failed, pe)
		doc.Pages[i] = pipeline.Page{Number: i + 1}
		doc.Record(pipeline.Repair{Stage: "read", Kind: pipeline.RepairPageFailed, Before: "", After: "",
			Reason: pe.Err, Pos: pipeline.LinePos(i+1, 0, 0, 0)})
	}
	sort.Slice(failed, func(i, j int) bool { return failed[i].Page < failed[j].Page })
	doc.FailedPages = failed
	if len(failed) == len(doc.Pages) {
		if len(failed) == 1 {
			return nil, &InputError{doc.Source, fmt.Errorf("page 1: %s", failed[0].Err)}
		}
		return nil, &InputError{doc.Source, fmt.Errorf("no page could be read (page 1: %s)", failed[0].Err)}
	}
	if err := c.repair(ctx, doc); err != nil {
		return nil, err
	}
	if len(failed) > 0 {
		return doc, &PagesError{Source: doc.Source, Pages: failed, Total: len(doc.Pages)}
	}
	return doc, nil
}

// withFile gives poppler a path for data that arrived on standard input.
func withFile(data []byte, fn func(path string) (*pipeline.Document, error)) (*pipeline.Document, error) {
	f, err := os.CreateTemp("", "emend-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return fn(f.Name())
}
