package pdf_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// The text layer of a born-digital PDF is emend's best input: the words
// must all be there, in reading order, each with a box inside its page,
// or the geometry stages (superscripts, columns, furniture) work on junk.
func TestTextLayerCorpus(t *testing.T) {
	needTools(t, "pdftotext")
	pages, err := pdf.Tools{}.TextLayer(ctx(t), textPDF(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	lastBlock := 0
	for i, p := range pages {
		if p.Number != i+1 {
			t.Errorf("page %d numbered %d", i+1, p.Number)
		}
		if p.Width < 595 || p.Width > 596 || p.Height < 841 || p.Height > 842 {
			t.Errorf("page %d: %v × %v points, want A4 (595.3 × 841.9)", p.Number, p.Width, p.Height)
		}
		if len(p.Lines) < 20 {
			t.Errorf("page %d: only %d lines", p.Number, len(p.Lines))
		}
		for li, l := range p.Lines {
			if l.Origin != li+1 {
				t.Errorf("page %d line %d: Origin %d", p.Number, li+1, l.Origin)
			}
			if l.Block < lastBlock || l.Block <= 0 {
				t.Errorf("page %d line %d: block %d after block %d; blocks number from 1 through the document", p.Number, li+1, l.Block, lastBlock)
			}
			lastBlock = l.Block
			if len(l.Words) == 0 || l.Text == "" {
				t.Errorf("page %d line %d: empty line kept (%q)", p.Number, li+1, l.Text)
			}
			if l.Text != pipeline.JoinWords(l.Words) {
				t.Errorf("page %d line %d: Text %q is not its words %q", p.Number, li+1, l.Text, pipeline.JoinWords(l.Words))
			}
			for _, w := range l.Words {
				b := w.Box
				switch {
				case w.Text == "" || strings.TrimSpace(w.Text) != w.Text:
					t.Errorf("page %d line %d: word %q is empty or untrimmed", p.Number, li+1, w.Text)
				case b == nil:
					t.Errorf("page %d: word %q has no box", p.Number, w.Text)
				case !(0 <= b.X0 && b.X0 < b.X1 && b.X1 <= p.Width && 0 <= b.Y0 && b.Y0 < b.Y1 && b.Y1 <= p.Height):
					t.Errorf("page %d: word %q box %+v is empty or outside the %v × %v page", p.Number, w.Text, *b, p.Width, p.Height)
				}
			}
		}
	}
	p1 := testutil.PageText(pages[0])
	for _, want := range []string{
		"A/RES/61/180\n",
		"Resolution adopted by the General Assembly on 20 December 2006\n",
		"61/180. Improving the coordination of efforts against trafficking in persons\n",
		"The General Assembly,\n",
	} {
		if !strings.Contains(p1, want) {
			t.Errorf("page 1 lacks the line %q; it reads:\n%s", want, p1)
		}
	}
	// Reading order: masthead, then title, then the body.
	if a, b := strings.Index(p1, "Resolution adopted"), strings.Index(p1, "The General Assembly,"); a < 0 || b < a {
		t.Errorf("page 1 is out of reading order:\n%s", p1)
	}
	if !strings.Contains(testutil.PageText(pages[2]), "plenary meeting") {
		t.Errorf("page 3 lacks the closing \"plenary meeting\" line:\n%s", testutil.PageText(pages[2]))
	}
}

// A footnote marker in a born-digital PDF is a separate, smaller, raised
// word ("Crime" then "1"). The marker stage finds it by its box; if the
// text layer merged it into the word or lost its box, "Crime1" would be
// taken for a word and the footnote link lost.
func TestTextLayerFootnoteMarker(t *testing.T) {
	needTools(t, "pdftotext")
	pages, err := pdf.Tools{}.TextLayer(ctx(t), textPDF(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, l := range pages[0].Lines {
		for i := 1; i+1 < len(l.Words); i++ {
			prev, mark, next := l.Words[i-1], l.Words[i], l.Words[i+1]
			if prev.Text != "Crime" || mark.Text != "1" {
				continue
			}
			found++
			if mark.Box.Height() > 0.7*prev.Box.Height() || mark.Box.Height() > 0.7*next.Box.Height() {
				t.Errorf("marker box height %.2f is not clearly smaller than its neighbours' (%.2f, %.2f)",
					mark.Box.Height(), prev.Box.Height(), next.Box.Height())
			}
			if mark.Box.Y1 > prev.Box.Y1-2 || mark.Box.Y0 > prev.Box.Y0+1 {
				t.Errorf("marker box %+v is not raised against \"Crime\" %+v", *mark.Box, *prev.Box)
			}
			if mark.Box.X0 < prev.Box.X1-0.5 || mark.Box.X0 > prev.Box.X1+2 {
				t.Errorf("marker box %+v does not follow \"Crime\" %+v closely", *mark.Box, *prev.Box)
			}
			if mark.FontSize <= 0 || mark.FontSize > 0.7*prev.FontSize {
				t.Errorf("marker font size %v is not clearly smaller than \"Crime\"'s %v", mark.FontSize, prev.FontSize)
			}
			if !strings.Contains(l.Text, "Organized Crime 1 and,") {
				t.Errorf("marker line reads %q", l.Text)
			}
		}
	}
	if found != 1 {
		t.Errorf("found %d words \"1\" right after \"Crime\" on page 1, want 1", found)
	}
}

// A PDF whose pages have no text (a scan) still has its pages, empty, so
// that the caller OCRs each one instead of concluding the file is empty.
func TestTextLayerScanHasEmptyPages(t *testing.T) {
	needTools(t, "pdftotext")
	pages, err := pdf.Tools{}.TextLayer(ctx(t), testutil.CorpusFile(t, "render-61-180-a", "scan.pdf"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for i, p := range pages {
		if p.Number != i+1 || len(p.Lines) != 0 {
			t.Errorf("page %d: Number %d, %d lines; want an empty page", i+1, p.Number, len(p.Lines))
		}
	}
}

// bboxSample is pdftotext -bbox-layout output cut down by hand: two pages,
// the second without text, entities in words, an empty word and a line
// of nothing but an empty word.
const bboxSample = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>A/RES/61/180</title>
<meta name="Producer" content="LibreOffice 7.4"/>
<meta name="CreationDate" content=""/>
</head>
<body>
<doc>
  <page width="595.304000" height="841.890000">
    <flow>
      <block xMin="99.3" yMin="70.9" xMax="380.1" yMax="83.9">
        <line xMin="99.3" yMin="70.9" xMax="380.1" yMax="83.9">
          <word xMin="99.300000" yMin="70.900764" xMax="142.560000" yMax="83.900764">Research</word>
          <word xMin="145.0" yMin="70.9" xMax="160.5" yMax="83.9">&amp;</word>
          <word xMin="163.0" yMin="70.9" xMax="200.0" yMax="83.9">&lt;Development&gt;</word>
          <word xMin="201.0" yMin="70.9" xMax="201.0" yMax="83.9"></word>
          <word xMin="203.0" yMin="70.9" xMax="240.0" yMax="83.9">&quot;AT&amp;T&quot;</word>
          <word xMin="243.0" yMin="70.9" xMax="260.0" yMax="83.9">l&#39;été</word>
        </line>
        <line xMin="99.3" yMin="90" xMax="120" yMax="100">
          <word xMin="99.3" yMin="90" xMax="120" yMax="100">   </word>
        </line>
      </block>
      <block xMin="71" yMin="108.7" xMax="107.3" yMax="124.3">
        <line xMin="71" yMin="108.7" xMax="107.3" yMax="124.3">
          <word xMin="71.000000" yMin="108.700764" xMax="107.300000" yMax="124.300764">61/180.</word>
          <word xMin="457.2" yMin="254.09" xMax="460.1" yMax="261.63">1</word>
        </line>
      </block>
    </flow>
  </page>
  <page width="612.000000" height="792.000000">
  </page>
</doc>
</body>
</html>
`

// The parser is the whole of the text layer's meaning: entities must come
// out as the characters they stand for (a "&amp;" in the output would be
// a visible defect), empty words and lines must not reach the stages, and
// pages keep their numbers even when empty.
func TestParseBBoxLayout(t *testing.T) {
	pages, err := pdf.ParseBBoxLayout([]byte(bboxSample))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	p := pages[0]
	if p.Number != 1 || p.Width != 595.304 || p.Height != 841.89 {
		t.Errorf("page 1: Number %d, %v × %v", p.Number, p.Width, p.Height)
	}
	if q := pages[1]; q.Number != 2 || q.Width != 612 || q.Height != 792 || len(q.Lines) != 0 {
		t.Errorf("page 2: Number %d, %v × %v, %d lines; want an empty 612 × 792 page 2", q.Number, q.Width, q.Height, len(q.Lines))
	}
	if len(p.Lines) != 2 {
		t.Fatalf("page 1: %d lines, want 2 (the line of one blank word dropped): %+v", len(p.Lines), p.Lines)
	}
	l := p.Lines[0]
	wantWords := []string{"Research", "&", "<Development>", `"AT&T"`, "l'été"}
	if len(l.Words) != len(wantWords) {
		t.Fatalf("line 1 words %q, want %q", wordTexts(l), wantWords)
	}
	for i, w := range wantWords {
		if l.Words[i].Text != w {
			t.Errorf("word %d = %q, want %q", i+1, l.Words[i].Text, w)
		}
	}
	if want := `Research & <Development> "AT&T" l'été`; l.Text != want {
		t.Errorf("line 1 text %q, want %q", l.Text, want)
	}
	if b := l.Words[0].Box; b == nil || *b != (pipeline.Box{X0: 99.3, Y0: 70.900764, X1: 142.56, Y1: 83.900764}) {
		t.Errorf("word 1 box %+v", b)
	}
	if l.Origin != 1 || l.Block != 1 {
		t.Errorf("line 1: Origin %d Block %d, want 1 1", l.Origin, l.Block)
	}
	l2 := p.Lines[1]
	if l2.Text != "61/180. 1" || l2.Block != 2 {
		t.Errorf("line 2: %q in block %d, want \"61/180. 1\" in block 2", l2.Text, l2.Block)
	}
	if b := l2.Words[1].Box; b == nil || b.Height() > 8 {
		t.Errorf("the small word's box %+v lost its height", b)
	}
	for _, w := range l2.Words {
		if w.Superscript || w.Joined || w.Confidence != 0 {
			t.Errorf("word %q: the text layer claims what it cannot know: %+v", w.Text, w)
		}
		// poppler's word box spans the font's ascent to descent: its
		// height stands for the font size, which tells footnote type from
		// body type.
		if w.FontSize != w.Box.Height() {
			t.Errorf("word %q: FontSize %v, want its box height %v", w.Text, w.FontSize, w.Box.Height())
		}
	}
}

func wordTexts(l pipeline.Line) []string {
	var s []string
	for _, w := range l.Words {
		s = append(s, w.Text)
	}
	return s
}

// An empty document and output that is not XML at all must not crash the
// reader: the first gives no pages, the second an error or no pages.
func TestParseBBoxLayoutDegenerate(t *testing.T) {
	for _, in := range []string{"", "<doc></doc>", "<html><body><doc></doc></body></html>"} {
		pages, err := pdf.ParseBBoxLayout([]byte(in))
		if err != nil || len(pages) != 0 {
			t.Errorf("ParseBBoxLayout(%q) = %d pages, %v; want none, no error", in, len(pages), err)
		}
	}
	// Words and lines outside a page have nowhere to go and are dropped.
	pages, err := pdf.ParseBBoxLayout([]byte(`<doc><line><word>stray</word></line><page width="10" height="10"><line><word>kept</word></line></page></doc>`))
	if err != nil || len(pages) != 1 || len(pages[0].Lines) != 1 || pages[0].Lines[0].Text != "kept" {
		t.Errorf("stray words outside a page: %+v, %v", pages, err)
	}
	if _, err := pdf.ParseBBoxLayout([]byte("<doc><page><line><word>x</wo")); err == nil {
		t.Error("truncated XML: no error")
	}
}

// Fonts without a Unicode map often give a text layer with control
// characters (U+0002 for an unmapped ligature, say). pdftotext writes them
// into its XHTML unescaped. One such character on one page must not make
// the whole text layer unreadable: the caller then OCRs every page of a
// born-digital PDF (minutes instead of a second, and worse text), or, with
// --ocr never, fails the file.
func TestTextLayerControlCharacter(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	path := filepath.Join(t.TempDir(), "ctl.pdf")
	if err := os.WriteFile(path, controlCharPDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfinfo", path).CombinedOutput(); err != nil {
		t.Fatalf("the generated PDF is broken: %v\n%s", err, out)
	}
	pages, err := pdf.Tools{}.TextLayer(ctx(t), path, 1)
	if err != nil {
		t.Fatalf("TextLayer on a page with one control character: %v", err)
	}
	if len(pages) != 1 || !strings.Contains(testutil.PageText(pages[0]), "Hello") {
		t.Errorf("the rest of the page was lost: %+v", pages)
	}
}

// The same bug at the parser: a control character inside one word.
func TestParseBBoxLayoutControlCharacter(t *testing.T) {
	in := `<doc><page width="612" height="792"><flow><block><line>` +
		`<word xMin="72" yMin="54" xMax="120" yMax="77">B` + "\x02" + `B</word>` +
		`<word xMin="126" yMin="54" xMax="181" yMax="77">Hello</word>` +
		`</line></block></flow></page></doc>`
	pages, err := pdf.ParseBBoxLayout([]byte(in))
	if err != nil {
		t.Fatalf("ParseBBoxLayout: %v", err)
	}
	if len(pages) != 1 || len(pages[0].Lines) != 1 || !strings.HasSuffix(pages[0].Lines[0].Text, "Hello") {
		t.Errorf("got %+v", pages)
	}
}

// controlCharPDF is a one-page PDF whose font's ToUnicode map sends the
// code of "A" to U+0002, as broken producers do; it shows "BAB Hello".
func controlCharPDF() []byte {
	cmap := "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Test def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n2 beginbfchar\n<41> <0002>\n<42> <0042>\nendbfchar\n" +
		"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
	content := "BT /F1 24 Tf 72 720 Td (BAB Hello) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		streamObj(content),
		streamObj(cmap),
	}
	return buildPDF(objs)
}

func streamObj(s string) string {
	return "<< /Length " + strconv.Itoa(len(s)) + " >>\nstream\n" + s + "\nendstream"
}

// buildPDF writes objects 1..n with a correct cross-reference table.
func buildPDF(objs []string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, o := range offs {
		s := strconv.Itoa(o)
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return []byte(b.String())
}

// pdftotext's output comes from whatever a PDF holds; no output, however
// malformed, may crash emend. Each page, line and word that comes back
// must also keep the invariants the stages rely on.
func FuzzParseBBoxLayout(f *testing.F) {
	f.Add([]byte(bboxSample))
	f.Add([]byte(`<doc><page width="1" height="1"><line><word>a</word><word></word></line></page></doc>`))
	f.Add([]byte(`<page><line><page></page></line></page>`))
	f.Add([]byte(`<page><line><word><line></line></word></line></page>`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:len(data):len(data)]
		pages, err := pdf.ParseBBoxLayout(data)
		if err != nil {
			return
		}
		for i, p := range pages {
			if p.Number != i+1 {
				t.Fatalf("page %d numbered %d", i+1, p.Number)
			}
			for _, l := range p.Lines {
				if l.Text == "" || len(l.Words) == 0 {
					t.Fatalf("page %d: empty line kept: %+v", p.Number, l)
				}
				for _, w := range l.Words {
					if w.Text == "" || w.Box == nil {
						t.Fatalf("page %d: empty word or word without a box: %+v", p.Number, w)
					}
					if !utf8.ValidString(w.Text) {
						t.Fatalf("page %d: word %q is not UTF-8", p.Number, w.Text)
					}
				}
			}
		}
	})
}

// pdftotext never nests pages in lines, but a parser of untrusted output
// must not crash on it: emend runs whole batches in one process, and one
// odd file would take the rest down with it.
func TestParseBBoxLayoutNesting(t *testing.T) {
	for _, in := range []string{
		`<page><line><page></page></line></page>`,
		`<page><line><word><line></line></word></line></page>`,
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("ParseBBoxLayout(%q) panicked: %v", in, r)
				}
			}()
			_, _ = pdf.ParseBBoxLayout([]byte(in))
		}()
	}
}
