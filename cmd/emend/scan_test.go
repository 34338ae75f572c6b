package main

// End-to-end tests of "emend clean" on PDFs and page images: born-digital
// PDFs read from their text layer, image-only PDFs and page images OCR'd
// with Tesseract, PDFs that mix the two, multi-page TIFFs, standard input,
// and the inputs that must fail cleanly (corrupt, truncated, encrypted,
// oversized, timed out), including documents of which only some pages
// fail. Nothing is mocked: poppler, qpdf, libtiff's tools and Tesseract run
// for real, and a test that needs one fails (never skips) when it is
// missing, since CI always has them.
//
// Fixtures beyond testdata/scans are made at test time in t.TempDir() with
// those same tools. OCR costs 3-8 s a page on a small machine, so the OCR
// tests use single pages where they can and run pages two at a time.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/internal/evaluate"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// Phrases that sit on one page of A/RES/63/194 in both the text and the
// scanned PDF, to tell which pages made it into an output.
const (
	phrasePage1 = "Recalling its resolution 61/180 of 20 December 2006"
	phrasePage2 = "Acknowledges the important work on data collection"
	phrasePage3 = "Calls upon the Secretary-General to collect the views"
)

// checkScanPages fails unless the paragraphs of doc, an output of
// A/RES/63/194, come from exactly pages, and hold each page's phrase.
func checkScanPages(t *testing.T, doc jsonOutput, pages ...int) {
	t.Helper()
	text := doc.text()
	for _, p := range pages {
		if phrase := []string{phrasePage1, phrasePage2, phrasePage3}[p-1]; !strings.Contains(text, phrase) {
			t.Errorf("page %d is missing: no %q", p, phrase)
		}
	}
	if got := doc.pages(); !slices.Equal(got, pages) {
		t.Errorf("paragraphs come from pages %v, want %v", got, pages)
	}
}

// scanTools are the programs these tests run, directly to make fixtures or
// through emend. tesseract stands for the Tesseract installation emend
// links against (its language data comes with the same package).
var scanTools = []string{"pdfinfo", "pdftotext", "pdftoppm", "pdfimages", "pdfseparate", "pdfunite", "qpdf", "tiffcp", "tesseract"}

// requireScanTools fails the test when a program it needs is missing: the
// PDF and OCR paths are the product, and a skipped test would let CI pass
// without ever running them.
func requireScanTools(t *testing.T) {
	t.Helper()
	testutil.RequireTools(t, "these tests need poppler-utils, qpdf, libtiff-tools and tesseract-ocr installed (they must run, not skip)", scanTools...)
}

// scanFile is the path of testdata/scans/name.
func scanFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(testutil.ModuleRoot(t), "testdata", "scans", name)
	if !fileExists(p) {
		t.Fatalf("%s is missing", p)
	}
	return p
}

// scanTool runs a fixture-making program and fails the test if it fails.
func scanTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// scanPDFPage writes page n of the PDF src to dir/name with pdfseparate.
func scanPDFPage(t *testing.T, src string, n int, dir, name string) string {
	t.Helper()
	dst := filepath.Join(dir, name)
	scanTool(t, "pdfseparate", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), src, dst)
	return dst
}

