package stages

// Unit tests of the rules that repair what OCR gets wrong, in the geometry,
// footnote and furniture stages. They are in package stages to reach the
// rules themselves (ocrPage, opensDefinition, ocrLabel, fixOCRSymbol) as
// well as the stages' Apply; the lines they build are their own (ocrr*),
// not those of geometry_test.go, which is package stages_test.
//
// The rules act on OCR only: on pages whose words carry a confidence (the
// geometry stage) or on documents of kind ocr (the footnote and furniture
// stages); the footnote zone, which text layers share, is the exception.
// For each guarded rule a test runs the same input as a text layer or as
// pdftotext text and checks that it comes through unchanged.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// OCR metrics of the test lines, in pixels of a 300 dpi scan.
const (
	ocrrHeight = 30.0 // every word's box, top to bottom
	ocrrCharW  = 20.0
	ocrrSpace  = 12.0
	ocrrTight  = 1.0 // the gap before a word written "+w"
	ocrrBody   = 40.0
	ocrrSmall  = 32.0 // footnotes: 8 pt under a 10 pt body
)

// ocrrLine lays out spec as Tesseract boxes a line whose baseline is at y:
// words 30 px tall, 20 px a character, a 12 px space between them, or a
// 1 px gap before a word written "+w". conf gives the words' confidence,
// one value for all or one per word; 0.9 when none is given. A confidence
// of 0 makes the line a text layer's, whose words have none.
func ocrrLine(origin int, y float64, spec string, conf ...float64) pipeline.Line {
	var ws []pipeline.Word
	x := 300.0
	toks := strings.Fields(spec)
	for i, tok := range toks {
		gap := ocrrSpace
		if t, ok := strings.CutPrefix(tok, "+"); ok {
			tok, gap = t, ocrrTight
		}
		if i == 0 {
			gap = 0
		}
		c := 0.9
		switch len(conf) {
		case 0:
		case 1:
			c = conf[0]
		default:
			c = conf[i]
		}
		b := pipeline.Box{X0: x + gap, Y0: y - ocrrHeight, Y1: y}
		b.X1 = b.X0 + float64(utf8.RuneCountInString(tok))*ocrrCharW
		ws = append(ws, pipeline.Word{Text: tok, Box: &b, Confidence: c})
		x = b.X1
	}
	return pipeline.Line{Text: pipeline.JoinWords(ws), Words: ws, Origin: origin}
}

// ocrrSized gives every word of ln the font size Tesseract reports (its row
// height), with ink in proportion to the body's.
func ocrrSized(ln pipeline.Line, size float64) pipeline.Line {
	for i := range ln.Words {
		w := &ln.Words[i]
		w.FontSize = size
		w.Box.Y0 = w.Box.Y1 - ocrrHeight*size/ocrrBody
	}
	return ln
}

// ocrrPage is page 1 of a scan, holding lines.
func ocrrPage(lines ...pipeline.Line) pipeline.Page {
	return pipeline.Page{Number: 1, Lines: lines, Width: 2480, Height: 3508}
}

// ocrrGeometry runs the geometry stage, with the default dictionaries, over
// one page of lines in a document of kind.
func ocrrGeometry(t *testing.T, kind pipeline.InputKind, lines ...pipeline.Line) *pipeline.Document {
	t.Helper()
	doc := &pipeline.Document{Source: "scan.pdf", Kind: kind, Pages: []pipeline.Page{ocrrPage(lines...)}}
	if err := (&Geometry{Dict: dictionaries.Default()}).Apply(doc); err != nil {
		t.Fatalf("Geometry.Apply: %v", err)
	}
	return doc
}

// ocrrTexts is the text of a page's lines.
func ocrrTexts(pg pipeline.Page) []string {
	var out []string
	for _, ln := range pg.Lines {
		out = append(out, ln.Text)
	}
	return out
}

