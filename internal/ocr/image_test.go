package ocr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

// greyImage is a white w × h image with a black rectangle, so that a
// decoder that loses or shifts pixels shows.
func greyImage(w, h int, ink image.Rectangle) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := uint8(255)
			if (image.Point{x, y}).In(ink) {
				c = 0
			}
			img.SetGray(x, y, color.Gray{c})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// pngHeader is a PNG signature and an IHDR chunk for an 8-bit grey image
// of w × h, and nothing else: what a file claiming a size looks like up
// to the point a header reader stops.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8 // bit depth; colour type 0 (grey), deflate, filter 0, no interlace
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// withPHYs inserts a pHYs chunk declaring dpi after a PNG's IHDR, as
// scanners write it (Go's encoder writes none).
func withPHYs(data []byte, dpi float64) []byte {
	ppm := uint32(math.Round(dpi / 0.0254))
	phys := make([]byte, 9)
	binary.BigEndian.PutUint32(phys[0:], ppm)
	binary.BigEndian.PutUint32(phys[4:], ppm)
	phys[8] = 1 // metre
	end := 8 + 8 + 13 + 4
	out := append([]byte{}, data[:end]...)
	out = append(out, pngChunk("pHYs", phys)...)
	return append(out, data[end:]...)
}

// tiffIFD is one image file directory: width, height and the offset of
// the next directory.
type tiffIFD struct {
	w, h uint32
	next uint32
}

// rawTIFF writes a header-only little-endian TIFF whose directories sit at
// 8, 8+38, 8+2·38 ... with the given width, height (LONG) and next
// offsets. No pixels: ImagePages reads only directories.
func rawTIFF(ifds ...tiffIFD) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8))
	for _, d := range ifds {
		binary.Write(&b, binary.LittleEndian, uint16(3))
		for _, e := range []struct {
			tag, typ uint16
			v        uint32
		}{{256, 4, d.w}, {257, 4, d.h}, {259, 3, 1}} {
			binary.Write(&b, binary.LittleEndian, e.tag)
			binary.Write(&b, binary.LittleEndian, e.typ)
			binary.Write(&b, binary.LittleEndian, uint32(1))
			binary.Write(&b, binary.LittleEndian, e.v)
		}
		binary.Write(&b, binary.LittleEndian, d.next)
	}
	return b.Bytes()
}

// ifdAt is the offset rawTIFF gives directory i.
func ifdAt(i int) uint32 { return uint32(8 + 42*i) }

// The format decides how a file is read: a page image is OCR'd, anything
// else is read as text. A wrong answer sends a PNG through the text
// reader or a text file through Leptonica.
func TestSniffImage(t *testing.T) {
	for _, tc := range []struct {
		data string
		want ImageFormat
	}{
		{"\x89PNG\r\n\x1a\nrest", FormatPNG},
		{"\xff\xd8\xff\xe0\x00\x10JFIF", FormatJPEG},
		{"\xff\xd8\xff\xdb", FormatJPEG},
		{"II*\x00\x08\x00\x00\x00", FormatTIFF},
		{"MM\x00*\x00\x00\x00\x08", FormatTIFF},
		{"P5\n10 10\n255\n", FormatPNM},
		{"P6 10 10 255\n", FormatPNM},
		{"P4\n8 1\n", FormatPNM},
		// Near misses and other files.
		{"", ""},
		{"\x89PNG", ""},           // a cut signature
		{"\x89PNG\r\n\x1a", ""},   // one byte short
		{"\xff\xd8", ""},          // SOI without a marker after it
		{"II*", ""},               // a cut TIFF magic
		{"II\x00*", ""},           // byte order and magic mixed up
		{"P5", ""},                // too short to be a header
		{"P3\n1 1\n255\n0\n", ""}, // plain-text PNM: not read
		{"P7\nWIDTH 1\n", ""},     // PAM
		{"Paragraph 5 of the resolution", ""},
		{"P5x", ""},
		{"GIF89a", ""},
		{"%PDF-1.6", ""},
		{"Recalling its resolution 55/25,", ""},
	} {
		if got := SniffImage([]byte(tc.data)); got != tc.want {
			t.Errorf("SniffImage(%q) = %q, want %q", tc.data, got, tc.want)
		}
	}
}

