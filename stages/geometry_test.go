package stages_test

// Tests of the geometry stage, on lines laid out the way emend's two
// geometry readers lay them out:
//
//   - a PDF text layer (pdftotext -bbox-layout, internal/pdf): every word's
//     box is its font box, so all the words of a line share their top and
//     bottom; a superscript is a separate word in a smaller font whose box
//     stands a few points above the others' bottom;
//   - OCR (Tesseract hOCR, internal/ocr): boxes are tight to the ink, so
//     words with descenders reach below the baseline, x-height words ("on",
//     "as") are shorter than the rest, scans are skewed by a fraction of a
//     degree, and a raised run the reader split off a word arrives as its
//     own word, flagged Superscript and Joined.

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// geoMark is pipeline.RaisedMark as a string.
const geoMark = string(pipeline.RaisedMark)

// geoRule is the separator rule the stage writes before a footnote zone.
const geoRule = "__________"

// Text-layer metrics, in points, for an 11 pt body face.
const (
	geoPDFHeight    = 13.0 // font box of every body word of a line
	geoPDFCharW     = 5.5  // average advance of a body character
	geoPDFSpace     = 2.8  // a word space
	geoPDFTight     = 0.3  // what glyph-by-glyph typesetting leaves inside a word
	geoPDFSupHeight = 7.5  // font box of a superscript
	geoPDFSupRaise  = 5.0  // superscript bottom above the line's bottom
	geoPDFSupCharW  = 3.2
	geoPDFSupGap    = 0.8 // between a word and the superscript printed against it
)

// geoPDFLine lays out spec as pdftotext -bbox-layout reports a line whose
// first word starts at x and whose font boxes end at bottom. Words are
// separated by spaces in spec; a word written "+w" follows the one before
// it with a tight gap instead of a word space (a word the text layer split,
// or a superscript printed against its word), and "^w" is a superscript.
func geoPDFLine(origin int, x, bottom float64, spec string) pipeline.Line {
	var ws []pipeline.Word
	for i, tok := range strings.Fields(spec) {
		tok, gap, sup := geoSpecWord(i, tok, geoPDFSpace, geoPDFTight, geoPDFSupGap)
		n := float64(utf8.RuneCountInString(tok))
		b := pipeline.Box{X0: x + gap, Y0: bottom - geoPDFHeight, Y1: bottom}
		b.X1 = b.X0 + n*geoPDFCharW
		if sup {
			b.X1 = b.X0 + n*geoPDFSupCharW
			b.Y1 = bottom - geoPDFSupRaise
			b.Y0 = b.Y1 - geoPDFSupHeight
		}
		ws = append(ws, pipeline.Word{Text: tok, Box: &b})
		x = b.X1
	}
	return pipeline.Line{Text: pipeline.JoinWords(ws), Words: ws, Origin: origin}
}

// geoSpecWord reads tok, word i of a line spec of geoPDFLine or geoOCRLine:
// the word, the gap before it (space, tight after "+", supGap for a "+^"
// superscript, none before the first word) and whether it is a superscript.
func geoSpecWord(i int, tok string, space, tight, supGap float64) (word string, gap float64, sup bool) {
	gap = space
	glued := false
	if t, ok := strings.CutPrefix(tok, "+"); ok {
		tok, gap, glued = t, tight, true
	}
	if t, ok := strings.CutPrefix(tok, "^"); ok {
		tok, sup = t, true
		if glued {
			gap = supGap
		}
	}
	if i == 0 {
		gap = 0
	}
	return tok, gap, sup
}

// OCR metrics, in pixels of a 300 dpi scan of an 11 pt face.
const (
	geoOCRAscent   = 30.0 // capitals, digits, ascenders above the baseline
	geoOCRXHeight  = 21.0
	geoOCRIDot     = 27.0 // i and j reach their dot
	geoOCRDescent  = 10.0 // g, p, y below the baseline
	geoOCRComma    = 7.0  // a comma's tail below the baseline
	geoOCRCharW    = 20.0
	geoOCRSpace    = 12.0
	geoOCRSupH     = 18.0 // the ink of a superscript digit
	geoOCRSupRaise = 15.0 // its bottom above the baseline
	geoOCRSupCharW = 11.0
	geoOCRSupGap   = 2.0
)

// geoOCRLine lays out spec as Tesseract boxes a line whose first word
// starts at x and whose baseline is at y there, rising by rise pixels per
// pixel to the right (a skewed scan). Boxes are tight to the ink and whole
// pixels, with a pixel of noise. The spec is read as for geoPDFLine; a "^w"
// word is a raised glyph run Tesseract read as a word of its own, which
// the reader did not flag.
func geoOCRLine(origin int, x, y, rise float64, spec string) pipeline.Line {
	x0 := x
	base := func(at float64) float64 { return y - rise*(at-x0) }
	noise := []float64{0, 1, 0, -1, 1, 0, -1}
	var ws []pipeline.Word
	for i, tok := range strings.Fields(spec) {
		tok, gap, sup := geoSpecWord(i, tok, geoOCRSpace, 1, geoOCRSupGap)
		n := float64(utf8.RuneCountInString(tok))
		b := pipeline.Box{X0: x + gap}
		if sup {
			b.X1 = b.X0 + n*geoOCRSupCharW
			b.Y1 = base(b.X0) - geoOCRSupRaise
			b.Y0 = base(b.X1) - geoOCRSupRaise - geoOCRSupH
		} else {
			b.X1 = b.X0 + n*geoOCRCharW
			up, down := geoOCRInk(tok)
			b.Y1 = base(b.X0) + down
			b.Y0 = base(b.X1) - up
		}
		nz := noise[i%len(noise)]
		b = pipeline.Box{X0: math.Round(b.X0), Y0: math.Round(b.Y0 + nz), X1: math.Round(b.X1), Y1: math.Round(b.Y1 + nz)}
		ws = append(ws, pipeline.Word{Text: tok, Box: &b, Confidence: 0.9})
		x = b.X1
	}
	return pipeline.Line{Text: pipeline.JoinWords(ws), Words: ws, Origin: origin}
}

// geoOCRInk is how far a word's ink reaches above and below the baseline.
func geoOCRInk(word string) (up, down float64) {
	for _, r := range word {
		switch {
		case strings.ContainsRune("bdfhklt0123456789!?'\"/()[]", r) || r >= 'A' && r <= 'Z':
			up = max(up, geoOCRAscent)
		case r == 'i' || r == 'j':
			up = max(up, geoOCRIDot)
		case r >= 'a' && r <= 'z':
			up = max(up, geoOCRXHeight)
		}
		switch {
		case strings.ContainsRune("gjpqy()[]Q", r):
			down = max(down, geoOCRDescent)
		case r == ',' || r == ';':
			down = max(down, geoOCRComma)
		}
	}
	return up, down
}

