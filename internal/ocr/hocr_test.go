package ocr

import (
	"strings"
	"testing"

	"github.com/emend/emend/pipeline"
)

// hocrSample is Tesseract 5 hOCR (hocr_char_boxes=1) cut down by hand:
// a paragraph of two lines, a header in a second paragraph, a caption, an
// empty word and a line of nothing but noise.
const hocrSample = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title></title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name='ocr-system' content='tesseract 5.3.0' />
  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf'/>
 </head>
 <body>
  <div class='ocr_page' id='page_1' title='image "line.pgm"; bbox 0 0 2000 300; ppageno 0; scan_res 300 300'>
   <div class='ocr_carea' id='block_1_1' title="bbox 165 25 1934 140">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 165 25 1934 140">
     <span class='ocr_line' id='line_1_1' title="bbox 165 25 1934 66; baseline 0.001 -9; x_size 38; x_descenders 9; x_ascenders 9">
      <span class='ocrx_word' id='word_1_1' title='bbox 165 28 322 66; x_wconf 96'>
       <span class='ocrx_cinfo' title='x_bboxes 165 30 191 57; x_conf 99.559799'>R</span>
       <span class='ocrx_cinfo' title='x_bboxes 181 28 198 66; x_conf 99.574875'>e</span>
       <span class='ocrx_cinfo' title='x_bboxes 193 37 208 57; x_conf 99.531128'>c</span>
      </span>
      <span class='ocrx_word' id='word_1_2' title='bbox 336 28 448 57; x_wconf 71'>AT&amp;T</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 460 28 470 57; x_wconf 0'> </span>
      <span class='ocrx_word' id='word_1_4' title='bbox 1549 25 1665 57; x_wconf 58'>
       <span class='ocrx_cinfo' title='x_bboxes 1549 29 1573 57; x_conf 99.559052'>C</span>
       <span class='ocrx_cinfo' title='x_bboxes 1577 37 1589 57; x_conf 99.574783'>r</span>
       <span class='ocrx_cinfo' title='x_bboxes 1635 25 1665 57; x_conf 94.119156'>&#8217;</span>
      </span>
     </span>
     <span class='ocr_line' id='line_1_2' title="bbox 165 80 900 140; baseline -0.002 -12; x_size 40; x_descenders 10; x_ascenders 10">
      <span class='ocrx_word' id='word_1_5' title='bbox 165 80 400 128; x_wconf 90'>l&#39;été</span>
     </span>
    </p>
    <p class='ocr_par' id='par_1_2' lang='eng' title="bbox 165 150 900 200">
     <span class='ocr_header' id='line_1_3' title="bbox 165 150 900 200; baseline 0 -5; x_size 50; x_descenders 12">
      <span class='ocrx_word' id='word_1_6' title='bbox 165 150 900 200; x_wconf 93'>Heading</span>
     </span>
     <span class='ocr_line' id='line_1_4' title="bbox 165 210 200 220; baseline 0 0; x_size 10; x_descenders 2">
      <span class='ocrx_word' id='word_1_7' title='bbox 165 210 200 220; x_wconf 3'>  </span>
     </span>
    </p>
   </div>
   <div class='ocr_carea' id='block_1_2' title="bbox 165 240 900 290">
    <p class='ocr_par' id='par_1_3' lang='eng' title="bbox 165 240 900 290">
     <span class='ocr_caption' id='line_1_5' title="bbox 165 240 900 290; baseline 0 -8; x_size 30; x_descenders 7">
      <span class='ocrx_word' id='word_1_8' title='bbox 165 240 300 290; x_wconf 88'>Figure</span>
     </span>
    </p>
   </div>
  </div>
 </body>