// scanRasterize renders pages first..last of the PDF src with pdftoppm and
// returns the files it wrote, in page order. format is a pdftoppm output
// flag ("-tiff", "-jpeg", "-png"), extra more flags.
func scanRasterize(t *testing.T, src string, first, last, dpi int, dir, prefix, format string, extra ...string) []string {
	t.Helper()
	root := filepath.Join(dir, prefix)
	args := append([]string{"-f", fmt.Sprint(first), "-l", fmt.Sprint(last), "-r", fmt.Sprint(dpi), "-gray", format}, extra...)
	scanTool(t, "pdftoppm", append(args, src, root)...)
	files, err := filepath.Glob(root + "-*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files) // pdftoppm pads page numbers to the same width
	if len(files) != last-first+1 {
		t.Fatalf("pdftoppm wrote %v, want %d pages", files, last-first+1)
	}
	return files
}

// runStats is what the operating system says a run of the binary cost.
//
// Go starts children with vfork, so until it execs a child shares the test
// process's memory, and Linux carries that memory's peak into the child's
// peak RSS: maxRSS is at least parentHWM, the test process's own peak
// (VmHWM) when the child started. Only growth beyond it is the child's.
type runStats struct {
	elapsed   time.Duration
	maxRSS    int64 // bytes
	parentHWM int64 // bytes
}

// scanPeakRSS is this process's VmHWM from /proc/self/status, in bytes.
func scanPeakRSS(t *testing.T) int64 {
	t.Helper()
	for _, ln := range strings.Split(string(readFile(t, "/proc/self/status")), "\n") {
		if v, ok := strings.CutPrefix(ln, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				t.Fatalf("VmHWM line %q: %v", ln, err)
			}
			return kb * 1024
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// runBinaryStats runs the built emend like runBinary, with env added to its
// environment, and reports its time and peak memory.
func runBinaryStats(t *testing.T, env []string, stdin []byte, args ...string) (result, runStats) {
	t.Helper()
	cmd := binaryCommand(t, stdin, args...)
	cmd.Env = append(os.Environ(), env...)
	hwm := scanPeakRSS(t)
	start := time.Now()
	r := runCommand(t, cmd)
	st := runStats{elapsed: time.Since(start), parentHWM: hwm}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		st.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return r, st
}

// scanFloors are the scores an output must reach against its gold.
type scanFloors struct {
	maxCER    float64
	minParaF1 float64
	minMarkP  float64
	minMarkR  float64 // checked only when the gold has markers
	minNotes  float64 // share of the gold's definitions reproduced exactly
}

// checkScanScores scores out against gold with internal/evaluate, the
// project's scorer, and fails below a floor.
func checkScanScores(t *testing.T, name string, gold, out []byte, f scanFloors) {
	t.Helper()
	s := evaluate.Compare(gold, out)
	t.Logf("%s: CER %.3f%% WER %.3f%% markP %.3f markR %.3f (gold %d markers) paraF1 %.3f notes %d/%d (%d in output)",
		name, 100*s.CER(), 100*s.WER(), s.MarkP(), s.MarkR(), s.MarkGold, s.ParaF1(), s.NoteHit, s.NoteGold, s.NoteOut)
	if s.CER() > f.maxCER {
		t.Errorf("%s: CER %.3f%% above %.2f%%", name, 100*s.CER(), 100*f.maxCER)
	}
	if s.ParaF1() < f.minParaF1 {
		t.Errorf("%s: paragraph F1 %.3f below %.2f", name, s.ParaF1(), f.minParaF1)
	}
	if s.MarkP() < f.minMarkP {
		t.Errorf("%s: marker precision %.3f below %.2f", name, s.MarkP(), f.minMarkP)
	}
	if s.MarkGold > 0 && s.MarkR() < f.minMarkR {
		t.Errorf("%s: marker recall %.3f below %.2f", name, s.MarkR(), f.minMarkR)
	}
	if s.NoteGold == 0 {
		t.Logf("%s: the gold has no footnote definitions, so the definition floor checks nothing here", name)
	} else if got := float64(s.NoteHit) / float64(s.NoteGold); got < f.minNotes {
		t.Errorf("%s: %d of the gold's %d footnote definitions exact (%.0f%%), want at least %.0f%%",
			name, s.NoteHit, s.NoteGold, 100*got, 100*f.minNotes)
	}
	if t.Failed() {
		for _, m := range s.Misses {
			t.Logf("%s: miss: %s", name, m)
		}
	}
}

// scanCheckOneLine fails unless stderr is exactly one line, naming file and
// holding each of says.
func scanCheckOneLine(t *testing.T, r result, file string, says ...string) {
	t.Helper()
	lines := r.stderrLines()
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one naming %s:\n%s", len(lines), file, r.stderr)
		return
	}
	if !strings.Contains(lines[0], file) {
		t.Errorf("stderr line %q does not name %s", lines[0], file)
	}
	for _, s := range says {
		if !strings.Contains(lines[0], s) {
			t.Errorf("stderr line %q does not say %q", lines[0], s)
		}
	}
}

// scanCheckPageFailed checks r, a run with "-f json -o out" over in whose
// page failed and whose other pages were read: exit status 1, one stderr
// line "emend: in: page N: reason" holding each of says, and the JSON
// written to out listing page alone in failed_pages, which it returns.
func scanCheckPageFailed(t *testing.T, r result, in, out string, page int, says ...string) jsonOutput {
	t.Helper()
	if r.code != 1 {
		t.Errorf("exit status %d, want 1 for a document with a failed page", r.code)
	}
	where := fmt.Sprintf("page %d", page)
	scanCheckOneLine(t, r, in, append([]string{where}, says...)...)
	if want := "emend: " + in + ": " + where + ": "; !strings.HasPrefix(r.stderr, want) {
		t.Errorf("stderr %q does not start %q", r.stderr, want)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("no output written from the pages that were read: %v", err)
	}
	doc := decodeJSONOutput(t, readFile(t, out))
	if len(doc.FailedPages) != 1 || doc.FailedPages[0].Page != page || doc.FailedPages[0].Err == "" {
		t.Errorf("failed_pages = %+v, want %s with its reason", doc.FailedPages, where)
	}
	return doc
}

// TestPDFTextLayer cleans the born-digital PDF. Most UN documents since the
// 1990s are born digital: their text layer is exact, so anything short of
// near-perfect text means emend lost or garbled what was there. The JSON
// must carry what programs that index documents read: the input kind, the
// paragraphs, footnotes with the places that cite them, and a repair log
// that shows the word geometry was used.
func TestPDFTextLayer(t *testing.T) {
	requireScanTools(t)
	in := scanFile(t, "A-RES-63-194.text.pdf")
	gold := readFile(t, scanFile(t, "A-RES-63-194.gold.md"))

	r := runCleanOK(t, "-f", "md", in)
	checkScanScores(t, "text.pdf", gold, []byte(r.stdout), scanFloors{
		maxCER: 0.005, minParaF1: 0.95, minMarkP: 0.98, minMarkR: 0.98, minNotes: 0.90})

	j := runInProcess(t, "clean", "-f", "json", in)
	if j.code != 0 {
		t.Fatalf("emend clean -f json %s: exit status %d\n%s", in, j.code, j.stderr)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(j.stdout), &keys); err != nil {
		t.Fatalf("-f json output is not a JSON object: %v", err)
	}
	for _, k := range []string{"source", "input_kind", "metadata", "paragraphs", "footnotes", "repairs"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if string(keys["footnotes"]) == "null" {
		t.Error(`"footnotes" is null, want an array`)
	}
	doc := decodeJSONOutput(t, []byte(j.stdout))
	if doc.Source != in {
		t.Errorf("source = %q, want %q", doc.Source, in)
	}
	// The text layer's kind; "pdf" is the kind pipeline defines for it,
	// "pdftext" the one the PDF reader hands the text stages.
	if doc.Kind != string(pipeline.KindPDF) && doc.Kind != string(pipeline.KindPDFText) {
		t.Errorf("input_kind = %q, want %q or %q for a born-digital PDF", doc.Kind, pipeline.KindPDF, pipeline.KindPDFText)
	}
	if len(doc.Paragraphs) == 0 {
		t.Fatal("no paragraphs")
	}
	if got := doc.pages(); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("paragraphs come from pages %v, want [1 2 3]", got)
	}
	if len(doc.FailedPages) != 0 {
		t.Errorf("failed_pages = %v for a clean PDF", doc.FailedPages)
	}

	// Markers: the gold's, by number, are on paragraphs as refs.
	type at struct{ para, offset int }
	refs := map[at]int{}
	var refNumbers []int
	for i, p := range doc.Paragraphs {
		for _, ref := range p.Refs {
			if ref.Offset < 0 || ref.Offset > len(p.Text) {
				t.Errorf("paragraph %d: ref [^%d] at offset %d outside its text", i, ref.Number, ref.Offset)
			}
			refs[at{i, ref.Offset}] = ref.Number
			if !slices.Contains(refNumbers, ref.Number) {
				refNumbers = append(refNumbers, ref.Number)
			}
		}
	}
	slices.Sort(refNumbers)
	var goldNumbers []int
	for _, m := range regexp.MustCompile(`\[\^(\d+)\]`).FindAllStringSubmatch(string(gold), -1) {
		var n int
		fmt.Sscan(m[1], &n)
		if !slices.Contains(goldNumbers, n) {
			goldNumbers = append(goldNumbers, n)
		}
	}
	slices.Sort(goldNumbers)
	if diff := cmp.Diff(goldNumbers, refNumbers); diff != "" {
		t.Errorf("footnote numbers referenced in the paragraphs differ from the gold's (-gold +json):\n%s", diff)
	}
	// Footnotes: each lists where it is cited, and each citation is a ref
	// of that number in that paragraph. (A/RES/63/194's PDF prints no
	// definitions, so its list may be empty; the gold has none either.)
	goldDefs := len(regexp.MustCompile(`(?m)^\[\^\d+\]: `).FindAll(gold, -1))
	if goldDefs > 0 && len(doc.Footnotes) == 0 {
		t.Errorf("the gold defines %d footnotes, the JSON none", goldDefs)
	}
	if goldDefs == 0 {
		t.Logf("the PDF prints no footnote definitions: footnotes is %d long", len(doc.Footnotes))
	}
	for _, f := range doc.Footnotes {
		if len(f.Refs) == 0 {
			t.Errorf("footnote %d lists no reference to it", f.Number)
		}
		for _, ref := range f.Refs {
			if n, ok := refs[at{ref.Paragraph, ref.Offset}]; !ok || n != f.Number {
				t.Errorf("footnote %d: ref to paragraph %d offset %d is not a [^%d] there", f.Number, ref.Paragraph, ref.Offset, f.Number)
			}
		}
	}
	// Repairs: the geometry stage read the word boxes (raised markers,
	// indentation), and says where.
	geometry := 0
	for i, rp := range doc.Repairs {
		if strings.TrimSpace(rp.Reason) == "" {
			t.Errorf("repair %d (%s %s) has no reason", i, rp.Stage, rp.Kind)
		}
		if rp.Stage == "geometry" {
			geometry++
			if rp.page() < 1 || rp.page() > 3 {
				t.Errorf("geometry repair %d on page %d of a 3-page PDF", i, rp.page())
			}
		}
	}
	if geometry == 0 {
		t.Errorf("no repair from the geometry stage: the text layer's word boxes were not used (%d repairs)", len(doc.Repairs))
	}

	// The JSON and the Markdown are the same document.
	var md []string
	for _, p := range doc.Paragraphs {
		md = append(md, p.Markdown)
	}
	rebuilt := strings.Join(md, "\n\n")
	if len(doc.Footnotes) > 0 {
		// Definitions follow a blank line, one per line.
		var defs []string
		for _, f := range doc.Footnotes {
			defs = append(defs, fmt.Sprintf("[^%d]: %s", f.Number, f.Text))
		}
		rebuilt += "\n\n" + strings.Join(defs, "\n")
	}
	if diff := cmp.Diff(r.stdout, rebuilt+"\n"); diff != "" {
		t.Errorf("JSON paragraphs and footnotes do not make the Markdown output (-md +json):\n%s", diff)
	}
}

// ocrFloors are the bar for OCR'd input: Tesseract misreads some
// characters, but a scan of a clean print must come out nearly exact, with
// its paragraphs and footnote markers in place.
var ocrFloors = scanFloors{maxCER: 0.015, minParaF1: 0.95, minMarkP: 0.95, minMarkR: 0.90}

// TestScanPDFOCR cleans the image-only PDF, a 200 dpi bilevel scan. Most of
// the UN's archive before the late 1990s exists only as such scans: this
// is the path that turns them into text, rasterizing each page and
// OCR'ing it.
func TestScanPDFOCR(t *testing.T) {
	requireScanTools(t)
	in := scanFile(t, "A-RES-63-194.scan.pdf")
	start := time.Now()
	r := runCleanOK(t, "-j", "2", "-f", "md", in)
	t.Logf("3 OCR'd pages in %s", time.Since(start).Round(time.Millisecond))
	checkScanScores(t, "scan.pdf", readFile(t, scanFile(t, "A-RES-63-194.gold.md")), []byte(r.stdout), ocrFloors)
	for _, p := range []string{phrasePage1, phrasePage2, phrasePage3} {
		if !strings.Contains(collapseSpace(r.stdout), p) {
			t.Errorf("output lacks %q", p)
		}
	}
}

// TestImagePNG cleans a real scanned page given as a PNG, the form in which
// archives and digitization projects hand out single pages.
func TestImagePNG(t *testing.T) {
	requireScanTools(t)
	in := scanFile(t, "A-RES-2758-XXVI.png")
	r := runCleanOK(t, "-j", "2", "-f", "md", in)
	checkScanScores(t, "png", readFile(t, scanFile(t, "A-RES-2758-XXVI.gold.md")), []byte(r.stdout), ocrFloors)
}

// TestPDFOCRNever runs the scanned PDF with OCR off. A user who asks for
// text layers only must be told plainly that this file has none, once, not
// page by page, and must not find an empty output file that looks like a
// result.
func TestPDFOCRNever(t *testing.T) {
	requireScanTools(t)
	in := scanFile(t, "A-RES-63-194.scan.pdf")
	dir := t.TempDir()
	out := filepath.Join(dir, "out.md")
	r := runBinary(t, nil, "clean", "--ocr", "never", "-o", out, in)
	if r.code != 1 {
		t.Errorf("exit status %d, want 1", r.code)
	}
	scanCheckOneLine(t, r, in, "no page could be read", "--ocr never")
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
	checkNoOutput(t, out)

	// To standard output, nothing at all is written.
	r = runBinary(t, nil, "clean", "--ocr", "never", in)
	if r.code != 1 || r.stdout != "" {
		t.Errorf("without -o: exit status %d and %d bytes on stdout, want 1 and none", r.code, len(r.stdout))
	}
}

// TestPDFOCRAlways forces OCR on a born-digital page. Users need it when a
// PDF's text layer is wrong (a bad earlier OCR, fonts that map to the wrong
// characters) though it looks usable: the page must really be OCR'd and
// still read as the text layer does.
func TestPDFOCRAlways(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	in := scanPDFPage(t, scanFile(t, "A-RES-63-194.text.pdf"), 1, dir, "text-1.pdf")

	layer := runInProcess(t, "clean", "-f", "md", in)
	if layer.code != 0 {
		t.Fatalf("emend clean %s: exit status %d\n%s", in, layer.code, layer.stderr)
	}
	r := runInProcess(t, "clean", "--ocr", "always", "-j", "2", "-f", "json", in)
	if r.code != 0 {
		t.Fatalf("emend clean --ocr always %s: exit status %d\n%s", in, r.code, r.stderr)
	}
	doc := decodeJSONOutput(t, []byte(r.stdout))
	// All pages OCR'd: the document is weighed as OCR text, not as a text
	// layer; the kind is how the JSON tells the two apart.
	if doc.Kind == string(pipeline.KindPDFText) || doc.Kind == string(pipeline.KindPDF) {
		t.Errorf("input_kind = %q: the page was read from its text layer despite --ocr always", doc.Kind)
	}
	text := doc.text()
	for _, p := range []string{"General Assembly", phrasePage1} {
		if !strings.Contains(text, p) {
			t.Errorf("--ocr always output lacks %q:\n%.600s", p, text)
		}
	}
	// Scored against the text layer's own reading of the page, the OCR is
	// nearly the same text.
	md := runInProcess(t, "clean", "--ocr", "always", "-j", "2", "-f", "md", in)
	s := evaluate.Compare([]byte(layer.stdout), []byte(md.stdout))
	t.Logf("--ocr always against the text layer: CER %.3f%% paraF1 %.3f", 100*s.CER(), s.ParaF1())
	if s.CER() > 0.02 {
		t.Errorf("--ocr always: CER %.3f%% against the text layer's reading, want at most 2%%", 100*s.CER())
	}
}

// TestPDFMixedPages joins a born-digital page and a scanned page into one
// PDF, as happens when a document is assembled from parts, or a page was
// replaced by a scan. Each page must be read its own way: the text layer
// where there is one, OCR where there is not. With OCR off, the scanned
// page is reported and the document is still written from the other: a
// user gets what can be read and is told what is missing.
func TestPDFMixedPages(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	p1 := scanPDFPage(t, scanFile(t, "A-RES-63-194.text.pdf"), 1, dir, "text-1.pdf")
	p2 := scanPDFPage(t, scanFile(t, "A-RES-63-194.scan.pdf"), 2, dir, "scan-2.pdf")
	mixed := filepath.Join(dir, "mixed.pdf")
	scanTool(t, "pdfunite", p1, p2, mixed)

	doc := decodeJSONOutput(t, []byte(runCleanOK(t, "-j", "2", "-f", "json", mixed).stdout))
	// Page 1 the born-digital one, page 2 the scanned one.
	checkScanPages(t, doc, 1, 2)
	if strings.Contains(doc.text(), phrasePage3) {
		t.Errorf("output has %q, from a page not in the PDF", phrasePage3)
	}
	repairPages := map[int]bool{}
	for _, rp := range doc.Repairs {
		repairPages[rp.page()] = true
	}
	if !repairPages[1] || !repairPages[2] {
		t.Errorf("repairs on pages %v, want repairs on both pages", repairPages)
	}
	if len(doc.FailedPages) != 0 {
		t.Errorf("failed_pages = %v", doc.FailedPages)
	}

	// --ocr never: page 1 has a text layer and is read; page 2 has none,
	// is reported, and the rest is written.
	out := filepath.Join(dir, "never.json")
	nr := runBinary(t, nil, "clean", "--ocr", "never", "-f", "json", "-o", out, mixed)
	never := scanCheckPageFailed(t, nr, mixed, out, 2, "--ocr never")
	if nt := never.text(); !strings.Contains(nt, phrasePage1) || strings.Contains(nt, phrasePage2) {
		t.Errorf("--ocr never output should hold page 1's text and not page 2's:\n%.600s", nt)
	}
	checkNoTemporaries(t, dir)
}

// scanBadInput is a PDF or page image emend must refuse with one line
// naming it, while still cleaning the other inputs of the run.
type scanBadInput struct {
	name, reason string
	file         string                                    // base name inside the test's directory
	make         func(t *testing.T, dir, path string)      // creates it
	flags        []string                                  // extra flags for every run
	says         *regexp.Regexp                            // matched against the error line
	page         int                                       // the page the line must name; 0 for none
	check        func(t *testing.T, r result, st runStats) // more checks on the run alone
	maxAlloc     uint64                                    // most the in-process run may allocate; 0 for no limit
}

// scanWriteBytes returns a make function that writes data.
func scanWriteBytes(data []byte) func(*testing.T, string, string) {
	return func(t *testing.T, _, path string) { writeFile(t, path, data) }
}

// hugePNG is a PNG signature and an IHDR chunk, with a correct CRC,
// claiming w × h 8-bit grey pixels, and nothing else.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := make([]byte, 0, 17)
	chunk = append(chunk, "IHDR"...)
	chunk = binary.BigEndian.AppendUint32(chunk, w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, 8, 0, 0, 0, 0) // depth 8, grey, deflate, no filter, no interlace
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func scanBadInputs() []scanBadInput {
	return []scanBadInput{
		{name: "corrupt PDF", reason: "a PDF damaged in storage: a valid header, then garbage",
			file: "corrupt.pdf",
			make: func(t *testing.T, _, path string) {
				rng := rand.New(rand.NewPCG(1, 2))
				data := []byte("%PDF-1.4\n")
				for range 4000 {
					data = append(data, byte(rng.UintN(256)))
				}
				writeFile(t, path, data)
			},
			says: regexp.MustCompile(`not a readable PDF`)},
		{name: "truncated PDF", reason: "a download cut short: the cross-reference table at the end is gone",
			file: "truncated.pdf",
			make: func(t *testing.T, _, path string) {
				writeFile(t, path, readFile(t, scanFile(t, "A-RES-63-194.text.pdf"))[:3000])
			},
			says: regexp.MustCompile(`not a readable PDF|no pages`)},
		{name: "encrypted PDF", reason: "a PDF that needs a password: emend cannot guess it and must say so",
			file: "encrypted.pdf",
			make: func(t *testing.T, _, path string) {
				scanTool(t, "qpdf", "--encrypt", "user", "owner", "256", "--", scanFile(t, "A-RES-63-194.text.pdf"), path)
			},
			says: regexp.MustCompile(`encrypted`)},
		{name: "empty PDF", reason: "a failed download leaves a 0-byte .pdf",
			file: "empty.pdf",
			make: scanWriteBytes(nil),
			says: regexp.MustCompile(`empty`)},
		{name: "huge PNG header", reason: "a header claiming 50000 × 50000 pixels (2.5 GB) must be refused from the header, before anything is allocated",
			file: "huge.png",
			make: scanWriteBytes(hugePNG(50000, 50000)),
			says: regexp.MustCompile(`50000 × 50000`), page: 1,
			maxAlloc: 64 << 20,
			check: func(t *testing.T, r result, st runStats) {
				t.Logf("huge PNG refused in %s, peak RSS %d MiB (the test process's own peak, which the child's figure includes, is %d MiB)",
					st.elapsed.Round(time.Millisecond), st.maxRSS>>20, st.parentHWM>>20)
				if st.elapsed > 5*time.Second {
					t.Errorf("refusing the huge PNG took %s: it was decoded, not refused from its header", st.elapsed)
				}
				// Decoding would need 2.5 GB.
				if st.maxRSS > st.parentHWM+300<<20 {
					t.Errorf("refusing the huge PNG peaked at %d MiB of memory: it was allocated", st.maxRSS>>20)
				}
			}},
		{name: "truncated JPEG", reason: "a scan cut short in transfer, inside its pixel data",
			file: "truncated.jpg",
			make: func(t *testing.T, dir, path string) {
				jpg := readFile(t, scanRasterize(t, scanFile(t, "A-RES-63-194.scan.pdf"), 1, 1, 100, dir, "jpg", "-jpeg")[0])
				writeFile(t, path, jpg[:len(jpg)/2])
			},
			says: regexp.MustCompile(`JPEG`), page: 1},
		{name: "truncated PNG", reason: "a PNG cut short in transfer, inside its pixel data (its header is intact)",
			file: "truncated.png",
			make: func(t *testing.T, _, path string) {
				png := readFile(t, scanFile(t, "A-RES-2758-XXVI.png"))
				writeFile(t, path, png[:len(png)/2])
			},
			says: regexp.MustCompile(`PNG`), page: 1},
		{name: "truncated TIFF", reason: "a scan cut short in transfer; TIFF keeps its directory at the end",
			file: "truncated.tif",
			make: func(t *testing.T, dir, path string) {
				tif := readFile(t, scanRasterize(t, scanFile(t, "A-RES-63-194.scan.pdf"), 1, 1, 100, dir, "tif", "-tiff", "-tiffcompression", "deflate")[0])
				writeFile(t, path, tif[:len(tif)/2])
			},
			says: regexp.MustCompile(`TIFF`), page: 1},
		{name: "page timeout PDF", reason: "a page whose rasterizing and OCR overrun --page-timeout must be given up on and named; with no other page, nothing is written",
			file: "scan-1.pdf",
			make: func(t *testing.T, _, path string) {
				scanPDFPage(t, scanFile(t, "A-RES-63-194.scan.pdf"), 1, filepath.Dir(path), filepath.Base(path))
			},
			flags: []string{"--page-timeout", "1ms"},
			says:  regexp.MustCompile(`timed out|took longer than`), page: 1},
		{name: "page timeout image", reason: "the same for a page image, where the deadline falls on Tesseract itself",
			file: "page.png",
			make: func(t *testing.T, _, path string) {
				writeFile(t, path, readFile(t, scanFile(t, "A-RES-2758-XXVI.png")))
			},
			flags: []string{"--page-timeout", "1ms"},
			says:  regexp.MustCompile(`timed out`), page: 1},
	}
}

// TestScanBadInputs runs each broken PDF or image alone, beside good
// inputs, and with -o FILE and -o DIR. In a batch over an archive, one bad
// file must cost exactly one clear line and that file's output, never the
// run, the other files, or a partial file that looks like a result.
func TestScanBadInputs(t *testing.T) {
	requireScanTools(t)
	for _, bi := range scanBadInputs() {
		t.Run(bi.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, bi.file)
			bi.make(t, dir, bad)
			// The good input is a born-digital PDF page: what goes wrong
			// with the bad file's poppler or Tesseract run must not touch
			// it, and it needs no OCR, so --page-timeout does not apply.
			good := scanPDFPage(t, scanFile(t, "A-RES-63-194.text.pdf"), 1, dir, "good.pdf")
			g := runInProcess(t, "clean", "-f", "md", good)
			if g.code != 0 || g.stdout == "" {
				t.Fatalf("cleaning %s: exit status %d\n%s", good, g.code, g.stderr)
			}
			goodMD := g.stdout
			args := func(rest ...string) []string {
				return append(append([]string{"clean"}, bi.flags...), rest...)
			}
			checkLine := func(t *testing.T, ln string) {
				t.Helper()
				if !strings.Contains(ln, bad) {
					t.Errorf("error line %q does not name %s", ln, bad)
				}
				if !bi.says.MatchString(ln) {
					t.Errorf("error line %q does not say %q (%s)", ln, bi.says, bi.reason)
				}
				if bi.page > 0 && !strings.Contains(ln, fmt.Sprintf("page %d", bi.page)) {
					t.Errorf("error line %q does not name page %d", ln, bi.page)
				}
			}

			t.Run("alone", func(t *testing.T) {
				r, st := runBinaryStats(t, nil, nil, args(bad)...)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1 (%s)", r.code, bi.reason)
				}
				lines := r.stderrLines()
				if len(lines) != 1 {
					t.Errorf("stderr has %d lines, want one naming %s:\n%s", len(lines), bad, r.stderr)
				}
				for _, ln := range lines {
					if strings.Contains(ln, bad) {
						checkLine(t, ln)
					}
				}
				if len(lines) > 0 && !strings.Contains(strings.Join(lines, "\n"), bad) {
					t.Errorf("no stderr line names %s:\n%s", bad, r.stderr)
				}
				if r.stdout != "" {
					t.Errorf("stdout not empty: %.200q", r.stdout)
				}
				if bi.check != nil {
					bi.check(t, r, st)
				}
			})

			t.Run("in-process", func(t *testing.T) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				r := runInProcess(t, args(bad)...)
				runtime.ReadMemStats(&after)
				if r.err != errSilent || r.code != 1 {
					t.Errorf("run returned %v (status %d), want errSilent (status 1)", r.err, r.code)
				}
				if got := after.TotalAlloc - before.TotalAlloc; bi.maxAlloc > 0 && got > bi.maxAlloc {
					t.Errorf("the run allocated %d MiB, want at most %d MiB", got>>20, bi.maxAlloc>>20)
				}
			})

			t.Run("with good inputs", func(t *testing.T) {
				checkBadBetweenGood(t, runBinary(t, nil, args(good, bad, good)...), bad, goodMD, checkLine)
			})

			t.Run("-o DIR", func(t *testing.T) {
				out := filepath.Join(dir, "out")
				r := runBinary(t, nil, args("-j", "2", "-o", out, good, bad)...)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1", r.code)
				}
				if got, err := os.ReadFile(filepath.Join(out, "good.md")); err != nil || string(got) != goodMD {
					t.Errorf("out/good.md is not the good input's Markdown (%v)", err)
				}
				checkNoOutput(t, filepath.Join(out, outputName(bad, pipeline.FormatMarkdown)))
			})

			t.Run("-o FILE", func(t *testing.T) {
				out := filepath.Join(dir, "single.md")
				r := runBinary(t, nil, args("-o", out, bad)...)
				if r.code != 1 {
					t.Errorf("exit status %d, want 1", r.code)
				}
				checkNoOutput(t, out)
			})
		})
	}
}