// geoDoc is a document of kind with pages.
func geoDoc(kind pipeline.InputKind, pages ...pipeline.Page) *pipeline.Document {
	return &pipeline.Document{Source: "geometry.pdf", Kind: kind, Pages: pages}
}

// geoPage is page n, holding lines.
func geoPage(n int, lines ...pipeline.Line) pipeline.Page {
	return pipeline.Page{Number: n, Lines: lines, Width: 595, Height: 842}
}

// geoApply runs the geometry stage alone.
func geoApply(t *testing.T, doc *pipeline.Document) {
	t.Helper()
	if err := (&stages.Geometry{}).Apply(doc); err != nil {
		t.Fatalf("Geometry.Apply: %v", err)
	}
}

// geoRepairs returns the logged repairs of one kind.
func geoRepairs(doc *pipeline.Document, kind pipeline.RepairKind) []pipeline.Repair {
	var out []pipeline.Repair
	for _, r := range doc.Log {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// geoClone copies doc deeply enough that the stage cannot change the copy
// through shared slices or boxes.
func geoClone(doc *pipeline.Document) *pipeline.Document {
	c := *doc
	c.Pages = make([]pipeline.Page, len(doc.Pages))
	for i, pg := range doc.Pages {
		c.Pages[i] = pg
		c.Pages[i].Lines = make([]pipeline.Line, len(pg.Lines))
		for j, ln := range pg.Lines {
			c.Pages[i].Lines[j] = ln
			if ln.Words != nil {
				ws := make([]pipeline.Word, len(ln.Words))
				for k, w := range ln.Words {
					ws[k] = w
					if w.Box != nil {
						b := *w.Box
						ws[k].Box = &b
					}
				}
				c.Pages[i].Lines[j].Words = ws
			}
		}
	}
	c.Log = slices.Clone(doc.Log)
	return &c
}

// TestGeometrySuperscriptMarkers: a footnote reference printed as a
// superscript is only a small raised "1" in the page's geometry, and a
// plain "1" in the text the readers produce. Unless the stage writes it as
// a superscript glued to its word, the marker stage has to guess, and a
// user gets "Crime 1 and" in the output or a lost reference.
func TestGeometrySuperscriptMarkers(t *testing.T) {
	flagged := func(ln pipeline.Line, i int) pipeline.Line {
		ln.Words[i].Superscript, ln.Words[i].Joined = true, true
		ln.Text = pipeline.JoinWords(ln.Words)
		return ln
	}
	tests := []struct {
		name, reason string
		line         pipeline.Line
		want         string
	}{
		{"text layer, glued digit", "pdftotext gives the superscript as a word of its own with a smaller, raised box",
			geoPDFLine(7, 72, 300, "Transnational Organized Crime +^1 and the Protocols thereto,"),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"text layer, two digits", "a tenth reference is two raised digits, one word",
			geoPDFLine(7, 72, 300, "the Convention on the Rights of the Child +^10 and its Optional Protocols"),
			"the Convention on the Rights of the Child¹⁰ and its Optional Protocols"},
		{"text layer, spaced superscript", "a superscript set a space apart still marks the word before it",
			geoPDFLine(7, 72, 300, "on the sale of children, ^5 child prostitution and child pornography"),
			"on the sale of children,⁵ child prostitution and child pornography"},
		{"text layer, last word of the line", "a marker closing a paragraph stands at the line end",
			geoPDFLine(7, 72, 300, "Supplementary Convention on the Abolition of Slavery, +^4"),
			"Supplementary Convention on the Abolition of Slavery,⁴"},
		{"OCR, glued digit read as a word", "Tesseract may read the raised digit as a word of its own",
			geoOCRLine(7, 300, 1200, 0, "Transnational Organized Crime +^1 and the Protocols thereto,"),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"OCR, two digits", "Tesseract boxes the two raised digits as one small word",
			geoOCRLine(7, 300, 1200, 0, "the Convention on the Rights of the Child +^10 and its Optional Protocols"),
			"the Convention on the Rights of the Child¹⁰ and its Optional Protocols"},
		{"OCR, spaced superscript", "a raised digit after a space in a scan still marks the word before it",
			geoOCRLine(7, 300, 1200, 0, "on the sale of children, ^5 child prostitution and child pornography"),
			"on the sale of children,⁵ child prostitution and child pornography"},
		{"OCR, split off by the reader", "the OCR reader cuts a raised run off the word's end and flags it",
			flagged(geoOCRLine(7, 300, 1200, 0, "Transnational Organized Crime +^1 and the Protocols thereto,"), 3),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"OCR, raised 1 read as an apostrophe", "OCR reads a superscript 1 as ': only its height and place say it is a marker",
			geoOCRLine(7, 300, 1200, 0, "Transnational Organized Crime +^' and the Protocols thereto,"),
			"Transnational Organized Crime" + geoMark + "' and the Protocols thereto,"},
		{"OCR, raised 2 read as a question mark", "OCR reads a superscript 2 as ?: the raised mark tells the marker stage it is no question",
			geoOCRLine(7, 300, 1200, 0, "Especially Women and Children, +^? supplementing the Convention"),
			"Especially Women and Children," + geoMark + "? supplementing the Convention"},
		{"OCR, raised 8 read as ®", "OCR reads a superscript 8 as ®",
			geoOCRLine(7, 300, 1200, 0, "the Special Rapporteur on trafficking in persons +^® and the"),
			"the Special Rapporteur on trafficking in persons" + geoMark + "® and the"},
		{"text layer, asterisk", "a raised asterisk is a marker whatever number it gets",
			geoPDFLine(7, 72, 300, "Item 98 of the provisional agenda +^* Crime prevention"),
			"Item 98 of the provisional agenda" + geoMark + "* Crime prevention"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(3, tt.line))
			geoApply(t, doc)
			ln := doc.Pages[0].Lines[0]
			if ln.Text != tt.want {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, cmp.Diff(tt.want, ln.Text))
			}
			var sups int
			for i, w := range ln.Words {
				if w.Superscript {
					sups++
					if !w.Joined {
						t.Errorf("superscript word %d %q is not Joined to %q", i, w.Text, ln.Words[i-1].Text)
					}
				}
			}
			if sups != 1 {
				t.Errorf("%d words flagged Superscript, want 1", sups)
			}
			rs := geoRepairs(doc, pipeline.RepairMarker)
			if len(rs) != 1 {
				t.Fatalf("logged %d marker repairs, want 1: %+v", len(rs), doc.Log)
			}
			r := rs[0]
			if r.Stage != "geometry" || r.Pos.Page != 3 || r.Pos.Line != 7 || r.Pos.Paragraph != -1 {
				t.Errorf("repair is %s at %v, want stage geometry at page 3 line 7", r.Stage, r.Pos)
			}
			if r.Before == r.After || !strings.Contains(tt.want, r.After) || r.Reason == "" || r.Confidence <= 0 || r.Confidence > 1 {
				t.Errorf("repair %q -> %q (%s, %.2f): want a reason, a confidence in (0, 1] and an After the line holds", r.Before, r.After, r.Reason, r.Confidence)
			}
		})
	}
}