</html>
`

// Tesseract's hOCR is the only way emend gets word boxes, baselines and
// glyph boxes out of OCR. The parser must keep all of them, decode
// entities, take a word's text from its glyphs when it has them, and drop
// the empty words and lines Tesseract emits for noise.
func TestParseHOCR(t *testing.T) {
	lines, w, h, err := parseHOCR([]byte(hocrSample))
	if err != nil {
		t.Fatal(err)
	}
	if w != 2000 || h != 300 {
		t.Errorf("page %v × %v, want 2000 × 300", w, h)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4 (the noise line dropped): %+v", len(lines), lines)
	}
	l := lines[0]
	if l.box != (pipeline.Box{X0: 165, Y0: 25, X1: 1934, Y1: 66}) {
		t.Errorf("line 1 box %+v", l.box)
	}
	if l.slope != 0.001 || l.offset != -9 || l.xSize != 38 || l.xDescenders != 9 || l.para != 1 {
		t.Errorf("line 1 geometry: slope %v offset %v x_size %v x_descenders %v para %d",
			l.slope, l.offset, l.xSize, l.xDescenders, l.para)
	}
	var texts []string
	for _, w := range l.words {
		texts = append(texts, w.text)
	}
	if got := strings.Join(texts, "|"); got != "Rec|AT&T|Cr’" {
		t.Errorf("line 1 words %q, want Rec|AT&T|Cr’ (empty word dropped, entities decoded, glyph text)", got)
	}
	if len(l.words) == 3 {
		rec, att, cr := l.words[0], l.words[1], l.words[2]
		if rec.box != (pipeline.Box{X0: 165, Y0: 28, X1: 322, Y1: 66}) || rec.conf != 0.96 {
			t.Errorf("word 1: box %+v conf %v", rec.box, rec.conf)
		}
		if len(rec.chars) != 3 || rec.chars[1].text != "e" || rec.chars[1].box != (pipeline.Box{X0: 181, Y0: 28, X1: 198, Y1: 66}) {
			t.Errorf("word 1 glyphs %+v", rec.chars)
		}
		if len(att.chars) != 0 || att.conf != 0.71 {
			t.Errorf("word 2: %+v", att)
		}
		if len(cr.chars) != 3 || cr.chars[2].text != "’" || cr.chars[2].box.X1 != 1665 {
			t.Errorf("word 3 glyphs %+v", cr.chars)
		}
	}
	if l2 := lines[1]; l2.para != 1 || len(l2.words) != 1 || l2.words[0].text != "l'été" || l2.slope != -0.002 || l2.offset != -12 {
		t.Errorf("line 2: %+v", l2)
	}
	if l3 := lines[2]; l3.para != 2 || l3.xSize != 50 || l3.words[0].text != "Heading" {
		t.Errorf("line 3 (ocr_header): %+v", l3)
	}
	if l4 := lines[3]; l4.para != 3 || l4.words[0].text != "Figure" {
		t.Errorf("line 4 (ocr_caption): %+v", l4)
	}
}

// Odd but valid input must not derail the parser: no page element, words
// outside any line, an empty page, no glyph spans.
func TestParseHOCRDegenerate(t *testing.T) {
	for _, in := range []string{
		"",
		"<html><body></body></html>",
		"<div class='ocr_page' title='bbox 0 0 10 10'></div>",
		"<span class='ocrx_word' title='bbox 1 1 2 2'>orphan</span>",
		"<span class='ocr_line' title='bbox 0 0 5 5'></span>",
	} {
		lines, _, _, err := parseHOCR([]byte(in))
		if err != nil || len(lines) != 0 {
			t.Errorf("parseHOCR(%q) = %+v, %v; want no lines, no error", in, lines, err)
		}
	}
	// A line with no baseline or x_size still reads, with zero geometry.
	lines, _, _, err := parseHOCR([]byte(`<span class='ocr_line' title='bbox 0 0 50 10'><span class='ocrx_word' title='bbox 0 0 50 10'>word</span></span>`))
	if err != nil || len(lines) != 1 || lines[0].slope != 0 || lines[0].xSize != 0 || lines[0].words[0].text != "word" {
		t.Errorf("line without baseline: %+v, %v", lines, err)
	}
	if _, _, _, err := parseHOCR([]byte("<div class='ocr_page' title='bbox 0 0 10 10'><span")); err == nil {
		t.Error("truncated hOCR: no error")
	}
}

// hOCR title properties: the parser reads them by name, whatever their
// order, and a short or missing bbox gives a zero box rather than junk.
func TestTitleFields(t *testing.T) {
	title := "x_wconf 96; bbox 1 2 3 4;baseline 0.5 -3"
	if b := titleBox(title); b != (pipeline.Box{X0: 1, Y0: 2, X1: 3, Y1: 4}) {
		t.Errorf("titleBox = %+v", b)
	}
	if f := titleField(title, "baseline"); len(f) != 2 || f[0] != "0.5" || f[1] != "-3" {
		t.Errorf("baseline = %q", f)
	}
	if f := titleField(title, "x_size"); f != nil {
		t.Errorf("missing x_size = %q", f)
	}
	if b := titleBox("bbox 1 2 3"); b != (pipeline.Box{}) {
		t.Errorf("short bbox = %+v", b)
	}
}

// superscriptScene is a synthetic line: "abc" then a raised digit, read
// by Tesseract (as it does) as one word "abc’", followed by "next". The
// geometry is that of ink_test.go's testLine.
func superscriptScene() (*grey, []hocrLine) {
	g := newGrey(400, 120)
	end := g.letters(20, 3)      // a b c: x 20–62
	g.fill(end+2, 68, end+9, 87) // raised digit: x 64–70
	nx := g.letters(end+30, 4)   // "next"
	l := testLine()
	l.para = 4
	ch := func(s string, x0, x1 int) hocrChar {
		return hocrChar{text: s, box: pipeline.Box{X0: float64(x0), Y0: 70, X1: float64(x1), Y1: baseY}}
	}
	l.words = []hocrWord{
		{text: "abc’", conf: 0.8, box: pipeline.Box{X0: 20, Y0: 68, X1: float64(end + 9), Y1: baseY},
			chars: []hocrChar{ch("a", 20, 32), ch("b", 35, 47), ch("c", 50, 62), ch("’", 63, 71)}},
		{text: "next", conf: 0.9, box: pipeline.Box{X0: float64(end + 30), Y0: 70, X1: float64(nx), Y1: baseY},
			chars: []hocrChar{ch("n", end+30, end+42), ch("e", end+45, end+57), ch("x", end+60, end+72), ch("t", end+75, end+87)}},
	}
	return g, []hocrLine{l}
}

// buildPage is where a glued footnote marker becomes a separate word: the
// marker stage downstream sees "abc" then a Joined superscript "’" and
// links the footnote; the line's text keeps them together as printed.
func TestBuildPageSplitsSuperscript(t *testing.T) {
	g, lines := superscriptScene()
	page := buildPage(lines, 400, 120, g)
	if page.Width != 400 || page.Height != 120 || len(page.Lines) != 1 {
		t.Fatalf("page %v × %v with %d lines", page.Width, page.Height, len(page.Lines))
	}
	l := page.Lines[0]
	if l.Origin != 1 || l.Block != 4 {
		t.Errorf("Origin %d Block %d, want 1 and the paragraph 4", l.Origin, l.Block)
	}
	if len(l.Words) != 3 {
		t.Fatalf("words %+v, want abc, ’, next", l.Words)
	}
	abc, sup, next := l.Words[0], l.Words[1], l.Words[2]
	if abc.Text != "abc" || abc.Superscript || abc.Joined || abc.Box.X1 > 64 || abc.Box.X0 != 20 {
		t.Errorf("body word %+v box %+v, want \"abc\" cut before x=64", abc, *abc.Box)
	}
	if sup.Text != "’" || !sup.Superscript || !sup.Joined || sup.Confidence != 0.8 {
		t.Errorf("marker word %+v, want a Joined superscript \"’\" with the word's confidence", sup)
	}
	if b := sup.Box; b.X0 > 64 || b.X1 < 71 || b.X1 > 72 {
		t.Errorf("marker box %+v does not hold the raised ink at x 64–71", *b)
	}
	if next.Text != "next" || next.Superscript || next.Joined || next.Confidence != 0.9 {
		t.Errorf("next word %+v", next)
	}
	// The row height (x_size) stands for the font size of body words: it
	// is what tells footnote type from body type.
	if abc.FontSize != 40 || next.FontSize != 40 {
		t.Errorf("font sizes %v, %v; want the line's x_size 40", abc.FontSize, next.FontSize)
	}
	if l.Text != "abc’ next" {
		t.Errorf("line text %q, want \"abc’ next\"", l.Text)
	}
}

// The superscript word's box is where the superscript is: beside the
// word it was cut from, and raised. Tesseract's LSTM glyph boxes are
// rough (on the corpus page the box of the ’ read for "Crime¹" starts
// 22 px inside the "e" and spans the whole line's height); a box like
// that makes the marker overlap its word and look full-height to any
// stage that weighs boxes.
func TestBuildPageSuperscriptBox(t *testing.T) {
	g, lines := superscriptScene()
	lines[0].words[0].chars[3].box = pipeline.Box{X0: 50, Y0: 70, X1: 71, Y1: baseY} // rough, as the LSTM gives it
	page := buildPage(lines, 400, 120, g)
	ws := page.Lines[0].Words
	if len(ws) != 3 || !ws[1].Superscript {
		t.Fatalf("words %+v, want abc, ’, next", ws)
	}
	body, sup := *ws[0].Box, *ws[1].Box
	if sup.X0 < body.X1 {
		t.Errorf("superscript box %+v overlaps its word's %+v", sup, body)
	}
	if sup.Y1 > baseY-0.22*capH || sup.Height() > 0.9*capH {
		t.Errorf("superscript box %+v is not raised and small (ink at y 68–87, baseline %d)", sup, baseY)
	}
}

// Without the page's pixels (a PGM that did not parse) nothing is split:
// the words come through as Tesseract read them.
func TestBuildPageWithoutImage(t *testing.T) {
	_, lines := superscriptScene()
	page := buildPage(lines, 400, 120, nil)
	l := page.Lines[0]
	if len(l.Words) != 2 || l.Words[0].Text != "abc’" || l.Text != "abc’ next" {
		t.Errorf("without an image: %+v", l.Words)
	}
	for _, w := range l.Words {
		if w.Superscript || w.Joined {
			t.Errorf("word %q marked %+v without an image", w.Text, w)
		}
	}
}

// The number of a footnote definition stands raised before its first
// word; only the first word of a line is looked at for it, so a raised
// glyph inside a line is not taken for a definition.
func TestBuildPageSplitsLeadingNumber(t *testing.T) {
	g := newGrey(400, 120)
	g.fill(20, 68, 27, 87) // raised "1"
	end := g.letters(30, 3)
	l := testLine()
	ch := func(s string, x0, x1 int) hocrChar {
		return hocrChar{text: s, box: pipeline.Box{X0: float64(x0), Y0: 70, X1: float64(x1), Y1: baseY}}
	}
	l.words = []hocrWord{{text: "1Ibid", conf: 0.7, box: pipeline.Box{X0: 20, Y0: 68, X1: float64(end), Y1: baseY},
		chars: []hocrChar{ch("1", 20, 28), ch("I", 30, 42), ch("b", 45, 57), ch("i", 60, 72)}}}
	page := buildPage([]hocrLine{l}, 400, 120, g)
	ws := page.Lines[0].Words
	if len(ws) != 2 || ws[0].Text != "1" || !ws[0].Superscript || ws[0].Joined || ws[1].Text != "Ibi" || !ws[1].Joined {
		t.Fatalf("words %+v, want a superscript \"1\" then \"Ibi\" joined to it", ws)
	}
	if page.Lines[0].Text != "1Ibi" {
		t.Errorf("line text %q", page.Lines[0].Text)
	}
	// The same word second on its line is left alone.
	l.words = append([]hocrWord{{text: "x", conf: 1, box: pipeline.Box{X0: 0, Y0: 0, X1: 1, Y1: 1}}}, l.words...)
	page = buildPage([]hocrLine{l}, 400, 120, g)
	if ws := page.Lines[0].Words; len(ws) != 2 || ws[1].Text != "1Ibid" {
		t.Errorf("second word: %+v, want \"1Ibid\" left whole", ws)
	}
}

// When Tesseract puts more than three glyphs into the raised region, or
// every glyph of the word, the "marker" is most of the word: splitting it
// would destroy the word, so it is kept whole.
func TestBuildPageKeepsWordWhenRunTooLong(t *testing.T) {
	ch := func(s string, x0, x1 int) hocrChar {
		return hocrChar{text: s, box: pipeline.Box{X0: float64(x0), Y0: 70, X1: float64(x1), Y1: baseY}}
	}
	for name, chars := range map[string][]hocrChar{
		// Four glyphs read in the 7 px of raised ink.
		"four in the run": {ch("a", 20, 32), ch("b", 35, 47), ch("c", 50, 62), ch("‘", 64, 66), ch("’", 65, 67), ch("’", 67, 69), ch("’", 69, 71)},
		// Every glyph box crammed into the run.
		"all in the run": {ch("a", 63, 66), ch("b", 65, 68), ch("c", 67, 71)},
	} {
		g, lines := superscriptScene()
		w := &lines[0].words[0]
		w.chars = chars
		w.text = joinChars(chars)
		page := buildPage(lines, 400, 120, g)
		ws := page.Lines[0].Words
		if len(ws) != 2 || ws[0].Text != w.text || ws[0].Superscript {
			t.Errorf("%s: words %+v, want %q kept whole", name, ws, w.text)
		}
	}
}

// A whole hOCR page, parsed, then built against the page's PGM: the path
// Recognize takes, without Tesseract.
func TestParseHOCRThenBuildPage(t *testing.T) {
	g, _ := superscriptScene()
	hocr := `<div class='ocr_page' title='bbox 0 0 400 120'><p class='ocr_par'>