// tiffStrips returns, for each page of a TIFF, the offset and byte count of
// its first strip. It reads only what the fixtures below need: one strip
// per page, its offset and count stored in the directory entry.
func tiffStrips(t *testing.T, data []byte) [][2]int {
	t.Helper()
	var bo binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		bo = binary.BigEndian
	}
	var strips [][2]int
	for off := int(bo.Uint32(data[4:])); off != 0; {
		n := int(bo.Uint16(data[off:]))
		var strip [2]int
		for e := off + 2; e < off+2+12*n; e += 12 {
			tag, typ, count := bo.Uint16(data[e:]), bo.Uint16(data[e+2:]), bo.Uint32(data[e+4:])
			if tag != 273 && tag != 279 {
				continue
			}
			if count != 1 {
				t.Fatalf("TIFF page %d has %d strips, want 1", len(strips)+1, count)
			}
			v := int(bo.Uint32(data[e+8:]))
			if typ == 3 {
				v = int(bo.Uint16(data[e+8:]))
			}
			if tag == 273 {
				strip[0] = v
			} else {
				strip[1] = v
			}
		}
		strips = append(strips, strip)
		off = int(bo.Uint32(data[off+2+12*n:]))
	}
	return strips
}

// TestTIFFCorruptPage gives a two-page TIFF whose second page's compressed
// pixels are damaged. Archives store multi-page scans as TIFF, and one bad
// page must not cost the whole document: the good page is cleaned and
// written, the bad one named on stderr and listed in the JSON, and the
// exit status says something went wrong.
//
// A TIFF cut short inside page 2 would not do: tiffcp writes each page's
// directory after its pixels, so the cut takes page 2's directory with it,
// and the file is then refused whole (see the truncated TIFF row of
// TestScanBadInputs). Damaging the deflate stream of page 2 in place keeps
// every directory and breaks only that page's decoding.
func TestTIFFCorruptPage(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	pages := scanRasterize(t, scanFile(t, "A-RES-63-194.scan.pdf"), 1, 2, 150, dir, "page", "-tiff")
	multi := filepath.Join(dir, "two.tif")
	// One deflate strip per page, so that page 2's pixels are one stream.
	scanTool(t, "tiffcp", "-c", "zip", "-r", "100000", pages[0], pages[1], multi)
	data := readFile(t, multi)
	strips := tiffStrips(t, data)
	if len(strips) != 2 {
		t.Fatalf("tiffcp wrote %d pages, want 2", len(strips))
	}
	off, n := strips[1][0], strips[1][1]
	if off <= 0 || n < 1000 || off+n > len(data) {
		t.Fatalf("page 2's strip at %d, %d bytes, is not inside the %d-byte file", off, n, len(data))
	}
	for i := off + n/2; i < off+n/2+64; i++ {
		data[i] = 0xff
	}
	bad := filepath.Join(dir, "damaged.tif")
	writeFile(t, bad, data)

	out := filepath.Join(dir, "damaged.json")
	r := runBinary(t, nil, "clean", "-j", "2", "-f", "json", "-o", out, bad)
	doc := scanCheckPageFailed(t, r, bad, out, 2)
	if r.stdout != "" {
		t.Errorf("stdout not empty with -o: %.200q", r.stdout)
	}
	checkScanPages(t, doc, 1)
	logged := false
	for _, rp := range doc.Repairs {
		if rp.Kind == string(pipeline.RepairPageFailed) && rp.page() == 2 {
			logged = true
		}
	}
	if !logged {
		t.Errorf("the repair log has no %q entry for page 2", pipeline.RepairPageFailed)
	}
	checkNoTemporaries(t, dir)
}