// ImagePages gives the caller the number of pages to OCR and their sizes
// from the headers alone, for every format a scan comes in.
func TestImagePagesFormats(t *testing.T) {
	pdf := resolutionPDF(t)
	crop := image.Rect(0, 0, 310, 170)
	for _, format := range []string{"png", "jpeg", "tiff"} {
		data := render(t, pdf, 1, 100, crop, format)
		sizes, err := ImagePages(data)
		if err != nil {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if len(sizes) != 1 || sizes[0] != (PageSize{310, 170}) {
			t.Errorf("%s: sizes %v, want [{310 170}]", format, sizes)
		}
	}
	// Go's own encoders, and a page-sized JPEG.
	for name, data := range map[string][]byte{
		"go png":  encodePNG(t, greyImage(17, 5, image.Rect(1, 1, 3, 3))),
		"go jpeg": encodeJPEG(t, greyImage(2480, 3508, image.Rectangle{})),
	} {
		want := PageSize{17, 5}
		if name == "go jpeg" {
			want = PageSize{2480, 3508}
		}
		if sizes, err := ImagePages(data); err != nil || len(sizes) != 1 || sizes[0] != want {
			t.Errorf("%s: %v, %v; want [%v]", name, sizes, err, want)
		}
	}
}

// A PGM or PPM as netpbm, pdftoppm and Leptonica write them ("P5\n" then
// the size on the next line) is a format SniffImage accepts, so ImagePages
// must read its size too; otherwise every such file is refused as broken.
func TestImagePagesPNM(t *testing.T) {
	// One line, blanks only: this form reads.
	if sizes, err := ImagePages([]byte("P5 12 7 255\n" + strings.Repeat("\xff", 84))); err != nil || len(sizes) != 1 || sizes[0] != (PageSize{12, 7}) {
		t.Errorf("P5 on one line: %v, %v", sizes, err)
	}
	pgm := render(t, resolutionPDF(t), 1, 100, image.Rect(0, 0, 310, 170), "pgm")
	if sizes, err := ImagePages(pgm); err != nil || len(sizes) != 1 || sizes[0] != (PageSize{310, 170}) {
		t.Errorf("pdftoppm PGM (header %q): %v, %v; want [{310 170}]", pgm[:15], sizes, err)
	}
	for _, hdr := range []string{
		"P6\n640 480\n255\n",
		"P5\n# CREATOR: GIMP PNM Filter Version 1.1\n640 480\n255\n",
		"P4\n640\n480\n",
	} {
		if sizes, err := ImagePages([]byte(hdr + "\x00\x00")); err != nil || len(sizes) != 1 || sizes[0] != (PageSize{640, 480}) {
			t.Errorf("ImagePages(%q): %v, %v; want [{640 480}]", hdr, sizes, err)
		}
	}
}

// A multi-page TIFF (a fax, or a whole resolution scanned to one file)
// gives one size per page, in order, whatever each page's size; each page
// is then OCR'd on its own. Both byte orders occur in archives.
func TestImagePagesMultiPageTIFF(t *testing.T) {
	pdf := resolutionPDF(t)
	pages := [][]byte{
		render(t, pdf, 1, 100, image.Rect(0, 0, 200, 100), "tiff"),
		render(t, pdf, 1, 100, image.Rect(50, 60, 350, 210), "tiff"),
		render(t, pdf, 2, 100, image.Rect(0, 0, 120, 240), "tiff"),
	}
	want := []PageSize{{200, 100}, {300, 150}, {120, 240}}
	for _, big := range []bool{false, true} {
		data := tiffJoin(t, big, pages...)
		if big != (data[0] == 'M') {
			t.Fatalf("tiffcp -B: byte order %q", data[:2])
		}
		sizes, err := ImagePages(data)
		if err != nil {
			t.Errorf("big-endian %v: %v", big, err)
			continue
		}
		if len(sizes) != len(want) {
			t.Errorf("big-endian %v: %d pages %v, want %v", big, len(sizes), sizes, want)
			continue
		}
		for i := range want {
			if sizes[i] != want[i] {
				t.Errorf("big-endian %v: page %d is %v, want %v", big, i+1, sizes[i], want[i])
			}
		}
	}
}

// A file claiming 50,000 × 50,000 pixels would need 2.5 GB to decode. It
// must be refused from its header, before anything is decoded, so that
// one hostile or broken file cannot exhaust the machine. The test holds
// only the header (no pixels at all) and checks that reading it allocates
// next to nothing.
func TestImagePagesRefusesHugePNG(t *testing.T) {
	data := pngHeader(50000, 50000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	sizes, err := ImagePages(data)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatalf("ImagePages(50000 × 50000 PNG header) = %v, no error", sizes)
	}
	if !strings.Contains(err.Error(), "50000 × 50000") {
		t.Errorf("error %q should give the claimed size", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("ImagePages allocated %d bytes to refuse a header", alloc)
	}
	if elapsed > time.Second {
		t.Errorf("ImagePages took %s to refuse a header", elapsed)
	}
}

// The limits are per side and in all: a very long strip is refused even
// if its area is small, and a square under the side limit but over the
// pixel limit too. An A0 sheet at 600 dpi (about 20,000 × 28,000) is the
// largest real page and must pass.
func TestImagePagesLimits(t *testing.T) {
	for _, tc := range []struct {
		w, h uint32
		ok   bool
	}{
		{MaxSide, 10, true},
		{MaxSide + 1, 10, false},
		{10, MaxSide + 1, false},
		{20000, 30000, true},  // exactly MaxPixels
		{20000, 30001, false}, // one row over the side limit
		{24494, 24494, true},  // just under MaxPixels
		{24495, 24495, false}, // just over it
		{19866, 28087, true},  // A0 at 600 dpi
		{14043, 19866, true},  // A1 at 600 dpi
		{1 << 31, 1 << 31, false},
	} {
		_, err := ImagePages(pngHeader(tc.w, tc.h))
		if (err == nil) != tc.ok {
			t.Errorf("PNG header %d × %d: err = %v, want ok=%v", tc.w, tc.h, err, tc.ok)
		}
		_, err = ImagePages(rawTIFF(tiffIFD{tc.w, tc.h, 0}))
		if (err == nil) != tc.ok {
			t.Errorf("TIFF header %d × %d: err = %v, want ok=%v", tc.w, tc.h, err, tc.ok)
		}
	}
	// One huge page in a TIFF refuses the file, naming the page.
	_, err := ImagePages(rawTIFF(tiffIFD{100, 100, ifdAt(1)}, tiffIFD{50000, 50000, 0}))
	if err == nil || !strings.HasPrefix(err.Error(), "page 2:") {
		t.Errorf("TIFF with a huge second page: err = %v, want a \"page 2:\" error", err)
	}
	// A header without a size is refused too.
	_, err = ImagePages(rawTIFF(tiffIFD{0, 100, 0}))
	if err == nil || !strings.Contains(err.Error(), "no size") {
		t.Errorf("TIFF without a width: err = %v", err)
	}
}

// A TIFF whose directory chain points back on itself would make a naive
// reader loop forever (or fill memory with pages). It must be refused, at
// once, whether the loop is one directory long or longer.
func TestImagePagesTIFFLoop(t *testing.T) {
	for name, data := range map[string][]byte{
		"self":  rawTIFF(tiffIFD{100, 100, ifdAt(0)}),
		"two":   rawTIFF(tiffIFD{100, 100, ifdAt(1)}, tiffIFD{100, 100, ifdAt(0)}),
		"three": rawTIFF(tiffIFD{100, 100, ifdAt(1)}, tiffIFD{100, 100, ifdAt(2)}, tiffIFD{100, 100, ifdAt(1)}),
	} {
		done := make(chan error, 1)
		go func() {
			_, err := ImagePages(data)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "loop") {
				t.Errorf("%s: err = %v, want a loop error", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: ImagePages did not return on a looping TIFF", name)
		}
	}
	// A chain that does not loop is read in full.
	sizes, err := ImagePages(rawTIFF(tiffIFD{1, 2, ifdAt(1)}, tiffIFD{3, 4, ifdAt(2)}, tiffIFD{5, 6, 0}))
	if err != nil || len(sizes) != 3 || sizes[2] != (PageSize{5, 6}) {
		t.Errorf("three-page chain: %v, %v", sizes, err)
	}
}

// Truncated downloads and half-written files are common. A header cut
// short must be an error that says the image is broken, never a panic
// (which would take down a whole batch) nor a made-up size.
func TestImagePagesTruncated(t *testing.T) {
	png := encodePNG(t, greyImage(40, 30, image.Rect(5, 5, 10, 10)))
	jpg := encodeJPEG(t, greyImage(40, 30, image.Rect(5, 5, 10, 10)))
	tif := rawTIFF(tiffIFD{40, 30, ifdAt(1)}, tiffIFD{40, 30, 0})
	cases := map[string][]byte{
		"png signature only":   png[:8],
		"png cut in IHDR":      png[:20],
		"png without IHDR CRC": png[:29],
		"jpeg SOI only":        jpg[:3],
		"jpeg cut in header":   jpg[:20],
		"tiff dir offset past end": func() []byte {
			b := append([]byte{}, tif[:8]...)
			binary.LittleEndian.PutUint32(b[4:], 1<<20)
			return b
		}(),
		"tiff cut in first dir":  tif[:20],
		"tiff cut in second dir": tif[:ifdAt(1)+10],
		"tiff next offset cut":   tif[:ifdAt(1)-2],
		"tiff no pages":          []byte("II*\x00\x00\x00\x00\x00"),
		"pnm no size":            []byte("P5 \n"),
		"unknown":                []byte("BM\x00\x00"),
	}
	for name, data := range cases {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: ImagePages panicked: %v", name, r)
				}
			}()
			sizes, err := ImagePages(data)
			if err == nil {
				t.Errorf("%s: ImagePages = %v, no error", name, sizes)
			}
		}()
	}
}

