package main

// End-to-end tests of "emend clean": golden outputs for the seeds and the
// shared corpus, scored against their gold; the JSON and text formats
// checked against the Markdown; idempotence; bad inputs, encodings, stdin
// and flag placement.
//
// `go test ./cmd/emend -update` rewrites testdata/e2e from emend's output.
// Review the diff before keeping it: the floors below still apply.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/emend/emend/internal/evaluate"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// Floors every golden output must reach against its gold. They are the
// project's bar for text inputs; a change that drops below one is a
// regression even if the golden file is updated.
const (
	maxCER    = 0.005
	minMarkP  = 0.98
	minMarkR  = 0.95
	minParaF1 = 0.95
)

func TestGoldenSeeds(t *testing.T) {
	for _, c := range seedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c, filepath.Join(testutil.ModuleRoot(t), "testdata", "e2e", c.name+".md"))
		})
	}
}

func TestGoldenCorpus(t *testing.T) {
	cases := corpusCases(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c, filepath.Join(testutil.ModuleRoot(t), "testdata", "e2e", "corpus", c.name+".md"))
		})
	}
}

// checkGolden cleans c's input to Markdown, compares it with the golden
// file (or rewrites it under -update) and scores it against the gold.
func checkGolden(t *testing.T, c seedCase, golden string) {
	got := runCleanOK(t, "-f", "md", c.input).stdout
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, golden, []byte(got))
	} else {
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/emend -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("%s: output differs from %s (-want +got):\n%s", c.name, golden, diff)
		}
	}
	checkScores(t, c.name, readFile(t, c.gold), []byte(got))
}

// checkScores fails when out falls below a floor against gold, and logs the
// figures either way.
func checkScores(t *testing.T, name string, gold, out []byte) {
	t.Helper()
	s := evaluate.Compare(gold, out)
	t.Logf("%s: CER %.3f%% WER %.3f%% markP %.3f markR %.3f paraF1 %.3f notes %d/%d (%d in output)",
		name, 100*s.CER(), 100*s.WER(), s.MarkP(), s.MarkR(), s.ParaF1(), s.NoteHit, s.NoteGold, s.NoteOut)
	if s.CER() > maxCER {
		t.Errorf("%s: CER %.3f%% above %.1f%%", name, 100*s.CER(), 100*maxCER)
	}
	if s.MarkP() < minMarkP {
		t.Errorf("%s: marker precision %.3f below %.2f", name, s.MarkP(), minMarkP)
	}
	if s.MarkR() < minMarkR {
		t.Errorf("%s: marker recall %.3f below %.2f", name, s.MarkR(), minMarkR)
	}
	if s.ParaF1() < minParaF1 {
		t.Errorf("%s: paragraph F1 %.3f below %.2f", name, s.ParaF1(), minParaF1)
	}
	if s.NoteHit != s.NoteGold || s.NoteOut != s.NoteGold {
		t.Errorf("%s: footnote definitions: %d of the gold's %d exact, %d in the output; want all exact and no others",
			name, s.NoteHit, s.NoteGold, s.NoteOut)
	}
	if t.Failed() {
		for _, m := range s.Misses {
			t.Logf("%s: miss: %s", name, m)
		}
	}
}

// jsonOutput is the shape "emend clean -f json" promises.
type jsonOutput struct {
	Source     string          `json:"source"`
	Kind       string          `json:"input_kind"`
	Metadata   json.RawMessage `json:"metadata"`
	Paragraphs []struct {
		Kind     string    `json:"kind"`
		Number   string    `json:"number"`
		Text     string    `json:"text"`
		Markdown string    `json:"markdown"`
		Refs     []refJSON `json:"refs"`
		Page     int       `json:"page"`
		Line     int       `json:"line"`
	} `json:"paragraphs"`
	Footnotes []struct {
		Number int    `json:"number"`
		Text   string `json:"text"`
		Refs   []struct {
			Paragraph int `json:"paragraph"`
			Offset    int `json:"offset"`
		} `json:"refs"`
	} `json:"footnotes"`
	Repairs     []repairJSON         `json:"repairs"`
	FailedPages []pipeline.PageError `json:"failed_pages"`
}