// TestGeometryFirstWordIsNotAMarker: a footnote definition begins with its
// number, printed raised. Made a marker, "¹Resolution 55/25, annex I."
// would be a reference to nothing and the definition would be lost.
func TestGeometryFirstWordIsNotAMarker(t *testing.T) {
	headFlagged := geoOCRLine(12, 300, 3100, 0, "^1 +Resolution 55/25, annex I.")
	headFlagged.Words[0].Superscript = true // the OCR reader split the raised head off "Resolution"
	headFlagged.Words[1].Joined = true
	headFlagged.Text = pipeline.JoinWords(headFlagged.Words)
	tests := []struct {
		name string
		line pipeline.Line
		want string
	}{
		{"text layer", geoPDFLine(12, 72, 780, "^1 Resolution 55/25, annex I."), "1 Resolution 55/25, annex I."},
		{"OCR, read as a word", geoOCRLine(12, 300, 3100, 0, "^1 Resolution 55/25, annex I."), "1 Resolution 55/25, annex I."},
		{"OCR, split off by the reader", headFlagged, "1Resolution 55/25, annex I."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(1, tt.line))
			geoApply(t, doc)
			if got := doc.Pages[0].Lines[0].Text; got != tt.want {
				t.Errorf("(-want +got):\n%s", cmp.Diff(tt.want, got))
			}
			if rs := geoRepairs(doc, pipeline.RepairMarker); len(rs) > 0 {
				t.Errorf("logged a marker for the definition's own number: %+v", rs)
			}
		})
	}
}

// TestGeometryNotSuperscripts: every false superscript turns a word of the
// text into a footnote marker, which the marker stage then deletes from
// the output. Short words, small punctuation and skewed scans must not
// read as raised.
func TestGeometryNotSuperscripts(t *testing.T) {
	raisedSmall := func(ln pipeline.Line, i int, height float64) pipeline.Line {
		// a glyph whose bottom stands well above the baseline, like a
		// quotation mark or a speck
		b := ln.Words[i].Box
		b.Y1 = ln.Words[0].Box.Y1 - 19
		b.Y0 = b.Y1 - height
		return ln
	}
	smallFont := geoPDFLine(4, 72, 300, "the Office of the UNHCR and the")
	for _, i := range []int{3, 4} { // "the UNHCR" set in small capitals: a smaller box on the same baseline
		b := smallFont.Words[i].Box
		b.Y0, b.Y1 = b.Y1-9.5+0.9, b.Y1-0.9*0.22 // the smaller font's descent ends a little higher
	}
	raisedLong := geoOCRLine(4, 300, 1200, 0, "as set out in the ^annex to the present resolution")
	tests := []struct {
		name, reason string
		line         pipeline.Line
	}{
		{"OCR x-height words", "\"on\", \"as\", \"us\", \"so\" are shorter than the line but stand on its baseline",
			geoOCRLine(4, 300, 1200, 0, "Calls upon States, as well as on us to act so as to report on measures")},
		{"OCR x-height words at the line end", "the baseline fit must hold at the end of a line, where a marker would stand",
			geoOCRLine(4, 300, 1200, 0, "Invites Member States to inform us as")},
		{"OCR descenders", "words with descenders reach below the baseline, never above",
			geoOCRLine(4, 300, 1200, 0, "giving priority to (a) policy, by any gap in pay up to go")},
		{"OCR long raised word", "a raised run of five letters is no footnote marker", raisedLong},
		{"OCR apostrophe-sized glyph", "a raised glyph smaller than a third of the line's height is a quotation mark or a speck",
			raisedSmall(geoOCRLine(4, 300, 1200, 0, "the States ’ obligations under the Convention"), 2, 9)},
		{"text layer, same boxes", "a text layer's font boxes are all alike",
			geoPDFLine(4, 72, 300, "as well as on us to act so as to report on 5 of 10 measures")},
		{"text layer, small capitals", "a word in a smaller font on the same baseline is not raised", smallFont},
		{"skewed scan", "on a scan skewed by half a degree the baseline climbs 24 pixels along the line",
			geoOCRLine(4, 300, 1200, 0.01, "Recognizing that as on us it is so to do and the Convention on the Rights of the Child as on to us")},
		{"skewed the other way", "a scan skewed downwards must not raise the words at the line start",
			geoOCRLine(4, 300, 1200, -0.01, "Recognizing that as on us it is so to do and the Convention on the Rights of the Child as on to us")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.line.Text
			doc := geoDoc(pipeline.KindPDF, geoPage(1, tt.line))
			geoApply(t, doc)
			ln := doc.Pages[0].Lines[0]
			if ln.Text != want {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, cmp.Diff(want, ln.Text))
			}
			for _, w := range ln.Words {
				if w.Superscript {
					t.Errorf("%q flagged as a superscript", w.Text)
				}
			}
			if rs := geoRepairs(doc, pipeline.RepairMarker); len(rs) > 0 {
				t.Errorf("logged %d marker repairs, the first %q -> %q", len(rs), rs[0].Before, rs[0].After)
			}
		})
	}
}

// TestGeometrySkewedMarker: on a skewed scan a marker at the far end of the
// line stands no higher above the page's horizontal than the words at its
// start; only a baseline that follows the skew finds it raised.
func TestGeometrySkewedMarker(t *testing.T) {
	for _, rise := range []float64{0.01, -0.01} {
		t.Run(fmt.Sprint(rise), func(t *testing.T) {
			ln := geoOCRLine(4, 300, 1200, rise, "on us as the Convention on the Rights of the Child as so on to the Optional Protocol +^2 to us")
			doc := geoDoc(pipeline.KindScan, geoPage(1, ln))
			geoApply(t, doc)
			want := "on us as the Convention on the Rights of the Child as so on to the Optional Protocol² to us"
			if got := doc.Pages[0].Lines[0].Text; got != want {
				t.Errorf("(-want +got):\n%s", cmp.Diff(want, got))
			}
		})
	}
}

