package ocr

import (
	"fmt"
	"slices"
	"testing"

	"github.com/emend/emend/pipeline"
)

// newGrey is a white w × h page.
func newGrey(w, h int) *grey {
	g := &grey{w: w, h: h, pix: make([]byte, w*h)}
	for i := range g.pix {
		g.pix[i] = 255
	}
	return g
}

// fill inks the rectangle [x0, x1) × [y0, y1).
func (g *grey) fill(x0, y0, x1, y1 int) *grey {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			g.pix[y*g.w+x] = 0
		}
	}
	return g
}

// pgmBytes writes g as a binary PGM, the way Leptonica and pdftoppm do.
func (g *grey) pgmBytes() []byte {
	return append([]byte(fmt.Sprintf("P5\n%d %d\n255\n", g.w, g.h)), g.pix...)
}

// Recognize reads the page's pixels back from the PGM it was given to
// find superscripts; a PGM it cannot parse silently turns the detection
// off, and one parsed wrong puts it on the wrong pixels.
func TestParsePGM(t *testing.T) {
	pix := []byte{0, 1, 2, 3, 4, 5}
	for _, hdr := range []string{
		"P5\n3 2\n255\n",
		"P5 3 2 255\n",
		"P5\n# written by hand\n3 2\n255\n",
		"P5\r\n3\t2\r\n255\n",
		"P5\n3 2\n# a comment before maxval\n255\n",
		"P5\n3 2\n100\n", // any maxval up to 255 is one byte a pixel
	} {
		g := parsePGM(append([]byte(hdr), pix...))
		if g == nil {
			t.Errorf("parsePGM(%q): nil", hdr)
			continue
		}
		if g.w != 3 || g.h != 2 || string(g.pix) != string(pix) {
			t.Errorf("parsePGM(%q) = %d × %d %v, want 3 × 2 %v", hdr, g.w, g.h, g.pix, pix)
		}
	}
	// Bytes after the image (a second image, padding) are not pixels.
	if g := parsePGM(append([]byte("P5 3 2 255\n"), append(pix, 9, 9, 9)...)); g == nil || len(g.pix) != 6 {
		t.Errorf("trailing bytes: %+v", g)
	}
	for _, bad := range []string{
		"",
		"P6\n3 2\n255\n" + "012345012345012345", // colour
		"P2\n3 2\n255\n0 1 2 3 4 5",             // plain text
		"P5\n3 2\n65535\n" + "012345012345",     // 16-bit
		"P5\n3 2\n255\n01234",                   // a pixel short
		"P5\n3 2\n",                             // no maxval
		"P5\n3\n",                               // no height
		"P5\n0 2\n255\n",                        // empty
		"P5\n3 0\n255\n",                        // empty
		"P5\n3 2\n0\n012345",                    // maxval 0
		"P5\n-3 2\n255\n012345",                 // negative
		"P5\nthree 2\n255\n012345",              // not a number
		"P5\n99999999999999999999 2\n255\n0",    // overflows int
	} {
		if g := parsePGM([]byte(bad)); g != nil {
			t.Errorf("parsePGM(%q) = %d × %d, want nil", bad, g.w, g.h)
		}
	}
}

// A PGM header whose width times height overflows must be refused, not
// turned into an image whose pixel slice is shorter than w × h (every
// later pixel read would be out of range) or a panic in parsePGM itself.
func TestParsePGMOverflow(t *testing.T) {
	for _, hdr := range []string{
		"P5 4294967296 4294967296 255\n",
		"P5 9223372036854775807 2 255\n",
		"P5 3037000500 3037000500 255\n",
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("parsePGM(%q) panicked: %v", hdr, r)
				}
			}()
			if g := parsePGM([]byte(hdr + "0123456789")); g != nil {
				t.Errorf("parsePGM(%q) = %d × %d with %d pixels, want nil", hdr, g.w, g.h, len(g.pix))
			}
		}()
	}
}

func sortComps(cs []component) []component {
	slices.SortFunc(cs, func(a, b component) int {
		if a.x0 != b.x0 {
			return a.x0 - b.x0
		}
		return a.y0 - b.y0
	})
	return cs
}