// repairJSON is an entry of the repair log in the JSON output. Its fields
// are pointers so that a test can tell a missing field from a zero one.
type repairJSON struct {
	Stage      string   `json:"stage"`
	Kind       string   `json:"kind"`
	Before     *string  `json:"before"`
	After      *string  `json:"after"`
	Reason     string   `json:"reason"`
	Confidence *float64 `json:"confidence"`
	Position   *struct {
		Page      int `json:"page"`
		Line      int `json:"line"`
		Paragraph int `json:"paragraph"`
		Start     int `json:"start"`
		End       int `json:"end"`
	} `json:"position"`
}

// page is the page the repair names, 0 when it has no position.
func (r repairJSON) page() int {
	if r.Position == nil {
		return 0
	}
	return r.Position.Page
}

// decodeJSONOutput decodes data as the document "emend clean -f json"
// writes.
func decodeJSONOutput(t *testing.T, data []byte) jsonOutput {
	t.Helper()
	var doc jsonOutput
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("-f json output is not the JSON document: %v\n%.400s", err, data)
	}
	return doc
}

// text is the document's paragraphs as one string, whitespace collapsed,
// for phrase checks that must not depend on where lines were broken.
func (d jsonOutput) text() string {
	var parts []string
	for _, p := range d.Paragraphs {
		parts = append(parts, p.Text)
	}
	return collapseSpace(strings.Join(parts, " "))
}

// pages lists the pages the paragraphs come from, sorted, without repeats.
func (d jsonOutput) pages() []int {
	var ps []int
	for _, p := range d.Paragraphs {
		if !slices.Contains(ps, p.Page) {
			ps = append(ps, p.Page)
		}
	}
	slices.Sort(ps)
	return ps
}

// collapseSpace folds every run of white space in s into one space.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	paragraphKinds = []string{"title", "preambular", "operative", "subparagraph", "closing", "body"}
	repairKinds    = []string{"normalize", "tag", "furniture", "footnote", "hyphenation", "split-word",
		"spelling", "paragraph", "numbering", "marker", "junk", "page-failed"}
	stageNames = []string{"normalize", "ods", "furniture", "footnotes", "dehyphenate", "paragraphs",
		"splitwords", "numbering", "markers"}
)

