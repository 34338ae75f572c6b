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
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// raisedMark is pipeline.RaisedMark as a string.
const geoMark = string(pipeline.RaisedMark)

// Text-layer metrics, in points, for an 11 pt body face.
const (
	tlHeight    = 13.0 // font box of every body word of a line
	tlCharW     = 5.5  // average advance of a body character
	tlSpace     = 2.8  // a word space
	tlTight     = 0.3  // what glyph-by-glyph typesetting leaves inside a word
	tlSupHeight = 7.5  // font box of a superscript
	tlSupRaise  = 5.0  // superscript bottom above the line's bottom
	tlSupCharW  = 3.2
	tlSupGap    = 0.8 // between a word and the superscript printed against it
)

// tlLine lays out spec as pdftotext -bbox-layout reports a line whose first
// word starts at x and whose font boxes end at bottom. Words are separated
// by spaces in spec; a word written "+w" follows the one before it with a
// tight gap instead of a word space (a word the text layer split, or a
// superscript printed against its word), and "^w" is a superscript.
func tlLine(origin int, x, bottom float64, spec string) pipeline.Line {
	var ws []pipeline.Word
	for i, tok := range strings.Fields(spec) {
		gap := tlSpace
		tight := false
		if t, ok := strings.CutPrefix(tok, "+"); ok {
			tok, gap, tight = t, tlTight, true
		}
		sup := false
		if t, ok := strings.CutPrefix(tok, "^"); ok {
			tok, sup = t, true
			if tight {
				gap = tlSupGap
			}
		}
		if i == 0 {
			gap = 0
		}
		n := float64(utf8.RuneCountInString(tok))
		b := pipeline.Box{X0: x + gap, Y0: bottom - tlHeight, Y1: bottom}
		b.X1 = b.X0 + n*tlCharW
		if sup {
			b.X1 = b.X0 + n*tlSupCharW
			b.Y1 = bottom - tlSupRaise
			b.Y0 = b.Y1 - tlSupHeight
		}
		ws = append(ws, pipeline.Word{Text: tok, Box: &b})
		x = b.X1
	}
	return pipeline.Line{Text: pipeline.JoinWords(ws), Words: ws, Origin: origin}
}

// OCR metrics, in pixels of a 300 dpi scan of an 11 pt face.
const (
	ocrAscent   = 30.0 // capitals, digits, ascenders above the baseline
	ocrXHeight  = 21.0
	ocrIDot     = 27.0 // i and j reach their dot
	ocrDescent  = 10.0 // g, p, y below the baseline
	ocrComma    = 7.0  // a comma's tail below the baseline
	ocrCharW    = 20.0
	ocrSpace    = 12.0
	ocrSupH     = 18.0 // the ink of a superscript digit
	ocrSupRaise = 15.0 // its bottom above the baseline
	ocrSupCharW = 11.0
	ocrSupGap   = 2.0
)