// TestGeometryShortLineMarker: the last line of a paragraph is often short,
// and its marker stands at its end ("Similar to Slavery,⁴"). With few
// words to fit the baseline to, the fit must not tilt up to the marker and
// take it for part of the line.
func TestGeometryShortLineMarker(t *testing.T) {
	tests := []struct {
		name, reason string
		line         pipeline.Line
		want         string
	}{
		{"text layer", "two words on the baseline and the marker: a fit through all three tilts up to it",
			geoPDFLine(9, 72, 300, "Practices Similar to Slavery, +^4"), "Practices Similar to Slavery,⁴"},
		{"text layer, spaced", "a marker set a space apart, at the end of a short line",
			geoPDFLine(9, 72, 300, "Practices Similar to Slavery, ^4"), "Practices Similar to Slavery,⁴"},
		{"OCR", "the same line scanned",
			geoOCRLine(9, 300, 1200, 0, "Practices Similar to Slavery, +^4"), "Practices Similar to Slavery,⁴"},
		{"text layer, one word before", "one word to measure against",
			geoPDFLine(9, 72, 300, "Crime +^1"), "Crime¹"},
		{"text layer, one word with a descender before", "A/RES/63/194 prints \"Slavery,⁴\" alone on a line: the marker is the only word without a descender",
			geoPDFLine(9, 72, 300, "Slavery, +^4"), "Slavery,⁴"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(1, tt.line))
			geoApply(t, doc)
			if got := doc.Pages[0].Lines[0].Text; got != tt.want {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, cmp.Diff(tt.want, got))
			}
		})
	}
}

// TestGeometrySplitWords: typesetting that places glyphs one by one leaves
// a text layer with words split by gaps far narrower than a space
// ("framew ork"); joined back, they read and search as words again. Real
// spaces, numbers and punctuation must stay as printed.
func TestGeometrySplitWords(t *testing.T) {
	tests := []struct {
		name, reason string
		spec, want   string
		joins        int
	}{
		{"split word", "a 0.3 pt gap inside a line of 2.8 pt spaces is no space",
			"a strategic framew +ork for action against trafficking", "a strategic framework for action against trafficking", 1},
		{"split twice", "a word set glyph by glyph can break in several places",
			"the Government of Ukrai +n +e and of Belarus", "the Government of Ukraine and of Belarus", 2},
		{"normal spaces", "no gap is narrow enough",
			"a strategic framework for action against trafficking", "a strategic framework for action against trafficking", 0},
		{"digits", "numbers set tight are not letters of a word",
			"resolution 55 +/25 and resolution +55 of 2000 and 2 +nd report", "resolution 55 /25 and resolution 55 of 2000 and 2 nd report", 0},
		{"punctuation", "punctuation set tight is left as the text layer gives it",
			"Organized Crime +, the Protocol +( a ) and Crime +; annex", "Organized Crime , the Protocol ( a ) and Crime ; annex", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(2, geoPDFLine(5, 72, 300, tt.spec)))
			geoApply(t, doc)
			if got := doc.Pages[0].Lines[0].Text; got != tt.want {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, cmp.Diff(tt.want, got))
			}
			rs := geoRepairs(doc, pipeline.RepairSplitWord)
			if len(rs) != tt.joins {
				t.Fatalf("logged %d split-word repairs, want %d: %+v", len(rs), tt.joins, rs)
			}
			for _, r := range rs {
				if r.Stage != "geometry" || r.Pos.Page != 2 || r.Pos.Line != 5 || strings.ReplaceAll(r.Before, " ", "") != r.After || !strings.Contains(tt.want, r.After) {
					t.Errorf("repair %s %q -> %q at %v: want stage geometry at page 2 line 5, joining the parts", r.Stage, r.Before, r.After, r.Pos)
				}
			}
			if rs := geoRepairs(doc, pipeline.RepairMarker); len(rs) > 0 {
				t.Errorf("logged a marker: %+v", rs)
			}
		})
	}
}

// geoParagraphLines is a page of body text as a text layer gives it: two
// paragraphs whose first lines are indented by eight characters, at a line
// pitch of 15.5 pt, with the left edges off by a little as justified text
// and rounding leave them.
func geoParagraphLines(pitch float64, gapBefore int) []pipeline.Line {
	texts := []string{
		"Recalling the United Nations Convention against Transnational",
		"Organized Crime and the Protocols thereto, in particular the Protocol to",
		"Prevent, Suppress and Punish Trafficking in Persons, Especially Women",
		"and Children,",
		"Welcoming the progress made at the fourth session of the Conference",
		"of the Parties to the United Nations Convention against Transnational",
		"Organized Crime,",
	}
	lefts := []float64{72 + 8*geoPDFCharW, 72, 72.2, 71.9, 72 + 8*geoPDFCharW + 0.4, 72.1, 72}
	var lines []pipeline.Line
	y := 200.0
	for i, s := range texts {
		if i > 0 {
			y += pitch
			if i == gapBefore {
				y += pitch
			}
		}
		lines = append(lines, geoPDFLine(i+1, lefts[i], y, s))
	}
	return lines
}

// TestGeometryIndent: in a PDF the only sign of a new paragraph may be its
// indented first line; the paragraph stage reads Indent for it, in
// characters from the page's margin, as it does for pdftotext -layout.
func TestGeometryIndent(t *testing.T) {
	tests := []struct {
		name  string
		lines []pipeline.Line
	}{
		{"text layer", geoParagraphLines(15.5, -1)},
		{"OCR", func() []pipeline.Line {
			var ls []pipeline.Line
			for i, ln := range geoParagraphLines(15.5, -1) {
				// the same page scanned: 300 dpi, the left edges a pixel or two apart
				x := (ln.Words[0].Box.X0-72)*300/72 + 300 + float64(i%3)
				ls = append(ls, geoOCRLine(ln.Origin, x, 830+float64(i)*65, 0, ln.Text))
			}
			return ls
		}()},
	}
	want := []int{8, 0, 0, 0, 8, 0, 0}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(1, tt.lines...))
			geoApply(t, doc)
			for i, ln := range doc.Pages[0].Lines {
				if d := ln.Indent - want[i]; d < -1 || d > 1 {
					t.Errorf("line %d %q: Indent %d, want %d±1", i+1, ln.Text, ln.Indent, want[i])
				}
				if want[i] == 0 && ln.Indent != 0 {
					t.Errorf("line %d %q at the margin: Indent %d, want 0", i+1, ln.Text, ln.Indent)
				}
			}
		})
	}
}

// TestGeometryBreak: the space between paragraphs is a blank line in text
// and only a wider gap in a PDF; Break carries it to the paragraph stage.
// Ordinary line spacing, a little uneven, must not.
func TestGeometryBreak(t *testing.T) {
	doc := geoDoc(pipeline.KindPDF, geoPage(1, geoParagraphLines(15.5, 4)...))
	for i := range doc.Pages[0].Lines {
		// uneven line spacing, as rounding in the layout leaves it
		for _, w := range doc.Pages[0].Lines[i].Words {
			w.Box.Y0 += float64(i%2) * 0.4
			w.Box.Y1 += float64(i%2) * 0.4
		}
	}
	geoApply(t, doc)
	for i, ln := range doc.Pages[0].Lines {
		if want := i == 4; ln.Break != want {
			t.Errorf("line %d %q: Break %v, want %v", i+1, ln.Text, ln.Break, want)
		}
	}
}

