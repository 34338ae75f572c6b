package stages_test

// This file tests the Paragraphs stage and holds what the tests of the
// paragraph stages (paragraphs, splitwords, numbering, markers) share: the
// txtar golden-case runner, the checks on their repair log and on the
// document they leave, and the seeds of their fuzzers.
//
// # Golden cases
//
// Each file ../testdata/<stage>/*.txtar is one case. Its comment header
// names the case and says why it exists:
//
//	name: page break inside a preambular paragraph
//	reason: pdftotext leaves the running head and a footnote block between
//	the two halves of the sentence; the reader sees one paragraph.
//
// and its sections are:
//
//	-- input.txt --       the text as a reader gets it; a form feed (U+000C)
//	                      starts a new page, as in pdftotext output
//	-- kind --            optional: pdftext (the default), layout, flat, ocr,
//	                      ods, markdown, or "detect" to let input.Read choose
//	-- want.md --         the document as pipeline.Markdown renders it after
//	                      the stage under test
//	-- want-kinds.txt --  optional: one line a paragraph, its kind and, for
//	                      operative paragraphs and sub-paragraphs, its number
//	                      ("operative 3", "subparagraph b", "preambular")
//	-- want-meta.txt --   optional: "adopted: ..." and "title: ..." lines,
//	                      the metadata the numbering stage reads
//
// The input goes through input.Read, as the CLI reads it, and then through
// stages.Chain up to and including the stage under test. Every case also
// checks the repair log of each paragraph stage that ran, the invariants of
// the document (valid UTF-8, references inside their paragraph), and that
// cleaning the whole chain's Markdown output again gives the same Markdown.
//
// `go test ./stages -update` rewrites the want sections from what the stages
// produce. Write them by hand first, from what is right for a UN document,
// and review the diff -update makes: a case the code gets wrong does not
// belong here with the wrong answer in it.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/internal/txtarcase"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// paraTestdata is the module's testdata directory, seen from this package.
const paraTestdata = "../testdata"

func init() { txtarcase.RegisterUpdateFlag() }

var paraSections = map[string]bool{
	"input.txt": true, "kind": true, "want.md": true, "want-kinds.txt": true, "want-meta.txt": true,
}

// paraCaseFiles lists the cases of one stage's directory.
func paraCaseFiles(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(paraTestdata, dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no cases in %s", filepath.Join(paraTestdata, dir))
	}
	return files
}

// paraChainThrough returns stages.Chain cut after the stage named through.
func paraChainThrough(t testing.TB, dict *dictionaries.Set, through string) pipeline.Pipeline {
	t.Helper()
	var p pipeline.Pipeline
	for _, s := range stages.Chain(dict) {
		p = append(p, s)
		if s.Name() == through {
			return p
		}
	}
	t.Fatalf("stages.Chain has no stage %q", through)
	return nil
}

// paraStages are the stages that work on paragraphs, with the repair kinds
// each may log.
var paraStages = map[string][]pipeline.RepairKind{
	"paragraphs": {pipeline.RepairParagraph},
	"splitwords": {pipeline.RepairSplitWord, pipeline.RepairSpelling},
	"numbering":  {pipeline.RepairNumbering},
	"markers":    {pipeline.RepairMarker},
}

// paraSnapshot is what a paragraph stage was given: the lines (for the
// paragraph builder) and the paragraph texts (for the others).
type paraSnapshot struct {
	lines map[[2]int]string // page, line -> text
	paras []pipeline.Paragraph
}

func paraSnap(doc *pipeline.Document) paraSnapshot {
	s := paraSnapshot{lines: map[[2]int]string{}, paras: slices.Clone(doc.Paragraphs)}
	for _, pg := range doc.Pages {
		for _, ln := range pg.Lines {
			s.lines[[2]int{pg.Number, ln.Origin}] = ln.Text
		}
	}
	return s
}