func TestJSONOutput(t *testing.T) {
	for _, c := range seedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			r := runInProcess(t, "clean", "-f", "json", c.input)
			if r.code != 0 {
				t.Fatalf("exit status %d\n%s", r.code, r.stderr)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil {
				t.Fatalf("-f json output is not a JSON object: %v", err)
			}
			for _, k := range []string{"metadata", "paragraphs", "footnotes", "repairs"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("JSON lacks %q", k)
				}
			}
			doc := decodeJSONOutput(t, []byte(r.stdout))
			var meta map[string]any
			if err := json.Unmarshal(doc.Metadata, &meta); err != nil {
				t.Errorf("metadata is not an object: %v", err)
			}
			if doc.Source != c.input {
				t.Errorf("source = %q, want %q", doc.Source, c.input)
			}
			if len(doc.Paragraphs) == 0 {
				t.Fatal("no paragraphs")
			}

			type refAt struct{ para, offset, number int }
			paraRefs := map[refAt]bool{}
			var mdParas []string
			for i, p := range doc.Paragraphs {
				if !slices.Contains(paragraphKinds, p.Kind) {
					t.Errorf("paragraph %d: kind %q not one of %v", i, p.Kind, paragraphKinds)
				}
				if strings.TrimSpace(p.Text) == "" || p.Text != strings.TrimSpace(p.Text) {
					t.Errorf("paragraph %d: text %q empty or padded", i, p.Text)
				}
				if (p.Kind == "operative" || p.Kind == "subparagraph") && p.Number == "" {
					t.Errorf("paragraph %d: %s paragraph without a number: %.60q", i, p.Kind, p.Text)
				}
				last := 0
				for _, ref := range p.Refs {
					if ref.Offset < last || ref.Offset > len(p.Text) {
						t.Errorf("paragraph %d: ref [^%d] at offset %d out of order or outside the text (len %d)", i, ref.Number, ref.Offset, len(p.Text))
						continue
					}
					if ref.Offset < len(p.Text) && !utf8.RuneStart(p.Text[ref.Offset]) {
						t.Errorf("paragraph %d: ref [^%d] at offset %d splits a character", i, ref.Number, ref.Offset)
					}
					last = ref.Offset
					paraRefs[refAt{i, ref.Offset, ref.Number}] = true
				}
				if want := insertRefs(p.Text, p.Refs, func(n int) string { return "[^" + strconv.Itoa(n) + "]" }); p.Markdown != want {
					t.Errorf("paragraph %d: markdown field\n%q\nis not the text with its refs\n%q", i, p.Markdown, want)
				}
				mdParas = append(mdParas, p.Markdown)
			}

			listed := map[refAt]bool{}
			var defs []string
			for _, f := range doc.Footnotes {
				if f.Number <= 0 || strings.TrimSpace(f.Text) == "" {
					t.Errorf("footnote %d: bad number or empty text %q", f.Number, f.Text)
				}
				for _, ref := range f.Refs {
					at := refAt{ref.Paragraph, ref.Offset, f.Number}
					if ref.Paragraph < 0 || ref.Paragraph >= len(doc.Paragraphs) || !paraRefs[at] {
						t.Errorf("footnote %d: ref to paragraph %d offset %d is not a [^%d] reference of that paragraph", f.Number, ref.Paragraph, ref.Offset, f.Number)
					}
					listed[at] = true
				}
				defs = append(defs, fmt.Sprintf("[^%d]: %s", f.Number, f.Text))
			}
			for at := range paraRefs {
				for _, f := range doc.Footnotes {
					if f.Number == at.number && !listed[at] {
						t.Errorf("paragraph %d offset %d refers to footnote %d, which does not list it", at.para, at.offset, at.number)
					}
				}
			}

			if len(doc.Repairs) == 0 {
				t.Error("empty repair log: every seed needs repairs")
			}
			for i, rp := range doc.Repairs {
				where := fmt.Sprintf("repair %d (%s %s)", i, rp.Stage, rp.Kind)
				if !slices.Contains(stageNames, rp.Stage) {
					t.Errorf("%s: stage %q is not a stage of the chain", where, rp.Stage)
				}
				if !slices.Contains(repairKinds, rp.Kind) {
					t.Errorf("%s: unknown kind %q", where, rp.Kind)
				}
				if strings.TrimSpace(rp.Reason) == "" {
					t.Errorf("%s: no reason", where)
				}
				if rp.Before == nil || rp.After == nil {
					t.Errorf("%s: before or after missing", where)
				}
				if rp.Confidence == nil || !(*rp.Confidence > 0 && *rp.Confidence <= 1) {
					t.Errorf("%s: confidence %v not in (0,1]", where, rp.Confidence)
				}
				if p := rp.Position; p == nil {
					t.Errorf("%s: no position", where)
				} else if p.Page < 0 || p.Line < 0 || p.Start < 0 || p.End < p.Start || p.Paragraph < -1 || p.Paragraph >= len(doc.Paragraphs) {
					t.Errorf("%s: position %+v out of range", where, *p)
				}
			}

			// The JSON carries the same document as the Markdown.
			md := runInProcess(t, "clean", "-f", "md", c.input).stdout
			rebuilt := strings.Join(mdParas, "\n\n")
			if len(defs) > 0 {
				rebuilt += "\n\n" + strings.Join(defs, "\n")
			}
			if diff := cmp.Diff(md, rebuilt+"\n"); diff != "" {
				t.Errorf("JSON paragraphs and footnotes do not make the Markdown output (-md +json):\n%s", diff)
			}
		})
	}
}