// Ink blobs are what raisedRun weighs: a glyph is one blob (diagonal
// strokes included, as in a thin italic "1"), two glyphs apart are two,
// and their boxes and pixel counts must be exact since the size limits
// work on them.
func TestComponents(t *testing.T) {
	g := newGrey(20, 10)
	g.fill(1, 1, 4, 3) // 3 × 2 block: 6 pixels
	for i := 0; i < 4; i++ {
		g.pix[(5+i)*g.w+10+i] = 0 // a diagonal, 8-connected: one blob
	}
	g.pix[0*g.w+19] = inkThreshold     // just too light to be ink
	g.pix[9*g.w+19] = inkThreshold - 1 // just dark enough
	got := sortComps(g.components(0, 0, 19, 9))
	want := []component{
		{x0: 1, y0: 1, x1: 3, y1: 2, n: 6},
		{x0: 10, y0: 5, x1: 13, y1: 8, n: 4},
		{x0: 19, y0: 9, x1: 19, y1: 9, n: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("components = %+v, want %+v", got, want)
	}

	// A sub-rectangle sees only its own ink, cut at its edge, in page
	// coordinates.
	got = sortComps(g.components(2, 0, 11, 6))
	want = []component{
		{x0: 2, y0: 1, x1: 3, y1: 2, n: 4},
		{x0: 10, y0: 5, x1: 11, y1: 6, n: 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("components in (2,0)-(11,6) = %+v, want %+v", got, want)
	}

	// Rectangles reaching off the page are clipped; ones wholly off it or
	// inside out give nothing.
	if got := g.components(-5, -5, 100, 100); len(got) != 3 {
		t.Errorf("a rectangle larger than the page: %d blobs, want 3", len(got))
	}
	for _, r := range [][4]int{{30, 0, 40, 5}, {0, 20, 5, 30}, {5, 5, 4, 4}, {-10, -10, -1, -1}} {
		if got := g.components(r[0], r[1], r[2], r[3]); got != nil {
			t.Errorf("components%v = %+v, want nil", r, got)
		}
	}

	// Two glyphs touching only at a corner are one blob (8-connected).
	h := newGrey(6, 6).fill(0, 0, 3, 3).fill(3, 3, 6, 6)
	if got := h.components(0, 0, 5, 5); len(got) != 1 || got[0].n != 18 {
		t.Errorf("corner-touching squares: %+v, want one blob of 18", got)
	}
	// A blank page has none.
	if got := newGrey(50, 50).components(0, 0, 49, 49); len(got) != 0 {
		t.Errorf("blank page: %+v", got)
	}
}

// A large blob (a rule, a black border of a scan) must not overflow
// anything: the flood fill is iterative.
func TestComponentsLargeBlob(t *testing.T) {
	g := newGrey(1500, 1500).fill(0, 0, 1500, 1500)
	got := g.components(0, 0, 1499, 1499)
	if len(got) != 1 || got[0].n != 1500*1500 {
		t.Errorf("one 1500 × 1500 blob: %+v", got)
	}
}

// Geometry of the synthetic line used below: capitals 30 px tall standing
// on a baseline at y = 100 (rows 70–99), descenders to 110. Tesseract
// would report it as bbox 0 60 400 110; baseline 0 -10; x_size 40;
// x_descenders 10.
const (
	baseY = 100
	capH  = 30
)

func testLine() hocrLine {
	return hocrLine{box: pipeline.Box{X0: 0, Y0: 60, X1: 400, Y1: 110}, offset: -10, xSize: 40, xDescenders: 10}
}

// letters draws n capital-height glyphs 12 px wide, 3 px apart, from x.
// It returns the x just after the last.
func (g *grey) letters(x, n int) int {
	for i := 0; i < n; i++ {
		g.fill(x, baseY-capH, x+12, baseY)
		x += 15
	}
	return x - 3
}

// The hOCR line geometry the detection rests on: the cap height from
// Tesseract's row size, and the baseline (a slope and an offset from the
// line box's bottom left corner).
func TestLineGeometry(t *testing.T) {
	l := testLine()
	if got := l.capHeight(); got != capH {
		t.Errorf("capHeight = %v, want %v", got, capH)
	}
	if got := l.baselineAt(250); got != baseY {
		t.Errorf("baselineAt(250) = %v, want %v", got, baseY)
	}
	l.slope = 0.01
	if got := l.baselineAt(200); got != baseY+2 {
		t.Errorf("sloped baselineAt(200) = %v, want %v", got, baseY+2)
	}
	// Without x_size, three quarters of the line box's height.
	if got := (hocrLine{box: pipeline.Box{Y0: 10, Y1: 50}}).capHeight(); got != 30 {
		t.Errorf("capHeight without x_size = %v, want 30", got)
	}
}

// A footnote marker printed against its word ("Crime¹") is the one thing
// OCR reliably gets wrong: Tesseract glues it to the word and reads it as
// ’ or 1. raisedRun finds it from the pixels: a blob at the end of the
// word, small, wholly above the baseline, beside (not over) the glyph
// before it.
func TestRaisedRunFindsSuperscript(t *testing.T) {
	g := newGrey(400, 120)
	end := g.letters(20, 4)      // a word of four letters, x 20–76
	g.fill(end+2, 68, end+9, 87) // a superscript digit: 7 × 19 px, bottom 13 px above the baseline
	box := pipeline.Box{X0: 20, Y0: 68, X1: float64(end + 9), Y1: baseY}
	run, ok := g.raisedRun(testLine(), box, capH, true)
	if !ok {
		t.Fatal("raisedRun missed a superscript digit at the end of a word")
	}
	// fill's bounds are exclusive at the far edge, like the run's box.
	if want := (pipeline.Box{X0: float64(end + 2), Y0: 68, X1: float64(end + 9), Y1: 87}); run != want {
		t.Errorf("raised run %+v, want the ink's box %+v", run, want)
	}
	// Looking at the start of the word finds nothing: its first glyph
	// stands on the baseline.
	if _, ok := g.raisedRun(testLine(), box, capH, false); ok {
		t.Error("raisedRun found a raised run at the start of a word that begins on the baseline")
	}

	// Two raised glyphs ("12") are one run.
	g = newGrey(400, 120)
	end = g.letters(20, 3)
	g.fill(end+2, 68, end+9, 87).fill(end+11, 68, end+18, 87)
	box = pipeline.Box{X0: 20, Y0: 68, X1: float64(end + 18), Y1: baseY}
	if run, ok := g.raisedRun(testLine(), box, capH, true); !ok || run.X0 != float64(end+2) || run.X1 != float64(end+18) {
		t.Errorf("two-digit marker: %+v %v, want x %d–%d true", run, ok, end+2, end+18)
	}

	// On a sloping line the baseline, not the box, decides: at x ≈ 320
	// this baseline is 16 px lower than at the line's start, and the
	// marker's bottom, 13 px above its own baseline, is below where the
	// baseline would be on a level line.
	l := testLine()
	l.slope = 0.05
	g = newGrey(400, 150)
	x := 260
	for i := 0; i < 4; i++ {
		b := int(l.baselineAt(float64(x + 6)))
		g.fill(x, b-capH, x+12, b)
		x += 15
	}
	end = x - 3
	b := int(l.baselineAt(float64(end)))
	g.fill(end+2, b-32, end+9, b-13)
	box = pipeline.Box{X0: 260, Y0: float64(b - 34), X1: float64(end + 9), Y1: float64(b + 1)}
	if _, ok := g.raisedRun(l, box, capH, true); !ok {
		t.Error("raisedRun missed a superscript on a sloping baseline")
	}
}

// A footnote definition starts with its number raised before the first
// word ("¹Resolution 55/25"); raisedRun finds it at the start of a word.
func TestRaisedRunAtStart(t *testing.T) {
	g := newGrey(400, 120)
	g.fill(20, 68, 27, 87) // raised digit
	end := g.letters(30, 5)
	box := pipeline.Box{X0: 20, Y0: 68, X1: float64(end), Y1: baseY}
	run, ok := g.raisedRun(testLine(), box, capH, false)
	if !ok || run.X0 != 20 || run.X1 != 27 {
		t.Errorf("leading raised digit: %+v %v, want x 20–27 true", run, ok)
	}
	if _, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Error("raisedRun found a raised run at the end of a word that ends on the baseline")
	}
}

// Apostrophes, closing quotes and i-dots are raised too, but small: taken
// for markers they would turn "States’" into a footnote reference. A
// raised blob shorter than about 0.4 of the capital height is not a run.
func TestRaisedRunIgnoresApostrophe(t *testing.T) {
	g := newGrey(400, 120)
	end := g.letters(20, 4)
	g.fill(end+2, 70, end+6, 79) // apostrophe: 4 × 9 px (0.3 of the cap height)
	box := pipeline.Box{X0: 20, Y0: 70, X1: float64(end + 6), Y1: baseY}
	if run, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Errorf("an apostrophe was taken for a superscript at %+v", run)
	}
	// Nor is a speck of dust, however it sits.
	g = newGrey(400, 120)
	end = g.letters(20, 4)
	g.fill(end+2, 75, end+4, 77) // 2 × 2 px
	box.X1 = float64(end + 4)
	if _, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Error("a speck of dust was taken for a superscript")
	}
	// A speck beside a real marker does not stop it being found.
	g.fill(end+6, 68, end+13, 87)
	box.X1 = float64(end + 13)
	if _, ok := g.raisedRun(testLine(), box, capH, true); !ok {
		t.Error("a speck before a superscript hid it")
	}
}