// TestGeometryLeavesTextAlone: text inputs carry no boxes, and a document
// must come out of the stage exactly as it went in: the stage runs first in
// every chain, on every input.
func TestGeometryLeavesTextAlone(t *testing.T) {
	text, err := input.Read("res.txt", []byte("A/RES/63/194\n\n      Recalling its resolution 61/180,\nOrganized Crime1 and the Protocols thereto,\n\f2\nRecognizing that\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	noBoxes := geoDoc(pipeline.KindOCR, geoPage(1, pipeline.Line{Text: "Organized  Crime 1", Indent: 6, Break: true, Origin: 3,
		Words: []pipeline.Word{{Text: "Organized"}, {Text: "Crime"}, {Text: "1", Superscript: true}}}))
	mixed := geoDoc(pipeline.KindPDF, geoPage(1,
		geoPDFLine(1, 72, 200, "Organized Crime +^1 and the Protocols"),
		pipeline.Line{Text: "  a line some reader gave without words", Indent: 2, Break: true, Origin: 2},
		geoPDFLine(3, 72, 215.5, "thereto, in particular the Protocol"),
	))
	tests := []struct {
		name string
		doc  *pipeline.Document
		keep func(d *pipeline.Document) any // the part that must not change
	}{
		{"text input", text, func(d *pipeline.Document) any { return d }},
		{"words without boxes", noBoxes, func(d *pipeline.Document) any { return d }},
		{"line without words on a page with boxes", mixed, func(d *pipeline.Document) any { return d.Pages[0].Lines[1] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.keep(geoClone(tt.doc))
			geoApply(t, tt.doc)
			if diff := cmp.Diff(before, tt.keep(tt.doc)); diff != "" {
				t.Errorf("changed (-before +after):\n%s", diff)
			}
		})
	}
}

// TestGeometrySecondRun: a document cleaned again, or a stage re-run by a
// tool, must not change or log anything the first run did not (as the
// paragraph stages are checked by paraSecondRunDifference).
func TestGeometrySecondRun(t *testing.T) {
	reader := geoOCRLine(2, 300, 1265, 0.004, "Especially Women and Children, +^2 supplementing the")
	reader.Words[4].Superscript, reader.Words[4].Joined = true, true
	reader.Text = pipeline.JoinWords(reader.Words)
	doc := geoDoc(pipeline.KindPDF,
		geoPage(1, append(geoParagraphLines(15.5, 4), geoPDFLine(8, 72, 330, "Organized Crime +^1 and the framew +ork of the"))...),
		geoPage(2, geoOCRLine(1, 300, 1200, 0.004, "Transnational Organized Crime +^' and the Protocols thereto,"), reader),
	)
	geoApply(t, doc)
	first := geoClone(doc)
	geoApply(t, doc)
	if diff := cmp.Diff(first.Pages, doc.Pages); diff != "" {
		t.Errorf("a second run changed the pages (-first +second):\n%s", diff)
	}
	if again := doc.Log[len(first.Log):]; len(again) > 0 {
		t.Errorf("a second run changed nothing but logged %d repairs, the first %s %q -> %q", len(again), again[0].Kind, again[0].Before, again[0].After)
	}
}

// geoResolution is two pages of a resolution as a PDF text layer gives
// them: a raised footnote marker after "Organized Crime", its definition at
// the foot of page 1 in a smaller face, and the paragraph running on over
// the page break.
func geoResolution() *pipeline.Document {
	p1 := []pipeline.Line{
		geoPDFLine(1, 72, 120, "63/194. Improving the coordination of efforts against"),
		geoPDFLine(2, 72, 135.5, "trafficking in persons"),
		geoPDFLine(3, 72+8*geoPDFCharW, 166.5, "The General Assembly,"),
		geoPDFLine(4, 72+8*geoPDFCharW, 197.5, "Recalling its resolution 61/180 of 20 December 2006 on improving"),
		geoPDFLine(5, 72, 213, "the coordination of efforts against trafficking in persons,"),
		geoPDFLine(6, 72+8*geoPDFCharW, 244, "Recalling further the United Nations Convention against Transnational"),
		geoPDFLine(7, 72, 259.5, "Organized Crime +^1 and the Protocol to Prevent, Suppress and Punish"),
		geoPDFLine(8, 72, 275, "Trafficking in Persons, Especially Women and Children, supplementing"),
	}
	// the footnote, in 9 pt: a smaller box, its number raised
	fn := geoPDFLine(9, 72, 780, "^1 Resolution 55/25, annex I.")
	for i := range fn.Words {
		b := fn.Words[i].Box
		b.Y0 = b.Y1 - 10.6
		if i == 0 {
			b.Y0 = b.Y1 - 6.1
		}
		b.X1 = b.X0 + (b.X1-b.X0)*0.82
	}
	p1 = append(p1, fn)
	p2 := []pipeline.Line{
		geoPDFLine(1, 72, 80, "the United Nations Convention against Transnational Organized Crime,"),
		geoPDFLine(2, 72+8*geoPDFCharW, 111, "Welcoming the progress made at the fourth session of the Conference of"),
		geoPDFLine(3, 72, 126.5, "the Parties to the Convention,"),
	}
	return geoDoc(pipeline.KindPDF, geoPage(1, p1...), geoPage(2, p2...))
}