// refJSON is a paragraph's reference in the JSON output.
type refJSON struct {
	Offset int `json:"offset"`
	Number int `json:"number"`
}

// insertRefs writes refs into text at their offsets with mark.
func insertRefs(text string, refs []refJSON, mark func(int) string) string {
	var b strings.Builder
	last := 0
	for _, ref := range refs {
		if ref.Offset < last || ref.Offset > len(text) {
			continue
		}
		b.WriteString(text[last:ref.Offset])
		b.WriteString(mark(ref.Number))
		last = ref.Offset
	}
	return b.String() + text[last:]
}

var (
	mdRef        = regexp.MustCompile(`\[\^(\d+)\]`)
	mdDefinition = regexp.MustCompile(`(?m)^\[\^(\d+)\]: (.*)$`)
)

// TestTextOutput checks that -f text is the Markdown with superscript
// markers: each [^N] in the body becomes Superscript(N), and the
// definitions follow a rule as "ᴺ text".
func TestTextOutput(t *testing.T) {
	for _, c := range seedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			md := runInProcess(t, "clean", "-f", "md", c.input).stdout
			r := runInProcess(t, "clean", "-f", "text", c.input)
			if r.code != 0 {
				t.Fatalf("exit status %d\n%s", r.code, r.stderr)
			}
			body, defs := md, ""
			if loc := mdDefinition.FindStringIndex(md); loc != nil {
				body, defs = md[:loc[0]], md[loc[0]:]
			}
			sup := func(m string) string {
				n, _ := strconv.Atoi(mdRef.FindStringSubmatch(m)[1])
				return pipeline.Superscript(n)
			}
			want := mdRef.ReplaceAllStringFunc(body, sup)
			if defs != "" {
				want = strings.TrimSuffix(want, "\n\n") + "\n\n__________\n" +
					mdDefinition.ReplaceAllStringFunc(defs, func(m string) string {
						sm := mdDefinition.FindStringSubmatch(m)
						n, _ := strconv.Atoi(sm[1])
						return pipeline.Superscript(n) + " " + sm[2]
					})
			}
			if diff := cmp.Diff(want, r.stdout); diff != "" {
				t.Errorf("-f text is not the Markdown with superscript markers (-want +got):\n%s", diff)
			}
			if n := len(mdRef.FindAllString(body, -1)); n > 0 && !strings.ContainsAny(r.stdout, "⁰¹²³⁴⁵⁶⁷⁸⁹") {
				t.Errorf("Markdown has %d references but the text output no superscript digit", n)
			}
			if strings.Contains(r.stdout, "[^") {
				t.Error("-f text still has [^N] markers")
			}
		})
	}
}

// TestIdempotent cleans emend's own Markdown again: it must be read as
// Markdown and come back byte for byte.
func TestIdempotent(t *testing.T) {
	dir := t.TempDir()
	for _, c := range seedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			first := runInProcess(t, "clean", "-f", "md", c.input)
			if first.code != 0 {
				t.Fatalf("exit status %d\n%s", first.code, first.stderr)
			}
			md := filepath.Join(dir, c.name+".md")
			writeFile(t, md, []byte(first.stdout))

			j := runInProcess(t, "clean", "-f", "json", md)
			doc := decodeJSONOutput(t, []byte(j.stdout))
			if doc.Kind != string(pipeline.KindMarkdown) {
				t.Errorf("emend's Markdown detected as %q, want %q", doc.Kind, pipeline.KindMarkdown)
			}
			second := runInProcess(t, "clean", "-f", "md", md)
			if second.code != 0 {
				t.Fatalf("second clean: exit status %d\n%s", second.code, second.stderr)
			}
			if diff := cmp.Diff(first.stdout, second.stdout); diff != "" {
				t.Errorf("cleaning the Markdown again changed it (-first +second):\n%s", diff)
			}
		})
	}
}

