package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// fuzzSeeds are the text inputs the fuzzers start from: the repository's
// seeds, the shared corpus's, and a few made to reach the report's corners
// (markup, a footnote used twice, a split word opening a paragraph).
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	ins, err := filepath.Glob(filepath.Join(testutil.ModuleRoot(f), "testdata", "seeds", "*", "input.txt"))
	if err != nil || len(ins) == 0 {
		f.Fatalf("no seeds under testdata/seeds: %v", err)
	}
	for _, seed := range []string{"seed-000", "seed-001", "seed-002", "seed-003", "seed-004"} {
		ins = append(ins, testutil.CorpusFile(f, seed, seedFile(f, seed)))
	}
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		// Whole seeds are 3–11 KB: cut to their first lines, as the
		// fuzzer's minimizing and its executions slow with the size.
		if len(data) > fuzzSeedBytes {
			cut := bytes.LastIndexByte(data[:fuzzSeedBytes], '\n')
			data = data[:max(cut, 0)+1]
		}
		out = append(out, data)
	}
	return append(out,
		[]byte("The General Assembly,\n\nRecalling <script>alert(1)</script> & \"quotes\",1\n\n1. Decides;2\n_______________\n1 Resolution <b>55/25</b>.\n2 Ibid.\n"),
		[]byte("Recalling its resolution,1 and its decision,1\n\nOrgani zations are invited;\n\f2/5\nA/RES/61/180\n"),
		[]byte("Recalling\u00ad the Court’ and the Protocol,? \tand Women™\n"),
	)
}

// fuzzSeedBytes bounds the seeds, and the inputs given a gold.
const fuzzSeedBytes = 1200

// fuzzDeadline is the most one small input may take to clean and render;
// the seeds take milliseconds.
const fuzzDeadline = 10 * time.Second

// FuzzReport cleans arbitrary text as "emend report" does and renders it:
// Write must not fail or panic, and the page must hold together: ids
// unique, in-page links landing, footnote links both ways, one row per
// paragraph and one entry per repair.
func FuzzReport(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	cl := clean.New(clean.Options{KeepOriginal: true})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		if clean.IsPDF(data) || ocr.SniffImage(data) != "" {
			t.Skip("not text: PDFs and images are read by poppler and Tesseract, too slow to fuzz")
		}
		// Go's fuzzing has no deadline per input: a slow one would stall the
		// run silently. Crash with every goroutine's stack instead, which
		// keeps the input as a crasher.
		watchdog := time.AfterFunc(fuzzDeadline, func() {
			buf := make([]byte, 1<<20)
			panic(fmt.Sprintf("one input of %d bytes took over %v:\n%s", len(data), fuzzDeadline, buf[:runtime.Stack(buf, true)]))
		})
		defer watchdog.Stop()
		doc, err := cl.Bytes(ctx, "fuzz.txt", data)
		if err != nil {
			return // refused as input, with a message: not the report's concern
		}
		var b bytes.Buffer
		// The input doubles as the gold, to run the evaluation view too:
		// made valid UTF-8, as a gold that is not is another matter
		// (TestReportGoldNotUTF8), and only when short, as the character
		// edit distance is quadratic.
		var gold []byte
		if len(data) <= fuzzSeedBytes {
			gold = bytes.ToValidUTF8(data, []byte("\uFFFD"))
		}
		if err := Write(&b, doc, Options{Gold: gold}); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("<!DOCTYPE html>")) {
			t.Fatalf("the report starts %.40q", b.Bytes())
		}
		if !utf8.Valid(b.Bytes()) {
			t.Errorf("the report is not valid UTF-8")
		}
		p, err := parsePage(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		checkIDsAndLinks(t, p)
		checkFootnoteLinks(t, p)
		checkRows(t, p, doc)
		checkRefs(t, p, doc)
		checkRepairList(t, p, doc)
		checkTooltips(t, p, doc)
		checkSummary(t, p, doc)
	})
}

// FuzzPlace throws arbitrary lines, texts and offsets at the placing
// functions: no panic, and every place they return lies in the text and
// holds what it claims.
func FuzzPlace(f *testing.F) {
	f.Add("the Court, the Court!", "Court", 7, uint8(0), "Court !", "Court\U0010fffd!", 0, 0)
	f.Add("4.  \\Welcomes the steps", "\\", 4, uint8(1), "\\", "", 4, 5)
	f.Add("Côte d’Ivoire et Côte", "Côte", 30, uint8(2), "…d’Ivoire ¶ et…", "…d’Ivoire et…", -3, 99)
	f.Add("2/5", "2", -1, uint8(3), "2/5", "", 0, 3)
	f.Add("\xff\xfe’", "\x99", 1, uint8(4), "\x80", "x", 1, 2)
	kinds := []pipeline.RepairKind{pipeline.RepairMarker, pipeline.RepairJunk, pipeline.RepairParagraph, pipeline.RepairFurniture,
		pipeline.RepairFootnote, pipeline.RepairSpelling, pipeline.RepairTag, pipeline.RepairSplitWord}
	f.Fuzz(func(t *testing.T, text, needle string, hint int, kind uint8, before, after string, start, end int) {
		i := nearest(text, needle, hint)
		switch {
		case i < -1 || i > len(text):
			t.Fatalf("nearest = %d for a text of %d bytes", i, len(text))
		case i >= 0 && !strings.HasPrefix(text[i:], needle):
			t.Fatalf("nearest = %d, where the text reads %q, not %q", i, text[i:], needle)
		case i < 0 && needle != "" && utf8.ValidString(text) && utf8.ValidString(needle) && strings.Contains(text, needle):
			t.Fatalf("nearest missed %q in %q", needle, text)
		}
		if i >= 0 && utf8.ValidString(text) && utf8.ValidString(needle) {
			if by := nearestByHand(text, needle, hint); abs(by-hint) != abs(i-hint) {
				t.Fatalf("nearest(%q, %q, %d) = %d; %d is closer", text, needle, hint, i, by)
			}
		}

		var words []pipeline.Word
		for k, w := range strings.Fields(text) {
			words = append(words, pipeline.Word{Text: w, Box: &pipeline.Box{X0: float64(k), Y0: 1, X1: float64(k) + 1, Y1: 2}})
		}
		ol := oline{page: 1, origin: 1, text: text, words: words, wordAt: wordOffsets(text, words)}
		for k, at := range ol.wordAt {
			if at >= 0 && !strings.HasPrefix(text[at:], words[k].Text) {
				t.Fatalf("wordOffsets: word %q at %d, where the text reads %q", words[k].Text, at, text[at:])
			}
		}
		r := pipeline.Repair{Kind: kinds[int(kind)%len(kinds)], Before: before, After: after, Pos: pipeline.LinePos(1, 1, start, end)}
		sp, ok := placeInLine(ol, r, 3)
		if ok && (sp.repair != 3 || sp.start < 0 || sp.start > sp.end || sp.end > len(text)) {
			t.Fatalf("placeInLine = %+v in a line of %d bytes", sp, len(text))
		}
		if ok {
			if b, found := ol.box(sp.start, sp.end); found && (b.X0 > b.X1 || b.Y0 > b.Y1) {
				t.Fatalf("box %+v", b)
			}
		}
		spots := sortSpots([]spot{{0, min(start, end), max(start, end)}, {1, hint, hint}, {2, max(0, start), max(0, start) + len(needle)}, sp})
		for k := 1; k < len(spots); k++ {
			if spots[k].start < spots[k-1].end {
				t.Fatalf("sortSpots left overlapping spots: %v", spots)
			}
		}
	})
}