// TestGeometryChain: a PDF with a text layer cleaned end to end. The user
// must get the paragraph without its marker and a reference to footnote 1
// right after "Crime", and no trace of the stage's private RaisedMark.
func TestGeometryChain(t *testing.T) {
	doc := geoResolution()
	if err := stages.Chain(dictionaries.Default()).Run(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	texts := paraTexts(doc)
	const para = "Recalling further the United Nations Convention against Transnational Organized Crime and the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime,"
	found := -1
	for i, s := range texts {
		if s == para {
			found = i
		}
	}
	if found < 0 {
		t.Fatalf("no paragraph reads %q; the paragraphs are:\n%s", para, strings.Join(texts, "\n"))
	}
	p := doc.Paragraphs[found]
	want := []pipeline.Ref{{Offset: strings.Index(para, "Crime") + len("Crime"), Number: 1}}
	if diff := cmp.Diff(want, p.Refs); diff != "" {
		t.Errorf("references of %q (-want +got):\n%s", para, diff)
	}
	wantFn := []pipeline.Footnote{{Number: 1, Text: "Resolution 55/25, annex I.", Page: 1,
		Refs: []pipeline.RefSource{{Paragraph: found, Offset: want[0].Offset}}}}
	if diff := cmp.Diff(wantFn, doc.Footnotes); diff != "" {
		t.Errorf("footnotes (-want +got):\n%s", diff)
	}
	for i, s := range texts {
		if strings.Contains(s, "Resolution 55/25") {
			t.Errorf("paragraph %d holds the footnote definition: %q", i, s)
		}
	}
	geoCheckNoMark(t, doc)
}

// geoCheckNoMark fails if the stage's private mark reached the output.
func geoCheckNoMark(t *testing.T, doc *pipeline.Document) {
	t.Helper()
	for i, p := range doc.Paragraphs {
		if strings.Contains(p.Text, geoMark) {
			t.Errorf("paragraph %d holds a RaisedMark: %q", i, p.Text)
		}
	}
	for _, f := range doc.Footnotes {
		if strings.Contains(f.Text, geoMark) {
			t.Errorf("footnote %d holds a RaisedMark: %q", f.Number, f.Text)
		}
	}
	if md := pipeline.Markdown(doc); strings.Contains(string(md), geoMark) {
		t.Errorf("the Markdown holds a RaisedMark:\n%s", md)
	}
}

// TestGeometryRejectedRaisedGlyph: when the marker stage does not take a
// raised glyph for a marker, the glyph may stay in the text, but the mark
// the geometry stage put before it is emend's private signal and must
// never reach a user.
func TestGeometryRejectedRaisedGlyph(t *testing.T) {
	long := geoOCRLine(2, 300, 1265, 0, "the Protocols thereto, as set out in ^annex I")
	long.Words[7].Superscript = true // the reader flagged a raised run too long for a marker
	long.Text = pipeline.JoinWords(long.Words)
	doc := geoDoc(pipeline.KindScan, geoPage(1,
		geoOCRLine(1, 300, 1200, 0, "Recalling the United Nations Convention against Transnational"),
		long,
		// raised glyphs the marker stage does take: their marks go with
		// the glyphs
		geoOCRLine(3, 300, 1330, 0, "and the International Covenant on Economic, Social +^° and Cultural"),
		geoOCRLine(4, 300, 1395, 0, "Rights, and Organized Crime +^' and the Protocol,"),
		geoOCRLine(5, 300, 3100, 0, "^1 Resolution 55/25, annex I."),
	))
	geoApply(t, doc)
	marked := 0
	for _, ln := range doc.Pages[0].Lines {
		marked += strings.Count(ln.Text, geoMark)
	}
	if marked != 3 {
		t.Fatalf("the geometry stage marked %d raised glyphs, want 3; lines: %+v", marked, doc.Pages[0].Lines)
	}
	if err := stages.Chain(dictionaries.Default())[1:].Run(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	geoCheckNoMark(t, doc)
	if text := strings.Join(paraTexts(doc), "\n"); !strings.Contains(text, "as set out in annex I") {
		t.Errorf("the raised run no marker was made of should stay as printed, \"as set out in annex I\"; paragraphs:\n%s", text)
	}
}

// geoRealTextLayer is the text layer of A/RES/63/194 as a document, from
// the pdftotext -bbox-layout output of testdata/scans/A-RES-63-194.text.pdf
// kept in testdata/geometry, and the document's gold text.
func geoRealTextLayer(t *testing.T) (*pipeline.Document, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "geometry", "A-RES-63-194.bbox.html"))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pdf.ParseBBoxLayout(data)
	if err != nil {
		t.Fatal(err)
	}
	gold, err := os.ReadFile(filepath.Join("..", "testdata", "scans", "A-RES-63-194.gold.md"))
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Document{Source: "A-RES-63-194.text.pdf", Kind: pipeline.KindPDF, Pages: pages}, gold
}

