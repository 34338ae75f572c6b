package input

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/emend/emend/pipeline"
)

// Snippets of each kind of input, cut from the shared corpus's A/RES/61/180
// and A/RES/63/194 in the form each tool writes them.
const (
	// pdftotext without -layout: short lines, a footnote block after a rule,
	// a form feed between pages.
	pdftextSnippet = `A/RES/61/180
United Nations
General Assembly
Distr.: General
8 March 2007
Sixty-first session
Agenda item 103
Resolution adopted by the General Assembly
[on the report of the Third Committee (A/61/444)]
61/180. Improving the coordination of efforts against trafficking
in persons
The General Assembly,
Recalling its resolutions 55/25 of 15 November 2000, 58/137 of 22 December
2003, 59/166 of 20 December 2004 and other relevant General Assembly resolu-
tions on trafficking in persons and other contemporary forms of slavery,
_______________
1
United Nations, Treaty Series, vol. 2225, No. 39574.
06-50523
` + "\f" + `A/RES/61/180
Recalling further the United Nations Convention against Transnational Organized
Crime,1 the Optional Protocol to the Convention on the Rights of the Child,
` + "\f"

	// pdftotext -layout: the masthead in columns, body text indented.
	layoutSnippet = `                                                                              A/RES/61/180
      United Nations                                               General Assembly
                                                                   Distr.: General
                                                                   8 March 2007
      Sixty-first session
      Agenda item 103

                 Resolution adopted by the General Assembly
                   [on the report of the Third Committee (A/61/444)]

      61/180.    Improving the coordination of efforts against trafficking
                 in persons
                 The General Assembly,
                 Recalling its resolutions 55/25 of 15 November 2000, 58/137 of 22 December
      2003, 59/166 of 20 December 2004 and other relevant General Assembly resolutions
      on trafficking in persons and other contemporary forms of slavery,
`

	// Text flattened by a viewer: the page on one line, the footnote block
	// and the job number inline.
	flatSnippet = `A/RES/61/180 2 Recalling further the United Nations Convention against Transnational Organized Crime1 and, in particular, the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime,2 the Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography,3 the Convention on the Elimination of All Forms of Discrimination against Women,4 the Convention on the Rights of the Child,5 and the Supplementary Convention on the Abolition of Slavery, the Slave Trade, and Institutions and Practices Similar to Slavery,6 _______________ 1 United Nations, Treaty Series, vol. 2225, No. 39574. 2 Ibid., vol. 2237, No. 39574. 3 Ibid., vol. 2171, No. 27531.
`

	// Tesseract: superscript digits read as ' ? ® ”, no form feeds.
	ocrSnippet = `Recalling further the United Nations Convention against Transnational
Organized Crime' and the Protocol to Prevent, Suppress and Punish Trafficking in
Persons, Especially Women and Children, supplementing the United Nations
Convention against Transnational Organized Crime,? the Optional Protocol to the
Convention on the Rights of the Child on the sale of children, child prostitution and
child pornography® and the Supplementary Convention on the Abolition of Slavery,
the Slave Trade, and Institutions and Practices Similar to Slavery,”

Welcoming the progress made at the fourth session of the Conference of the
`

	// A legacy ODS export: a [DU1] mark, tab-indented paragraphs, tags.
	odsSnippet = "[DU1]\n" +
		"Resolution adopted by the General Assembly on 20 December 2006\n" +
		"[on the report of the Third Committee (A/61/444)]\n" +
		"61/180.\tImproving the coordination of efforts against trafficking in persons\n\n\n" +
		"\tThe General Assembly,\n" +
		"\tRecalling its resolutions 55/25 of 15 November 2000 and other relevant General Assembly resolutions,\n"

	// emend's own Markdown.
	markdownSnippet = `Recalling further the United Nations Convention against Transnational Organized Crime[^1] and the Protocol to Prevent, Suppress and Punish Trafficking in Persons,[^2]

1. Urges Member States to ratify the Convention.

[^1]: United Nations, Treaty Series, vol. 2225, No. 39574.
[^2]: Ibid., vol. 2237, No. 39574.
`
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, reason string
		text         string
		want         pipeline.InputKind
	}{
		{"pdftotext", "short unindented lines and form feeds", pdftextSnippet, pipeline.KindPDFText},
		{"pdftotext one page", "no form feed and no OCR glyphs still reads as pdftotext", strings.TrimRight(pdftextSnippet[:strings.Index(pdftextSnippet, "\f")], "\n"), pipeline.KindPDFText},
		{"layout", "pdftotext -layout indents body text and pads the masthead into columns", layoutSnippet, pipeline.KindLayout},
		{"layout with form feeds", "layout's form feeds do not make it plain pdftotext", layoutSnippet + "\f" + layoutSnippet + "\f", pipeline.KindLayout},
		{"flat", "a page on one very long line", flatSnippet, pipeline.KindFlat},
		{"flat two pages", "one long line per page", flatSnippet + "\n" + flatSnippet, pipeline.KindFlat},
		{"ocr", "superscript digits read as ' ? ® ” glued to words", ocrSnippet, pipeline.KindOCR},
		{"ocr glyphs in pdftotext", "a form feed is stronger evidence than glyphs", ocrSnippet + "\f", pipeline.KindPDFText},
		{"ods DU mark", "[DU1] on a line of its own opens ODS exports", odsSnippet, pipeline.KindODS},
		{"ods job tag only", "a <<ODS JOB NO>> tag far down the file", strings.Repeat("Recalling its resolution 61/180,\n", 3) + "<<ODS JOB NO>>N0650523E<<ODS JOB NO>>\n", pipeline.KindODS},
		{"ods beats markdown", "an ODS export that quotes Markdown is still ODS", "[DU1]\n" + markdownSnippet, pipeline.KindODS},
		{"markdown", "[^N] references and [^N]: definitions", markdownSnippet, pipeline.KindMarkdown},
		{"markdown CRLF", "Markdown saved on Windows", strings.ReplaceAll(markdownSnippet, "\n", "\r\n"), pipeline.KindMarkdown},
		{"markdown without definitions", "emend's Markdown of a document whose footnotes were not printed (seed-004) has references only; read as pdftext, emend's own output goes through the furniture and paragraph stages again",
			"Recalling the Convention[^1] and the Protocol,[^2]\n\n1. Urges Member States to ratify the Convention[^1].\n", pipeline.KindMarkdown},
		{"one reference", "a reference and its definition are Markdown: the definition's [^1] counts too", "See note [^1] below.\n\n[^1]: A note.\n", pipeline.KindMarkdown},
		{"definition only", "a lone [^1]: line is too little to call Markdown", "Recalling its resolutions,\n[^1]: A note.\n", pipeline.KindPDFText},
		{"blank", "nothing to go on: the default", "\n\n", pipeline.KindPDFText},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("%s: Detect = %q, want %q (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

func mustEncode(t *testing.T, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder()
	cp1252 := charmap.Windows1252.NewEncoder()
	const quoted = "Recalling the \u201cPalermo Protocol\u201d and the Secretary-General\u2019s report \u2013 2006\n"
	tests := []struct {
		name, reason string
		in           []byte
		want         string
		err          []error // any of these; nil for success
	}{
		{"UTF-8", "the usual case", []byte("Recalling its resolution 61/180,\n"), "Recalling its resolution 61/180,\n", nil},
		{"UTF-8 multibyte", "curly quotes and dashes stay as they are", []byte(quoted), quoted, nil},
		{"UTF-8 BOM", "the BOM is not text", append([]byte("\xef\xbb\xbf"), quoted...), quoted, nil},
		{"UTF-16 LE", "Windows exports with FF FE", mustEncode(t, utf16le, quoted), quoted, nil},
		{"UTF-16 BE", "FE FF selects big-endian", mustEncode(t, utf16be, quoted), quoted, nil},
		{"Windows-1252", "ODS exports write 0x93/0x94 for curly quotes", mustEncode(t, cp1252, quoted), quoted, nil},
		{"Latin-1 letters", "é as 0xE9 in a French title", []byte("Comit\xe9 des droits de l'homme\n"), "Comité des droits de l'homme\n", nil},
		{"form feeds and tabs", "pdftotext's form feeds and ODS tabs are text, not control junk", []byte("\tThe General Assembly,\n\f\tRecalling\n\f"), "\tThe General Assembly,\n\f\tRecalling\n\f", nil},
		{"empty", "nothing to clean", nil, "", []error{ErrEmpty}},
		{"whitespace", "blank pages only", []byte(" \n\f\n\t\r\n"), "", []error{ErrEmpty}},
		{"UTF-16 whitespace", "blank pages only, in UTF-16", mustEncode(t, utf16le, " \n\f\n"), "", []error{ErrEmpty}},
		{"UTF-16 BOM only", "an empty UTF-16 export", []byte{0xFF, 0xFE}, "", []error{ErrEmpty}},
		{"UTF-8 BOM only", "an empty document saved as UTF-8 with BOM", []byte("\xef\xbb\xbf"), "", []error{ErrEmpty}},
		{"UTF-8 BOM and blank lines", "the BOM is not content", []byte("\xef\xbb\xbf\n\n \n"), "", []error{ErrEmpty}},
		{"PNG", "an image given as text", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0"), "", []error{ErrBinary}},
		{"NUL", "UTF-16 without a BOM has NUL bytes", []byte("R\x00e\x00s\x00\n\x00"), "", []error{ErrBinary}},
		{"control bytes", "more than 5% control bytes is not text", bytes.Repeat([]byte("ab\x01\x02\x03"), 50), "", []error{ErrBinary}},
		{"undefined 1252", "bytes Windows-1252 leaves undefined", bytes.Repeat([]byte("\x81\x8d\x8f\x90\x9d "), 10), "", []error{ErrUndecodable}},
		{"UTF-16 lone surrogates", "a broken UTF-16 file is refused (its class should be ErrUndecodable)",
			[]byte("\xff\xfe\x00\xd8\x00\xd8\x00\xd8\x00\xd8"), "", []error{ErrUndecodable, ErrBinary}},
	}
	for _, tt := range tests {
		got, err := Decode(tt.in)
		if tt.err == nil {
			if err != nil {
				t.Errorf("%s: Decode error %v (%s)", tt.name, err, tt.reason)
				continue
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Decode (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
			}
			continue
		}
		ok := false
		for _, e := range tt.err {
			ok = ok || errors.Is(err, e)
		}
		if !ok {
			t.Errorf("%s: Decode = %q, %v; want error %v (%s)", tt.name, got, err, tt.err, tt.reason)
		}
	}
}

// TestDecodeEachKind decodes a snippet of each kind of input in each
// encoding emend reads: the text comes back unchanged and is detected as
// the same kind.
func TestDecodeEachKind(t *testing.T) {
	snippets := []struct {
		kind pipeline.InputKind
		text string
	}{
		{pipeline.KindPDFText, pdftextSnippet},
		{pipeline.KindLayout, layoutSnippet},
		{pipeline.KindFlat, flatSnippet},
		{pipeline.KindOCR, ocrSnippet},
		{pipeline.KindODS, odsSnippet},
		{pipeline.KindMarkdown, markdownSnippet},
	}
	encodings := []struct {
		name, reason string
		encode       func(string) ([]byte, error)
	}{
		{"UTF-8", "what pdftotext and Tesseract write", func(s string) ([]byte, error) { return []byte(s), nil }},
		{"UTF-8 BOM", "what Windows editors write", func(s string) ([]byte, error) { return append([]byte("\xef\xbb\xbf"), s...), nil }},
		{"UTF-16 LE", "what Windows exports write", func(s string) ([]byte, error) {
			return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		}},
		{"UTF-16 BE", "the other byte order", func(s string) ([]byte, error) {
			return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		}},
		{"Windows-1252", "what ODS exported", func(s string) ([]byte, error) { return charmap.Windows1252.NewEncoder().Bytes([]byte(s)) }},
	}
	for _, sn := range snippets {
		for _, enc := range encodings {
			b, err := enc.encode(sn.text)
			if err != nil {
				t.Fatalf("%s in %s: %v", sn.kind, enc.name, err)
			}
			got, err := Decode(b)
			if err != nil {
				t.Errorf("%s in %s (%s): %v", sn.kind, enc.name, enc.reason, err)
				continue
			}
			if got != sn.text {
				t.Errorf("%s in %s (%s): text changed in decoding (-want +got):\n%s", sn.kind, enc.name, enc.reason, cmp.Diff(sn.text, got))
			}
			if k := Detect(got); k != sn.kind {
				t.Errorf("%s in %s: detected as %q", sn.kind, enc.name, k)
			}
		}
	}
}

func TestSplitPages(t *testing.T) {
	type L = pipeline.Line
	tests := []struct {
		name, reason string
		in           string
		want         []pipeline.Page
	}{
		{"one page", "lines numbered from 1, no breaks",
			"A/RES/61/180\nThe General Assembly,\n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "A/RES/61/180", Origin: 1}, {Text: "The General Assembly,", Origin: 2}}}}},
		{"blank lines", "a blank line sets Break on the next line; Origin still counts it",
			"The General Assembly,\n\n\nRecalling\nits resolution\n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "The General Assembly,", Origin: 1}, {Text: "Recalling", Break: true, Origin: 4}, {Text: "its resolution", Origin: 5}}}}},
		{"leading blank lines", "no Break before the first line of a page",
			"\n\nA/RES/61/180\n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "A/RES/61/180", Origin: 3}}}}},
		{"form feeds", "each page numbers its lines from 1",
			"page one\nend\n\fA/RES/61/180\n\nbody\n\f",
			[]pipeline.Page{
				{Number: 1, Lines: []L{{Text: "page one", Origin: 1}, {Text: "end", Origin: 2}}},
				{Number: 2, Lines: []L{{Text: "A/RES/61/180", Origin: 1}, {Text: "body", Break: true, Origin: 3}}},
			}},
		{"trailing form feed", "pdftotext ends the last page with a form feed; it starts no page",
			"only page\n\f\n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "only page", Origin: 1}}}}},
		{"blank page", "a blank page between two pages keeps its number",
			"one\n\f\n\ftwo\n\f",
			[]pipeline.Page{
				{Number: 1, Lines: []L{{Text: "one", Origin: 1}}},
				{Number: 2},
				{Number: 3, Lines: []L{{Text: "two", Origin: 1}}},
			}},
		{"indentation", "spaces count one, tabs advance to the next multiple of 8",
			"      Recalling\n\tThe General Assembly,\n  \tx\n\t  y\n",
			[]pipeline.Page{{Number: 1, Lines: []L{
				{Text: "Recalling", Indent: 6, Origin: 1},
				{Text: "The General Assembly,", Indent: 8, Origin: 2},
				{Text: "x", Indent: 8, Origin: 3},
				{Text: "y", Indent: 10, Origin: 4},
			}}}},
		{"trailing space", "trailing spaces, tabs and vertical tabs go",
			"Recalling \t\v\nfurther  \n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "Recalling", Origin: 1}, {Text: "further", Origin: 2}}}}},
		{"CRLF and CR", "Windows and old Mac line ends",
			"one\r\ntwo\r\rthree\r",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "one", Origin: 1}, {Text: "two", Origin: 2}, {Text: "three", Break: true, Origin: 4}}}}},
		{"whitespace-only lines", "a line of spaces and tabs is blank",
			"a\n \t \nb\n",
			[]pipeline.Page{{Number: 1, Lines: []L{{Text: "a", Origin: 1}, {Text: "b", Break: true, Origin: 3}}}}},
	}
	for _, tt := range tests {
		got := SplitPages(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: SplitPages (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, reason string
		in           string
		kind         pipeline.InputKind
		wantKind     pipeline.InputKind
		pages, paras int
	}{
		{"detected pdftext", "pages from form feeds", pdftextSnippet, "", pipeline.KindPDFText, 2, 0},
		{"forced layout", "--input-kind overrides the guess", pdftextSnippet, pipeline.KindLayout, pipeline.KindLayout, 2, 0},
		{"detected markdown", "Markdown becomes paragraphs and footnotes, no pages", markdownSnippet, "", pipeline.KindMarkdown, 0, 2},
		{"forced markdown", "any text can be read as Markdown", "one\n\ntwo\n", pipeline.KindMarkdown, pipeline.KindMarkdown, 0, 2},
		{"ods", "ODS stays in pages for the tag stage", odsSnippet, "", pipeline.KindODS, 1, 0},
	}
	for _, tt := range tests {
		doc, err := Read("in.txt", []byte(tt.in), tt.kind)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if doc.Source != "in.txt" || doc.Kind != tt.wantKind || len(doc.Pages) != tt.pages || len(doc.Paragraphs) != tt.paras {
			t.Errorf("%s: source %q kind %q, %d pages, %d paragraphs; want in.txt %q, %d, %d (%s)",
				tt.name, doc.Source, doc.Kind, len(doc.Pages), len(doc.Paragraphs), tt.wantKind, tt.pages, tt.paras, tt.reason)
		}
	}
	if _, err := Read("empty.txt", nil, ""); !errors.Is(err, ErrEmpty) {
		t.Errorf("Read of nothing: %v, want ErrEmpty", err)
	}
}

// FuzzRead holds Read to its invariants on any bytes and any kind: no
// panic, and when it succeeds, lines and paragraphs are valid UTF-8,
// non-empty and without surrounding whitespace, pages are numbered from 1
// and Origins rise within a page.
func FuzzRead(f *testing.F) {
	for _, s := range []string{pdftextSnippet, layoutSnippet, flatSnippet, ocrSnippet, odsSnippet, markdownSnippet,
		"", "\xef\xbb\xbf", "\xff\xfe", "\xff\xfeA\x00\r\x00\n\x00\f\x00", "a\r\n\r\n\fb", "\t \v\f", "x\x93y\x94\n"} {
		for k := range kinds {
			f.Add([]byte(s), uint8(k))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		doc, err := Read("fuzz.txt", data, kind)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrUndecodable) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		for i, p := range doc.Pages {
			if p.Number != i+1 {
				t.Fatalf("page %d numbered %d", i+1, p.Number)
			}
			last := 0
			for _, ln := range p.Lines {
				checkText(t, "line", ln.Text)
				if ln.Origin <= last || ln.Indent < 0 {
					t.Fatalf("page %d: line %q: origin %d after %d, indent %d", p.Number, ln.Text, ln.Origin, last, ln.Indent)
				}
				last = ln.Origin
			}
		}
		for _, p := range doc.Paragraphs {
			checkText(t, "paragraph", p.Text)
		}
		for _, fn := range doc.Footnotes {
			if !utf8.ValidString(fn.Text) {
				t.Fatalf("footnote %d: invalid UTF-8 %q", fn.Number, fn.Text)
			}
		}
	})
}

// kinds are the kinds FuzzRead tries: detection and each forced kind.
var kinds = append([]pipeline.InputKind{""}, pipeline.Kinds...)

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q: invalid UTF-8", what, s)
	}
	if s == "" {
		t.Fatalf("empty %s", what)
	}
	if strings.Trim(s, " \t\r\n\f\v") != s {
		t.Fatalf("%s %q has leading or trailing whitespace", what, s)
	}
}
