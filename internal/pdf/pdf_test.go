package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/internal/testutil"
)

// These tests run the real poppler programs (and qpdf to make encrypted
// files). They fail, never skip, when a program is missing: CI installs
// them, and a green run without them would prove nothing.

// needTools fails the test when a program it runs is not on PATH.
func needTools(t *testing.T, names ...string) {
	t.Helper()
	testutil.RequireTools(t, "these tests need poppler-utils and qpdf (apt-get install poppler-utils qpdf)", names...)
}

// textPDF is a born-digital three-page UN resolution with footnotes.
func textPDF(t *testing.T) string { return testutil.CorpusFile(t, "render-61-180-a", "text.pdf") }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// writeFile writes data into the test's temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// qpdfEncrypt makes an AES-256 encrypted copy of in with qpdf.
func qpdfEncrypt(t *testing.T, in, user, owner string) string {
	t.Helper()
	needTools(t, "qpdf")
	out := filepath.Join(t.TempDir(), "encrypted.pdf")
	cmd := exec.Command("qpdf", "--encrypt", user, owner, "256", "--", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("qpdf --encrypt: %v\n%s", err, b)
	}
	return out
}

// A user runs emend on a machine and should be told once, clearly, that
// poppler is missing, rather than get one baffling error per file. On this
// machine (and in CI) the tools are installed, so Check must pass; with an
// empty PATH it must name the missing program and how to install it.
func TestCheck(t *testing.T) {
	needTools(t, "pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
	if err := pdf.Check(); err != nil {
		t.Fatalf("Check with poppler installed: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	err := pdf.Check()
	if err == nil {
		t.Fatal("Check with an empty PATH: no error")
	}
	if !strings.Contains(err.Error(), "pdfinfo") || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("Check error %q should name the missing program and the package to install", err)
	}
}

// The page count drives everything after Stat (which pages to read, how
// long to wait), so it must be the real one.
func TestStatPageCount(t *testing.T) {
	needTools(t, "pdfinfo")
	for _, tc := range []struct {
		file  []string
		pages int
	}{
		{[]string{"render-61-180-a", "text.pdf"}, 3},
		{[]string{"render-61-180-a", "scan.pdf"}, 3},
		{[]string{"res-73-8", "text.pdf"}, 2},
	} {
		info, err := pdf.Tools{}.Stat(ctx(t), testutil.CorpusFile(t, tc.file...))
		if err != nil {
			t.Errorf("Stat(%s): %v", filepath.Join(tc.file...), err)
			continue
		}
		if info.Pages != tc.pages {
			t.Errorf("Stat(%s).Pages = %d, want %d", filepath.Join(tc.file...), info.Pages, tc.pages)
		}
	}
}

// Archives hold files named .pdf that are nothing of the kind. The user
// must get an error that says the file is not a readable PDF, not a page
// count of zero or a crash.
func TestStatNotAPDF(t *testing.T) {
	needTools(t, "pdfinfo")
	// Binary noise (deterministic, so the test is repeatable), a text file
	// and an empty file.
	noise := make([]byte, 3000)
	x := uint32(2463534242)
	for i := range noise {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		noise[i] = byte(x)
	}
	for name, data := range map[string][]byte{
		"noise.pdf": noise,
		"text.pdf":  []byte("This is the text of a resolution, saved with the wrong extension.\n"),
		"empty.pdf": nil,
	} {
		_, err := pdf.Tools{}.Stat(ctx(t), writeFile(t, name, data))
		if err == nil {
			t.Errorf("Stat(%s): no error", name)
			continue
		}
		if errors.Is(err, pdf.ErrEncrypted) {
			t.Errorf("Stat(%s) = %v; a broken file is not an encrypted one", name, err)
		}
		if !strings.HasPrefix(err.Error(), "not a readable PDF") {
			t.Errorf("Stat(%s) error %q should say the file is not a readable PDF", name, err)
		}
		if n := strings.Count(err.Error(), ";"); n > 2 {
			t.Errorf("Stat(%s) error has %d parts; poppler's messages should be cut to three: %q", name, n+1, err)
		}
	}
}

// A download cut short is the commonest broken PDF: the header is there,
// the cross-reference table at the end is not. Stat must refuse it with
// poppler's reason rather than report a page count.
func TestStatTruncated(t *testing.T) {
	needTools(t, "pdfinfo")
	data, err := os.ReadFile(textPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = pdf.Tools{}.Stat(ctx(t), writeFile(t, "truncated.pdf", data[:2048]))
	if err == nil {
		t.Fatal("Stat on the first 2 KB of a PDF: no error")
	}
	if errors.Is(err, pdf.ErrEncrypted) {
		t.Fatalf("Stat on a truncated PDF = %v; that is not encryption", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "not a readable PDF: ") || !strings.Contains(msg, "xref") && !strings.Contains(msg, "trailer") {
		t.Errorf("Stat error %q should say the PDF is unreadable and why (no trailer or xref table)", msg)
	}
	if strings.Contains(msg, "Syntax Error:") {
		t.Errorf("Stat error %q still carries poppler's \"Syntax Error:\" prefix", msg)
	}
}

// A PDF that needs a password cannot be cleaned; the caller recognises
// ErrEncrypted to tell the user so in plain words instead of reporting a
// corrupt file.
func TestStatEncryptedUserPassword(t *testing.T) {
	needTools(t, "pdfinfo", "pdftotext", "pdfimages", "pdftoppm")
	enc := qpdfEncrypt(t, textPDF(t), "user", "owner")
	tools := pdf.Tools{}
	if _, err := tools.Stat(ctx(t), enc); !errors.Is(err, pdf.ErrEncrypted) {
		t.Errorf("Stat on a user-password PDF: err = %v, want ErrEncrypted", err)
	}
	// Every other entry point must say the same, so that a caller skipping
	// Stat still gets the right message.
	if _, err := tools.TextLayer(ctx(t), enc, 3); !errors.Is(err, pdf.ErrEncrypted) {
		t.Errorf("TextLayer on a user-password PDF: err = %v, want ErrEncrypted", err)
	}
	if _, err := tools.ImageResolutions(ctx(t), enc, 3); !errors.Is(err, pdf.ErrEncrypted) {
		t.Errorf("ImageResolutions on a user-password PDF: err = %v, want ErrEncrypted", err)
	}
	if _, err := tools.Rasterize(ctx(t), enc, 1, 72, time.Minute); !errors.Is(err, pdf.ErrEncrypted) {
		t.Errorf("Rasterize on a user-password PDF: err = %v, want ErrEncrypted", err)
	}
}

// Many official PDFs carry only an owner password (printing or copying
// restricted). They open without one, so emend must read them like any
// other file instead of refusing them as encrypted.
func TestStatEncryptedOwnerPasswordOnly(t *testing.T) {
	needTools(t, "pdfinfo", "pdftotext")
	enc := qpdfEncrypt(t, textPDF(t), "", "owner")
	tools := pdf.Tools{}
	info, err := tools.Stat(ctx(t), enc)
	if err != nil {
		t.Fatalf("Stat on an owner-password-only PDF: %v", err)
	}
	if info.Pages != 3 {
		t.Errorf("Pages = %d, want 3", info.Pages)
	}
	pages, err := tools.TextLayer(ctx(t), enc, info.Pages)
	if err != nil {
		t.Fatalf("TextLayer on an owner-password-only PDF: %v", err)
	}
	if len(pages) != 3 || !strings.Contains(testutil.PageText(pages[0]), "General Assembly") {
		t.Errorf("TextLayer on an owner-password-only PDF read %d pages, page 1 without \"General Assembly\"", len(pages))
	}
}

// A file that does not exist is the user's typo; the error must say the
// file could not be opened, not that it is encrypted.
func TestStatMissingFile(t *testing.T) {
	needTools(t, "pdfinfo")
	_, err := pdf.Tools{}.Stat(ctx(t), filepath.Join(t.TempDir(), "no-such.pdf"))
	if err == nil || errors.Is(err, pdf.ErrEncrypted) {
		t.Fatalf("Stat on a missing file: err = %v", err)
	}
	if !strings.Contains(err.Error(), "no-such.pdf") && !strings.Contains(err.Error(), "No such file") {
		t.Errorf("Stat error %q should say the file is missing", err)
	}
}

// The scan's resolution decides the resolution a page is rasterized at for
// OCR: rendering a 200 dpi scan at 300 wastes nothing, rendering a 300 dpi
// scan at 72 loses the text. The corpus has one scan of each kind.
func TestImageResolutions(t *testing.T) {
	needTools(t, "pdfimages")
	for _, tc := range []struct {
		doc string
		dpi float64
	}{
		{"render-61-180-a", 300}, // a: 300 dpi grey JPEG
		{"render-61-180-c", 200}, // b: 200 dpi bilevel
	} {
		res, err := pdf.Tools{}.ImageResolutions(ctx(t), testutil.CorpusFile(t, tc.doc, "scan.pdf"), 3)
		if err != nil {
			t.Errorf("%s: %v", tc.doc, err)
			continue
		}
		if len(res) != 3 {
			t.Errorf("%s: resolutions for %d pages (%v), want 3", tc.doc, len(res), res)
		}
		for p := 1; p <= 3; p++ {
			if got := res[p]; math.Abs(got-tc.dpi) > 1 {
				t.Errorf("%s page %d: %v dpi, want %v", tc.doc, p, got, tc.dpi)
			}
		}
	}
}

// A born-digital PDF has no scanned images: no page may be reported with a
// resolution, or the caller would treat text pages as scans.
func TestImageResolutionsBornDigital(t *testing.T) {
	needTools(t, "pdfimages")
	res, err := pdf.Tools{}.ImageResolutions(ctx(t), textPDF(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 0 {
		t.Errorf("born-digital PDF: resolutions %v, want none", res)
	}
}

// pgmSize reads the width and height of a binary PGM header.
func pgmSize(t *testing.T, data []byte) (w, h, maxval int, body []byte) {
	t.Helper()
	var magic string
	r := bytes.NewReader(data)
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil || magic != "P5" {
		t.Fatalf("not a P5 PGM (%v): %q", err, data[:min(len(data), 20)])
	}
	if _, err := r.ReadByte(); err != nil { // the white space after maxval
		t.Fatal(err)
	}
	return w, h, maxval, data[len(data)-r.Len():]
}

// OCR reads the rasterized page as an 8-bit grey map at the resolution it
// asked for; a wrong size would put every OCR box in the wrong place and
// a wrong format would make Tesseract fail.
func TestRasterize(t *testing.T) {
	needTools(t, "pdftoppm")
	path := textPDF(t)
	for _, dpi := range []float64{72, 150} {
		img, err := pdf.Tools{}.Rasterize(ctx(t), path, 2, dpi, time.Minute)
		if err != nil {
			t.Fatalf("Rasterize at %v dpi: %v", dpi, err)
		}
		w, h, maxval, body := pgmSize(t, img)
		// The page is A4, 595.304 × 841.89 points.
		wantW, wantH := 595.304*dpi/72, 841.89*dpi/72
		if math.Abs(float64(w)-wantW) > 1.5 || math.Abs(float64(h)-wantH) > 1.5 {
			t.Errorf("%v dpi: %d × %d pixels, want about %.0f × %.0f", dpi, w, h, wantW, wantH)
		}
		if maxval != 255 {
			t.Errorf("%v dpi: maxval %d, want 255 (8-bit grey)", dpi, maxval)
		}
		if len(body) != w*h {
			t.Errorf("%v dpi: %d bytes of pixels, want %d (one page, one byte a pixel)", dpi, len(body), w*h)
		}
		// A page of text is mostly white paper with some black ink.
		dark := 0
		for _, b := range body {
			if b < 128 {
				dark++
			}
		}
		if frac := float64(dark) / float64(len(body)); frac < 0.005 || frac > 0.3 {
			t.Errorf("%v dpi: %.3f of the pixels are ink; a rendered text page has a few percent", dpi, frac)
		}
	}
}

// Only the page asked for is rendered: pdftoppm writes one image per page,
// and a second page glued onto the first would double the image's bytes.
func TestRasterizeOnePage(t *testing.T) {
	needTools(t, "pdftoppm")
	img, err := pdf.Tools{}.Rasterize(ctx(t), textPDF(t), 3, 36, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	w, h, _, body := pgmSize(t, img)
	if len(body) != w*h {
		t.Errorf("Rasterize(page 3) returned %d pixel bytes for a %d × %d page", len(body), w, h)
	}
}

// Asking for a page the PDF does not have (a page count out of step with
// the file) must be an error, not an empty image handed to Tesseract.
func TestRasterizePageOutOfRange(t *testing.T) {
	needTools(t, "pdftoppm")
	img, err := pdf.Tools{}.Rasterize(ctx(t), textPDF(t), 4, 72, time.Minute)
	if err == nil {
		t.Fatalf("Rasterize(page 4 of 3): %d bytes, no error", len(img))
	}
}

// A pathological page must not hold up a batch: past its deadline the
// rasterizer is killed and the error says it took too long, so the user
// can raise --page-timeout.
func TestRasterizeTimeout(t *testing.T) {
	needTools(t, "pdftoppm")
	start := time.Now()
	_, err := pdf.Tools{}.Rasterize(ctx(t), textPDF(t), 1, 600, time.Millisecond)
	if err == nil {
		t.Fatal("Rasterize at 600 dpi with a 1 ms deadline: no error")
	}
	if !strings.Contains(err.Error(), "took longer than 1ms") || !strings.Contains(err.Error(), "pdftoppm") {
		t.Errorf("timeout error %q should name pdftoppm and say it took longer than 1ms", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Rasterize returned %s after its 1 ms deadline; the child was not killed", d)
	}
}

// The tool timeout (Tools.Timeout) bounds pdfinfo, pdfimages and
// pdftotext the same way, so a hanging parser cannot stall a batch.
func TestToolsTimeout(t *testing.T) {
	needTools(t, "pdftotext")
	tools := pdf.Tools{Timeout: time.Millisecond}
	_, err := tools.TextLayer(ctx(t), textPDF(t), 3)
	if err == nil || !strings.Contains(err.Error(), "took longer than") {
		t.Errorf("TextLayer with a 1 ms timeout: err = %v, want a \"took longer than\" error", err)
	}
}

// A cancelled run (the user pressed Ctrl-C) stops the child at once and
// is not reported as a broken PDF.
func TestRasterizeCancelled(t *testing.T) {
	needTools(t, "pdftoppm")
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pdf.Tools{}.Rasterize(c, textPDF(t), 1, 72, time.Minute)
	if err == nil {
		t.Fatal("Rasterize with a cancelled context: no error")
	}
	if strings.HasPrefix(err.Error(), "not a readable PDF") || errors.Is(err, pdf.ErrEncrypted) {
		t.Errorf("Rasterize with a cancelled context: %v; a cancelled run is not a broken file", err)
	}
}

func TestPageSizes(t *testing.T) {
	needTools(t, "pdfinfo")
	path := textPDF(t)
	info, err := pdf.Tools{}.Stat(ctx(t), path)
	if err != nil {
		t.Fatal(err)
	}
	sizes, err := pdf.Tools{}.PageSizes(ctx(t), path, info.Pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != info.Pages {
		t.Fatalf("%d sizes for %d pages", len(sizes), info.Pages)
	}
	for i, s := range sizes {
		// UN documents are printed on A4 (595 × 842 pt) or letter (612 × 792).
		if s[0] < 590 || s[0] > 615 || s[1] < 790 || s[1] > 845 {
			t.Errorf("page %d measures %.1f × %.1f pt, want A4 or letter", i+1, s[0], s[1])
		}
	}
	if _, err := (pdf.Tools{}).PageSizes(ctx(t), filepath.Join(t.TempDir(), "missing.pdf"), 1); err == nil {
		t.Error("a missing file gave sizes")
	}
}