// badInput is an input emend must refuse with one line naming it.
type badInput struct {
	name, reason string
	file         string                  // base name inside the test's directory
	make         func(path string) error // creates it; nil leaves it missing
	says         string                  // substring of the error line
}

var badInputs = []badInput{
	{"missing", "a typo in a file name", "missing.txt", nil, "no such file"},
	{"empty", "a failed export leaves an empty file", "empty.txt",
		func(p string) error { return os.WriteFile(p, nil, 0o644) }, "empty"},
	{"whitespace only", "an extraction of an image-only PDF is blank lines and form feeds", "blank.txt",
		func(p string) error { return os.WriteFile(p, []byte(" \n\n\f\t \r\n\f\n"), 0o644) }, "empty"},
	{"UTF-8 BOM only", "an editor saved an empty document as UTF-8 with a byte-order mark", "bom.txt",
		func(p string) error { return os.WriteFile(p, []byte("\xef\xbb\xbf\r\n\r\n"), 0o644) }, "empty"},
	{"truncated PNG", "a scan cut short in transfer, whatever its name", "scan.txt",
		func(p string) error {
			return os.WriteFile(p, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0\x00\x00\x06\x40\x08\x02\x00\x00\x00"), 0o644)
		}, "broken image header"},
	{"zip", "an archive given as an input", "dump.zip",
		func(p string) error {
			return os.WriteFile(p, append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 64)...), 0o644)
		}, "binary"},
	{"NUL bytes", "UTF-16 without a byte-order mark, or any binary", "nul.txt",
		func(p string) error {
			return os.WriteFile(p, []byte("R\x00e\x00s\x00o\x00l\x00u\x00t\x00i\x00o\x00n\x00\n\x00"), 0o644)
		}, "binary"},
	{"directory", "a shell glob that caught a directory", "adir",
		func(p string) error { return os.Mkdir(p, 0o755) }, "directory"},
	{"undecodable", "bytes Windows-1252 leaves undefined are no text encoding emend knows", "odd.txt",
		func(p string) error {
			return os.WriteFile(p, bytes.Repeat([]byte("\x81\x8d\x8f\x90\x9d "), 20), 0o644)
		}, "decoded"},
}

// goodInput writes a seed input into dir and returns its path and the
// Markdown emend makes of it.
func goodInput(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	c := seedCases(t)[0]
	path := filepath.Join(dir, name)
	writeFile(t, path, readFile(t, c.input))
	r := runInProcess(t, "clean", "-f", "md", path)
	if r.code != 0 || r.stdout == "" {
		t.Fatalf("cleaning %s: exit status %d\n%s", path, r.code, r.stderr)
	}
	return path, r.stdout
}

