package stages

// This file holds what the line-stage tests share: the txtar golden-case
// runner, the checks on the repair log, the content every line stage must
// leave alone, and the seeds for the fuzzers.
//
// # Golden cases
//
// Each file ../testdata/<stage>/*.txtar (the module's testdata directory) is
// one case. Its comment header names the case and says why it exists:
//
//	name: Security Council masthead with the year in the symbol
//	reason: S/RES/2334 (2016) has a space inside the symbol, which layout
//	text must not mistake for a column gap.
//
// and its sections are:
//
//	-- input.txt --          the text as a reader gets it; a form feed (^L,
//	                         U+000C) starts a new page, as in pdftotext output
//	-- kind --               optional: the input kind ("layout", "flat",
//	                         "ods", ...), or "detect" to let input.Read choose;
//	                         pdftext when absent
//	-- want.txt --           the lines left after the stage, one per line
//	-- want-footnotes.txt -- optional: doc.Footnotes, one "N: text" a line
//	-- want-meta.json --     optional: doc.Meta as JSON
//	-- want-log.txt --       optional: the stage's repairs, one a line, as
//	                         "page:line kind: before => after" (" => after"
//	                         left out when After is empty)
//
// In want.txt a document of more than one page has a line "--- page N ---"
// before the lines of page N; a one-page document has none.
//
// The input goes through input.Read, as the CLI reads it, then through the
// stages the stage under test depends on (lineStageSpec.before), then through
// the stage. Sections that are absent are not checked. Whatever the sections
// say, every case also checks the repair log (checkLineRepairs), that no
// empty line is left, and that a second run of the stage changes nothing.
//
// `go test ./stages -update` rewrites the want sections a case has from what
// the stages produce. Write them by hand first, from what is right for a UN
// document, and review the diff -update makes.
//
// # Fuzzing
//
// FuzzNormalizer, FuzzODSTags, FuzzFurniture, FuzzFootnotes and
// FuzzDehyphenator start from the golden inputs and ../testdata/seeds, read
// each as its detected kind and as every kind a user may force, and keep
// their failing inputs in testdata/fuzz/FuzzX of this package, where plain
// `go test` runs them again.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/internal/txtarcase"
	"github.com/emend/emend/pipeline"
)

// lineStageTestdata is the module's testdata directory, seen from this package.
const lineStageTestdata = "../testdata"

func init() { txtarcase.RegisterUpdateFlag() }

// lineStageSpec says how to test one line stage.
type lineStageSpec struct {
	// before returns the stages that must run first, in the order Chain runs
	// them: the stage under test expects their output.
	before func(*dictionaries.Set) []pipeline.Stage
	// stage returns a fresh stage under test.
	stage func(*dictionaries.Set) pipeline.Stage
	// kinds are the repair kinds the stage may log.
	kinds []pipeline.RepairKind
	// carriesUp is set for stages that move text from a line to the line
	// before it and log the move on the upper line (the dehyphenator carries
	// "zations," up to "organi-"): the lower line is then accounted for by
	// a repair on the nearest line above it that the stage kept.
	carriesUp bool
}

// build returns the stages before the stage under test and the stage itself.
func (s lineStageSpec) build(dict *dictionaries.Set) (pipeline.Pipeline, pipeline.Stage) {
	var before pipeline.Pipeline
	if s.before != nil {
		before = s.before(dict)
	}
	return before, s.stage(dict)
}

var goldenSections = map[string]bool{
	"input.txt": true, "kind": true, "want.txt": true,
	"want-footnotes.txt": true, "want-meta.json": true, "want-log.txt": true,
}

// runTxtarCases runs every case in ../testdata/<dir>/*.txtar against the
// stage spec describes.
func runTxtarCases(t *testing.T, dir string, spec lineStageSpec) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(lineStageTestdata, dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no cases in %s", filepath.Join(lineStageTestdata, dir))
	}
	dict := dictionaries.Default()
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			c, err := txtarcase.Read(file, goldenSections, "want.txt")
			if err != nil {
				t.Fatal(err)
			}
			runGoldenCase(t, c, spec, dict)
		})
	}
}