// TestGeometryTextLayerOfARealResolution runs the stage over the text
// layer of A/RES/63/194 (pdftotext -bbox-layout output of
// testdata/scans/A-RES-63-194.text.pdf, kept in testdata/geometry) and
// checks it against the document's gold text: every footnote reference
// there must come out of the stage as a superscript glued to its word, and
// nothing else may. Two of them close short lines ("Slavery,⁴",
// "pornography,⁷").
func TestGeometryTextLayerOfARealResolution(t *testing.T) {
	doc, gold := geoRealTextLayer(t)
	geoApply(t, doc)

	// The words the gold text marks, in order: "Crime[^1]" gives "Crime".
	var want []string
	body, _, _ := strings.Cut(string(gold), "\n[^1]:")
	for _, m := range regexp.MustCompile(`(\S+?)\[\^(\d+)\]`).FindAllStringSubmatch(body, -1) {
		want = append(want, m[1]+"^"+m[2])
	}
	var got []string
	supRe := regexp.MustCompile(`(\S+?)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)`)
	toDigit := strings.NewReplacer("⁰", "0", "¹", "1", "²", "2", "³", "3", "⁴", "4", "⁵", "5", "⁶", "6", "⁷", "7", "⁸", "8", "⁹", "9")
	for _, pg := range doc.Pages {
		for _, ln := range pg.Lines {
			if strings.Contains(ln.Text, geoMark) {
				t.Errorf("page %d line %d: a raised glyph that is not a digit in a born-digital text layer: %q", pg.Number, ln.Origin, ln.Text)
			}
			for _, m := range supRe.FindAllStringSubmatch(ln.Text, -1) {
				got = append(got, m[1]+"^"+toDigit.Replace(m[2]))
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("superscript markers (-gold +geometry):\n%s", diff)
	}
	for _, r := range geoRepairs(doc, pipeline.RepairSplitWord) {
		t.Errorf("split-word join in a text layer with real spaces: %q -> %q at %v", r.Before, r.After, r.Pos)
	}
}

// TestGeometryChainOnARealTextLayer cleans the text layer of A/RES/63/194
// end to end: what a user gets from the PDF must be the document's gold
// text, with every footnote reference in place and no stray glyph.
func TestGeometryChainOnARealTextLayer(t *testing.T) {
	doc, gold := geoRealTextLayer(t)
	if err := stages.Chain(dictionaries.Default()).Run(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(gold), string(pipeline.Markdown(doc))); diff != "" {
		t.Errorf("cleaned text (-gold +got):\n%s", diff)
	}
	geoCheckNoMark(t, doc)
}

// geoFuzzReader hands out the fuzz input a byte or a number at a time,
// zeros once it is used up.
type geoFuzzReader struct{ b []byte }

func (r *geoFuzzReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// float is a coordinate: now and then one a reader should never give
// (NaN, an infinity, a subnormal, a huge value), mostly a value in
// ±4096 in steps of 1/8.
func (r *geoFuzzReader) float() float64 {
	c := r.byte()
	switch c {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	case 3:
		return math.Copysign(0, -1)
	case 4:
		return 5e-324
	case 5:
		return 1e308
	case 6:
		return -1e12
	}
	return float64(int16(uint16(c-7)<<8|uint16(r.byte()))) / 8
}

var geoFuzzWords = []string{"", "1", "10", "'", "?", "®", "*", "on", "as", "to", "Crime", "Crime,", "framew", "ork", ",",
	"55", "/25", "é", "¹", "Resolution", "annex", "I.", "gap", geoMark + "'", "Ukrai", "n", "—", "a b", "policy,", "children",
	"Transnational Organized", "Especially Women and Children,", geoRule, "———", "Ibid.,", "p.", "A/RES/55/25"}

// The fuzz input, byte by byte: the number of pages (1 + b%2); for each,
// its width and height and the number of lines (1 + b%8); for each line a
// mode (bit 0: flat, bit 1: the reader gives font sizes, bit 4: Break, bits
// 5-7: Indent), the top and bottom of a flat line's boxes, the font size
// when given, and the number of words (b%16); for each word, its text
// (b < 64: a word of geoFuzzWords, else the next (b-64)%32 bytes), flags
// (bit 0: Joined, bit 1: Superscript, bit 2: no box) and its box's x0 and
// x1, and y0 and y1 unless the line is flat. Numbers are read by float.
// A line without words gets a word of geoFuzzWords as its text.
const (
	geoFlat     = 1
	geoFontSize = 2
	geoBreak    = 16
)

// geoFuzzDoc decodes fuzz input into pages of lines of words with boxes.
// In a flat line every word's box has the same top and bottom, as in a
// text layer, and none is flagged Superscript: flat reports those lines.
func geoFuzzDoc(data []byte) (doc *pipeline.Document, flat map[[2]int]bool) {
	r := &geoFuzzReader{b: data}
	doc = &pipeline.Document{Source: "fuzz.pdf", Kind: pipeline.KindPDF}
	flat = map[[2]int]bool{}
	for p := range 1 + int(r.byte()%2) {
		pg := pipeline.Page{Number: p + 1, Width: r.float(), Height: r.float()}
		for l := range 1 + int(r.byte()%8) {
			mode := r.byte()
			ln := pipeline.Line{Origin: l + 1, Indent: int(mode >> 5), Break: mode&geoBreak != 0}
			isFlat := mode&geoFlat != 0
			y0, y1 := r.float(), r.float()
			var fontSize float64
			if mode&geoFontSize != 0 {
				fontSize = r.float()
			}
			for range int(r.byte() % 16) {
				w := pipeline.Word{FontSize: fontSize}
				if c := r.byte(); c < 64 {
					w.Text = geoFuzzWords[int(c)%len(geoFuzzWords)]
				} else {
					n := min(len(r.b), int(c-64)%32)
					w.Text = strings.ToValidUTF8(string(r.b[:n]), "?")
					r.b = r.b[n:]
				}
				flags := r.byte()
				w.Joined, w.Superscript = flags&1 != 0, flags&2 != 0 && !isFlat
				if flags&4 == 0 || isFlat {
					b := pipeline.Box{X0: r.float(), X1: r.float(), Y0: y0, Y1: y1}
					if !isFlat {
						b.Y0, b.Y1 = r.float(), r.float()
					}
					w.Box = &b
				}
				ln.Words = append(ln.Words, w)
			}
			if len(ln.Words) > 0 {
				ln.Text = pipeline.JoinWords(ln.Words)
			} else {
				ln.Text = strings.Trim(geoFuzzWords[int(mode)%len(geoFuzzWords)], "_") // not the rule the stage inserts
			}
			if isFlat && len(ln.Words) > 0 {
				flat[[2]int{p, l}] = true
			}
			pg.Lines = append(pg.Lines, ln)
		}
		doc.Pages = append(doc.Pages, pg)
	}
	return doc, flat
}

// geoFuzzEncode is the inverse of geoFuzzDoc for pages of at most 8 lines
// of at most 15 words, whose coordinates are multiples of 1/8 within ±3800
// (or NaN, infinite, -0 or 5e-324): it turns the tests' lines into seeds.
// Lines are written flat when their words share top and bottom and none is
// a superscript.
func geoFuzzEncode(pages ...pipeline.Page) []byte {
	var out []byte
	num := func(v float64) {
		switch {
		case math.IsNaN(v):
			out = append(out, 0)
		case math.IsInf(v, 1):
			out = append(out, 1)
		case math.IsInf(v, -1):
			out = append(out, 2)
		case v == 0 && math.Signbit(v):
			out = append(out, 3)
		case v == 5e-324:
			out = append(out, 4)
		default:
			k := uint16(int16(math.Round(v * 8)))
			out = append(out, byte(k>>8)+7, byte(k))
		}
	}
	out = append(out, byte(len(pages)-1))
	for _, pg := range pages {
		num(pg.Width)
		num(pg.Height)
		out = append(out, byte(len(pg.Lines)-1))
		for _, ln := range pg.Lines {
			isFlat, fontSize := len(ln.Words) > 0, 0.0
			for _, w := range ln.Words {
				b0 := ln.Words[0].Box
				isFlat = isFlat && !w.Superscript && w.Box != nil && b0 != nil && w.Box.Y0 == b0.Y0 && w.Box.Y1 == b0.Y1
				fontSize = w.FontSize
			}
			mode := byte(min(ln.Indent, 7)) << 5
			if isFlat {
				mode |= geoFlat
			}
			if fontSize != 0 {
				mode |= geoFontSize
			}
			if ln.Break {
				mode |= geoBreak
			}
			out = append(out, mode)
			y0, y1 := 0.0, 0.0
			if isFlat {
				y0, y1 = ln.Words[0].Box.Y0, ln.Words[0].Box.Y1
			}
			num(y0)
			num(y1)
			if fontSize != 0 {
				num(fontSize)
			}
			out = append(out, byte(len(ln.Words)))
			for _, w := range ln.Words {
				if k := slices.Index(geoFuzzWords, w.Text); k >= 0 {
					out = append(out, byte(k))
				} else {
					out = append(out, byte(64+len(w.Text)))
					out = append(out, w.Text...)
				}
				var flags byte
				if w.Joined {
					flags |= 1
				}
				if w.Superscript {
					flags |= 2
				}
				if w.Box == nil {
					flags |= 4
				}
				out = append(out, flags)
				if w.Box != nil {
					num(w.Box.X0)
					num(w.Box.X1)
					if !isFlat {
						num(w.Box.Y0)
						num(w.Box.Y1)
					}
				}
			}
		}
	}
	return out
}

// TestGeometryFuzzEncoding checks that the seeds decode to the pages they
// were made from.
func TestGeometryFuzzEncoding(t *testing.T) {
	for i, pages := range geoFuzzSeedPages() {
		doc, _ := geoFuzzDoc(geoFuzzEncode(pages...))
		if diff := cmp.Diff(pages, doc.Pages, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("seed %d does not decode to its pages (-want +got):\n%s", i, diff)
		}
	}
}

// geoFuzzSeedPages are the fuzz seeds: lines of the tests above, and the
// coordinates readers never give.
func geoFuzzSeedPages() [][]pipeline.Page {
	page := func(lines ...pipeline.Line) pipeline.Page {
		pg := pipeline.Page{Number: 1, Lines: lines, Width: 595, Height: 842}
		for i := range pg.Lines {
			pg.Lines[i].Origin = i + 1
			for j := range pg.Lines[i].Words {
				pg.Lines[i].Words[j].Confidence = 0
				if b := pg.Lines[i].Words[j].Box; b != nil {
					*b = pipeline.Box{X0: math.Round(b.X0*8) / 8, Y0: math.Round(b.Y0*8) / 8, X1: math.Round(b.X1*8) / 8, Y1: math.Round(b.Y1*8) / 8}
				}
			}
			pg.Lines[i].Text = pipeline.JoinWords(pg.Lines[i].Words)
		}
		return pg
	}
	number := func(pages ...pipeline.Page) []pipeline.Page {
		for i := range pages {
			pages[i].Number = i + 1
		}
		return pages
	}
	flagged := geoOCRLine(1, 300, 1200, 0, "Organized Crime +^1 and the Protocols")
	flagged.Words[2].Superscript, flagged.Words[2].Joined = true, true
	odd := geoPDFLine(1, 72, 300, "Crime 1 on")
	for i, b := range []pipeline.Box{{X0: 100, X1: 130, Y0: math.Copysign(0, -1), Y1: 5e-324}, {X0: math.NaN(), X1: math.Inf(1), Y0: 10, Y1: 0}, {X0: 1e-3, X1: math.Inf(-1), Y0: 7, Y1: 7}} {
		*odd.Words[i].Box = b
	}
	var fn []pipeline.Line
	for i := range 4 {
		fn = append(fn, geoPDFLine(1, 72, 100+float64(i)*15.5, "Transnational Organized Transnational Organized"))
	}
	fn = append(fn, geoPDFLine(1, 72, 700, "^1 Resolution 55/25, annex I."))
	for i := range fn {
		for j := range fn[i].Words {
			fn[i].Words[j].FontSize = 11
			if i == len(fn)-1 {
				fn[i].Words[j].FontSize = 8
			}
		}
	}
	return [][]pipeline.Page{
		{page(geoPDFLine(1, 72, 300, "Transnational Organized Crime +^1 and the Protocols thereto,"), geoPDFLine(1, 72, 315.5, "a strategic framew +ork for action, ^5 resolution 55 +/25"))},
		{page(geoOCRLine(1, 300, 1200, 0.01, "Recognizing that as on us it is so the Protocol +^2 to us"), flagged, geoOCRLine(1, 300, 1265, 0, "Especially Women and Children, +^? the"))},
		{page(geoParagraphLines(15.5, 4)...)},
		number(page(fn...), page(odd)),
	}
}

// FuzzGeometry checks the stage on any boxes: it must not panic, its line
// text must be valid UTF-8, lines without boxes keep their text and layout,
// and a line whose boxes are all alike and none flagged (a text layer's
// line with no superscript) changes only by joined words.
func FuzzGeometry(f *testing.F) {
	for _, pages := range geoFuzzSeedPages() {
		f.Add(geoFuzzEncode(pages...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, flat := geoFuzzDoc(data)
		before := geoClone(doc)
		func() {
			// A panic fails this input, not the whole test binary.
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Apply panicked: %v\n%s", r, debug.Stack())
				}
			}()
			if err := (&stages.Geometry{}).Apply(doc); err != nil {
				t.Fatalf("Apply: %v", err)
			}
		}()
		for pi, pg := range doc.Pages {
			// The stage may insert a separator rule before a footnote
			// zone and split a line around a rule set in it; every other
			// output line comes from the input line of its Origin.
			parts := map[int][]pipeline.Line{}
			for _, ln := range pg.Lines {
				if !utf8.ValidString(ln.Text) {
					t.Fatalf("page %d line %d: invalid UTF-8 %q", pi+1, ln.Origin, ln.Text)
				}
				if ln.Indent < 0 {
					t.Errorf("page %d line %d: Indent %d", pi+1, ln.Origin, ln.Indent)
				}
				if ln.Words == nil && ln.Text == geoRule {
					continue
				}
				parts[ln.Origin] = append(parts[ln.Origin], ln)
			}
			for li, was := range before.Pages[pi].Lines {
				got := parts[was.Origin]
				var words []pipeline.Word
				for _, p := range got {
					words = append(words, p.Words...)
				}
				if len(got) == 0 || len(words) != len(was.Words) {
					t.Errorf("page %d line %d: %d words in, %d out in %d lines", pi+1, was.Origin, len(was.Words), len(words), len(got))
					continue
				}
				for k, w := range words {
					if w.Text != was.Words[k].Text {
						t.Errorf("page %d line %d: word %d %q became %q", pi+1, was.Origin, k, was.Words[k].Text, w.Text)
					}
				}
				if len(was.Words) == 0 {
					if diff := cmp.Diff(was, got[0]); len(got) > 1 || diff != "" {
						t.Errorf("page %d line %d without words changed (-in +out):\n%s", pi+1, was.Origin, diff)
					}
					continue
				}
				boxed := false
				for _, w := range was.Words {
					boxed = boxed || w.Box != nil
				}
				if !boxed && len(got) == 1 && (got[0].Indent != was.Indent || got[0].Break != was.Break) {
					t.Errorf("page %d line %d without boxes: Indent %d, Break %v became %d, %v", pi+1, was.Origin, was.Indent, was.Break, got[0].Indent, got[0].Break)
				}
				if !flat[[2]int{pi, li}] {
					continue
				}
				k := 0
				for _, p := range got {
					if want := pipeline.JoinWords(p.Words); p.Text != want {
						t.Errorf("page %d line %d, a line of equal boxes and no superscript: text %q, want the words joined %q", pi+1, was.Origin, p.Text, want)
					}
					for i, w := range p.Words {
						ow := was.Words[k]
						k++
						if w.Superscript || i > 0 && ow.Joined && !w.Joined {
							t.Errorf("page %d line %d, a line of equal boxes and no superscript: word %q became Superscript %v, Joined %v", pi+1, was.Origin, w.Text, w.Superscript, w.Joined)
						}
					}
				}
			}
		}
	})
}