// The hook of an "f" (or the top of a "T", the arm of a "y") is raised,
// but it belongs to a glyph that reaches the baseline: the whole blob
// must be raised, or every word ending in f would lose its last letter.
func TestRaisedRunIgnoresConnectedHook(t *testing.T) {
	g := newGrey(400, 120)
	end := g.letters(20, 2)
	stem := end + 3
	g.fill(stem, baseY-capH, stem+4, baseY)       // the f's stem, on the baseline
	g.fill(stem+4, baseY-capH, stem+16, baseY-24) // its hook, raised to the right, joined to the stem
	box := pipeline.Box{X0: 20, Y0: baseY - capH, X1: float64(stem + 16), Y1: baseY}
	if run, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Errorf("the hook of an f was taken for a superscript at %+v", run)
	}
}

// A raised mark over the last letter (an accent, a stroke of the line
// above) is not beside the word, so it is not a marker either; nor is a
// word that is raised as a whole (a superscript "th" set apart), which
// leaves nothing to split from; nor a raised rule far wider than a digit.
func TestRaisedRunRejects(t *testing.T) {
	// Mark over the last letter.
	g := newGrey(400, 120)
	end := g.letters(20, 4)
	g.fill(end-10, 50, end+1, 67) // 11 × 17 px, raised, above the last letter
	box := pipeline.Box{X0: 20, Y0: 50, X1: float64(end + 1), Y1: baseY}
	if _, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Error("a mark above the last letter was taken for a superscript")
	}
	// All raised.
	g = newGrey(400, 120)
	g.fill(20, 68, 27, 87).fill(30, 68, 37, 87)
	box = pipeline.Box{X0: 20, Y0: 68, X1: 37, Y1: 87}
	if _, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Error("a word raised as a whole was split")
	}
	// A raised rule 60 px wide (twice the cap height).
	g = newGrey(400, 120)
	end = g.letters(20, 2)
	g.fill(end+2, 68, end+62, 82)
	box = pipeline.Box{X0: 20, Y0: 68, X1: float64(end + 62), Y1: baseY}
	if _, ok := g.raisedRun(testLine(), box, capH, true); ok {
		t.Error("a raised rule was taken for a superscript")
	}
	// A one-glyph word has nothing to split from.
	g = newGrey(400, 120)
	g.fill(20, 68, 27, 87)
	if _, ok := g.raisedRun(testLine(), pipeline.Box{X0: 20, Y0: 68, X1: 27, Y1: 87}, capH, true); ok {
		t.Error("a lone raised glyph was split from nothing")
	}
}

// Word boxes at the page's edge (Tesseract's boxes can touch or pass it)
// must not make raisedRun read outside the image.
func TestRaisedRunAtPageEdge(t *testing.T) {
	g := newGrey(80, 100)
	end := g.letters(20, 3)
	g.fill(end+2, 68, min(end+9, 80), 87)
	for _, box := range []pipeline.Box{
		{X0: 20, Y0: 68, X1: 90, Y1: 105},
		{X0: -10, Y0: -10, X1: 200, Y1: 300},
		{X0: 70, Y0: 95, X1: 70, Y1: 95},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("raisedRun(%+v) on an 80 × 100 page panicked: %v", box, r)
				}
			}()
			g.raisedRun(testLine(), box, capH, true)
			g.raisedRun(testLine(), box, capH, false)
		}()
	}
}