// paraRunChecked runs p over doc one stage at a time and checks the repairs
// of every paragraph stage against what that stage was given.
func paraRunChecked(t testing.TB, name string, p pipeline.Pipeline, doc *pipeline.Document) {
	t.Helper()
	for _, s := range p {
		pre := paraSnap(doc)
		from := len(doc.Log)
		if err := (pipeline.Pipeline{s}).Run(context.Background(), doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := paraStages[s.Name()]; ok {
			for _, msg := range paraRepairProblems(s.Name(), pre, doc, doc.Log[from:]) {
				t.Errorf("%s: %s", name, msg)
			}
		}
	}
}

// paraRepairProblems checks the repairs a paragraph stage logged. Each names
// the stage, has a kind the stage may log, a reason, a confidence in (0, 1],
// Before and After that differ and are valid UTF-8, and a position: a line
// the stage was given, or a paragraph and a span of its text on rune
// boundaries. For the stages after the paragraph builder the span is in the
// text the stage was given and Before shows it.
func paraRepairProblems(stage string, pre paraSnapshot, doc *pipeline.Document, repairs []pipeline.Repair) []string {
	var out []string
	bad := func(i int, r pipeline.Repair, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s repair %d (%q -> %q): %s", stage, i, r.Before, r.After, fmt.Sprintf(format, args...)))
	}
	for i, r := range repairs {
		if r.Stage != stage {
			bad(i, r, "Stage = %q, want %q", r.Stage, stage)
		}
		if !slices.Contains(paraStages[stage], r.Kind) {
			bad(i, r, "Kind = %q, want one of %v", r.Kind, paraStages[stage])
		}
		if strings.TrimSpace(r.Reason) == "" {
			bad(i, r, "empty Reason")
		}
		if !(r.Confidence > 0 && r.Confidence <= 1) {
			bad(i, r, "Confidence = %v, want 0 < c <= 1", r.Confidence)
		}
		if r.Before == r.After {
			bad(i, r, "Before and After are the same")
		}
		if !utf8.ValidString(r.Before) || !utf8.ValidString(r.After) {
			bad(i, r, "Before or After is not valid UTF-8")
		}
		pos := r.Pos
		if stage == "paragraphs" && pos.Paragraph == -1 {
			// The builder may point at the input line it joined.
			ln, ok := pre.lines[[2]int{pos.Page, pos.Line}]
			switch {
			case !ok:
				bad(i, r, "position page %d line %d is not a line the stage was given", pos.Page, pos.Line)
			case pos.Start < 0 || pos.Start > pos.End || pos.End > len(ln):
				bad(i, r, "span [%d:%d] is outside line %q", pos.Start, pos.End, ln)
			}
			continue
		}
		paras := pre.paras
		if stage == "paragraphs" {
			paras = doc.Paragraphs // the paragraphs it made
		}
		if pos.Paragraph < 0 || pos.Paragraph >= len(paras) {
			bad(i, r, "Pos.Paragraph = %d, want an index below %d", pos.Paragraph, len(paras))
			continue
		}
		p := paras[pos.Paragraph]
		if pos.Page != p.Page || pos.Line != p.Line {
			bad(i, r, "position page %d line %d, but paragraph %d starts on page %d line %d", pos.Page, pos.Line, pos.Paragraph, p.Page, p.Line)
		}
		if pos.Start < 0 || pos.Start > pos.End || pos.End > len(p.Text) {
			bad(i, r, "span [%d:%d] is outside paragraph %d (%d bytes)", pos.Start, pos.End, pos.Paragraph, len(p.Text))
			continue
		}
		if !paraRuneBoundary(p.Text, pos.Start) || !paraRuneBoundary(p.Text, pos.End) {
			bad(i, r, "span [%d:%d] cuts a character of %q", pos.Start, pos.End, p.Text)
			continue
		}
		if stage == "paragraphs" {
			continue
		}
		span := p.Text[pos.Start:pos.End]
		if pos.Start == pos.End {
			bad(i, r, "empty span [%d:%d]", pos.Start, pos.End)
		}
		if stage == "splitwords" && r.Before != span {
			bad(i, r, "Before is not the span [%d:%d] of the paragraph, %q", pos.Start, pos.End, span)
		}
		if !strings.Contains(r.Before, span) {
			bad(i, r, "Before does not show the span [%d:%d] of the paragraph, %q", pos.Start, pos.End, span)
		}
	}
	return out
}

func paraRuneBoundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

// paraDocumentProblems checks what every paragraph stage must leave: no
// empty paragraph, valid UTF-8, each paragraph with a kind once numbering
// has run, references sorted, inside their paragraph and on a character
// boundary, and footnotes' references agreeing with the paragraphs'.
func paraDocumentProblems(doc *pipeline.Document, kinded bool) []string {
	var out []string
	refAt := map[[3]int]bool{} // paragraph, offset, number
	for i, p := range doc.Paragraphs {
		if strings.TrimSpace(p.Text) == "" && len(p.Refs) == 0 {
			out = append(out, fmt.Sprintf("paragraph %d is empty", i))
		}
		if !utf8.ValidString(p.Text) {
			out = append(out, fmt.Sprintf("paragraph %d is not valid UTF-8: %q", i, p.Text))
		}
		if kinded {
			switch p.Kind {
			case pipeline.ParaTitle, pipeline.ParaPreambular, pipeline.ParaOperative, pipeline.ParaSubparagraph, pipeline.ParaClosing, pipeline.ParaBody:
			default:
				out = append(out, fmt.Sprintf("paragraph %d has kind %q", i, p.Kind))
			}
		}
		last := 0
		for _, r := range p.Refs {
			switch {
			case r.Offset < 0 || r.Offset > len(p.Text):
				out = append(out, fmt.Sprintf("paragraph %d: reference %d at offset %d outside its %d bytes", i, r.Number, r.Offset, len(p.Text)))
				continue
			case !paraRuneBoundary(p.Text, r.Offset):
				out = append(out, fmt.Sprintf("paragraph %d: reference %d at offset %d cuts a character of %q", i, r.Number, r.Offset, p.Text))
			case r.Offset < last:
				out = append(out, fmt.Sprintf("paragraph %d: references out of order at offset %d", i, r.Offset))
			case r.Number < 1:
				out = append(out, fmt.Sprintf("paragraph %d: reference number %d", i, r.Number))
			}
			last = r.Offset
			refAt[[3]int{i, r.Offset, r.Number}] = true
		}
	}
	for _, f := range doc.Footnotes {
		if !utf8.ValidString(f.Text) {
			out = append(out, fmt.Sprintf("footnote %d is not valid UTF-8: %q", f.Number, f.Text))
		}
		for _, rs := range f.Refs {
			if !refAt[[3]int{rs.Paragraph, rs.Offset, f.Number}] {
				out = append(out, fmt.Sprintf("footnote %d lists a reference in paragraph %d at %d that the paragraph does not hold", f.Number, rs.Paragraph, rs.Offset))
			}
		}
	}
	return out
}

// paraClean runs the whole chain over data read as kind and returns the
// document and its Markdown.
func paraClean(t testing.TB, data []byte, kind pipeline.InputKind) (*pipeline.Document, []byte) {
	t.Helper()
	doc, err := input.Read("case.txt", data, kind)
	if err != nil {
		t.Fatalf("input.Read: %v", err)
	}
	if err := stages.Chain(dictionaries.Default()).Run(context.Background(), doc); err != nil {
		t.Fatalf("chain: %v", err)
	}
	return doc, pipeline.Markdown(doc)
}

// paraRecleanDifference cleans md, emend's own Markdown, again and returns
// the difference, or "" when cleaning changed nothing, as printer_test
// checks format(format(x)) == format(x).
func paraRecleanDifference(t testing.TB, md []byte) string {
	t.Helper()
	if len(strings.TrimSpace(string(md))) == 0 {
		return ""
	}
	_, again := paraClean(t, md, pipeline.KindMarkdown)
	if diff := cmp.Diff(string(md), string(again)); diff != "" {
		return "cleaning the Markdown output again changed it (-first +second):\n" + diff
	}
	return ""
}

// paraDoc is a document of the paragraphs texts, on page 1 a line apart, as
// the paragraph stage leaves them for the stages after it.
func paraDoc(texts []string) *pipeline.Document {
	doc := &pipeline.Document{Source: "paras.md", Kind: pipeline.KindPDFText}
	for i, p := range texts {
		doc.Paragraphs = append(doc.Paragraphs, pipeline.Paragraph{Text: p, Page: 1, Line: 2*i + 1})
	}
	return doc
}

// paraTexts lists the texts of doc's paragraphs.
func paraTexts(doc *pipeline.Document) []string {
	var texts []string
	for _, p := range doc.Paragraphs {
		texts = append(texts, p.Text)
	}
	return texts
}

// paraRenderKinds writes one line a paragraph: its kind and number.
func paraRenderKinds(doc *pipeline.Document) string {
	var b strings.Builder
	for _, p := range doc.Paragraphs {
		b.WriteString(string(p.Kind))
		if p.Number != "" {
			b.WriteString(" " + p.Number)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// paraRenderMeta writes the metadata the numbering stage reads.
func paraRenderMeta(doc *pipeline.Document) string {
	return "adopted: " + doc.Meta.Adopted + "\ntitle: " + doc.Meta.Title + "\n"
}

// paraGolden runs every case in ../testdata/<dir> through stages.Chain up to
// and including the stage named through.
func paraGolden(t *testing.T, dir, through string) {
	dict := dictionaries.Default()
	for _, file := range paraCaseFiles(t, dir) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			c, err := txtarcase.Read(file, paraSections, "want.md")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := input.Read(filepath.Base(file), c.Input, c.Kind)
			if err != nil {
				t.Fatalf("%s: input.Read: %v", c.Name, err)
			}
			paraRunChecked(t, c.Name, paraChainThrough(t, dict, through), doc)
			for _, msg := range paraDocumentProblems(doc, through == "numbering" || through == "markers") {
				t.Errorf("%s: %s", c.Name, msg)
			}

			update := txtarcase.Updating()
			changed := false
			compare := func(section, got string) {
				want, ok := txtarcase.Section(c.Archive, section)
				if !ok {
					return
				}
				if update {
					if string(want) != got {
						txtarcase.SetSection(c.Archive, section, []byte(got))
						changed = true
					}
					return
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s (%s)\nwhy this case exists: %s\n%s mismatch (-want +got):\n%s", c.Name, file, c.Reason, section, diff)
				}
			}
			compare("want.md", string(pipeline.Markdown(doc)))
			compare("want-kinds.txt", paraRenderKinds(doc))
			compare("want-meta.txt", paraRenderMeta(doc))
			if changed {
				if err := os.WriteFile(file, txtar.Format(c.Archive), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("updated %s", file)
			}

			if msg := paraSecondRunDifference(doc, through); msg != "" {
				t.Errorf("%s: %s", c.Name, msg)
			}
			_, md := paraClean(t, c.Input, c.Kind)
			if msg := paraRecleanDifference(t, md); msg != "" {
				t.Errorf("%s: %s", c.Name, msg)
			}
		})
	}
}

// paraRerunnable are the stages that must change nothing when run again
// over their own output. (The paragraph builder leaves built paragraphs
// alone by contract, and the marker stage takes markers out of the text,
// so a second run has nothing to work on; the chain's Markdown idempotence
// covers both.)
var paraRerunnable = map[string]func(*dictionaries.Set) pipeline.Stage{
	"splitwords": func(d *dictionaries.Set) pipeline.Stage { return stages.NewSplitWords(d) },
	"numbering":  func(d *dictionaries.Set) pipeline.Stage { return stages.NewNumbering(d) },
}

// paraSecondRunDifference runs a fresh copy of stage over a copy of doc,
// which the stage has already been over, and says what it changed or
// logged, or returns "".
func paraSecondRunDifference(doc *pipeline.Document, stage string) string {
	mk, ok := paraRerunnable[stage]
	if !ok {
		return ""
	}
	again := &pipeline.Document{Source: doc.Source, Kind: doc.Kind, Meta: doc.Meta,
		Paragraphs: slices.Clone(doc.Paragraphs), Footnotes: slices.Clone(doc.Footnotes)}
	if err := (pipeline.Pipeline{mk(dictionaries.Default())}).Run(context.Background(), again); err != nil {
		return fmt.Sprintf("second run of %s: %v", stage, err)
	}
	if diff := cmp.Diff(doc.Paragraphs, again.Paragraphs); diff != "" {
		return fmt.Sprintf("a second run of %s changed the paragraphs (-first +second):\n%s", stage, diff)
	}
	if len(again.Log) > 0 {
		return fmt.Sprintf("a second run of %s changed nothing but logged %d repairs, the first %q -> %q", stage, len(again.Log), again.Log[0].Before, again.Log[0].After)
	}
	return ""
}

// paraWordsOfLines returns the words of the lines a paragraph builder is given,
// in reading order.
func paraWordsOfLines(doc *pipeline.Document) []string {
	var w []string
	for _, pg := range doc.Pages {
		for _, ln := range pg.Lines {
			w = append(w, strings.Fields(ln.Text)...)
		}
	}
	return w
}

func paraWordsOfParagraphs(paras []pipeline.Paragraph) []string {
	var w []string
	for _, p := range paras {
		w = append(w, strings.Fields(p.Text)...)
	}
	return w
}

func TestParagraphsGolden(t *testing.T) { paraGolden(t, "paragraphs", "paragraphs") }

// TestParagraphsFromLines runs the paragraph builder alone over pages of
// lines, as the line stages leave them.
func TestParagraphsFromLines(t *testing.T) {
	tests := []struct {
		name, reason string
		kind         pipeline.InputKind
		text         string // split into pages and lines as input.Read does
		want         []string
	}{
		{
			name:   "operative number alone on its line",
			reason: "pdftotext sets \"12.\" apart from its text; the number opens the paragraph and the text follows it",
			kind:   pipeline.KindPDFText,
			text:   "11. Decides to convene a high-level meeting;\n12.\nInvites Member States to participate at the highest level;\n",
			want: []string{
				"11. Decides to convene a high-level meeting;",
				"12. Invites Member States to participate at the highest level;",
			},
		},
		{
			name:   "resolution number alone before its title",
			reason: "\"74/121.\" stands on its own line above a title that runs over two lines; the title block keeps number and title together",
			kind:   pipeline.KindPDFText,
			text:   "[without reference to a Main Committee (A/74/L.20)]\n74/121.\nStrengthening the coordination of emergency humanitarian assistance of\nthe United Nations\nThe General Assembly,\n",
			want: []string{
				"[without reference to a Main Committee (A/74/L.20)]",
				"74/121. Strengthening the coordination of emergency humanitarian assistance of the United Nations",
				"The General Assembly,",
			},
		},
		{
			name:   "adoption line over two lines",
			reason: "pdftotext breaks \"Resolution adopted by the General Assembly\" before \"on 5 December 2019\"; the date belongs to the same line",
			kind:   pipeline.KindPDFText,
			text:   "Resolution adopted by the General Assembly\non 5 December 2019\n[on the report of the Second Committee (A/74/381)]\n",
			want: []string{
				"Resolution adopted by the General Assembly on 5 December 2019",
				"[on the report of the Second Committee (A/74/381)]",
			},
		},
		{
			name:   "preambular paragraph ending in a spaced footnote number",
			reason: "\"Women, 7\" ends its clause with a comma even though a marker follows it; the next opener starts a paragraph",
			kind:   pipeline.KindPDFText,
			text:   "Recalling the Beijing Declaration and Platform for Action adopted by the Fourth World Conference on\nWomen, 7\nReaffirming its commitment to the empowerment of women,\n",
			want: []string{
				"Recalling the Beijing Declaration and Platform for Action adopted by the Fourth World Conference on Women, 7",
				"Reaffirming its commitment to the empowerment of women,",
			},
		},
		{
			name:   "opener word inside a sentence",
			reason: "a line that begins with an opener but follows a line that does not end a clause continues the sentence (\"... by the\" / \"Welcoming Centre\")",
			kind:   pipeline.KindPDFText,
			text:   "Noting the services provided to migrants by the\nWelcoming Centre of the city of Lampedusa,\n",
			want: []string{
				"Noting the services provided to migrants by the Welcoming Centre of the city of Lampedusa,",
			},
		},
		{
			name:   "OCR paragraphs separated by blank lines",
			reason: "Tesseract marks paragraphs with blank lines; a report paragraph that starts with no opener still starts at the blank line",
			kind:   pipeline.KindOCR,
			text: "The Committee held its fortieth session in Geneva from 2 to 13 May 2022.\n\n" +
				"The session was opened by the Chair, who welcomed the members.\n\n" +
				"Eighteen members attended the\nsession.\n",
			want: []string{
				"The Committee held its fortieth session in Geneva from 2 to 13 May 2022.",
				"The session was opened by the Chair, who welcomed the members.",
				"Eighteen members attended the session.",
			},
		},
		{
			name:   "blank line inside an OCR sentence",
			reason: "a blank line before a lower-case word is an artefact (a removed running head or a scanner gap), not a paragraph break",
			kind:   pipeline.KindOCR,
			text:   "2. Urges States to provide access to justice and\n\neffective remedies to all victims;\n",
			want:   []string{"2. Urges States to provide access to justice and effective remedies to all victims;"},
		},
		{
			name:   "layout first-line indentation",
			reason: "in pdftotext -layout output a report paragraph is marked only by the indentation of its first line",
			kind:   pipeline.KindLayout,
			text: "          The mission visited four provinces and met local authorities. It also\n" +
				"     met representatives of civil society.\n" +
				"          The mission was unable to visit the northern province for security\n" +
				"     reasons.\n",
			want: []string{
				"The mission visited four provinces and met local authorities. It also met representatives of civil society.",
				"The mission was unable to visit the northern province for security reasons.",
			},
		},
		{
			name:   "page break without a blank line",
			reason: "a paragraph that a page break cut in the middle of a sentence continues on the next page",
			kind:   pipeline.KindPDFText,
			text:   "3. Calls upon all States to ensure that their national legislation is\n\fconsistent with their obligations under international law;\n",
			want:   []string{"3. Calls upon all States to ensure that their national legislation is consistent with their obligations under international law;"},
		},
	}
	dict := dictionaries.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &pipeline.Document{Source: "lines.txt", Kind: tt.kind, Pages: input.SplitPages(tt.text)}
			words := paraWordsOfLines(doc)
			paraRunChecked(t, tt.name, pipeline.Pipeline{stages.NewParagraphs(dict)}, doc)
			if diff := cmp.Diff(tt.want, paraTexts(doc)); diff != "" {
				t.Errorf("%s\nwhy: %s\nparagraphs mismatch (-want +got):\n%s", tt.name, tt.reason, diff)
			}
			if diff := cmp.Diff(words, paraWordsOfParagraphs(doc.Paragraphs)); diff != "" {
				t.Errorf("%s: the paragraphs do not hold the words of the lines (-lines +paragraphs):\n%s", tt.name, diff)
			}
		})
	}
}