// ocrLine lays out spec as Tesseract boxes a line whose first word starts at
// x and whose baseline is at y there, rising by rise pixels per pixel to
// the right (a skewed scan). Boxes are tight to the ink and whole pixels,
// with a pixel of noise. The spec is read as for tlLine; a "^w" word is a
// raised glyph run Tesseract read as a word of its own, which the reader
// did not flag.
func ocrLine(origin int, x, y, rise float64, spec string) pipeline.Line {
	x0 := x
	base := func(at float64) float64 { return y - rise*(at-x0) }
	noise := []float64{0, 1, 0, -1, 1, 0, -1}
	var ws []pipeline.Word
	for i, tok := range strings.Fields(spec) {
		gap := ocrSpace
		tight := false
		if t, ok := strings.CutPrefix(tok, "+"); ok {
			tok, gap, tight = t, 1, true
		}
		sup := false
		if t, ok := strings.CutPrefix(tok, "^"); ok {
			tok, sup = t, true
			if tight {
				gap = ocrSupGap
			}
		}
		if i == 0 {
			gap = 0
		}
		n := float64(utf8.RuneCountInString(tok))
		b := pipeline.Box{X0: x + gap}
		if sup {
			b.X1 = b.X0 + n*ocrSupCharW
			b.Y1 = base(b.X0) - ocrSupRaise
			b.Y0 = base(b.X1) - ocrSupRaise - ocrSupH
		} else {
			b.X1 = b.X0 + n*ocrCharW
			up, down := ocrInk(tok)
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

// ocrInk is how far a word's ink reaches above and below the baseline.
func ocrInk(word string) (up, down float64) {
	for _, r := range word {
		switch {
		case strings.ContainsRune("bdfhklt0123456789!?'\"/()[]", r) || r >= 'A' && r <= 'Z':
			up = max(up, ocrAscent)
		case r == 'i' || r == 'j':
			up = max(up, ocrIDot)
		case r >= 'a' && r <= 'z':
			up = max(up, ocrXHeight)
		}
		switch {
		case strings.ContainsRune("gjpqy()[]Q", r):
			down = max(down, ocrDescent)
		case r == ',' || r == ';':
			down = max(down, ocrComma)
		}
	}
	return up, down
}

// geoPage is page n of a document of kind, holding lines.
func geoDoc(kind pipeline.InputKind, pages ...pipeline.Page) *pipeline.Document {
	return &pipeline.Document{Source: "geometry.pdf", Kind: kind, Pages: pages}
}

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
	c.Log = append([]pipeline.Repair(nil), doc.Log...)
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
			tlLine(7, 72, 300, "Transnational Organized Crime +^1 and the Protocols thereto,"),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"text layer, two digits", "a tenth reference is two raised digits, one word",
			tlLine(7, 72, 300, "the Convention on the Rights of the Child +^10 and its Optional Protocols"),
			"the Convention on the Rights of the Child¹⁰ and its Optional Protocols"},
		{"text layer, spaced superscript", "a superscript set a space apart still marks the word before it",
			tlLine(7, 72, 300, "on the sale of children, ^5 child prostitution and child pornography"),
			"on the sale of children,⁵ child prostitution and child pornography"},
		{"text layer, last word of the line", "a marker closing a paragraph stands at the line end",
			tlLine(7, 72, 300, "Supplementary Convention on the Abolition of Slavery, +^4"),
			"Supplementary Convention on the Abolition of Slavery,⁴"},
		{"OCR, glued digit read as a word", "Tesseract may read the raised digit as a word of its own",
			ocrLine(7, 300, 1200, 0, "Transnational Organized Crime +^1 and the Protocols thereto,"),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"OCR, two digits", "",
			ocrLine(7, 300, 1200, 0, "the Convention on the Rights of the Child +^10 and its Optional Protocols"),
			"the Convention on the Rights of the Child¹⁰ and its Optional Protocols"},
		{"OCR, spaced superscript", "",
			ocrLine(7, 300, 1200, 0, "on the sale of children, ^5 child prostitution and child pornography"),
			"on the sale of children,⁵ child prostitution and child pornography"},
		{"OCR, split off by the reader", "the OCR reader cuts a raised run off the word's end and flags it",
			flagged(ocrLine(7, 300, 1200, 0, "Transnational Organized Crime +^1 and the Protocols thereto,"), 3),
			"Transnational Organized Crime¹ and the Protocols thereto,"},
		{"OCR, raised 1 read as an apostrophe", "OCR reads a superscript 1 as ': only its height and place say it is a marker",
			ocrLine(7, 300, 1200, 0, "Transnational Organized Crime +^' and the Protocols thereto,"),
			"Transnational Organized Crime" + geoMark + "' and the Protocols thereto,"},
		{"OCR, raised 2 read as a question mark", "",
			ocrLine(7, 300, 1200, 0, "Especially Women and Children, +^? supplementing the Convention"),
			"Especially Women and Children," + geoMark + "? supplementing the Convention"},
		{"OCR, raised 8 read as ®", "",
			ocrLine(7, 300, 1200, 0, "the Special Rapporteur on trafficking in persons +^® and the"),
			"the Special Rapporteur on trafficking in persons" + geoMark + "® and the"},
		{"text layer, asterisk", "a raised asterisk is a marker whatever number it gets",
			tlLine(7, 72, 300, "Item 98 of the provisional agenda +^* Crime prevention"),
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
	headFlagged := ocrLine(12, 300, 3100, 0, "^1 +Resolution 55/25, annex I.")
	headFlagged.Words[0].Superscript = true // the OCR reader split the raised head off "Resolution"
	headFlagged.Words[1].Joined = true
	headFlagged.Text = pipeline.JoinWords(headFlagged.Words)
	tests := []struct {
		name string
		line pipeline.Line
		want string
	}{
		{"text layer", tlLine(12, 72, 780, "^1 Resolution 55/25, annex I."), "1 Resolution 55/25, annex I."},
		{"OCR, read as a word", ocrLine(12, 300, 3100, 0, "^1 Resolution 55/25, annex I."), "1 Resolution 55/25, annex I."},
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
	smallFont := tlLine(4, 72, 300, "the Office of the UNHCR and the")
	for _, i := range []int{3, 4} { // "the UNHCR" set in small capitals: a smaller box on the same baseline
		b := smallFont.Words[i].Box
		b.Y0, b.Y1 = b.Y1-9.5+0.9, b.Y1-0.9*0.22 // the smaller font's descent ends a little higher
	}
	raisedLong := ocrLine(4, 300, 1200, 0, "as set out in the ^annex to the present resolution")
	tests := []struct {
		name, reason string
		line         pipeline.Line
	}{
		{"OCR x-height words", "\"on\", \"as\", \"us\", \"so\" are shorter than the line but stand on its baseline",
			ocrLine(4, 300, 1200, 0, "Calls upon States, as well as on us to act so as to report on measures")},
		{"OCR x-height words at the line end", "",
			ocrLine(4, 300, 1200, 0, "Invites Member States to inform us as")},
		{"OCR descenders", "words with descenders reach below the baseline, never above",
			ocrLine(4, 300, 1200, 0, "giving priority to (a) policy, by any gap in pay up to go")},
		{"OCR long raised word", "a raised run of five letters is no footnote marker", raisedLong},
		{"OCR apostrophe-sized glyph", "a raised glyph smaller than a third of the line's height is a quotation mark or a speck",
			raisedSmall(ocrLine(4, 300, 1200, 0, "the States ’ obligations under the Convention"), 2, 9)},
		{"text layer, same boxes", "a text layer's font boxes are all alike",
			tlLine(4, 72, 300, "as well as on us to act so as to report on 5 of 10 measures")},
		{"text layer, small capitals", "a word in a smaller font on the same baseline is not raised", smallFont},
		{"skewed scan", "on a scan skewed by half a degree the baseline climbs 24 pixels along the line",
			ocrLine(4, 300, 1200, 0.01, "Recognizing that as on us it is so to do and the Convention on the Rights of the Child as on to us")},
		{"skewed the other way", "",
			ocrLine(4, 300, 1200, -0.01, "Recognizing that as on us it is so to do and the Convention on the Rights of the Child as on to us")},
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
			ln := ocrLine(4, 300, 1200, rise, "on us as the Convention on the Rights of the Child as so on to the Optional Protocol +^2 to us")
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
		name string
		line pipeline.Line
		want string
	}{
		{"text layer", tlLine(9, 72, 300, "Practices Similar to Slavery, +^4"), "Practices Similar to Slavery,⁴"},
		{"text layer, spaced", tlLine(9, 72, 300, "Practices Similar to Slavery, ^4"), "Practices Similar to Slavery,⁴"},
		{"OCR", ocrLine(9, 300, 1200, 0, "Practices Similar to Slavery, +^4"), "Practices Similar to Slavery,⁴"},
		{"text layer, one word before", tlLine(9, 72, 300, "Crime +^1"), "Crime¹"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := geoDoc(pipeline.KindPDF, geoPage(1, tt.line))
			geoApply(t, doc)
			if got := doc.Pages[0].Lines[0].Text; got != tt.want {
				t.Errorf("(-want +got):\n%s", cmp.Diff(tt.want, got))
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
		{"split twice", "",
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
			doc := geoDoc(pipeline.KindPDF, geoPage(2, tlLine(5, 72, 300, tt.spec)))
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
	lefts := []float64{72 + 8*tlCharW, 72, 72.2, 71.9, 72 + 8*tlCharW + 0.4, 72.1, 72}
	var lines []pipeline.Line
	y := 200.0
	for i, s := range texts {
		if i > 0 {
			y += pitch
			if i == gapBefore {
				y += pitch
			}
		}
		lines = append(lines, tlLine(i+1, lefts[i], y, s))
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
				ls = append(ls, ocrLine(ln.Origin, x, 830+float64(i)*65, 0, ln.Text))
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
		tlLine(1, 72, 200, "Organized Crime +^1 and the Protocols"),
		pipeline.Line{Text: "  a line some reader gave without words", Indent: 2, Break: true, Origin: 2},
		tlLine(3, 72, 215.5, "thereto, in particular the Protocol"),
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
	reader := ocrLine(2, 300, 1265, 0.004, "Especially Women and Children, +^2 supplementing the")
	reader.Words[4].Superscript, reader.Words[4].Joined = true, true
	reader.Text = pipeline.JoinWords(reader.Words)
	doc := geoDoc(pipeline.KindPDF,
		geoPage(1, append(geoParagraphLines(15.5, 4), tlLine(8, 72, 330, "Organized Crime +^1 and the framew +ork of the"))...),
		geoPage(2, ocrLine(1, 300, 1200, 0.004, "Transnational Organized Crime +^' and the Protocols thereto,"), reader),
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
		tlLine(1, 72, 120, "63/194. Improving the coordination of efforts against"),
		tlLine(2, 72, 135.5, "trafficking in persons"),
		tlLine(3, 72+8*tlCharW, 166.5, "The General Assembly,"),
		tlLine(4, 72+8*tlCharW, 197.5, "Recalling its resolution 61/180 of 20 December 2006 on improving"),
		tlLine(5, 72, 213, "the coordination of efforts against trafficking in persons,"),
		tlLine(6, 72+8*tlCharW, 244, "Recalling further the United Nations Convention against Transnational"),
		tlLine(7, 72, 259.5, "Organized Crime +^1 and the Protocol to Prevent, Suppress and Punish"),
		tlLine(8, 72, 275, "Trafficking in Persons, Especially Women and Children, supplementing"),
	}
	// the footnote, in 9 pt: a smaller box, its number raised
	fn := tlLine(9, 72, 780, "^1 Resolution 55/25, annex I.")
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
		tlLine(1, 72, 80, "the United Nations Convention against Transnational Organized Crime,"),
		tlLine(2, 72+8*tlCharW, 111, "Welcoming the progress made at the fourth session of the Conference of"),
		tlLine(3, 72, 126.5, "the Parties to the Convention,"),
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
	var texts []string
	for _, p := range doc.Paragraphs {
		texts = append(texts, p.Text)
	}
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
	long := ocrLine(2, 300, 1265, 0, "the Protocols thereto, as set out in ^annex I")
	long.Words[7].Superscript = true // the reader flagged a raised run too long for a marker
	long.Text = pipeline.JoinWords(long.Words)
	doc := geoDoc(pipeline.KindScan, geoPage(1,
		ocrLine(1, 300, 1200, 0, "Recalling the United Nations Convention against Transnational"),
		long,
		// a second raised glyph, with no footnote for it on the page: the
		// sequence has nothing to give it
		ocrLine(3, 300, 1330, 0, "and the International Covenant on Economic, Social +^° and Cultural"),
		ocrLine(4, 300, 1395, 0, "Rights, and Organized Crime +^' and the Protocol,"),
		ocrLine(5, 300, 3100, 0, "^1 Resolution 55/25, annex I."),
	))
	geoApply(t, doc)
	marked := 0
	for _, ln := range doc.Pages[0].Lines {
		marked += strings.Count(ln.Text, geoMark)
	}
	if marked < 2 {
		t.Fatalf("the geometry stage marked %d raised glyphs, want at least 2; lines: %+v", marked, doc.Pages[0].Lines)
	}
	if err := stages.Chain(dictionaries.Default())[1:].Run(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	geoCheckNoMark(t, doc)
	if len(doc.Paragraphs) == 0 {
		t.Fatal("no paragraphs")
	}
}

// TestGeometryTextLayerOfARealResolution runs the stage over the text
// layer of A/RES/63/194 (pdftotext -bbox-layout output kept in testdata)
// and checks it against the document's gold text: every footnote reference
// there must come out as a superscript glued to its word, and nothing else
// may.
func TestGeometryTextLayerOfARealResolution(t *testing.T) {
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
	doc := &pipeline.Document{Source: "A-RES-63-194.text.pdf", Kind: pipeline.KindPDF, Pages: pages}
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
				got = append(got, strings.TrimSuffix(m[1], "")+"^"+toDigit.Replace(m[2]))
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("superscript markers (-gold +geometry):\n%s", diff)
	}
	// The definitions keep their numbers first on their lines.
	defs := 0
	for _, pg := range doc.Pages {
		for _, ln := range pg.Lines {
			if regexp.MustCompile(`^\d{1,2} [A-Z]`).MatchString(ln.Text) && len(ln.Words) > 0 && ln.Words[0].Box.Height() < 10 {
				defs++
			}
		}
	}
	if wantDefs := strings.Count(string(gold), "\n[^"); defs != wantDefs {
		t.Errorf("%d footnote definitions keep their number first, want %d", defs, wantDefs)
	}
	for _, r := range geoRepairs(doc, pipeline.RepairSplitWord) {
		t.Errorf("split-word join in a text layer with real spaces: %q -> %q at %v", r.Before, r.After, r.Pos)
	}
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
// ±4096 pt in steps of 1/8.
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
	return float64(int16(uint16(c)<<8|uint16(r.byte()))) / 8
}

var geoFuzzWords = []string{"", "1", "10", "'", "?", "®", "*", "on", "as", "to", "Crime", "Crime,", "framew", "ork", ",",
	"55", "/25", "é", "¹", "Resolution", "annex", "I.", "gap", geoMark + "'", "Ukrai", "n", "—", "a b", "policy,", "children", "Transnational Organized", "Especially Women and Children,"}

// geoFuzzDoc decodes fuzz input into pages of lines of words with boxes.
// A line may be "flat": its words share their top and bottom, as in a
// text layer, and none is flagged Superscript.
func geoFuzzDoc(data []byte) (doc *pipeline.Document, flat map[[2]int]bool) {
	r := &geoFuzzReader{b: data}
	doc = &pipeline.Document{Source: "fuzz.pdf", Kind: pipeline.KindPDF}
	flat = map[[2]int]bool{}
	for p := range 1 + int(r.byte()%2) {
		pg := pipeline.Page{Number: p + 1, Width: r.float(), Height: r.float()}
		for l := range 1 + int(r.byte()%8) {
			mode := r.byte()
			ln := pipeline.Line{Origin: l + 1, Indent: int(mode >> 5), Break: mode&16 != 0}
			isFlat := mode&1 != 0
			y0, y1 := r.float(), r.float()
			var fontSize float64
			if mode&2 != 0 { // a reader that gives font sizes
				fontSize = r.float()
			}
			for range int(r.byte() % 12) {
				c := r.byte()
				w := pipeline.Word{Text: geoFuzzWords[int(c)%len(geoFuzzWords)], Joined: c&64 != 0, Superscript: c&128 != 0 && !isFlat, FontSize: fontSize}
				if c >= 224 { // text of the input's own bytes
					n := min(len(r.b), int(c-224)%6)
					w.Text = strings.ToValidUTF8(string(r.b[:n]), "?")
					r.b = r.b[n:]
				}
				if c%8 != 7 || isFlat {
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
				ln.Text = geoFuzzWords[int(mode)%len(geoFuzzWords)]
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

// FuzzGeometry checks the stage on any boxes: it must not panic, its line
// text must be valid UTF-8, lines without boxes keep their text and layout,
// and a line whose boxes are all alike and none flagged (a text layer's
// line with no superscript) changes only by joined words.
func FuzzGeometry(f *testing.F) {
	f.Add([]byte{0, 64, 0, 4, 1, 9, 0, 10, 0, 5, 10, 0, 40, 0, 11, 0, 50, 0, 200, 12, 0, 60, 0, 62, 0})
	f.Add([]byte("\x01\x40\x00\x40\x00\x05\x00\x10\x00\x10\x00\x20\x00\x06\x0a\x00\x10\x00\x20\x01\x4c\x00\x48\x00\x30\x00\x3a\x00"))
	f.Add([]byte(strings.Repeat("\x13\x27\x00\x29\x00\x06\x0b\x08\x00\x10\x00\x02\x08\x20\x00\x30\x00\x43\x08\x34\x00\x36\x00", 4)))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, flat := geoFuzzDoc(data)
		before := geoClone(doc)
		if err := (&stages.Geometry{}).Apply(doc); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		for pi, pg := range doc.Pages {
			orig := before.Pages[pi].Lines
			j := 0
			for _, ln := range pg.Lines {
				if !utf8.ValidString(ln.Text) {
					t.Fatalf("page %d line %d: invalid UTF-8 %q", pi+1, ln.Origin, ln.Text)
				}
				if ln.Indent < 0 {
					t.Errorf("page %d line %d: Indent %d", pi+1, ln.Origin, ln.Indent)
				}
				if ln.Words == nil && ln.Text == "__________" && (j >= len(orig) || orig[j].Text != ln.Text) {
					continue // the separator rule of a footnote zone
				}
				if j >= len(orig) {
					t.Fatalf("page %d: %d lines out of %d in", pi+1, len(pg.Lines), len(orig))
				}
				was := orig[j]
				j++
				boxed := false
				for _, w := range was.Words {
					boxed = boxed || w.Box != nil
				}
				if !boxed {
					if ln.Indent != was.Indent || ln.Break != was.Break || len(was.Words) == 0 && ln.Text != was.Text {
						t.Errorf("page %d line %d without boxes changed:\n%s", pi+1, was.Origin, cmp.Diff(was, ln))
					}
				}
				if !flat[[2]int{pi, j - 1}] {
					continue
				}
				for k, w := range ln.Words {
					ow := was.Words[k]
					if w.Text != ow.Text || w.Superscript || ow.Joined && !w.Joined {
						t.Errorf("page %d line %d, a line of equal boxes and no superscript: word %d %+v became %+v", pi+1, was.Origin, k, ow, w)
					}
				}
				if want := pipeline.JoinWords(ln.Words); ln.Text != want {
					t.Errorf("page %d line %d, a line of equal boxes and no superscript: text %q, want the words joined %q", pi+1, was.Origin, ln.Text, want)
				}
			}
			if j != len(orig) {
				t.Errorf("page %d: %d of %d lines found again", pi+1, j, len(orig))
			}
		}
	})
}