// TestTIFFMultiPage cleans a two-page TIFF made the way scanners and
// archive exports make them: every page must be read, not just the first,
// which is all that many image readers look at.
func TestTIFFMultiPage(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	pages := scanRasterize(t, scanFile(t, "A-RES-63-194.scan.pdf"), 1, 2, 150, dir, "page", "-tiff")
	multi := filepath.Join(dir, "two.tif")
	scanTool(t, "tiffcp", pages[0], pages[1], multi)

	checkScanPages(t, decodeJSONOutput(t, []byte(runCleanOK(t, "-j", "2", "-f", "json", multi).stdout)), 1, 2)
}

// TestPDFStdin pipes a PDF into "emend clean -", as in "curl ... | emend
// clean -". poppler needs a file, so emend writes one: the result must be
// the same as from the file, and the temporary must not be left behind.
func TestPDFStdin(t *testing.T) {
	requireScanTools(t)
	in := scanFile(t, "A-RES-63-194.text.pdf")
	want := runInProcess(t, "clean", "-f", "md", in)
	if want.code != 0 {
		t.Fatalf("emend clean %s: exit status %d\n%s", in, want.code, want.stderr)
	}
	tmp := t.TempDir()
	env := []string{"TMPDIR=" + tmp}
	r, _ := runBinaryStats(t, env, readFile(t, in), "clean", "-")
	if r.code != 0 {
		t.Fatalf("emend clean - < %s: exit status %d\n%s", in, r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("unexpected stderr:\n%s", r.stderr)
	}
	if diff := cmp.Diff(want.stdout, r.stdout); diff != "" {
		t.Errorf("stdin gives other output than the file (-file +stdin):\n%s", diff)
	}
	j, _ := runBinaryStats(t, env, readFile(t, in), "clean", "-f", "json", "-")
	if doc := decodeJSONOutput(t, []byte(j.stdout)); doc.Source != "-" {
		t.Errorf("source = %q, want \"-\" (the temporary file's name must not leak)", doc.Source)
	}

	// A bad PDF on stdin is reported as "-", not by the temporary's name.
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc.pdf")
	scanTool(t, "qpdf", "--encrypt", "user", "owner", "256", "--", in, enc)
	e, _ := runBinaryStats(t, env, readFile(t, enc), "clean", "-")
	if e.code != 1 {
		t.Errorf("encrypted PDF on stdin: exit status %d, want 1", e.code)
	}
	scanCheckOneLine(t, e, "-: ", "encrypted")
	if strings.Contains(e.stderr, tmp) || strings.Contains(e.stderr, "emend-") {
		t.Errorf("the message names the temporary file: %s", e.stderr)
	}

	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		var names []string
		for _, f := range left {
			names = append(names, f.Name())
		}
		t.Errorf("temporary files left in TMPDIR: %v", names)
	}
}