func runGoldenCase(t *testing.T, c *txtarcase.Case, spec lineStageSpec, dict *dictionaries.Set) {
	t.Helper()
	doc, err := input.Read(filepath.Base(c.File), c.Input, c.Kind)
	if err != nil {
		t.Fatalf("%s: input.Read: %v", c.Name, err)
	}
	before, stage := spec.build(dict)
	if err := before.Run(context.Background(), doc); err != nil {
		t.Fatalf("%s: stages before %s: %v", c.Name, stage.Name(), err)
	}
	snap := snapshotLines(doc)
	logStart := len(doc.Log)
	if err := (pipeline.Pipeline{stage}).Run(context.Background(), doc); err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	repairs := doc.Log[logStart:]

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
			t.Errorf("%s (%s)\nwhy this case exists: %s\n%s mismatch (-want +got):\n%s", c.Name, c.File, c.Reason, section, diff)
		}
	}
	compare("want.txt", renderLines(doc))
	compare("want-footnotes.txt", renderFootnotes(doc.Footnotes))
	compare("want-log.txt", renderRepairs(repairs))
	if want, ok := txtarcase.Section(c.Archive, "want-meta.json"); ok {
		got, err := json.MarshalIndent(doc.Meta, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		var wantMeta pipeline.Metadata
		if err := json.Unmarshal(want, &wantMeta); err != nil && !update {
			t.Errorf("%s: want-meta.json: %v", c.File, err)
		}
		switch {
		case update && !bytes.Equal(want, got):
			txtarcase.SetSection(c.Archive, "want-meta.json", got)
			changed = true
		case !update:
			if diff := cmp.Diff(wantMeta, doc.Meta); diff != "" {
				t.Errorf("%s (%s)\nwhy this case exists: %s\nmetadata mismatch (-want +got):\n%s", c.Name, c.File, c.Reason, diff)
			}
		}
	}
	if changed {
		if err := os.WriteFile(c.File, txtar.Format(c.Archive), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", c.File)
	}

	checkLineRepairs(t, c.Name, spec, stage.Name(), snap, doc, repairs)
	checkNoEmptyLines(t, c.Name, doc)
	checkSecondRunChangesNothing(t, c.Name, spec, dict, doc)
}

// renderLines writes the surviving lines in the want.txt format.
func renderLines(doc *pipeline.Document) string {
	var b strings.Builder
	for _, p := range doc.Pages {
		if len(doc.Pages) > 1 {
			fmt.Fprintf(&b, "--- page %d ---\n", p.Number)
		}
		for _, ln := range p.Lines {
			b.WriteString(ln.Text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// renderFootnotes writes footnotes as "N: text" lines.
func renderFootnotes(fns []pipeline.Footnote) string {
	var b strings.Builder
	for _, f := range fns {
		fmt.Fprintf(&b, "%d: %s\n", f.Number, f.Text)
	}
	return b.String()
}

// renderRepairs writes repairs as "page:line kind: before => after" lines.
func renderRepairs(rs []pipeline.Repair) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%d:%d %s: %s", r.Pos.Page, r.Pos.Line, r.Kind, r.Before)
		if r.After != "" {
			b.WriteString(" => " + r.After)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// lineKey names an input line: its page number and its Origin.
type lineKey struct{ page, line int }

// lineSnapshot is the text of every line of a document at one moment, with
// the reading order of the lines.
type lineSnapshot struct {
	text  map[lineKey]string
	order []lineKey
}

func snapshotLines(doc *pipeline.Document) lineSnapshot {
	s := lineSnapshot{text: map[lineKey]string{}}
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			k := lineKey{p.Number, ln.Origin}
			s.text[k] = ln.Text
			s.order = append(s.order, k)
		}
	}
	return s
}

// checkLineRepairs checks the repairs a line stage logged: each names the
// stage, has a kind the stage may log, a reason and a confidence in (0, 1],
// and points at a line the stage was given; and each line the stage removed
// or changed is accounted for by a repair that points at it, or whose Before
// holds its text (a footnote definition that ran over several lines), or,
// for a footnote number standing alone, whose After defines that number.
func checkLineRepairs(t *testing.T, name string, spec lineStageSpec, stageName string, before lineSnapshot, doc *pipeline.Document, repairs []pipeline.Repair) {
	t.Helper()
	for _, p := range lineRepairProblems(spec, stageName, before, doc, repairs) {
		t.Errorf("%s: %s", name, p)
	}
}

// lineRepairProblems returns what checkLineRepairs complains of.
func lineRepairProblems(spec lineStageSpec, stageName string, before lineSnapshot, doc *pipeline.Document, repairs []pipeline.Repair) []string {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for i, r := range repairs {
		if r.Stage != stageName {
			errorf("repair %d: Stage = %q, want %q", i, r.Stage, stageName)
		}
		if !slices.Contains(spec.kinds, r.Kind) {
			errorf("repair %d (%s): Kind = %q, want one of %v", i, r.Before, r.Kind, spec.kinds)
		}
		if strings.TrimSpace(r.Reason) == "" {
			errorf("repair %d (%s): empty Reason", i, r.Before)
		}
		if !(r.Confidence > 0 && r.Confidence <= 1) {
			errorf("repair %d (%s): Confidence = %v, want 0 < c <= 1", i, r.Before, r.Confidence)
		}
		if r.Pos.Paragraph != -1 {
			errorf("repair %d (%s): Pos.Paragraph = %d, want -1 for a line stage", i, r.Before, r.Pos.Paragraph)
		}
		if _, ok := before.text[lineKey{r.Pos.Page, r.Pos.Line}]; !ok {
			errorf("repair %d (%s): Pos page %d line %d is not a line the stage was given", i, r.Before, r.Pos.Page, r.Pos.Line)
		}
	}
	after := snapshotLines(doc)
	pointedAt := map[lineKey]bool{}
	for _, r := range repairs {
		pointedAt[lineKey{r.Pos.Page, r.Pos.Line}] = true
	}
	// above maps each line to the nearest line before it in reading order
	// that the stage kept: where a stage carries text up, it logs the move
	// there, even past lines the move emptied ("inter-" / "govern-" /
	// "mental" is logged on the line of "inter-").
	above := map[lineKey]lineKey{}
	for i := 1; i < len(before.order); i++ {
		for j := i - 1; j >= 0; j-- {
			if _, kept := after.text[before.order[j]]; kept {
				above[before.order[i]] = before.order[j]
				break
			}
		}
	}
	for _, k := range before.order {
		was := before.text[k]
		now, kept := after.text[k]
		if kept && now == was {
			continue
		}
		// The normalizer's contract: a change of white space only (a tab or
		// a no-break space made a space) changes nothing a reader sees and
		// is not logged.
		if kept && strings.Join(strings.Fields(now), " ") == strings.Join(strings.Fields(was), " ") {
			continue
		}
		if pointedAt[k] {
			continue
		}
		if p, ok := above[k]; ok && spec.carriesUp && pointedAt[p] {
			continue
		}
		if !kept && repairHoldsLine(repairs, k.page, was) {
			continue
		}
		if kept {
			errorf("page %d line %d changed from %q to %q with no repair logged for it", k.page, k.line, was, now)
		} else {
			errorf("page %d line %d %q removed with no repair logged for it", k.page, k.line, was)
		}
	}
	return problems
}

// repairHoldsLine reports whether a repair on page holds the removed line
// text: in its Before (hyphens and spaces aside, since joining lines may undo
// a line-end hyphen), or, for a number alone, as the footnote it defines.
func repairHoldsLine(repairs []pipeline.Repair, page int, text string) bool {
	sq := squashHyphensAndSpace(text)
	for _, r := range repairs {
		if r.Pos.Page != page {
			continue
		}
		if sq != "" && strings.Contains(squashHyphensAndSpace(r.Before), sq) {
			if _, err := strconv.Atoi(text); err != nil {
				return true
			}
		}
		if _, err := strconv.Atoi(text); err == nil && strings.HasPrefix(r.After, "[^"+text+"]:") {
			return true
		}
	}
	return false
}

// squashHyphensAndSpace drops hyphens and white space.
func squashHyphensAndSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func checkNoEmptyLines(t *testing.T, name string, doc *pipeline.Document) {
	t.Helper()
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			if strings.TrimSpace(ln.Text) == "" {
				t.Errorf("%s: page %d line %d left empty (%q)", name, p.Number, ln.Origin, ln.Text)
			}
			if !utf8.ValidString(ln.Text) {
				t.Errorf("%s: page %d line %d is not valid UTF-8: %q", name, p.Number, ln.Origin, ln.Text)
			}
		}
	}
}

// documentState is what a line stage may change, for comparing two runs.
type documentState struct {
	Lines     string
	Footnotes []pipeline.Footnote
	Meta      pipeline.Metadata
}

func stateOf(doc *pipeline.Document) documentState {
	return documentState{Lines: renderLines(doc), Footnotes: slices.Clone(doc.Footnotes), Meta: doc.Meta}
}

// cloneDocument copies what line stages touch, deeply enough that running a
// stage on the copy leaves the original alone.
func cloneDocument(doc *pipeline.Document) *pipeline.Document {
	c := *doc
	c.Pages = make([]pipeline.Page, len(doc.Pages))
	for i, p := range doc.Pages {
		c.Pages[i] = pipeline.Page{Number: p.Number, Lines: slices.Clone(p.Lines)}
	}
	c.Footnotes = slices.Clone(doc.Footnotes)
	c.Paragraphs = slices.Clone(doc.Paragraphs)
	c.Log = slices.Clone(doc.Log)
	c.Meta.Symbols = slices.Clone(doc.Meta.Symbols)
	return &c
}

// checkSecondRunChangesNothing runs a fresh copy of the stage over its own
// output: it must change nothing and log nothing, as printer_test checks
// format(format(x)) == format(x).
func checkSecondRunChangesNothing(t *testing.T, name string, spec lineStageSpec, dict *dictionaries.Set, doc *pipeline.Document) {
	t.Helper()
	if msg := secondRunDifference(spec, dict, doc); msg != "" {
		t.Errorf("%s: %s", name, msg)
	}
}

// secondRunDifference returns what a second run of the stage changed, or "".
func secondRunDifference(spec lineStageSpec, dict *dictionaries.Set, doc *pipeline.Document) string {
	again := cloneDocument(doc)
	_, stage := spec.build(dict)
	if err := (pipeline.Pipeline{stage}).Run(context.Background(), again); err != nil {
		return fmt.Sprintf("second run of %s: %v", stage.Name(), err)
	}
	if diff := cmp.Diff(stateOf(doc), stateOf(again)); diff != "" {
		return fmt.Sprintf("second run of %s changed the document (-first +second):\n%s", stage.Name(), diff)
	}
	if n := len(again.Log) - len(doc.Log); n != 0 {
		return fmt.Sprintf("second run of %s changed nothing but logged %d repairs: %s", stage.Name(), n, renderRepairs(again.Log[len(doc.Log):]))
	}
	return ""
}

// survivorCase is a document holding lines of real content that look like
// furniture or footnotes to a careless rule. Every line stage must leave
// them where they are.
type survivorCase struct {
	name, reason string
	input        string
	kind         pipeline.InputKind
	keep         []string // lines that must still be there, word for word
	keepNotes    []string // "N: text" footnotes that must have been read
}

// survivorCases are shared by the KeepsContent test of every line stage.
var survivorCases = []survivorCase{
	{
		name:   "decision numbers and a date open a line mid-paragraph",
		reason: "\"16 (LVI) ...\" starts with a number and a space like a footnote definition, and ends the page's text; it is the middle of a preambular paragraph",
		input: "A/HRC/RES/34/12\n" +
			"Welcoming the work of the Working Group on Contemporary Forms of Slavery in\n" +
			"accordance with Economic and Social Council decisions\n" +
			"16 (LVI) and 17 (LVI) of 17 May 1974\n" +
			"and 1980/127 of 2 May 1980,\n",
		keep: []string{"16 (LVI) and 17 (LVI) of 17 May 1974", "and 1980/127 of 2 May 1980,"},
	},
	{
		name:   "lone numbers in a list of seats",
		reason: "ECOSOC decisions allocate seats by regional group, one number a line; small numbers such as 2 and 1 look like page numbers and footnote labels",
		input: "The Economic and Social Council,\n" +
			"1. Decides that the members of the Commission shall be elected as follows:\n" +
			"African States\n" +
			"13\n" +
			"Eastern European States\n" +
			"2\n" +
			"Western European and other States\n" +
			"1\n" +
			"2. Decides to remain seized of the matter.\n" +
			"16-22345 (E)    261216\n" +
			"*1622345*\n",
		keep: []string{"1. Decides that the members of the Commission shall be elected as follows:", "13", "2", "1"},
	},
	{
		name:   "operative paragraph numbers on lines of their own",
		reason: "pdftotext sets the number of an operative paragraph on its own line before the text; \"1.\" is not a page number and \"2.\" is not a footnote",
		input: "A/RES/73/7\n" +
			"The General Assembly,\n" +
			"1.\n" +
			"Welcomes the report of the International Criminal Court for 2017/18;\n" +
			"2.\n" +
			"Also welcomes the States that have become parties to the Rome Statute;\n" +
			"3.\n" +
			"Decides to include in the provisional agenda of its seventy-fourth session the item;\n",
		keep: []string{"1.", "2.", "3.", "Welcomes the report of the International Criminal Court for 2017/18;"},
	},
	{
		name:   "dates and a closing formula in body text",
		reason: "the closing \"82nd plenary meeting\" and the date under it end the text at the foot of the last page; dates look like masthead dates",
		input: "A/RES/61/180\n" +
			"19. Requests the Secretary-General to submit a report at its sixty-third session.\n" +
			"82nd plenary meeting\n" +
			"20 December 2006\n",
		keep: []string{"82nd plenary meeting", "20 December 2006"},
	},
	{
		name:   "a document symbol as the text of a footnote",
		reason: "footnote 4 of A/RES/73/7 is the report's symbol \"A/73/334.\" alone: it looks like a running head at the foot of the page but is the footnote's whole text",
		input: "2/5\n" +
			"Welcomes the report of the Court for 2017/18,4 and calls upon all States to cooperate;\n" +
			"__________________\n" +
			"4 A/73/334.\n" +
			"5 United Nations, Treaty Series, vol. 2271, No. 40446.\n",
		keepNotes: []string{"4: A/73/334."},
	},
}

// checkContentSurvives runs the survivor cases through spec's stage and
// checks the listed lines are still there (or, for keepNotes, were read as
// footnotes, or are still lines when the stage under test is not the
// footnote stage).
func checkContentSurvives(t *testing.T, spec lineStageSpec) {
	dict := dictionaries.Default()
	for _, sc := range survivorCases {
		t.Run(sc.name, func(t *testing.T) {
			doc, err := input.Read("survivor.txt", []byte(sc.input), sc.kind)
			if err != nil {
				t.Fatal(err)
			}
			before, stage := spec.build(dict)
			p := append(slices.Clone(before), stage)
			if err := p.Run(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			lines := map[string]bool{}
			for _, pg := range doc.Pages {
				for _, ln := range pg.Lines {
					lines[ln.Text] = true
				}
			}
			notes := map[string]bool{}
			for _, f := range doc.Footnotes {
				notes[strconv.Itoa(f.Number)+": "+f.Text] = true
			}
			for _, k := range sc.keep {
				if !lines[k] {
					t.Errorf("%s removed or changed %q\nwhy it must stay: %s\nlines left:\n%s", stage.Name(), k, sc.reason, renderLines(doc))
				}
			}
			for _, k := range sc.keepNotes {
				text := k[strings.Index(k, ": ")+2:]
				num := k[:strings.Index(k, ": ")]
				asLine := lines[num+" "+text]
				if !notes[k] && !asLine {
					t.Errorf("%s lost footnote %q\nwhy it must stay: %s\nlines left:\n%s\nfootnotes:\n%s", stage.Name(), k, sc.reason, renderLines(doc), renderFootnotes(doc.Footnotes))
				}
			}
		})
	}
}

// lineStageFuzzSeeds returns the inputs of the golden cases of the line
// stages and the corpus seed files, to seed the fuzzers.
func lineStageFuzzSeeds(t testing.TB) [][]byte {
	seeds, err := txtarcase.FuzzSeeds(lineStageTestdata, "normalize", "ods", "furniture", "footnotes", "dehyphenate")
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

// fuzzKinds are the input kinds a fuzzer tries; index 0 lets input.Read
// detect the kind, as the CLI does.
var fuzzKinds = append([]pipeline.InputKind{""}, pipeline.Kinds...)

// fuzzLineStage runs the invariants every line stage keeps on any input:
// no panic, no error, valid UTF-8, no empty line, and a second run changes
// nothing. The first two invariants are checked after each stage of the
// chain, so that a failure names the stage that broke it. It returns the
// document before and after the stage under test, or nil when input.Read
// rejects the input.
func fuzzLineStage(t *testing.T, spec lineStageSpec, data []byte, kind uint8) (before, after *pipeline.Document) {
	doc, err := input.Read("fuzz.txt", data, fuzzKinds[int(kind)%len(fuzzKinds)])
	if err != nil {
		return nil, nil
	}
	dict := dictionaries.Default()
	prior, stage := spec.build(dict)
	for _, s := range prior {
		if err := (pipeline.Pipeline{s}).Run(context.Background(), doc); err != nil {
			t.Fatalf("%s (run before %s): %v", s.Name(), stage.Name(), err)
		}
		checkFuzzedLines(t, s.Name(), doc)
	}
	before = cloneDocument(doc)
	if err := (pipeline.Pipeline{stage}).Run(context.Background(), doc); err != nil {
		t.Fatalf("%s: %v", stage.Name(), err)
	}
	checkFuzzedLines(t, stage.Name(), doc)
	if msg := secondRunDifference(spec, dict, doc); msg != "" {
		t.Fatal(msg)
	}
	return before, doc
}

// checkFuzzedLines fails if the stage just run left a line that is empty or
// not valid UTF-8, or a footnote that is not valid UTF-8.
func checkFuzzedLines(t *testing.T, stage string, doc *pipeline.Document) {
	t.Helper()
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			if !utf8.ValidString(ln.Text) {
				t.Fatalf("%s left invalid UTF-8 on page %d line %d: %q", stage, p.Number, ln.Origin, ln.Text)
			}
			if strings.TrimSpace(ln.Text) == "" {
				t.Fatalf("%s left an empty line on page %d line %d", stage, p.Number, ln.Origin)
			}
		}
	}
	for _, f := range doc.Footnotes {
		if !utf8.ValidString(f.Text) {
			t.Fatalf("%s left invalid UTF-8 in footnote %d: %q", stage, f.Number, f.Text)
		}
	}
}

// addLineStageFuzzSeeds seeds f with every seed input, read as its kind is
// detected and as each kind a user may force with --input-kind.
func addLineStageFuzzSeeds(f *testing.F) {
	for _, s := range lineStageFuzzSeeds(f) {
		for k := range fuzzKinds {
			f.Add(s, uint8(k))
		}
	}
}

// TestLineStageSpecsFollowChain checks that each line stage is tested after
// the stages Chain runs before it, in Chain's order, so that the golden
// cases see what the stage sees in a real run.
func TestLineStageSpecsFollowChain(t *testing.T) {
	dict := dictionaries.Default()
	var chain []string
	for _, s := range Chain(dict) {
		// Geometry acts only on lines with word boxes, which text cases
		// never have: it has no spec of its own here (see geometry_test.go).
		if s.Name() != (&Geometry{}).Name() {
			chain = append(chain, s.Name())
		}
	}
	specs := []lineStageSpec{normalizeSpec, odsSpec, furnitureSpec, footnotesSpec, dehyphenateSpec}
	for i, spec := range specs {
		before, stage := spec.build(dict)
		var got []string
		for _, s := range before {
			got = append(got, s.Name())
		}
		got = append(got, stage.Name())
		if diff := cmp.Diff(chain[:len(got)], got); diff != "" {
			t.Errorf("spec %d (%s): stages differ from the start of Chain (-chain +spec):\n%s", i, stage.Name(), diff)
		}
		if len(got) != i+1 {
			t.Errorf("spec %d (%s): runs %d stages, want the %d line stages up to it", i, stage.Name(), len(got), i+1)
		}
	}
}

// silentLineDropper removes the second line of page 1 and logs nothing, or
// logs it at the wrong place: a stage the repair checks must catch.
type silentLineDropper struct{ logAt int }

func (silentLineDropper) Name() string { return "dropper" }

func (s silentLineDropper) Apply(doc *pipeline.Document) error {
	lines := doc.Pages[0].Lines
	gone := lines[1]
	doc.Pages[0].Lines = append(lines[:1:1], lines[2:]...)
	if s.logAt > 0 {
		doc.Record(pipeline.Repair{Stage: "dropper", Kind: pipeline.RepairFurniture, Before: "x", Reason: "test",
			Confidence: 1, Pos: pipeline.LinePos(1, s.logAt, 0, len(gone.Text))})
	}
	return nil
}

// TestLineRepairChecks checks that the repair-log checks of the golden
// runner fail a stage that removes a line without saying so or says so at
// the wrong line, and pass one that logs at the right line.
func TestLineRepairChecks(t *testing.T) {
	tests := []struct {
		name, reason string
		logAt        int
		wantProblems int
	}{
		{"unlogged removal", "a line removed with nothing in the log must be reported", 0, 1},
		{"logged at the wrong line", "a repair pointing at line 3 does not account for line 2", 3, 1},
		{"logged at the right line", "a repair at page 1 line 2 accounts for the removed line 2", 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte("one\ntwo\nthree\n"), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			spec := lineStageSpec{
				stage: func(*dictionaries.Set) pipeline.Stage { return silentLineDropper{logAt: tt.logAt} },
				kinds: []pipeline.RepairKind{pipeline.RepairFurniture},
			}
			snap := snapshotLines(doc)
			stage := spec.stage(nil)
			if err := stage.Apply(doc); err != nil {
				t.Fatal(err)
			}
			problems := lineRepairProblems(spec, stage.Name(), snap, doc, doc.Log)
			if len(problems) != tt.wantProblems {
				t.Errorf("%s: got %d problems, want %d: %q", tt.reason, len(problems), tt.wantProblems, problems)
			}
		})
	}
}