<span class='ocr_line' title='bbox 0 60 400 110; baseline 0 -10; x_size 40; x_descenders 10'>
<span class='ocrx_word' title='bbox 20 68 71 100; x_wconf 80'>
<span class='ocrx_cinfo' title='x_bboxes 20 70 32 100'>a</span><span class='ocrx_cinfo' title='x_bboxes 35 70 47 100'>b</span><span class='ocrx_cinfo' title='x_bboxes 50 70 62 100'>c</span><span class='ocrx_cinfo' title='x_bboxes 63 68 71 100'>1</span>
</span></span></p></div>`
	lines, w, h, err := parseHOCR([]byte(hocr))
	if err != nil {
		t.Fatal(err)
	}
	page := buildPage(lines, w, h, parsePGM(g.pgmBytes()))
	if ws := page.Lines[0].Words; len(ws) != 2 || ws[0].Text != "abc" || ws[1].Text != "1" || !ws[1].Superscript {
		t.Errorf("words %+v, want \"abc\" and a superscript \"1\"", ws)
	}
	if page.Lines[0].Block != 1 {
		t.Errorf("Block %d, want paragraph 1", page.Lines[0].Block)
	}
}

// hOCR comes from Tesseract reading arbitrary images; whatever it holds,
// the parser must not crash, and what it returns must hold no empty
// words or lines.
func FuzzParseHOCR(f *testing.F) {
	f.Add([]byte(hocrSample))
	f.Add([]byte(`<span class='ocr_line'><span class='ocrx_word'><span class='ocrx_cinfo'>a<span class='ocrx_cinfo'>b</span></span></span></span>`))
	f.Add([]byte(`<span class='ocrx_word'><span class='ocr_line'><span class='ocrx_word'>x</span></span></span>`))
	f.Add([]byte(`<span class='ocr_line' title='bbox 1 2 3 4; baseline x y; x_size ; x_descenders 1e400'><span class='ocrx_word' title='x_wconf NaN'>w</span></span>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:len(data):len(data)]
		lines, _, _, err := parseHOCR(data)
		if err != nil {
			return
		}
		for _, l := range lines {
			if len(l.words) == 0 {
				t.Fatalf("empty line kept: %+v", l)
			}
			for _, w := range l.words {
				if strings.TrimSpace(w.text) == "" {
					t.Fatalf("empty word kept: %+v", w)
				}
			}
		}
		// What Recognize does next must not crash either.
		g := newGrey(64, 64).fill(10, 10, 20, 30)
		buildPage(lines, 64, 64, g)
	})
}
