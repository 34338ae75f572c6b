package ocr

import (
	"bytes"
	"errors"
	"image"
	"slices"
	"strconv"

	"github.com/emend/emend/pipeline"
)

// grey is an 8-bit grey page image, as PreparePage and pdftoppm write it.
type grey struct {
	w, h int
	pix  []byte
}

// pnmHeader reads a PNM header ("P5\n# comment\n2480 3508\n255\n"): the
// width, height and maximum value (1 for a bitmap, which has none), and
// the offset of the pixels.
func pnmHeader(data []byte) (w, h, maxval, off int, ok bool) {
	if len(data) < 3 || data[0] != 'P' {
		return 0, 0, 0, 0, false
	}
	var fields [3]int
	n := 3
	if data[1] == '1' || data[1] == '4' {
		n, fields[2] = 2, 1 // a bitmap has no maximum value
	}
	i := 2
	for f := 0; f < n; f++ {
		for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t' || data[i] == '#') {
			if data[i] == '#' {
				for i < len(data) && data[i] != '\n' {
					i++
				}
				continue
			}
			i++
		}
		j := i
		for j < len(data) && j-i < 9 && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(string(data[i:j]))
		if err != nil || j < len(data) && data[j] >= '0' && data[j] <= '9' {
			return 0, 0, 0, 0, false // no number, or one of ten digits or more
		}
		fields[f], i = n, j
	}
	return fields[0], fields[1], fields[2], i + 1, true // one white space after maxval
}

// parsePGM reads a binary PGM (P5, maxval < 256); nil if it is not one.
func parsePGM(data []byte) *grey {
	if !bytes.HasPrefix(data, []byte("P5")) {
		return nil
	}
	w, h, maxval, off, ok := pnmHeader(data)
	if !ok || w <= 0 || h <= 0 || w > MaxSide || h > MaxSide || maxval <= 0 || maxval > 255 || off+w*h > len(data) {
		return nil
	}
	return &grey{w: w, h: h, pix: data[off : off+w*h]}
}

// inkThreshold: darker than this is ink. Scans are dark text on light
// paper; upsampled bilevel scans have grey edges either side of it.
const inkThreshold = 128

// component is one connected blob of ink.
type component struct {
	x0, y0, x1, y1 int // inclusive
	n              int // pixels
}

// components labels the 8-connected ink blobs inside a rectangle.
func (g *grey) components(x0, y0, x1, y1 int) []component {
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, g.w-1), min(y1, g.h-1)
	if x1 < x0 || y1 < y0 {
		return nil
	}
	w, h := x1-x0+1, y1-y0+1
	seen := make([]bool, w*h)
	var out []component
	var stack []int
	for sy := 0; sy < h; sy++ {
		for sx := 0; sx < w; sx++ {
			i := sy*w + sx
			if seen[i] || g.pix[(y0+sy)*g.w+x0+sx] >= inkThreshold {
				continue
			}
			c := component{x0: sx, y0: sy, x1: sx, y1: sy}
			seen[i] = true
			stack = append(stack[:0], i)
			for len(stack) > 0 {
				j := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				cx, cy := j%w, j/w
				c.n++
				c.x0, c.x1 = min(c.x0, cx), max(c.x1, cx)
				c.y0, c.y1 = min(c.y0, cy), max(c.y1, cy)
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						nx, ny := cx+dx, cy+dy
						if nx < 0 || ny < 0 || nx >= w || ny >= h {
							continue
						}
						k := ny*w + nx
						if !seen[k] && g.pix[(y0+ny)*g.w+x0+nx] < inkThreshold {
							seen[k] = true
							stack = append(stack, k)
						}
					}
				}
			}
			c.x0, c.x1, c.y0, c.y1 = c.x0+x0, c.x1+x0, c.y0+y0, c.y1+y0
			out = append(out, c)
		}
	}
	return out
}

// raisedRun looks for a run of ink blobs at one end of a word's box that
// all sit well above the baseline: a superscript glued to its word. Blobs
// are taken from the outside in until one reaches down to the baseline. A
// whole blob must be raised, so the top hook of an f or the arm of a y,
// which belong to blobs that reach the baseline, never count. The run must
// be as tall as a small digit, so that apostrophes, quotes, i-dots and
// specks of dust do not count either: a superscript digit is about 0.6 of
// the capital height, an apostrophe 0.3. It returns the run's ink box.
func (g *grey) raisedRun(l hocrLine, box pipeline.Box, capH float64, fromEnd bool) (run pipeline.Box, ok bool) {
	speck := max(3, int(0.01*capH*capH))
	// Tesseract's word box can clip the outermost glyph by a pixel or two.
	pad := int(0.1 * capH)
	x0i, x1i := int(box.X0), int(box.X1)-1
	if fromEnd {
		x1i += pad
	} else {
		x0i -= pad
	}
	comps := g.components(x0i, int(box.Y0)-2, x1i, int(box.Y1)+2)
	var blobs []component
	for _, c := range comps {
		if c.n >= speck {
			blobs = append(blobs, c)
		}
	}
	if len(blobs) < 2 {
		return pipeline.Box{}, false
	}
	if fromEnd {
		slices.SortFunc(blobs, func(a, b component) int { return b.x1 - a.x1 })
	} else {
		slices.SortFunc(blobs, func(a, b component) int { return a.x0 - b.x0 })
	}
	k := 0
	for k < len(blobs) && float64(blobs[k].y1) < l.baselineAt(float64(blobs[k].x0+blobs[k].x1)/2)-0.22*capH {
		k++
	}
	if k == 0 || k == len(blobs) {
		return pipeline.Box{}, false // nothing raised, or everything
	}
	// The blob that ended the run must lie beside it, not under it. A
	// raised blob standing over it belongs to it instead: the dot of a
	// semicolon or an i, the ear of a g that a bilevel scan cut off.
	stop := blobs[k]
	tol := int(0.05 * capH)
	r := component{x0: 1 << 30, y0: 1 << 30, x1: -1, y1: -1}
	for _, c := range blobs[:k] {
		if c.x0 <= stop.x1+tol && c.x1 >= stop.x0-tol {
			continue
		}
		r.x0, r.x1 = min(r.x0, c.x0), max(r.x1, c.x1)
		r.y0, r.y1 = min(r.y0, c.y0), max(r.y1, c.y1)
	}
	if r.x1 < 0 || fromEnd && stop.x1 > r.x0+tol || !fromEnd && stop.x0 < r.x1-tol {
		return pipeline.Box{}, false
	}
	width, tall := float64(r.x1-r.x0+1), float64(r.y1-r.y0+1)
	// A superscript 1 can be two or three pixels wide at 300 dpi.
	if width < 0.06*capH || width > 1.6*capH || tall < 0.4*capH || tall > 0.9*capH {
		return pipeline.Box{}, false
	}
	return pipeline.Box{X0: float64(r.x0), Y0: float64(r.y0), X1: float64(r.x1 + 1), Y1: float64(r.y1 + 1)}, true
}

// DecodePGM reads a binary 8-bit PGM, as pdftoppm -gray and PreparePage
// write it, into an image that Go's encoders take.
func DecodePGM(data []byte) (*image.Gray, error) {
	g := parsePGM(data)
	if g == nil {
		return nil, errors.New("not an 8-bit binary PGM image")
	}
	return &image.Gray{Pix: g.pix, Stride: g.w, Rect: image.Rect(0, 0, g.w, g.h)}, nil
}