func TestBadInputs(t *testing.T) {
	for _, bi := range badInputs {
		t.Run(bi.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, bi.file)
			if bi.make != nil {
				if err := bi.make(bad); err != nil {
					t.Fatal(err)
				}
			}
			good, goodMD := goodInput(t, dir, "good.txt")

			t.Run("alone", func(t *testing.T) {
				r := runBinary(t, nil, "clean", bad)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1 (%s)", r.code, bi.reason)
				}
				lines := r.stderrLines()
				if len(lines) != 1 || !strings.Contains(lines[0], bad) || !strings.Contains(lines[0], bi.says) {
					t.Errorf("stderr %q: want one line naming %s and saying %q", lines, bad, bi.says)
				}
				if r.stdout != "" {
					t.Errorf("stdout not empty: %q", r.stdout)
				}
				checkAdviceNamesCommands(t, r.stderr)
			})

			t.Run("in-process", func(t *testing.T) {
				r := runInProcess(t, "clean", bad)
				if r.err != errSilent || r.code != 1 {
					t.Errorf("run returned %v (status %d), want errSilent (status 1)", r.err, r.code)
				}
			})

			t.Run("with good inputs", func(t *testing.T) {
				checkBadBetweenGood(t, runBinary(t, nil, "clean", good, bad, good), bad, goodMD, nil)
			})

			t.Run("-o DIR", func(t *testing.T) {
				out := filepath.Join(dir, "out")
				r := runBinary(t, nil, "clean", "-o", out, good, bad)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1", r.code)
				}
				if got := string(readFile(t, filepath.Join(out, "good.md"))); got != goodMD {
					t.Error("out/good.md is not the good input's Markdown")
				}
				checkNoOutput(t, filepath.Join(out, outputName(bad, pipeline.FormatMarkdown)))
			})

			t.Run("-o FILE", func(t *testing.T) {
				out := filepath.Join(dir, "single.md")
				r := runBinary(t, nil, "clean", "-o", out, bad)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1", r.code)
				}
				checkNoOutput(t, out)
			})
		})
	}
}

// checkAdviceNamesCommands fails if a message tells the user to run an
// emend command that does not exist.
func checkAdviceNamesCommands(t *testing.T, msg string) {
	t.Helper()
	var known []string
	for _, c := range commands(nil, nil) {
		known = append(known, c.Name())
	}
	for _, m := range regexp.MustCompile(`\bemend ([a-z]+)\b`).FindAllStringSubmatch(msg, -1) {
		if m[1] != "help" && !slices.Contains(known, m[1]) {
			t.Errorf("the message advises \"emend %s\", which is no command (%v): %s", m[1], known, msg)
		}
	}
}

// checkBadBetweenGood checks r, a run over a good input, a bad one and the
// good one again: exit status 1, the good input cleaned twice to goodMD,
// and one stderr line naming bad, which checkLine checks further unless it
// is nil, and a count of the failures.
func checkBadBetweenGood(t *testing.T, r result, bad, goodMD string, checkLine func(*testing.T, string)) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("exit status %d, want 1", r.code)
	}
	if r.stdout != goodMD+goodMD {
		t.Errorf("the good inputs were not both cleaned: stdout is %d bytes, want %d", len(r.stdout), 2*len(goodMD))
	}
	naming := 0
	for _, ln := range r.stderrLines() {
		if strings.Contains(ln, bad) {
			naming++
			if checkLine != nil {
				checkLine(t, ln)
			}
		}
	}
	if naming != 1 || !strings.Contains(r.stderr, "1 of 3 inputs failed") {
		t.Errorf("stderr: want one line naming %s and a count of failures:\n%s", bad, r.stderr)
	}
}

// checkNoOutput fails if path, the output of an input that failed, exists,
// or if a temporary was left beside it.
func checkNoOutput(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s was written for an input that failed", path)
	}
	checkNoTemporaries(t, filepath.Dir(path))
}

// checkNoTemporaries fails if WriteFileAtomic left a temporary in dir.
func checkNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("temporary files left in %s: %v", dir, left)
	}
}