// The shortest TIFF headers: the magic with no directory offset, or only
// part of one. SniffImage says TIFF from four bytes, so ImagePages must
// cope with a file that ends there.
func TestImagePagesTIFFHeaderOnly(t *testing.T) {
	for _, data := range []string{"II*\x00", "MM\x00*", "II*\x00\x08\x00"} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("ImagePages(%q) panicked: %v", data, r)
				}
			}()
			b := []byte(data)
			b = b[:len(b):len(b)] // no spare capacity to read past the end into
			if sizes, err := ImagePages(b); err == nil {
				t.Errorf("ImagePages(%q) = %v, no error", data, sizes)
			}
		}()
	}
}

// Most scans are 300 dpi or more; faxes and old archive scans are 100 to
// 200. Tesseract reads those badly unless enlarged, so PreparePage scales
// a coarse page to about 300 dpi, reading the resolution from the file's
// header (PNG pHYs, JPEG JFIF, TIFF tags) when the caller does not know it.
func TestPreparePageUpsamples(t *testing.T) {
	pdf := resolutionPDF(t)
	crop := image.Rect(200, 60, 600, 260) // 400 × 200 at 100 dpi
	for _, format := range []string{"png", "jpeg", "tiff"} {
		data := render(t, pdf, 1, 100, crop, format)
		sizes, err := ImagePages(data)
		if err != nil {
			t.Fatal(err)
		}
		p, err := PreparePage(data, SniffImage(data), 0, sizes[0], 0)
		if err != nil {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if p.Scale != 3 || p.DPI != 300 {
			t.Errorf("%s at 100 dpi: Scale %v, DPI %v; want 3, 300", format, p.Scale, p.DPI)
		}
		g := parsePGM(p.PGM)
		if g == nil {
			t.Errorf("%s: PreparePage did not write a P5 PGM: %q", format, p.PGM[:min(len(p.PGM), 16)])
			continue
		}
		if g.w != 1200 || g.h != 600 {
			t.Errorf("%s: %d × %d pixels, want 1200 × 600", format, g.w, g.h)
		}
		if ink := inkFraction(g); ink < 0.01 || ink > 0.5 {
			t.Errorf("%s: %.3f of the upsampled page is ink; the text was lost", format, ink)
		}
	}
}

func inkFraction(g *grey) float64 {
	n := 0
	for _, v := range g.pix {
		if v < inkThreshold {
			n++
		}
	}
	return float64(n) / float64(len(g.pix))
}

// A resolution the caller knows (a PDF's image resolution) wins over the
// header: an image without pHYs, said to be 100 dpi, is enlarged three
// times; one said to be 300 dpi is left alone, pixel for pixel.
func TestPreparePageCallerDPI(t *testing.T) {
	img := greyImage(90, 40, image.Rect(10, 10, 30, 20))
	data := encodePNG(t, img)
	size := PageSize{90, 40}

	p, err := PreparePage(data, FormatPNG, 0, size, 100)
	if err != nil {
		t.Fatal(err)
	}
	g := parsePGM(p.PGM)
	if p.Scale != 3 || p.DPI != 300 || g == nil || g.w != 270 || g.h != 120 {
		t.Errorf("at 100 dpi: Scale %v, DPI %v, PGM %+v; want ×3, 300 dpi, 270 × 120", p.Scale, p.DPI, pgmDims(g))
	}

	p, err = PreparePage(data, FormatPNG, 0, size, 300)
	if err != nil {
		t.Fatal(err)
	}
	g = parsePGM(p.PGM)
	if p.Scale != 1 || p.DPI != 300 || g == nil || g.w != 90 || g.h != 40 {
		t.Fatalf("at 300 dpi: Scale %v, DPI %v, PGM %+v; want unchanged 90 × 40", p.Scale, p.DPI, pgmDims(g))
	}
	for y := 0; y < 40; y++ {
		for x := 0; x < 90; x++ {
			if got, want := g.pix[y*90+x], img.GrayAt(x, y).Y; got != want {
				t.Fatalf("at 300 dpi pixel (%d, %d) = %d, want %d: the page was altered", x, y, got, want)
			}
		}
	}

	// The threshold is 250 dpi: just under it is enlarged to 300, just
	// over it is left alone.
	for _, tc := range []struct{ dpi, scale float64 }{{249, 300.0 / 249}, {250, 1}, {260, 1}, {600, 1}} {
		p, err := PreparePage(data, FormatPNG, 0, size, tc.dpi)
		if err != nil {
			t.Fatal(err)
		}
		if abs(p.Scale-tc.scale) > 1e-6 || abs(p.DPI-tc.dpi*tc.scale) > 1e-6 {
			t.Errorf("at %v dpi: Scale %v, DPI %v; want %v, %v", tc.dpi, p.Scale, p.DPI, tc.scale, tc.dpi*tc.scale)
		}
	}

	// With no resolution from the caller, the PNG's pHYs chunk says it.
	p, err = PreparePage(withPHYs(data, 100), FormatPNG, 0, size, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g := parsePGM(p.PGM); p.Scale != 3 || p.DPI != 300 || g == nil || g.w != 270 {
		t.Errorf("PNG with pHYs at 100 dpi: Scale %v, DPI %v, PGM %s; want ×3", p.Scale, p.DPI, pgmDims(g))
	}
}

func pgmDims(g *grey) string {
	if g == nil {
		return "not a PGM"
	}
	return fmt.Sprintf("%d × %d", g.w, g.h)
}

// A page at 300 dpi or more is passed through at its own size: enlarging
// it would only cost time.
func TestPreparePageLeaves300DPIAlone(t *testing.T) {
	data := render(t, resolutionPDF(t), 1, 300, image.Rect(300, 280, 900, 400), "png")
	p, err := PreparePage(data, FormatPNG, 0, PageSize{600, 120}, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := parsePGM(p.PGM)
	if p.Scale != 1 || p.DPI != 300 || g == nil || g.w != 600 || g.h != 120 {
		t.Errorf("300 dpi PNG: Scale %v, DPI %v, PGM %s; want 1, 300, 600 × 120", p.Scale, p.DPI, pgmDims(g))
	}
}

// An image that does not say its resolution is taken to be a whole A4 or
// letter page, about 8.3 inches across: a page 850 pixels wide is about
// 100 dpi and is enlarged about three times.
func TestPreparePageGuessesDPI(t *testing.T) {
	data := encodePNG(t, greyImage(850, 1100, image.Rect(100, 100, 300, 130)))
	p, err := PreparePage(data, FormatPNG, 0, PageSize{850, 1100}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Scale < 2.8 || p.Scale > 3.1 || abs(p.DPI-300) > 1 {
		t.Errorf("850 × 1100 without a resolution: Scale %v, DPI %v; want about 3 and 300", p.Scale, p.DPI)
	}
	g := parsePGM(p.PGM)
	if g == nil || abs(float64(g.w)-850*p.Scale) > 2 || abs(float64(g.h)-1100*p.Scale) > 2 {
		t.Errorf("PGM %s, want %.0f × %.0f", pgmDims(g), 850*p.Scale, 1100*p.Scale)
	}
	if got := guessDPI(PageSize{2480, 3508}); got != 299 {
		t.Errorf("guessDPI(A4 at 300 dpi) = %v, want 299", got)
	}
	if got := guessDPI(PageSize{3508, 2480}); got != 299 {
		t.Errorf("guessDPI(landscape A4 at 300 dpi) = %v, want 299 (the short side counts)", got)
	}
	if got := guessDPI(PageSize{300, 40}); got != 72 {
		t.Errorf("guessDPI(300 × 40) = %v, want the floor of 72", got)
	}
}

// Enlarging must not build an image over the size limit: a coarse but
// very wide page is OCR'd at its own size instead.
func TestPreparePageCapsEnlargement(t *testing.T) {
	data := withPHYs(encodePNG(t, greyImage(12000, 8, image.Rect(10, 2, 50, 6))), 100)
	p, err := PreparePage(data, FormatPNG, 0, PageSize{12000, 8}, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := parsePGM(p.PGM)
	if p.Scale != 1 || g == nil || g.w != 12000 || g.h != 8 {
		t.Errorf("12000 × 8 at 100 dpi: Scale %v, PGM %s; want it left at 12000 × 8", p.Scale, pgmDims(g))
	}
	if p.DPI != 100 {
		t.Errorf("DPI %v, want the image's own 100", p.DPI)
	}
}

// Page n of a multi-page TIFF is that page, not the first: a wrong page
// would silently duplicate page 1's text into the document.
func TestPreparePageTIFFPage(t *testing.T) {
	pdf := resolutionPDF(t)
	data := tiffJoin(t, false,
		render(t, pdf, 1, 100, image.Rect(0, 0, 200, 100), "tiff"),
		render(t, pdf, 1, 100, image.Rect(100, 60, 400, 210), "tiff"),
		render(t, pdf, 2, 100, image.Rect(0, 0, 120, 240), "tiff"),
	)
	sizes, err := ImagePages(data)
	if err != nil || len(sizes) != 3 {
		t.Fatalf("ImagePages: %v, %v", sizes, err)
	}
	for n, want := range [][2]int{{600, 300}, {900, 450}, {360, 720}} {
		p, err := PreparePage(data, FormatTIFF, n, sizes[n], 0)
		if err != nil {
			t.Errorf("page %d: %v", n+1, err)
			continue
		}
		if g := parsePGM(p.PGM); g == nil || g.w != want[0] || g.h != want[1] || p.Scale != 3 {
			t.Errorf("page %d: PGM %s, Scale %v; want %d × %d, 3", n+1, pgmDims(g), p.Scale, want[0], want[1])
		}
	}
	// The blank top-left corner of page 1 and the text of page 2 differ.
	p1, _ := PreparePage(data, FormatTIFF, 0, sizes[0], 300)
	p2, _ := PreparePage(data, FormatTIFF, 1, sizes[1], 300)
	if g1, g2 := parsePGM(p1.PGM), parsePGM(p2.PGM); g1 == nil || g2 == nil || inkFraction(g1) > 0.001 || inkFraction(g2) < 0.01 {
		t.Errorf("pages 1 and 2 are not the pages asked for")
	}
	if _, err := PreparePage(data, FormatTIFF, 3, sizes[0], 0); err == nil {
		t.Error("page 4 of a 3-page TIFF: no error")
	}
}

// A file whose header is fine but whose pixels are damaged (a bad sector,
// a cut download) must give an error that says so, for that page, rather
// than a crash or a blank page OCR'd to nothing.
func TestPreparePageCorruptBody(t *testing.T) {
	good := encodePNG(t, greyImage(200, 100, image.Rect(20, 20, 80, 40)))
	// Overwrite the compressed pixels: the zlib stream no longer inflates.
	bad := append([]byte{}, good...)
	idat := bytes.Index(bad, []byte("IDAT"))
	for i := idat + 4; i < len(bad)-12; i++ {
		bad[i] = 0xA5
	}
	if sizes, err := ImagePages(bad); err != nil || sizes[0] != (PageSize{200, 100}) {
		t.Fatalf("the corrupt PNG's header should still read: %v, %v", sizes, err)
	}
	tif := render(t, resolutionPDF(t), 1, 100, image.Rect(0, 0, 200, 100), "tiff")
	jpg := render(t, resolutionPDF(t), 1, 100, image.Rect(150, 50, 650, 450), "jpeg")
	for name, tc := range map[string]struct {
		data   []byte
		format ImageFormat
	}{
		"png with garbage pixels": {bad, FormatPNG},
		"png cut after IHDR":      {good[:33], FormatPNG},
		"jpeg cut after header":   {encodeJPEG(t, greyImage(200, 100, image.Rectangle{}))[:200], FormatJPEG},
		"tiff cut in its pixels":  {tif[:len(tif)/3], FormatTIFF},
		"jpeg cut in its pixels":  {jpg[:len(jpg)/2], FormatJPEG},
		"text called PNG":         {[]byte("not an image at all"), FormatPNG},
	} {
		p, err := PreparePage(tc.data, tc.format, 0, PageSize{200, 100}, 0)
		if err == nil {
			t.Errorf("%s: no error (PGM of %d bytes)", name, len(p.PGM))
			continue
		}
		if !strings.Contains(err.Error(), "cannot be decoded") || !strings.Contains(err.Error(), string(tc.format)) {
			t.Errorf("%s: error %q should say the %s image cannot be decoded", name, err, tc.format)
		}
	}
	if _, err := PreparePage(nil, FormatPNG, 0, PageSize{1, 1}, 0); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty data: err = %v, want an \"empty image\" error", err)
	}
}

// Colour scans are read in grey: Tesseract is given one byte a pixel,
// with dark text still dark.
func TestPreparePageColour(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 60, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 60; x++ {
			c := color.RGBA{250, 245, 230, 255} // yellowed paper
			if x >= 10 && x < 20 && y >= 10 && y < 20 {
				c = color.RGBA{20, 20, 120, 255} // blue-black ink
			}
			img.SetRGBA(x, y, c)
		}
	}
	p, err := PreparePage(encodePNG(t, img), FormatPNG, 0, PageSize{60, 30}, 300)
	if err != nil {
		t.Fatal(err)
	}
	g := parsePGM(p.PGM)
	if g == nil || g.w != 60 || g.h != 30 {
		t.Fatalf("PGM %s, want 60 × 30 grey", pgmDims(g))
	}
	if g.pix[15*60+15] >= inkThreshold || g.pix[5*60+5] < 200 {
		t.Errorf("ink %d, paper %d: colours not turned into dark ink on light paper", g.pix[15*60+15], g.pix[5*60+5])
	}
}

// ImagePages reads whatever file a user passes; no bytes may panic it,
// and whatever it accepts must be within the limits it promises.
func FuzzImagePages(f *testing.F) {
	f.Add(encodePNG(f, greyImage(3, 2, image.Rect(0, 0, 1, 1))))
	f.Add(encodeJPEG(f, greyImage(3, 2, image.Rectangle{})))
	f.Add(pngHeader(50000, 50000))
	f.Add(rawTIFF(tiffIFD{1, 2, ifdAt(1)}, tiffIFD{3, 4, 0}))
	f.Add(rawTIFF(tiffIFD{1, 2, ifdAt(0)}))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x00\x00\x03\x00\x00\x00\x01\x00\x05\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("P5 10 10 255\n"))
	f.Add([]byte("P5\n10 10\n255\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// No spare capacity: a read past the end must panic here, not
		// pass unnoticed on bytes that happen to follow.
		data = data[:len(data):len(data)]
		sizes, err := ImagePages(data)
		if err != nil {
			return
		}
		if len(sizes) == 0 {
			t.Fatal("no pages and no error")
		}
		for _, s := range sizes {
			if s.Width <= 0 || s.Height <= 0 || s.Width > MaxSide || s.Height > MaxSide || s.Width*s.Height > MaxPixels {
				t.Fatalf("accepted size %v outside the limits", s)
			}
		}
	})
}
