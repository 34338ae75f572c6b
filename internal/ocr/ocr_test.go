package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// TestMain re-executes the test binary with OMP_THREAD_LIMIT=1, as emend
// itself does: without it Tesseract's OpenMP threads spin on every core
// and the OCR tests take several times longer.
func TestMain(m *testing.M) {
	SingleThreaded()
	os.Exit(m.Run())
}

// These tests run the real Tesseract (through gosseract) and the real
// poppler and libtiff programs. A missing program fails the test, never
// skips it: CI installs them, and a green run without them proves nothing.

func needTools(t testing.TB, names ...string) {
	t.Helper()
	testutil.RequireTools(t, "these tests need poppler-utils, libtiff-tools and tesseract-ocr-eng", names...)
}

// resolutionPDF is a born-digital three-page UN resolution (A/RES/61/180).
func resolutionPDF(t testing.TB) string {
	return testutil.CorpusFile(t, "render-61-180-a", "text.pdf")
}

// render rasterizes part of a page of a PDF with pdftoppm, in grey, as
// "pgm", "png", "jpeg" or "tiff". crop is in pixels at dpi; an empty crop
// is the whole page. pdftoppm writes the resolution into PNG (pHYs), JPEG
// (JFIF) and TIFF headers.
func render(t testing.TB, pdf string, page int, dpi int, crop image.Rectangle, format string) []byte {
	t.Helper()
	needTools(t, "pdftoppm")
	root := filepath.Join(t.TempDir(), "page")
	args := []string{"-r", strconv.Itoa(dpi), "-gray", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile"}
	if !crop.Empty() {
		args = append(args, "-x", strconv.Itoa(crop.Min.X), "-y", strconv.Itoa(crop.Min.Y),
			"-W", strconv.Itoa(crop.Dx()), "-H", strconv.Itoa(crop.Dy()))
	}
	ext := map[string]string{"pgm": "pgm", "png": "png", "jpeg": "jpg", "tiff": "tif"}[format]
	if format != "pgm" {
		args = append(args, "-"+format)
	}
	args = append(args, pdf, root)
	if out, err := exec.Command("pdftoppm", args...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %v: %v\n%s", args, err, out)
	}
	data, err := os.ReadFile(root + "." + ext)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tiffJoin makes one multi-page TIFF of single-page TIFFs with tiffcp;
// bigEndian asks for a Motorola ("MM") file.
func tiffJoin(t testing.TB, bigEndian bool, pages ...[]byte) []byte {
	t.Helper()
	needTools(t, "tiffcp")
	dir := t.TempDir()
	var args []string
	if bigEndian {
		args = append(args, "-B")
	}
	for i, p := range pages {
		name := filepath.Join(dir, fmt.Sprintf("p%d.tif", i))
		if err := os.WriteFile(name, p, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	out := filepath.Join(dir, "joined.tif")
	args = append(args, out)
	if b, err := exec.Command("tiffcp", args...).CombinedOutput(); err != nil {
		t.Fatalf("tiffcp %v: %v\n%s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Crops of page 1 of the resolution at 300 dpi (2481 × 3508 pixels). The
// page's text column runs from x ≈ 296 to 2185.
var (
	// cropHead: masthead to the "Crime¹" line: "Resolution adopted by the
	// General Assembly", the title, "The General Assembly," and the
	// paragraph with the first footnote marker.
	cropHead = image.Rect(250, 270, 2250, 1116)
	// Three crops of one line each, for the timing and concurrency tests.
	cropTitle    = image.Rect(250, 440, 2250, 535)   // "61/180. Improving the coordination ..."
	cropAssembly = image.Rect(250, 535, 2250, 615)   // "The General Assembly,"
	cropCrime    = image.Rect(250, 1040, 2250, 1116) // "... Organized Crime¹ and, in particu-"
)

func ctxT(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

func newEngine(t testing.TB, opts Options) *Engine {
	t.Helper()
	e := NewEngine(opts)
	t.Cleanup(e.Close)
	return e
}

// recognizePGM OCRs a 300 dpi PGM with e.
func recognizePGM(t testing.TB, e *Engine, pgm []byte, number int) pipeline.Page {
	t.Helper()
	page, err := e.Recognize(ctxT(t), Prepared{PGM: pgm, DPI: 300, Scale: 1}, number)
	if err != nil {
		t.Fatalf("Recognize: %v", err)
	}
	return page
}

// The heart of scanned-document support: a page image goes in, lines of
// words with boxes come out, in reading order, with the page number the
// caller gave. This runs the real Tesseract on part of a real resolution.
func TestRecognizeCorpusPage(t *testing.T) {
	pgm := render(t, resolutionPDF(t), 1, 300, cropHead, "pgm")
	img := parsePGM(pgm)
	if img == nil {
		t.Fatal("pdftoppm did not write a P5 PGM")
	}
	e := newEngine(t, Options{Workers: 1})
	page := recognizePGM(t, e, pgm, 7)
	text := testutil.PageText(page)

	t.Run("text", func(t *testing.T) {
		for _, want := range []string{
			"Resolution adopted by the General Assembly on 20 December 2006",
			"Improving the coordination of efforts against trafficking in persons",
			"The General Assembly,",
			"Transnational Organized Crime",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("OCR text lacks %q; it reads:\n%s", want, text)
			}
		}
		if a, b := strings.Index(text, "Resolution adopted"), strings.Index(text, "The General Assembly,"); a < 0 || b < a {
			t.Errorf("lines out of reading order:\n%s", text)
		}
	})

	t.Run("page", func(t *testing.T) {
		if page.Number != 7 {
			t.Errorf("Number = %d, want the 7 the caller gave", page.Number)
		}
		if page.Width != float64(img.w) || page.Height != float64(img.h) {
			t.Errorf("page size %v × %v, want the image's %d × %d", page.Width, page.Height, img.w, img.h)
		}
		if len(page.Lines) < 8 {
			t.Errorf("%d lines, want at least 8", len(page.Lines))
		}
	})

	t.Run("lines and words", func(t *testing.T) {
		prevY := -1.0
		for li, l := range page.Lines {
			if l.Origin != li+1 {
				t.Errorf("line %d: Origin %d", li+1, l.Origin)
			}
			if l.Block <= 0 {
				t.Errorf("line %d: no paragraph (Block %d)", li+1, l.Block)
			}
			if l.Text != pipeline.JoinWords(l.Words) {
				t.Errorf("line %d: Text %q is not its words", li+1, l.Text)
			}
			if len(l.Words) == 0 {
				t.Errorf("line %d: no words", li+1)
				continue
			}
			y := l.Words[0].Box.Y0
			if y < prevY-5 {
				t.Errorf("line %d (%q) starts above the line before it", li+1, l.Text)
			}
			prevY = y
			for _, w := range l.Words {
				b := w.Box
				switch {
				case strings.TrimSpace(w.Text) == "":
					t.Errorf("line %d: empty word kept", li+1)
				case b == nil:
					t.Errorf("word %q has no box", w.Text)
				case !(0 <= b.X0 && b.X0 < b.X1 && b.X1 <= page.Width && 0 <= b.Y0 && b.Y0 < b.Y1 && b.Y1 <= page.Height):
					t.Errorf("word %q box %+v is empty or outside the %v × %v page", w.Text, *b, page.Width, page.Height)
				case w.Confidence <= 0 || w.Confidence > 1:
					t.Errorf("word %q confidence %v, want in (0, 1]", w.Text, w.Confidence)
				}
				if !w.Superscript && (w.FontSize < 20 || w.FontSize > 120) {
					t.Errorf("word %q font size %v; 10-14 pt type at 300 dpi is 40-60 px rows", w.Text, w.FontSize)
				}
			}
		}
	})

	// Word boxes must be where the words are: the box of "Assembly," in
	// "The General Assembly," must hold ink and agree with the PDF's own
	// text layer, scaled from points to 300 dpi pixels (x 150.87–192.73,
	// y 131.0–144.0 pt on the page; the crop starts at 250, 270 px).
	t.Run("boxes", func(t *testing.T) {
		var box *pipeline.Box
		for _, l := range page.Lines {
			if strings.HasPrefix(l.Text, "The General Assembly") {
				for _, w := range l.Words {
					if strings.HasPrefix(w.Text, "Assembly") {
						box = w.Box
					}
				}
			}
		}
		if box == nil {
			t.Fatalf("no word \"Assembly\" on the line \"The General Assembly,\":\n%s", text)
		}
		px := func(pt, off float64) float64 { return pt*300/72 - off }
		want := pipeline.Box{X0: px(150.87, 250), Y0: px(131.0, 270), X1: px(192.73, 250), Y1: px(144.0, 270)}
		if d := max(abs(box.X0-want.X0), abs(box.X1-want.X1)); d > 15 {
			t.Errorf("\"Assembly,\" box %+v is %.0f px off the PDF's %+v", *box, d, want)
		}
		if box.Y1 < want.Y0 || box.Y0 > want.Y1 {
			t.Errorf("\"Assembly,\" box %+v misses the PDF's line %+v", *box, want)
		}
		ink := 0
		for y := int(box.Y0); y < int(box.Y1); y++ {
			for x := int(box.X0); x < int(box.X1); x++ {
				if img.pix[y*img.w+x] < inkThreshold {
					ink++
				}
			}
		}
		if area := box.Width() * box.Height(); float64(ink) < 0.05*area {
			t.Errorf("\"Assembly,\" box %+v holds %d ink pixels of %.0f", *box, ink, area)
		}
	})

	// The footnote marker glued to "Crime" in "Organized Crime¹ and" is
	// read by Tesseract as part of the word (as ’ or 1); the page's pixels
	// show it raised, and it must come back as a separate superscript word
	// joined to "Crime", which the marker stage turns into a footnote
	// reference. Without this, scanned resolutions lose their footnotes.
	t.Run("superscript", func(t *testing.T) {
		found := false
		for _, l := range page.Lines {
			for i := 1; i < len(l.Words); i++ {
				prev, w := l.Words[i-1], l.Words[i]
				if prev.Text != "Crime" || !w.Superscript {
					continue
				}
				found = true
				if !w.Joined {
					t.Errorf("superscript %q after \"Crime\" is not Joined", w.Text)
				}
				if w.Text == "" {
					t.Errorf("superscript after \"Crime\" has no text")
				}
				if w.Box.X1 < prev.Box.X1 || w.Box.X1 > prev.Box.X1+40 {
					t.Errorf("superscript box %+v does not end just after \"Crime\" %+v", *w.Box, *prev.Box)
				}
				if !strings.Contains(l.Text, "Crime"+w.Text+" and") {
					t.Errorf("line text %q does not join the marker %q to \"Crime\"", l.Text, w.Text)
				}
			}
			for _, w := range l.Words {
				if w.Superscript && w.Text != "" && !strings.ContainsAny(w.Text, "1’'!|lI") {
					t.Errorf("unexpected superscript %q in %q", w.Text, l.Text)
				}
			}
		}
		if !found {
			t.Errorf("no superscript word after \"Crime\":\n%s", text)
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// A coarse scan is upsampled before OCR, but the boxes the user gets must
// be in the pixels of the image they gave: the page's size, every box and
// the text all in the original's coordinates. Here a 150 dpi PNG (the
// resolution in its pHYs chunk) goes through PreparePage and Recognize.
func TestRecognizeUpsampledBoxesInImagePixels(t *testing.T) {
	crop := image.Rect(125, 267, 1125, 307) // 150 dpi: "The General Assembly," and a little more
	png := render(t, resolutionPDF(t), 1, 150, crop, "png")
	sizes, err := ImagePages(png)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PreparePage(png, SniffImage(png), 0, sizes[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Scale != 2 {
		t.Fatalf("Scale = %v for a 150 dpi image, want 2", p.Scale)
	}
	e := newEngine(t, Options{Workers: 1})
	page, err := e.Recognize(ctxT(t), p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if page.Width != float64(crop.Dx()) || page.Height != float64(crop.Dy()) {
		t.Errorf("page %v × %v, want the original image's %d × %d", page.Width, page.Height, crop.Dx(), crop.Dy())
	}
	text := testutil.PageText(page)
	if !strings.Contains(text, "The General Assembly,") {
		t.Fatalf("OCR of the upsampled image reads %q", text)
	}
	for _, l := range page.Lines {
		for _, w := range l.Words {
			if b := w.Box; b.X1 > page.Width+0.5 || b.Y1 > page.Height+0.5 || b.X0 < 0 || b.Y0 < 0 {
				t.Errorf("word %q box %+v is outside the %v × %v original", w.Text, *b, page.Width, page.Height)
			}
			if w.Text == "Assembly," {
				// 150.87 pt at 150 dpi, less the crop's 125 px.
				if want := 150.87*150/72 - 125; abs(w.Box.X0-want) > 8 {
					t.Errorf("\"Assembly,\" starts at x=%.1f, want about %.1f in the original's pixels", w.Box.X0, want)
				}
			}
		}
	}
}

// A page that takes too long must fail alone, with an error the caller
// recognises as a time-out (it records the page as failed and goes on),
// and the engine must then carry on with fresh clients: the stuck one is
// abandoned, not returned to the pool, and its slot is not lost.
func TestRecognizeTimeout(t *testing.T) {
	pgm := render(t, resolutionPDF(t), 1, 300, cropTitle, "pgm")
	e := newEngine(t, Options{Workers: 1, PageTimeout: time.Millisecond})
	start := time.Now()
	_, err := e.Recognize(ctxT(t), Prepared{PGM: pgm, DPI: 300, Scale: 1}, 1)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Recognize with a 1 ms page timeout: err = %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "1ms") {
		t.Errorf("time-out error %q should say how long it waited", err)
	}
	// The time-out starts once the client is ready; creating the client
	// (loading the model) is the only slow part before it fires.
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Recognize took %s to time out", d)
	}

	// The next page, with a sane deadline, must work. With one worker this
	// also proves the slot came back.
	e.opts.PageTimeout = time.Minute
	c, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	page, err := e.Recognize(c, Prepared{PGM: pgm, DPI: 300, Scale: 1}, 2)
	if err != nil {
		t.Fatalf("Recognize after a time-out: %v", err)
	}
	if page.Number != 2 || !strings.Contains(testutil.PageText(page), "Improving the coordination") {
		t.Errorf("page after a time-out: number %d, text %q", page.Number, testutil.PageText(page))
	}
	if n := len(e.slots); n != 1 {
		t.Errorf("%d free slots after the pages finished, want the pool's 1", n)
	}
}

// Cancelling a run (Ctrl-C, or another page's fatal error) must return
// promptly with the context's error, not a time-out or a Tesseract error,
// and leave the engine usable.
func TestRecognizeCancelled(t *testing.T) {
	pgm := render(t, resolutionPDF(t), 1, 300, cropAssembly, "pgm")
	e := newEngine(t, Options{Workers: 1})
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Recognize(c, Prepared{PGM: pgm, DPI: 300, Scale: 1}, 1)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Recognize with a cancelled context: err = %v, want context.Canceled", err)
	}
	page := recognizePGM(t, e, pgm, 1)
	if !strings.Contains(testutil.PageText(page), "General Assembly") {
		t.Errorf("after a cancelled page the engine reads %q", testutil.PageText(page))
	}
}

// emend OCRs the pages of a document in parallel through one engine. More
// callers than workers must queue, not fail or mix up their pages: each
// caller gets the text of its own image and its own page number.
func TestRecognizeConcurrent(t *testing.T) {
	pdf := resolutionPDF(t)
	jobs := []struct {
		crop image.Rectangle
		want string
	}{
		{cropTitle, "Improving the coordination"},
		{cropAssembly, "The General Assembly,"},
		{cropCrime, "Transnational Organized"},
	}
	pgms := make([][]byte, len(jobs))
	for i, j := range jobs {
		pgms[i] = render(t, pdf, 1, 300, j.crop, "pgm")
	}
	e := newEngine(t, Options{Workers: 2})
	if e.Workers() != 2 {
		t.Fatalf("Workers() = %d, want 2", e.Workers())
	}
	var wg sync.WaitGroup
	pages := make([]pipeline.Page, len(jobs))
	errs := make([]error, len(jobs))
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pages[i], errs[i] = e.Recognize(ctxT(t), Prepared{PGM: pgms[i], DPI: 300, Scale: 1}, i+1)
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			t.Errorf("page %d: %v", i+1, errs[i])
			continue
		}
		if pages[i].Number != i+1 {
			t.Errorf("page %d came back numbered %d", i+1, pages[i].Number)
		}
		if got := testutil.PageText(pages[i]); !strings.Contains(got, j.want) {
			t.Errorf("page %d reads %q, want %q in it", i+1, got, j.want)
		}
	}
	if n := len(e.slots); n != 2 {
		t.Errorf("%d free slots after every page finished, want the pool's 2", n)
	}
}

// A real scan, not a rendering: a printed resolution from 1971 scanned to
// a PNG without a resolution in its header. It goes through the same
// path as a user's image file (ImagePages, PreparePage, Recognize) and
// must come out readable.
func TestRecognizeRealScan(t *testing.T) {
	data, err := os.ReadFile(testutil.CorpusFile(t, "scan-2758", "scan.png"))
	if err != nil {
		t.Fatal(err)
	}
	format := SniffImage(data)
	sizes, err := ImagePages(data)
	if err != nil || format != FormatPNG || len(sizes) != 1 {
		t.Fatalf("ImagePages: %v %v %v", format, sizes, err)
	}
	p, err := PreparePage(data, format, 0, sizes[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{Workers: 1})
	page, err := e.Recognize(ctxT(t), p, 1)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PageText(page)
	for _, want := range []string{"Restoration of the lawful rights", "The General Assembly,", "Security Council", "plenary meeting"} {
		if !strings.Contains(text, want) {
			t.Errorf("OCR of the scan lacks %q:\n%s", want, text)
		}
	}
	if abs(page.Width-float64(sizes[0].Width)) > 1 || abs(page.Height-float64(sizes[0].Height)) > 1 {
		t.Errorf("page %v × %v, want the scan's %v", page.Width, page.Height, sizes[0])
	}
}

// A missing language pack is a setup error the user must see as such, on
// every page, without the engine hanging on a lost slot.
func TestRecognizeMissingLanguage(t *testing.T) {
	pgm := render(t, resolutionPDF(t), 1, 300, cropAssembly, "pgm")
	e := newEngine(t, Options{Workers: 1, Language: "zzz_no_such_language"})
	for i := 1; i <= 2; i++ {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := e.Recognize(c, Prepared{PGM: pgm, DPI: 300, Scale: 1}, i)
		cancel()
		if err == nil {
			t.Fatalf("page %d: Recognize with language zzz_no_such_language: no error", i)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("page %d: Recognize hung: %v", i, err)
		}
		t.Logf("page %d: %v", i, err)
	}
	if n := len(e.slots); n != 1 {
		t.Errorf("%d free slots after the failed pages, want the pool's 1", n)
	}
}

// The defaults are what the command line uses when the user sets nothing:
// one worker a core, the documented page time-out, English.
func TestNewEngineDefaults(t *testing.T) {
	e := NewEngine(Options{})
	defer e.Close()
	if e.Workers() != runtime.NumCPU() {
		t.Errorf("Workers() = %d, want one per core (%d)", e.Workers(), runtime.NumCPU())
	}
	if e.opts.PageTimeout != DefaultPageTimeout || e.opts.Language != "eng" {
		t.Errorf("defaults: %+v", e.opts)
	}
}

// Boxes of an upsampled page are scaled back by exactly the factor, so
// that a box means the same pixels of the user's image whatever the
// resolution OCR ran at.
func TestScalePage(t *testing.T) {
	p := pipeline.Page{Width: 300, Height: 600, Lines: []pipeline.Line{{Words: []pipeline.Word{
		{Text: "a", Box: &pipeline.Box{X0: 30, Y0: 60, X1: 90, Y1: 120}},
		{Text: "b"},
	}}}}
	scalePage(&p, 1.0/3)
	if p.Width != 100 || p.Height != 200 {
		t.Errorf("page %v × %v, want 100 × 200", p.Width, p.Height)
	}
	if b := *p.Lines[0].Words[0].Box; abs(b.X0-10) > 1e-9 || abs(b.Y0-20) > 1e-9 || abs(b.X1-30) > 1e-9 || abs(b.Y1-40) > 1e-9 {
		t.Errorf("box %+v, want {10 20 30 40}", b)
	}
	if p.Lines[0].Words[1].Box != nil {
		t.Error("a word without a box got one")
	}
}