// TestEncodings cleans the same text in each encoding emend reads and wants
// the same Markdown as from UTF-8.
func TestEncodings(t *testing.T) {
	dir := t.TempDir()
	seed := seedCases(t)[0]
	utf8Text := readFile(t, seed.input)
	// An ODS-style export with typographic quotes, an apostrophe, a dash
	// and a non-breaking space, all of which Windows-1252 has.
	ods := []byte("[DU1]\r\nResolution adopted by the General Assembly on 20 December 2006\r\n" +
		"61/180.\tImproving the coordination of efforts against trafficking in persons\r\n\r\n" +
		"\tThe General Assembly,\r\n" +
		"\tRecalling the \u201cPalermo Protocol\u201d and the Secretary-General\u2019s report on the 2006\u20132007 period,\u00a0\r\n" +
		"\t1.\tCalls upon Member States to take \u2018effective measures\u2019;\r\n" +
		"<<ODS JOB NO>>N0650523E<<ODS JOB NO>>\r\n")

	encode := func(t *testing.T, enc interface {
		Bytes([]byte) ([]byte, error)
	}, b []byte) []byte {
		t.Helper()
		out, err := enc.Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name, reason string
		text         []byte
		encoded      []byte
	}{
		{"UTF-8 BOM", "Windows editors write one", utf8Text, append([]byte("\xef\xbb\xbf"), utf8Text...)},
		{"UTF-16 LE", "Windows exports with a BOM FF FE",
			utf8Text, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), utf8Text)},
		{"UTF-16 BE", "a BOM FE FF overrides the little-endian default",
			utf8Text, encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder(), utf8Text)},
		{"Windows-1252 ODS", "old ODS exports write smart quotes as 0x93/0x94",
			ods, encode(t, charmap.Windows1252.NewEncoder(), ods)},
		{"UTF-16 LE ODS", "the same export as UTF-16",
			ods, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), ods)},
	}
	if !bytes.Contains(tests[3].encoded, []byte{0x93}) || !bytes.Contains(tests[3].encoded, []byte{0x94}) {
		t.Fatal("the Windows-1252 sample lacks 0x93/0x94")
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := filepath.Join(dir, fmt.Sprintf("plain-%d.txt", i))
			coded := filepath.Join(dir, fmt.Sprintf("coded-%d.txt", i))
			writeFile(t, plain, tt.text)
			writeFile(t, coded, tt.encoded)
			want := runInProcess(t, "clean", "-f", "md", plain)
			got := runInProcess(t, "clean", "-f", "md", coded)
			if got.code != 0 {
				t.Fatalf("%s (%s): exit status %d\n%s", tt.name, tt.reason, got.code, got.stderr)
			}
			if diff := cmp.Diff(want.stdout, got.stdout); diff != "" {
				t.Errorf("%s (%s): output differs from the UTF-8 input's (-utf8 +%s):\n%s", tt.name, tt.reason, tt.name, diff)
			}
			if !utf8.ValidString(got.stdout) || strings.ContainsRune(got.stdout, utf8.RuneError) {
				t.Errorf("%s: output is not clean UTF-8", tt.name)
			}
			if strings.Contains(string(tt.text), "\u201c") && !strings.Contains(got.stdout, "\u201cPalermo Protocol\u201d") {
				t.Errorf("%s: smart quotes lost:\n%s", tt.name, got.stdout)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	c := seedCases(t)[0]
	want := runInProcess(t, "clean", "-f", "md", c.input)
	r := runBinary(t, readFile(t, c.input), "clean", "-")
	if r.code != 0 {
		t.Fatalf("emend clean -: exit status %d\n%s", r.code, r.stderr)
	}
	if diff := cmp.Diff(want.stdout, r.stdout); diff != "" {
		t.Errorf("stdin gives other output than the file (-file +stdin):\n%s", diff)
	}

	dir := t.TempDir()
	r = runBinary(t, readFile(t, c.input), "clean", "-o", dir, "-", c.input)
	if r.code != 0 {
		t.Fatalf("emend clean -o DIR - FILE: exit status %d\n%s", r.code, r.stderr)
	}
	if got := string(readFile(t, filepath.Join(dir, "stdin.md"))); got != want.stdout {
		t.Error("stdin.md differs from the file's output")
	}

	r = runBinary(t, []byte{}, "clean", "-")
	if r.code != 1 || len(r.stderrLines()) != 1 || !strings.Contains(r.stderr, "-: ") {
		t.Errorf("empty stdin: exit %d, stderr %q; want 1 and one line naming -", r.code, r.stderr)
	}
}

func TestFlagsAfterInputs(t *testing.T) {
	c := seedCases(t)[0]
	want := runInProcess(t, "clean", "-f", "json", c.input).stdout
	dir := t.TempDir()
	tests := []struct {
		name, reason string
		args         func(out string) []string
	}{
		{"flags first", "the usual order", func(out string) []string { return []string{"clean", "-f", "json", "-o", out, c.input} }},
		{"flags after", "users append -o to a command they already typed", func(out string) []string { return []string{"clean", c.input, "-f", "json", "-o", out} }},
		{"flags around", "flags on both sides", func(out string) []string { return []string{"clean", "-f", "json", c.input, "-o", out} }},
		{"double dash", "-- ends the flags", func(out string) []string { return []string{"clean", "-f", "json", "-o", out, "--", c.input} }},
	}
	for i, tt := range tests {
		out := filepath.Join(dir, strconv.Itoa(i)+".json")
		r := runInProcess(t, tt.args(out)...)
		if r.code != 0 {
			t.Errorf("%s (%s): exit status %d\n%s", tt.name, tt.reason, r.code, r.stderr)
			continue
		}
		if r.stdout != "" {
			t.Errorf("%s: output went to stdout despite -o", tt.name)
		}
		got, err := os.ReadFile(out)
		if err != nil || string(got) != want {
			t.Errorf("%s (%s): %s is not the JSON output (%v)", tt.name, tt.reason, out, err)
		}
	}
}

// TestOutputDirSameNames gives two inputs with the same base name, as
// "emend clean -o out/ corpus/*/text.txt" does: neither output may be lost
// without a word. Either both are written under distinct names, or the run
// fails and says why.
func TestOutputDirSameNames(t *testing.T) {
	cases := seedCases(t)
	dir := t.TempDir()
	var inputs []string
	for _, c := range cases[:2] {
		sub := filepath.Join(dir, c.name)
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(sub, "text.txt")
		writeFile(t, p, readFile(t, c.input))
		inputs = append(inputs, p)
	}
	out := filepath.Join(dir, "out")
	r := runInProcess(t, append([]string{"clean", "-o", out}, inputs...)...)
	ents, _ := os.ReadDir(out)
	if r.code == 0 && len(ents) != len(inputs) {
		t.Errorf("%d inputs named text.txt gave %d output files and exit status 0: an output was overwritten silently", len(inputs), len(ents))
	}
	if r.code != 0 && !strings.Contains(r.stderr, "text") {
		t.Errorf("exit status %d without naming the clash:\n%s", r.code, r.stderr)
	}
}

// TestOutputDir checks -o DIR with several inputs and each format: one file
// per input named after it, nothing else left.
func TestOutputDir(t *testing.T) {
	cases := seedCases(t)
	for _, f := range []string{"md", "text", "json"} {
		dir := filepath.Join(t.TempDir(), "nested", "out")
		args := []string{"clean", "-j", "2", "-f", f, "-o", dir}
		var inputs []string
		for _, c := range cases {
			// Copy under distinct names: the seeds are all input.txt.
			p := filepath.Join(filepath.Dir(filepath.Dir(dir)), c.name+".txt")
			writeFile(t, p, readFile(t, c.input))
			inputs = append(inputs, p)
		}
		r := runInProcess(t, append(args, inputs...)...)
		if r.code != 0 {
			t.Fatalf("-f %s -o DIR: exit status %d\n%s", f, r.code, r.stderr)
		}
		ff, _ := pipeline.ParseFormat(f)
		var want []string
		for _, in := range inputs {
			name := outputName(in, ff)
			want = append(want, name)
			single := runInProcess(t, "clean", "-f", f, in).stdout
			if got := string(readFile(t, filepath.Join(dir, name))); got != single {
				t.Errorf("-f %s: %s differs from cleaning %s alone", f, name, in)
			}
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ents {
			got = append(got, e.Name())
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("-f %s: files in the output directory (-want +got):\n%s", f, diff)
		}
	}
}