// TestParagraphsKeepsBuiltParagraphs checks that Markdown input, which
// arrives with its paragraphs, is left as it is.
func TestParagraphsKeepsBuiltParagraphs(t *testing.T) {
	md := "Recalling its resolution 70/1,\n\n1. Decides to remain seized of the matter.\n"
	doc, err := input.Read("in.md", []byte(md), pipeline.KindMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(doc.Paragraphs)
	paraRunChecked(t, "markdown", pipeline.Pipeline{stages.NewParagraphs(dictionaries.Default())}, doc)
	if diff := cmp.Diff(want, doc.Paragraphs); diff != "" {
		t.Errorf("Paragraphs changed paragraphs that Markdown input brought (-want +got):\n%s", diff)
	}
	if len(doc.Log) != 0 {
		t.Errorf("Paragraphs logged %d repairs on Markdown input", len(doc.Log))
	}
}

// paraFuzzSeeds returns the inputs of the paragraph stages' golden cases
// and the corpus seed files, to seed the fuzzers.
func paraFuzzSeeds(t testing.TB) [][]byte {
	seeds, err := txtarcase.FuzzSeeds(paraTestdata, "paragraphs", "splitwords", "numbering", "markers")
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

// paraFuzzKinds are the input kinds a fuzzer tries; index 0 lets input.Read
// detect the kind, as the CLI does.
var paraFuzzKinds = append([]pipeline.InputKind{""}, pipeline.Kinds...)

func paraAddFuzzSeeds(f *testing.F) {
	for _, s := range paraFuzzSeeds(f) {
		f.Add(s, uint8(0))
	}
}

// paraFuzzThrough reads data as one of the fuzz kinds and runs the chain up
// to and including stage through, checking the log of every paragraph
// stage. It returns the document as the stage under test was given it and
// as it left it, or nil when input.Read rejects the input.
func paraFuzzThrough(t *testing.T, data []byte, kind uint8, through string) (before, after *pipeline.Document) {
	doc, err := input.Read("fuzz.txt", data, paraFuzzKinds[int(kind)%len(paraFuzzKinds)])
	if err != nil {
		return nil, nil
	}
	p := paraChainThrough(t, dictionaries.Default(), through)
	paraRunChecked(t, "fuzz", p[:len(p)-1], doc)
	before = &pipeline.Document{Kind: doc.Kind, Pages: slices.Clone(doc.Pages), Paragraphs: slices.Clone(doc.Paragraphs), Footnotes: slices.Clone(doc.Footnotes)}
	paraRunChecked(t, "fuzz", p[len(p)-1:], doc)
	for _, msg := range paraDocumentProblems(doc, through == "numbering" || through == "markers") {
		t.Error(msg)
	}
	return before, doc
}

// FuzzParagraphs checks that the paragraph builder, on any input, keeps
// every word of the lines in order (it only regroups them), leaves no empty
// paragraph and no doubled or edge spaces.
func FuzzParagraphs(f *testing.F) {
	paraAddFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		before, after := paraFuzzThrough(t, data, kind, "paragraphs")
		if after == nil {
			return
		}
		if len(before.Paragraphs) > 0 {
			return // Markdown input: nothing to build
		}
		if diff := cmp.Diff(paraWordsOfLines(before), paraWordsOfParagraphs(after.Paragraphs)); diff != "" {
			t.Fatalf("the paragraphs do not hold the words of the lines (-lines +paragraphs):\n%s", diff)
		}
		for i, p := range after.Paragraphs {
			if p.Text != strings.TrimSpace(p.Text) || strings.Contains(p.Text, "  ") || strings.ContainsFunc(p.Text, paraLineBreak) {
				t.Fatalf("paragraph %d has stray white space: %q", i, p.Text)
			}
		}
	})
}

func paraLineBreak(r rune) bool { return r == '\n' || r == '\r' || r == '\f' }