// TestPDFOwnerPasswordOnly cleans a PDF encrypted with only an owner
// password (printing or copying restricted), as many published PDFs are.
// It opens without a password in every viewer, so emend must read it as
// it reads the same file unencrypted, not refuse it as encrypted.
func TestPDFOwnerPasswordOnly(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	plain := scanPDFPage(t, scanFile(t, "A-RES-63-194.text.pdf"), 1, dir, "plain.pdf")
	restricted := filepath.Join(dir, "restricted.pdf")
	scanTool(t, "qpdf", "--encrypt", "", "owner", "256", "--print=none", "--extract=n", "--", plain, restricted)
	want := runInProcess(t, "clean", "-f", "md", plain)
	got := runInProcess(t, "clean", "-f", "md", restricted)
	if got.code != 0 {
		t.Fatalf("owner-password PDF: exit status %d\n%s", got.code, got.stderr)
	}
	if diff := cmp.Diff(want.stdout, got.stdout); diff != "" {
		t.Errorf("owner-password PDF cleans differently from the same PDF unencrypted (-plain +restricted):\n%s", diff)
	}
}

// TestPDFSignatureInText cleans a text file that mentions the PDF header
// string "%PDF-1.7" near its start, as a document about electronic records
// or PDF/A archiving may. It is text, and must be cleaned as text: sniffing
// "%PDF-" anywhere in the first kilobyte (which PDF readers tolerate for
// junk before a real header) must not turn a text input into a refused
// "PDF".
func TestPDFSignatureInText(t *testing.T) {
	requireScanTools(t)
	dir := t.TempDir()
	seed := seedCases(t)[0]
	text := readFile(t, seed.input)
	want := runInProcess(t, "clean", "-f", "md", seed.input)
	if want.code != 0 {
		t.Fatalf("cleaning %s: exit status %d\n%s", seed.input, want.code, want.stderr)
	}
	in := filepath.Join(dir, "records.txt")
	writeFile(t, in, append([]byte("Electronic records are kept as PDF/A files (header %PDF-1.7).\n\n"), text...))
	r := runInProcess(t, "clean", "-f", "md", in)
	if r.code != 0 {
		t.Fatalf("a text file mentioning %%PDF-1.7 was refused: exit status %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "%PDF-1.7") {
		t.Errorf("the output lacks the line that mentions %%PDF-1.7:\n%.300s", r.stdout)
	}
}