// ocrrRepairs returns the logged repairs of one kind.
func ocrrRepairs(doc *pipeline.Document, kind pipeline.RepairKind) []pipeline.Repair {
	var out []pipeline.Repair
	for _, r := range doc.Log {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// ocrrBodyLine is a line of body text long enough to set the page's body
// type size (30 characters or more).
const ocrrBodyLine = "Recalling its resolutions on the rights of the child,"

// TestOCRPage: the geometry stage tells OCR from a text layer by the
// words' confidence alone; a text layer taken for OCR would lose lines to
// the noise filter, and OCR taken for a text layer would get its words
// joined across Tesseract's tight gaps.
func TestOCRPage(t *testing.T) {
	textLayer := ocrrLine(1, 400, "Recalling its resolution 55/25,", 0)
	oneWord := ocrrLine(2, 460, "of the Convention", 0)
	oneWord.Words[1].Confidence = 0.96 // one word read by OCR makes the page OCR
	tests := []struct {
		name string
		page pipeline.Page
		want bool
	}{
		{"OCR line", ocrrPage(ocrrLine(1, 400, "Recalling its resolution 55/25,")), true},
		{"text layer", ocrrPage(textLayer), false},
		{"one OCR word among text-layer lines", ocrrPage(textLayer, oneWord), true},
		{"lines without words", ocrrPage(pipeline.Line{Text: "Recalling", Origin: 1}), false},
		{"no lines", ocrrPage(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ocrPage(&tt.page); got != tt.want {
				t.Errorf("ocrPage = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestOCRDropNoise: a logo, a barcode or a stamp comes out of Tesseract as
// a line of fragments; left in, it lands in the user's text as "( Ns a".
// A real line read badly, or a line that is only a document symbol, must
// stay: losing it loses text the user cannot see is missing.
func TestOCRDropNoise(t *testing.T) {
	tests := []struct {
		name, reason string
		line         pipeline.Line
		drop         bool
	}{
		{"fragments of a logo", "short fragments read with little confidence are no text",
			ocrrLine(1, 400, "( Ns a", 0.3), true},
		{"capital fragments", "a stamp read as short capital runs: \"ONO\" is in the dictionary but no evidence of text",
			ocrrLine(1, 400, "ONO VY A A", 0.35), true},
		{"unknown words, one read under one half", "most words unknown, mean under 0.75 with a word under 0.5",
			ocrrLine(1, 400, "Xqztv Wrrvnk Plokkq Zzmtr", 0.8, 0.4, 0.8, 0.7), true},
		{"unknown words, none under one half", "a mean of 0.6 without one word under 0.5 is not enough to drop a line",
			ocrrLine(1, 400, "Xqztv Wrrvnk Plokkq Zzmtr", 0.6), false},
		{"real line read badly", "dictionary words make a line text, whatever the confidence",
			ocrrLine(1, 400, "Recalling its resolution on the rights of the child", 0.4), false},
		{"heading of short title-case words", "\"Role of the Fund\" is dictionary words with capitals; only an all-capital run like \"DOA\" is no evidence of text",
			ocrrLine(1, 400, "Role of the Fund", 0.45), false},
		{"one word read badly", "a marker or a word read at 40% does not make its line noise",
			ocrrLine(1, 400, "Supplementary Convention on the Abolition of Slavery,\"", 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.4), false},
		{"document symbol alone", "a symbol is text however unsure OCR was of it",
			ocrrLine(1, 400, "A/HRC/Sub.1/58/25", 0.3), false},
		{"symbol with a footnote number", "\"6A/HRC/Sub.1/58/25.\" opens footnote 6",
			ocrrLine(1, 400, "6A/HRC/Sub.1/58/25.", 0.3), false},
		{"resolution number", "a resolution number is text: \"55/25\" has a slash and digits",
			ocrrLine(1, 400, "55/25", 0.3), false},
		{"symbols in a definition", "\"E/CN.4/2006/62 and Add.1-3.\": the symbol counts as a known word",
			ocrrLine(1, 400, "E/CN.4/2006/62 and Add.1-3.", 0.35), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.line.Text
			doc := ocrrGeometry(t, pipeline.KindOCR, ocrrLine(1, 300, ocrrBodyLine), tt.line)
			got := ocrrTexts(doc.Pages[0])
			want := []string{ocrrBodyLine}
			if !tt.drop {
				want = append(want, text)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			junk := ocrrRepairs(doc, pipeline.RepairJunk)
			switch {
			case tt.drop && (len(junk) != 1 || junk[0].Before != text || junk[0].Stage != "geometry" || junk[0].Pos.Page != 1 || junk[0].Pos.Line != 1):
				t.Errorf("dropping %q: logged %+v, want one junk repair of the line at page 1 line 1", text, junk)
			case !tt.drop && len(junk) > 0:
				t.Errorf("kept %q but logged junk %+v", text, junk)
			}
		})
	}
}

// TestOCRDropNoiseTextLayer: a PDF's text layer has no confidences; its
// lines are text whatever they read, and none may be dropped or trimmed.
func TestOCRDropNoiseTextLayer(t *testing.T) {
	lines := []pipeline.Line{
		ocrrLine(1, 300, ocrrBodyLine, 0),
		ocrrLine(2, 400, "( Ns a", 0),
		ocrrLine(3, 500, "ONO VY A A", 0),
		ocrrLine(4, 600, "the Council | decides", 0),
	}
	var want []string
	for _, ln := range lines {
		want = append(want, ln.Text)
	}
	doc := ocrrGeometry(t, pipeline.KindPDF, lines...)
	if diff := cmp.Diff(want, ocrrTexts(doc.Pages[0])); diff != "" {
		t.Errorf("a text layer lost or changed lines (-want +got):\n%s", diff)
	}
	if junk := ocrrRepairs(doc, pipeline.RepairJunk); len(junk) > 0 {
		t.Errorf("logged junk on a text layer: %+v", junk)
	}
}

// TestOCRTrimNoise: a stamp or logo beside a line leaves fragments at its
// edges ("M y 31 October 2018") and a rule or the scan's edge a stray "|";
// left in, the masthead date is no date and the text reads "Council |
// decides". A paragraph's number read badly ("1.", "(a)") and a real short
// word at the edge must stay.
func TestOCRTrimNoise(t *testing.T) {
	tests := []struct {
		name, reason string
		line         pipeline.Line
		want         string // "" when the whole line goes
	}{
		{"stray bar inside", "UN text never has a vertical bar",
			ocrrLine(1, 400, "the Council | decides to remain seized"), "the Council decides to remain seized"},
		{"stray bar at the end", "a bar read from the scan's edge",
			ocrrLine(1, 400, "decides to remain seized of the matter. |"), "decides to remain seized of the matter."},
		{"two-letter fragment before a date", "\"Vy\" at 30% beside the masthead date is a stamp",
			ocrrLine(1, 400, "Vy 31 October 2018", 0.3, 0.95, 0.95, 0.95), "31 October 2018"},
		{"one-letter fragments before a date", "the example of the rule's comment: \"M y\" at 30% are a logo's, not words",
			ocrrLine(1, 400, "M y 31 October 2018", 0.3, 0.3, 0.95, 0.95, 0.95), "31 October 2018"},
		{"fragment after the text", "a fragment at the line's end goes too",
			ocrrLine(1, 400, "Distr.: General Vy", 0.95, 0.95, 0.3), "Distr.: General"},
		{"paragraph number read badly", "\"1.\" numbers the paragraph however badly it was read",
			ocrrLine(1, 400, "1. Decides to remain seized of the matter;", 0.3, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95), "1. Decides to remain seized of the matter;"},
		{"sub-paragraph letter read badly", "\"(a)\" opens a sub-paragraph",
			ocrrLine(1, 400, "(a) To continue its work;", 0.3, 0.95, 0.95, 0.95, 0.95), "(a) To continue its work;"},
		{"short word at the edge", "\"of\" read at 30% is still a word",
			ocrrLine(1, 400, "of the Convention on the Rights of the Child", 0.3, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95), "of the Convention on the Rights of the Child"},
		{"fragment inside the line", "only the edges are trimmed: inside, a fragment may be a word OCR read badly",
			ocrrLine(1, 400, "the Vy Council decides", 0.95, 0.3, 0.95, 0.95), "the Vy Council decides"},
		{"fragment read with confidence", "a two-letter word read at 95% is text",
			ocrrLine(1, 400, "Vy 31 October 2018", 0.95), "Vy 31 October 2018"},
		{"a bar alone", "a line that was only a bar goes",
			ocrrLine(1, 400, "|"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.line.Text
			doc := ocrrGeometry(t, pipeline.KindOCR, ocrrLine(1, 300, ocrrBodyLine), tt.line)
			want := []string{ocrrBodyLine}
			if tt.want != "" {
				want = append(want, tt.want)
			}
			if diff := cmp.Diff(want, ocrrTexts(doc.Pages[0])); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			junk := ocrrRepairs(doc, pipeline.RepairJunk)
			if changed := tt.want != before; changed != (len(junk) > 0) {
				t.Errorf("line %q -> %q: logged %d junk repairs", before, tt.want, len(junk))
			}
			for _, r := range junk {
				if r.Before != before || r.After != tt.want || r.Stage != "geometry" || r.Pos.Line != 1 {
					t.Errorf("repair %s %q -> %q at %v, want geometry %q -> %q at line 1", r.Stage, r.Before, r.After, r.Pos, before, tt.want)
				}
			}
		})
	}
}

// TestOCRWords: OCR runs short words together ("ofthe"), splits a symbol at
// its full stop ("A/HRC/Sub. 1/58/25") and reads the 1 of "1st plenary
// meeting" as a letter. Unrepaired, the user gets a misspelling, a symbol
// no search finds, and a closing line the numbering stage does not know.
func TestOCRWords(t *testing.T) {
	tests := []struct {
		name, reason string
		spec, want   string
		kind         pipeline.RepairKind // the repair logged; "" for none
	}{
		{"of the", "a function word run into the next word",
			"the implementation ofthe Convention", "the implementation of the Convention", pipeline.RepairSplitWord},
		{"to the, with a comma", "the punctuation stays with the second word",
			"Decides to transmit it tothe, Council", "Decides to transmit it to the, Council", pipeline.RepairSplitWord},
		{"a real word", "\"often\" starts with a function word but is a word",
			"as often as possible", "as often as possible", ""},
		{"capitalized", "only lower-case runs are split: \"Ofthe\" could be a name",
			"Ofthe Convention", "Ofthe Convention", ""},
		{"symbol split at its full stop", "the parts make a symbol",
			"see A/HRC/Sub. 1/58/25", "see A/HRC/Sub.1/58/25", pipeline.RepairSplitWord},
		{"symbol with a glued footnote number", "the definition's number \"6\" is glued before the symbol",
			"6A/HRC/Sub. 1/58/25.", "6A/HRC/Sub.1/58/25.", pipeline.RepairSplitWord},
		{"sentence end before a number", "\"55/25. 3\" makes no symbol",
			"resolution 55/25. 3 Decides", "resolution 55/25. 3 Decides", ""},
		{"abbreviation before a number", "\"para. 12\" has no slash",
			"Ibid., para. 12", "Ibid., para. 12", ""},
		{"Ist plenary meeting", "the closing's ordinal with its 1 read as I",
			"Ist plenary meeting", "1st plenary meeting", pipeline.RepairSpelling},
		{"lst plenary meeting", "the 1 read as l",
			"lst plenary meeting", "1st plenary meeting", pipeline.RepairSpelling},
		{"I01st plenary meeting", "the first 1 of 101st read as I",
			"I01st plenary meeting", "101st plenary meeting", pipeline.RepairSpelling},
		{"7Ist plenary meeting", "the rule's comment names 21st: an ordinal ending in 1 whose 1 OCR read as I",
			"7Ist plenary meeting", "71st plenary meeting", pipeline.RepairSpelling},
		{"Ist not before plenary", "only the closing line's ordinal is repaired",
			"Ist session", "Ist session", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := ocrrGeometry(t, pipeline.KindOCR, ocrrLine(1, 300, ocrrBodyLine), ocrrLine(2, 400, tt.spec))
			if got := doc.Pages[0].Lines[1].Text; got != tt.want {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, cmp.Diff(tt.want, got))
			}
			var rs []pipeline.Repair
			for _, r := range doc.Log {
				if r.Pos.Line == 2 {
					rs = append(rs, r)
				}
			}
			switch {
			case tt.kind == "" && len(rs) > 0:
				t.Errorf("logged %+v for a line left alone", rs)
			case tt.kind != "" && (len(rs) != 1 || rs[0].Kind != tt.kind || rs[0].Stage != "geometry" || rs[0].Before == rs[0].After):
				t.Errorf("logged %+v, want one %s repair by geometry", rs, tt.kind)
			}
		})
	}
}

// TestOCRWordsTextLayer: a text layer's words are what the PDF says; the
// OCR word repairs must not touch them.
func TestOCRWordsTextLayer(t *testing.T) {
	specs := []string{"the implementation ofthe Convention", "see A/HRC/Sub. 1/58/25", "Ist plenary meeting"}
	for _, spec := range specs {
		doc := ocrrGeometry(t, pipeline.KindPDF, ocrrLine(1, 300, ocrrBodyLine, 0), ocrrLine(2, 400, spec, 0))
		if got := doc.Pages[0].Lines[1].Text; got != spec {
			t.Errorf("text layer %q became %q", spec, got)
		}
		if len(doc.Log) > 0 {
			t.Errorf("text layer %q: logged %+v", spec, doc.Log)
		}
	}
}

// TestOCRWordsWithoutDictionary: the word repairs need the dictionary's
// say; without one the stage must not guess.
func TestOCRWordsWithoutDictionary(t *testing.T) {
	doc := &pipeline.Document{Kind: pipeline.KindOCR, Pages: []pipeline.Page{ocrrPage(ocrrLine(1, 400, "the implementation ofthe Convention"))}}
	if err := (&Geometry{}).Apply(doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Pages[0].Lines[0].Text; got != "the implementation ofthe Convention" {
		t.Errorf("without a dictionary the line became %q", got)
	}
}

// TestOCRNoGapJoining: Tesseract's tight boxes leave gaps narrower than a
// space between real words; joining across them, as on a text layer,
// would glue the user's words together ("theConvention").
func TestOCRNoGapJoining(t *testing.T) {
	const spec = "a strategic framew +ork for action against trafficking"
	ocr := ocrrGeometry(t, pipeline.KindOCR, ocrrLine(1, 400, spec))
	if got, want := ocr.Pages[0].Lines[0].Text, "a strategic framew ork for action against trafficking"; got != want {
		t.Errorf("OCR: words joined across a tight gap: got %q, want %q", got, want)
	}
	if rs := ocrrRepairs(ocr, pipeline.RepairSplitWord); len(rs) > 0 {
		t.Errorf("OCR: logged split-word joins %+v", rs)
	}
	// The same line as a text layer: the gap is a split word, and joins.
	layer := ocrrGeometry(t, pipeline.KindPDF, ocrrLine(1, 400, spec, 0))
	if got, want := layer.Pages[0].Lines[0].Text, "a strategic framework for action against trafficking"; got != want {
		t.Errorf("text layer: got %q, want %q (the control: the gap is narrow enough to join)", got, want)
	}
}

// TestOCROpensDefinition: the footnote zone needs a line that opens like a
// definition; a closing date "2 March 2022" in small type must not open
// one, or the footnote stage takes the date and what follows for a note.
func TestOCROpensDefinition(t *testing.T) {
	raised := ocrrLine(1, 400, "1 Resolution 55/25, annex I.")
	raised.Words[0].Text, raised.Words[0].Superscript = "x", true
	raised.Text = pipeline.JoinWords(raised.Words)
	tests := []struct {
		name string
		line pipeline.Line
		want bool
	}{
		{"number and text", ocrrLine(1, 400, "1 Resolution 55/25, annex I."), true},
		{"two-digit number", ocrrLine(1, 400, "12 Ibid., para. 3."), true},
		{"number glued", ocrrLine(1, 400, "6A/HRC/Sub.1/58/25."), true},
		{"date", ocrrLine(1, 400, "2 March 2022"), false},
		{"two-digit date", ocrrLine(1, 400, "20 December 2006"), false},
		{"glyph for a raised 1", ocrrLine(1, 400, "' United Nations, Treaty Series, vol. 1465."), true},
		{"glyph for a raised 8", ocrrLine(1, 400, "® A/CONF.183/9."), true},
		{"glyph before lower case", ocrrLine(1, 400, "' and the Protocol"), false},
		{"glyph alone", ocrrLine(1, 400, "'"), false},
		{"word", ocrrLine(1, 400, "Resolution 55/25, annex I."), false},
		{"raised first word", raised, true},
		{"empty", pipeline.Line{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := opensDefinition(tt.line); got != tt.want {
				t.Errorf("opensDefinition(%q) = %v, want %v", tt.line.Text, got, tt.want)
			}
		})
	}
}

// TestOCRFootnoteZone: the footnote rule is drawn, not printed, so OCR
// never reads it; the stage puts it back before the smaller type at the
// foot of the page, where the footnote stage looks for the block. Without
// it the definitions stay in the user's body text.
func TestOCRFootnoteZone(t *testing.T) {
	body := []pipeline.Line{
		ocrrSized(ocrrLine(1, 300, "Recalling its resolution 61/180 of 20 December 2006 on improving"), ocrrBody),
		ocrrSized(ocrrLine(2, 365, "the coordination of efforts against trafficking in persons,"), ocrrBody),
		ocrrSized(ocrrLine(3, 430, "Recalling further the United Nations Convention against Transnational"), ocrrBody),
		ocrrSized(ocrrLine(4, 495, "Organized Crime and the Protocols thereto, in particular the Protocol"), ocrrBody),
	}
	tests := []struct {
		name, reason string
		foot         []pipeline.Line
		ruleAt       int // index of the inserted rule; -1 for none
	}{
		{"numbered definitions", "small type opening with a number is a footnote zone",
			[]pipeline.Line{
				ocrrSized(ocrrLine(5, 3000, "1 Resolution 55/25, annex I."), ocrrSmall),
				ocrrSized(ocrrLine(6, 3050, "2 Ibid., annex II."), ocrrSmall),
			}, 4},
		{"definition read with a glyph", "OCR reads a raised 1 as '",
			[]pipeline.Line{ocrrSized(ocrrLine(5, 3000, "' United Nations, Treaty Series, vol. 1465, No. 24841."), ocrrSmall)}, 4},
		{"job number under the zone", "a short line in body type at the very foot does not break the zone",
			[]pipeline.Line{
				ocrrSized(ocrrLine(5, 3000, "1 Resolution 55/25, annex I."), ocrrSmall),
				ocrrSized(ocrrLine(6, 3300, "18-18142"), ocrrBody),
			}, 4},
		{"closing date", "\"2 March 2022\" in small type closes the text; it numbers no footnote",
			[]pipeline.Line{
				ocrrSized(ocrrLine(5, 3000, "2 March 2022"), ocrrSmall),
			}, -1},
		{"unnumbered small type", "small type with no number is not known to be footnotes",
			[]pipeline.Line{ocrrSized(ocrrLine(5, 3000, "Resolution 55/25, annex I."), ocrrSmall)}, -1},
		{"rule already read", "a rule OCR did read is not doubled",
			[]pipeline.Line{
				ocrrSized(ocrrLine(5, 2950, "__________"), ocrrSmall),
				ocrrSized(ocrrLine(6, 3000, "1 Resolution 55/25, annex I."), ocrrSmall),
			}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := append(append([]pipeline.Line(nil), body...), tt.foot...)
			var want []string
			for _, ln := range lines {
				want = append(want, ln.Text)
			}
			if tt.ruleAt >= 0 {
				want = append(want[:tt.ruleAt], append([]string{footnoteRule}, want[tt.ruleAt:]...)...)
			}
			doc := ocrrGeometry(t, pipeline.KindOCR, lines...)
			if diff := cmp.Diff(want, ocrrTexts(doc.Pages[0])); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			rs := ocrrRepairs(doc, pipeline.RepairFootnote)
			if tt.ruleAt < 0 {
				if len(rs) > 0 {
					t.Errorf("logged %+v with no rule inserted", rs)
				}
				return
			}
			rule := doc.Pages[0].Lines[tt.ruleAt]
			if !rule.Break || rule.Origin != tt.foot[0].Origin {
				t.Errorf("rule line %+v: want Break and the Origin of the zone's first line, %d", rule, tt.foot[0].Origin)
			}
			if len(rs) != 1 || rs[0].After != footnoteRule || rs[0].Stage != "geometry" {
				t.Errorf("logged %+v, want one footnote repair inserting the rule", rs)
			}
		})
	}
}

// TestOCRLabel: OCR reads a footnote's raised number as a letter glued to
// its text ("Albid.", "SE/CN.4/2006/62") and the I of "Ibid." as l or T.
// Unrepaired, the user gets "Tbid." and a footnote whose number is lost
// or whose text starts with a letter too many.
func TestOCRLabel(t *testing.T) {
	f := NewFootnotes(dictionaries.Default())
	tests := []struct {
		name, in, want string
	}{
		{"lbid", "lbid.", "Ibid."},
		{"Tbid with more", "Tbid., para. 12.", "Ibid., para. 12."},
		{"1bid", "1bid., annex.", "Ibid., annex."},
		{"numbered Tbid", "3 Tbid.", "3 Ibid."},
		{"numbered lbid, two digits", "12 lbid., vol. 2.", "12 Ibid., vol. 2."},
		{"number glued to Tbid", "3Tbid.", "3 Ibid."},
		{"letter for the number before Ibid", "Albid.", "' Ibid."},
		{"letter for the number before a symbol", "SE/CN.4/2006/62 and Add.1-3.", "' E/CN.4/2006/62 and Add.1-3."},
		{"real Ibid", "Ibid.", "Ibid."},
		{"real numbered Ibid", "4 Ibid., annex.", "4 Ibid., annex."},
		{"real symbol", "E/CN.4/2006/62 and Add.1-3.", "E/CN.4/2006/62 and Add.1-3."},
		{"symbol whose tail is a symbol too", "GA/11888.", "GA/11888."},
		{"symbol of two capitals", "TD/B/64/1.", "TD/B/64/1."},
		{"capital word", "UNHCR report, 2006.", "UNHCR report, 2006."},
		{"numbered definition", "1 Resolution 55/25, annex I.", "1 Resolution 55/25, annex I."},
		{"glyph label", "' United Nations, Treaty Series.", "' United Nations, Treaty Series."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.ocrLabel(tt.in); got != tt.want {
				t.Errorf("ocrLabel(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// ocrrFootnoteBlock is the foot of a scanned page whose labels OCR misread.
const ocrrFootnoteBlock = "Recalling the reports of the Special Rapporteur,\n" +
	"__________________\n" +
	"1 E/CN.4/2006/62 and Add.1—3.\n" +
	"Tbid., para. 12.\n" +
	"3 Tbid., vol. 1, Nos. 970-973.\n" +
	"Albid., annex.\n" +
	"SE/CN.4/2005/72.\n"

// TestOCRFootnoteDefinitions: in OCR text the footnote stage repairs the
// labels and the I of "Ibid." and gives ranges their en dash; the user
// gets the footnotes numbered 1 to 5 as printed. In any other kind the
// same lines are what the document says and stay as they are.
func TestOCRFootnoteDefinitions(t *testing.T) {
	tests := []struct {
		kind pipeline.InputKind
		want []string
	}{
		{pipeline.KindOCR, []string{
			"1: E/CN.4/2006/62 and Add.1–3.",
			"2: Ibid., para. 12.",
			"3: Ibid., vol. 1, Nos. 970–973.",
			"4: Ibid., annex.",
			"5: E/CN.4/2005/72.",
		}},
		{pipeline.KindPDFText, []string{
			"1: E/CN.4/2006/62 and Add.1—3.",
			"2: Tbid., para. 12.",
			"3: Tbid., vol. 1, Nos. 970-973.",
			"4: Albid., annex.",
			"5: SE/CN.4/2005/72.",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte(ocrrFootnoteBlock), tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			if err := NewFootnotes(dictionaries.Default()).Apply(doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range doc.Footnotes {
				got = append(got, strings.TrimSuffix(renderFootnotes([]pipeline.Footnote{f}), "\n"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("footnotes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Recalling the reports of the Special Rapporteur,"}, ocrrTexts(doc.Pages[0])); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOCRFootnoteRanges: the en-dash rule is for ranges in a citation;
// a hyphen between digits that is no range (an ISBN, a date in a URL)
// must stay, or the user's ISBN is wrong and the link is dead.
func TestOCRFootnoteRanges(t *testing.T) {
	tests := []struct {
		name, def, want string
	}{
		{"hyphen range", "1 A/61/122 and Add.1-3.", "A/61/122 and Add.1–3."},
		{"em dash range", "1 United Nations, Treaty Series, vol. 1, Nos. 970—973.", "United Nations, Treaty Series, vol. 1, Nos. 970–973."},
		{"years", "1 Official Records, 1990-1991.", "Official Records, 1990–1991."},
		{"ISBN", "1 United Nations publication, ISBN 978-92-1-148276-6.", "United Nations publication, ISBN 978-92-1-148276-6."},
		{"URL with a date", "1 Available from https://www.un.org/press/2019-06-12.pdf.", "Available from https://www.un.org/press/2019-06-12.pdf."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte("Recalling the reports,\n__________________\n"+tt.def+"\n"), pipeline.KindOCR)
			if err != nil {
				t.Fatal(err)
			}
			if err := NewFootnotes(dictionaries.Default()).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Footnotes) != 1 {
				t.Fatalf("footnotes %+v, want one", doc.Footnotes)
			}
			if got := doc.Footnotes[0].Text; got != tt.want {
				t.Errorf("(-want +got):\n%s", cmp.Diff(tt.want, got))
			}
		})
	}
}

// ocrrFurniture reads text as kind and runs the furniture stage over it.
func ocrrFurniture(t *testing.T, text string, kind pipeline.InputKind) *pipeline.Document {
	t.Helper()
	doc, err := input.Read("t.txt", []byte(text), kind)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewFurniture(dictionaries.Default()).Apply(doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOCRFurnitureFooter: OCR drops a digit of the job number ("8-18142")
// and reads the barcode, job number and "Please recycle" as one line of
// fragments; left in, they end the user's page text. In other text the
// same lines are not what a printer sets, and a body line that happens to
// start "Please rec..." is text.
func TestOCRFurnitureFooter(t *testing.T) {
	tests := []struct {
		name, reason string
		line         string
		kind         pipeline.InputKind
		removed      bool
	}{
		{"job number missing a digit", "18-18142 with its 1 lost", "8-18142", pipeline.KindOCR, true},
		{"job number missing a digit, not OCR", "pdftotext does not lose digits", "8-18142", pipeline.KindPDFText, false},
		{"Please recycle fragments", "barcode, job number and \"Please recycle\" on one line", "iil 210372 Please rec eee)", pipeline.KindOCR, true},
		{"Please recycle read short", "the word cut off", "Please rec", pipeline.KindOCR, true},
		{"Please recycle fragments, not OCR", "only OCR reads the footer so", "iil 210372 Please rec eee)", pipeline.KindPDFText, false},
		{"long line", "a line of 50 characters or more is text",
			"and to inform it of the measures taken. Please recall the request", pipeline.KindOCR, false},
		{"letter closing", "a letter annexed to a report closes \"Please receive, Excellency, the assurances\"",
			"Please receive, Excellency, the assurances of my", pipeline.KindOCR, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "A/RES/73/8\nThe General Assembly,\n\f" +
				"A/RES/73/8\nRecalling its resolutions on the subject,\n" + tt.line + "\n\f" +
				"A/RES/73/8\n1. Decides to remain seized of the matter.\n"
			doc := ocrrFurniture(t, text, tt.kind)
			want := []string{"Recalling its resolutions on the subject,"}
			if !tt.removed {
				want = append(want, tt.line)
			}
			if diff := cmp.Diff(want, ocrrTexts(doc.Pages[1])); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			logged := false
			for _, r := range doc.Log {
				logged = logged || r.Before == tt.line && r.Pos.Page == 2
			}
			if logged != tt.removed {
				t.Errorf("logged the removal of %q: %v, want %v", tt.line, logged, tt.removed)
			}
		})
	}
}

// ocrrMasthead is the first page of a one-page scan of a resolution whose
// symbol OCR misread, as Tesseract gives it: "United Nations" and the
// symbol on one line.
const ocrrMasthead = "United Nations AvRES/73/8\nGeneral Assembly Distr.: General\n22 October 2018\n" +
	"Seventy-third session\nAgenda item 29\nResolution adopted by the General Assembly on 16 October 2018\n" +
	"73/8. Global health and foreign policy\nThe General Assembly,\n"

// TestOCRSymbolInMasthead: OCR reads the first slash of "A/RES/73/8" as v
// or drops it; repaired, the masthead is recognized and the user gets the
// symbol in the metadata instead of "United Nations AvRES/73/8" as text.
func TestOCRSymbolInMasthead(t *testing.T) {
	f := NewFurniture(dictionaries.Default())
	tests := []struct {
		name, in, want string
	}{
		{"v for the slash", "United Nations AvRES/73/8", "United Nations A/RES/73/8"},
		{"slash lost", "ARES/73/8", "A/RES/73/8"},
		{"bar for the slash", "A|RES/73/8", "A/RES/73/8"},
		{"I for the slash", "AIRES/73/8", "A/RES/73/8"},
		{"lower case", "Avres/73/8", "A/RES/73/8"},
		{"after the body's name", "General Assembly ARES/73/8", "General Assembly A/RES/73/8"},
		{"nothing to repair", "A/RES/73/8", "A/RES/73/8"},
		{"no symbol once repaired", "AvRES/xyz", "AvRES/xyz"},
		{"no symbol at all", "United Nations", "United Nations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &pipeline.Document{Kind: pipeline.KindOCR}
			ln := pipeline.Line{Text: tt.in, Origin: 1}
			f.fixOCRSymbol(doc, 1, &ln)
			if ln.Text != tt.want {
				t.Errorf("fixOCRSymbol(%q) = %q, want %q", tt.in, ln.Text, tt.want)
			}
			if logged := len(doc.Log) > 0; logged != (tt.in != tt.want) {
				t.Errorf("fixOCRSymbol(%q): logged %+v", tt.in, doc.Log)
			}
		})
	}

	t.Run("masthead", func(t *testing.T) {
		doc := ocrrFurniture(t, ocrrMasthead, pipeline.KindOCR)
		if got := ocrrTexts(doc.Pages[0]); len(got) == 0 || !strings.HasPrefix(got[0], "Resolution adopted by") {
			t.Errorf("the masthead was not removed; the page reads %q", got)
		}
		if !slices.ContainsFunc(doc.Log, func(r pipeline.Repair) bool {
			return r.Kind == pipeline.RepairSpelling && r.After == "United Nations A/RES/73/8"
		}) {
			t.Errorf("no repair of the symbol logged: %+v", doc.Log)
		}
	})
	// What the repair is for: the user gets the symbol in the metadata of a
	// one-page scan, where no running head repeats it.
	t.Run("symbol in the metadata", func(t *testing.T) {
		doc := ocrrFurniture(t, ocrrMasthead, pipeline.KindOCR)
		if doc.Meta.Symbol != "A/RES/73/8" {
			t.Errorf("Meta.Symbol = %q, want A/RES/73/8 from the masthead line \"United Nations A/RES/73/8\"", doc.Meta.Symbol)
		}
	})
	t.Run("not OCR", func(t *testing.T) {
		doc := ocrrFurniture(t, ocrrMasthead, pipeline.KindPDFText)
		if strings.Contains(doc.Meta.Symbol, "A/RES/73/8") {
			t.Errorf("Meta.Symbol = %q: a text layer's AvRES was repaired", doc.Meta.Symbol)
		}
		for _, r := range doc.Log {
			if r.Kind == pipeline.RepairSpelling {
				t.Errorf("repaired a symbol in pdftotext text: %+v", r)
			}
		}
	})
}

// TestFootnoteRuleIsNotARunningFooter: the footnote rule stands at the
// foot of every page with footnotes, like a running footer; taken as one,
// the footnote stage finds no block and the definitions end up in the
// user's body text.
func TestFootnoteRuleIsNotARunningFooter(t *testing.T) {
	bodies := []string{
		"Recalling its resolution 61/180 of 20 December 2006,",
		"Welcoming the progress made at the fourth session,",
		"Noting with appreciation the report of the Secretary-General,",
		"Decides to remain seized of the matter.",
	}
	defs := []string{"Resolution 55/25, annex I.", "A/63/215.", "Ibid., para. 12.", "E/CN.4/2006/62 and Add.1."}
	var pages []string
	for i := range bodies {
		pages = append(pages, fmt.Sprintf("A/RES/73/8\n%s\n__________\n%d %s\n", bodies[i], i+1, defs[i]))
	}
	text := strings.Join(pages, "\f")
	for _, kind := range []pipeline.InputKind{pipeline.KindOCR, pipeline.KindPDFText} {
		t.Run(string(kind), func(t *testing.T) {
			doc := ocrrFurniture(t, text, kind)
			for _, pg := range doc.Pages {
				want := []string{bodies[pg.Number-1], "__________", fmt.Sprintf("%d %s", pg.Number, defs[pg.Number-1])}
				if diff := cmp.Diff(want, ocrrTexts(pg)); diff != "" {
					t.Errorf("page %d (-want +got):\n%s", pg.Number, diff)
				}
			}
			if err := NewFootnotes(dictionaries.Default()).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Footnotes) != 4 {
				t.Errorf("found %d footnotes, want 4: %+v", len(doc.Footnotes), doc.Footnotes)
			}
		})
	}
	// The control: a line that is no rule, repeated at the foot of the
	// pages, is a running footer.
	footer := strings.ReplaceAll(text, "__________\n", "Global health and foreign policy\n")
	doc := ocrrFurniture(t, footer, pipeline.KindOCR)
	for _, pg := range doc.Pages {
		for _, s := range ocrrTexts(pg) {
			if s == "Global health and foreign policy" {
				t.Errorf("page %d kept the running footer", pg.Number)
			}
		}
	}
}

// TestOCRFurnitureRepairKinds: the golden cases accept only the repair
// kinds furnitureSpec lists; the symbol repair logs a kind it does not, so
// no golden case can hold a misread masthead and the repair that gives the
// user the symbol is guarded by no end-to-end case.
func TestOCRFurnitureRepairKinds(t *testing.T) {
	doc := ocrrFurniture(t, ocrrMasthead, pipeline.KindOCR)
	for _, r := range doc.Log {
		if !slices.Contains(furnitureSpec.kinds, r.Kind) {
			t.Errorf("the furniture stage logged %s %q -> %q; furnitureSpec.kinds %v does not allow %s", r.Kind, r.Before, r.After, furnitureSpec.kinds, r.Kind)
		}
	}
}

// A symbol whose first slash OCR misread is repaired for any series letter
// the grammar knows, not only A/RES: mastheads of the Security Council and
// the Economic and Social Council are scanned too.
func TestRepairSymbol(t *testing.T) {
	f := NewFurniture(dictionaries.Default())
	for _, tc := range []struct{ in, want string }{
		{"ARES/ES-11/1", "A/RES/ES-11/1"},
		{"AvRES/73/8", "A/RES/73/8"},
		{"Avres/73/7", "A/RES/73/7"},
		{"AIRES/73/8", "A/RES/73/8"},
		{"E|RES/2019/1", "E/RES/2019/1"},
		{"A/RES/73/8", ""}, // already right
		{"and/or", ""},
	} {
		got, ok := f.repairSymbol(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("repairSymbol(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}
